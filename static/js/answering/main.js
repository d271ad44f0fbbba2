// Optimistic answering for mock exams and practice (docs/answering-protocol.md §3–4): the entry
// point the question pages load as <script type="module">. It only wires the modules to the
// page, in this order:
//   save.js        paint at once, seq every save, drop stale replies, roll back, retry (+ seq.js,
//                  fields.js, forms.js, answers.js, toggles.js)
//   ordering.js    Move buttons and drag (the vendored SortableJS)
//   navigation.js  exam navigation that waits for a pending save; dialogs
//   keyboard.js    the shortcuts (never while typing in a field)
// Without these files every form still posts and redirects.

import { onMoveClick, enableDrag } from "./ordering.js";
import { onDialogClick, onNavClick, whenSaved } from "./navigation.js";
import { onAnyKeydown, onKeydown, onPointerdown } from "./keyboard.js";
import { stateFor } from "./forms.js";
import { $$ } from "./dom.js";
import {
  onAfterRequest,
  onAfterSwap,
  onBeforeRequest,
  onBeforeSwap,
  onChange,
  onConfigRequest,
  onRetryClick,
  onSubmit,
} from "./save.js";

document.addEventListener("submit", onSubmit, true);
document.addEventListener("htmx:configRequest", onConfigRequest);
document.addEventListener("htmx:beforeRequest", onBeforeRequest);
document.addEventListener("htmx:beforeSwap", onBeforeSwap);
document.addEventListener("htmx:afterRequest", onAfterRequest);
document.addEventListener("htmx:afterSwap", onAfterSwap);

// One capturing listener, first handler that claims the click wins: a move is handled before
// htmx sees it (it is not a submit), navigation before the form would post.
const CLICKS = [onMoveClick, onRetryClick, onNavClick, onDialogClick];
document.addEventListener(
  "click",
  (event) => {
    const target = event.target instanceof Element ? event.target : null;
    if (!target) return;
    CLICKS.some((handle) => handle(event, target));
  },
  true,
);

document.addEventListener("change", onChange);
document.addEventListener("keydown", onKeydown);

window.quizapp = Object.assign(window.quizapp || {}, { whenSaved });

document.addEventListener("pointerdown", onPointerdown);
document.addEventListener("keydown", onAnyKeydown);

// Every form's confirmed state is what rendered.
for (const form of $$("form[data-answer-form], form[data-optimistic-toggle]")) stateFor(form);
// SortableJS is a deferred classic script after this module: it has run by DOMContentLoaded.
document.addEventListener("DOMContentLoaded", () => enableDrag(document));
document.addEventListener("htmx:load", (event) => enableDrag(event.target));
// Keys pressed before this point are lost, and a form submitted before htmx has processed the
// page (on DOMContentLoaded, with a listener it added before this module ran) posts without
// htmx: browser tests wait for this mark after a page load before typing or clicking.
document.addEventListener("DOMContentLoaded", () => {
  document.documentElement.dataset.answering = "ready";
});
