// Saving over htmx. Every answer and toggle form has hx-post, hx-sync="this:queue last" (one
// request at a time per form, only the newest queued) and a 10 s timeout; this module adds
// what htmx does not: the optimistic paint on submit, a seq on every save (seq.js), no swap of
// a stale reply, the rollback of a failed one, and Retry, which re-sends exactly the fields
// the failed request carried (issue 22: a re-submit of the form alone loses the clicked
// button's value).

import { $, announce } from "./dom.js";
import { answerPart, requestFields, sendOnly, wantsOn } from "./fields.js";
import { failSave, isStale, takeReply } from "./seq.js";
import { answerValues, isAnswerForm, stateFor, states, takeNextSeq } from "./forms.js";
import { applyValues, clearPending, paintPending, recount, rollback } from "./answers.js";
import { onToggleSubmit, rollbackToggle } from "./toggles.js";

const pageStart = performance.now();

function updateSpent(form) {
  const spent = $("[data-spent]", form);
  if (!spent) return;
  spent.dataset.base ??= spent.value;
  spent.value = String(Math.round(Number(spent.dataset.base) + performance.now() - pageStart));
}

function onAnswerSubmit(form, event) {
  const state = stateFor(form);
  if (form.dataset.answerForm === "practice" && state.latest > state.settled) {
    // The first answer is final: a second click while it travels changes nothing.
    event.preventDefault();
    event.stopImmediatePropagation();
    state.replay = null;
    return;
  }
  takeNextSeq(form, state);
  state.leaveAnyway = false;
  let pairs;
  if (state.replay) {
    // A retry: paint what the failed request carried; htmx:configRequest sends it.
    pairs = answerPart(state.replay);
  } else {
    updateSpent(form);
    pairs = answerValues(form, event.submitter);
  }
  paintPending(form, pairs, event.submitter);
}

// "Retry": send again exactly the fields of the request that failed (the clicked
// option's name/value included), with a fresh seq. Re-submitting the form instead would
// lose the option button that was clicked (a programmatic submit has no submitter in
// htmx's eyes) and would pick up anything changed since.
function retry(form) {
  const state = stateFor(form);
  if (!state?.failed) return;
  state.replay = state.failed;
  if (isAnswerForm(form)) applyValues(form, answerPart(state.failed));
  form.requestSubmit();
}

// A click on "Retry" (an answer's, or a toggle's). True when handled.
export function onRetryClick(event, target) {
  const button = target.closest("[data-retry]") || target.closest("[data-toggle-retry]");
  if (!button) return false;
  event.preventDefault();
  retry(button.closest("form"));
  return true;
}

// Capturing, so the paint and the seq are in place before htmx reads the form.
export function onSubmit(event) {
  const form = event.target;
  if (!(form instanceof HTMLFormElement)) return;
  if (form.matches("[data-answer-form]")) onAnswerSubmit(form, event);
  else if (form.matches("[data-optimistic-toggle]")) onToggleSubmit(form);
}

export function onConfigRequest(event) {
  const form = event.detail.elt;
  const state = form instanceof HTMLFormElement ? states.get(form.id) : null;
  if (!state) return;
  if (state.replay) {
    sendOnly(event.detail.formData, state.replay);
    state.replay = null;
  } else if (isAnswerForm(form)) {
    // "move" and "go" are for plain posts: an autosave already carries the new order.
    delete event.detail.parameters.move;
    delete event.detail.parameters.go;
  }
}

export function onBeforeRequest(event) {
  const form = event.detail.elt;
  if (!(form instanceof HTMLFormElement)) return;
  const state = states.get(form.id);
  if (!state) return;
  const formData = event.detail.requestConfig.formData;
  const seq = Number(formData.get("seq"));
  event.detail.xhr.quizSeq = seq;
  event.detail.xhr.quizForm = form.id;
  state.sent.set(seq, requestFields(formData));
}

export function onBeforeSwap(event) {
  const xhr = event.detail.xhr;
  const state = xhr.quizForm && states.get(xhr.quizForm);
  if (!state || event.detail.isError) return;
  // A newer save is on its way: keep the screen as the candidate left it.
  if (isStale(state, xhr.quizSeq)) event.detail.shouldSwap = false;
}

export function onAfterRequest(event) {
  const xhr = event.detail.xhr;
  const id = xhr?.quizForm;
  const state = id && states.get(id);
  if (!state) return;
  const form = document.getElementById(id);
  const isToggle = Boolean(form?.matches("[data-optimistic-toggle]"));
  recount(); // the server's navigator cell may have come in out of band
  const { outcome, sent } = takeReply(state, xhr.quizSeq, event.detail.successful === true, isToggle ? wantsOn : answerPart);
  if (!form) return;
  if (outcome === "saved") {
    if (isToggle) {
      form.classList.remove("is-pending");
    } else {
      clearPending(form);
      delete form.dataset.countedOptimistically;
    }
  } else if (outcome === "failed") {
    const confirmed = failSave(state, sent);
    if (isToggle) {
      rollbackToggle(form, confirmed);
    } else {
      // A short plain-text refusal ("Time is up") is shown beside "Not saved".
      const detail = xhr.status >= 400 && xhr.status < 500 && xhr.responseText.length < 300 ? xhr.responseText : "";
      rollback(form, confirmed, detail ? `${form.dataset.failedText || "Not saved"}: ${detail}` : null);
    }
  }
}

// Practice feedback replaced the question card (outerHTML, so the event's target is
// the old element): move focus to the verdict and announce it.
export function onAfterSwap(event) {
  if (event.detail.xhr?.quizForm !== "answer-form") return;
  const verdict = $("#question-card [data-announce]");
  if (verdict) {
    verdict.focus();
    announce(verdict.dataset.announce);
  }
}

// Exam forms save on every change; practice waits for "Check answer" (or the click).
export function onChange(event) {
  const form = event.target.closest?.("form[data-answer-form=exam]");
  if (!form || event.target.name === "confidence") return;
  event.target.closest("[data-option-index]")?.classList.add("is-pending");
  form.requestSubmit();
}
