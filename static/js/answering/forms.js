// The save state of every answer and toggle form on the page (seq.js), by form id: htmx swaps
// forms, their ids stay. Reads what the server rendered into a form.

import { $ } from "./dom.js";
import { answerFields } from "./fields.js";
import { newSaveState, nextSeq } from "./seq.js";

export const states = new Map(); // form id → state

export function isAnswerForm(form) {
  return form.matches("[data-answer-form]");
}

export function answerForm() {
  return $("form[data-answer-form]");
}

// The answer the form's controls show now (with the clicked button's, if any).
export function answerValues(form, submitter) {
  return answerFields(new FormData(form), submitter);
}

// A toggle form's button is pressed ("Flag for review", "Bookmark").
export function pressed(form) {
  return $("button[aria-pressed]", form)?.getAttribute("aria-pressed") === "true";
}

export function stateFor(form) {
  if (!form.id) return null;
  let state = states.get(form.id);
  if (!state) {
    const seqInput = $("[data-seq]", form) || form.querySelector("input[name=seq]");
    const answer = isAnswerForm(form);
    state = newSaveState({
      rendered: seqInput ? Number(seqInput.value) || 0 : 0,
      isAnswerForm: answer,
      // Its confirmed state is what rendered.
      confirmed: answer ? answerValues(form) : pressed(form),
    });
    states.set(form.id, state);
  }
  return state;
}

// Every save carries a seq newer than any before it (the server ignores older ones).
export function takeNextSeq(form, state) {
  const input = form.querySelector("input[name=seq]");
  const seq = nextSeq(state, Number(input?.value || 0), isAnswerForm(form));
  if (input) input.value = String(seq);
}
