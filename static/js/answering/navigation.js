// Leaving a question: exam navigation (Next, Previous) is a plain page load once the pending
// save is in; a failed save keeps the candidate on the question until they retry or press
// again. Also the dialogs opened by a button (keyboard help, "Submit exam").

import { $ } from "./dom.js";
import { states } from "./forms.js";
import { whenSettled } from "./seq.js";

// A click on a data-nav button (capturing). True when handled.
export function onNavClick(event, target) {
  const nav = target.closest("[data-nav]");
  if (!nav) return false;
  // The answer is autosaved: navigation is a plain page load, once the save is in.
  event.preventDefault();
  event.stopPropagation();
  const form = nav.form;
  const state = form && states.get(form.id);
  if (!state || state.leaveAnyway) {
    window.location.assign(nav.dataset.nav);
    return true;
  }
  nav.setAttribute("aria-busy", "true");
  whenSettled(state).then(() => {
    nav.removeAttribute("aria-busy");
    if (state.failed) {
      // Stay, say so; a second press leaves anyway.
      state.leaveAnyway = true;
      $("[data-retry]", form)?.focus();
    } else {
      window.location.assign(nav.dataset.nav);
    }
  });
  return true;
}

// A click on a data-open-dialog button. True when handled.
export function onDialogClick(event, target) {
  const opener = target.closest("[data-open-dialog]");
  if (!opener) return false;
  const dialog = document.getElementById(opener.dataset.openDialog);
  if (dialog && typeof dialog.showModal === "function") {
    event.preventDefault();
    dialog.showModal();
  }
  return true;
}

// exam.js waits for pending saves before the deadline submit.
export function whenSaved() {
  return Promise.all(Array.from(states.values(), (state) => whenSettled(state)));
}
