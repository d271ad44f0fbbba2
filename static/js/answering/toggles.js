// "Flag for review" (mock) and "Bookmark" (practice): a press paints at once, a failed save
// puts the button back as the server has it, with "Not saved — retry".

import { $ } from "./dom.js";
import { wantsOn } from "./fields.js";
import { answerForm, pressed, stateFor, takeNextSeq } from "./forms.js";

function paintToggle(form, on) {
  $("button[aria-pressed]", form).setAttribute("aria-pressed", on ? "true" : "false");
  if (form.dataset.optimisticToggle === "flagged") {
    const cell = document.getElementById(`nav-${answerForm()?.dataset.item}`);
    if (cell) cell.classList.toggle("is-flagged", on);
  }
}

export function onToggleSubmit(form) {
  const state = stateFor(form);
  const want = state.replay ? wantsOn(state.replay) : !pressed(form);
  takeNextSeq(form, state);
  // htmx reads the form after this listener: the hidden state says what we want now.
  form.querySelector("input[name=state]").value = want ? "1" : "0";
  paintToggle(form, want);
  form.classList.add("is-pending");
  const status = $("[data-toggle-status]", form);
  if (status) status.textContent = "";
}

// ``confirmed``: the state the server has (seq.failSave).
export function rollbackToggle(form, confirmed) {
  form.classList.remove("is-pending");
  paintToggle(form, confirmed);
  form.querySelector("input[name=state]").value = confirmed ? "0" : "1";
  const status = $("[data-toggle-status]", form);
  if (status) {
    status.replaceChildren();
    const text = document.createElement("span");
    text.textContent = `${form.dataset.failedText || "Not saved — retry"} `;
    const again = document.createElement("button");
    again.type = "button";
    again.className = "button-small";
    again.dataset.toggleRetry = "";
    again.textContent = form.dataset.retryText || "Retry";
    status.append(text, again);
  }
}
