// What an answer form shows while a save travels and after it fails: the choice, the pending
// mark, the navigator cell and the counters at once; on failure, the last confirmed answer
// with "Not saved — retry".

import { $, $$, announce } from "./dom.js";
import { completeness as guessCompleteness, isAnswered } from "./fields.js";
import { refreshMoveButtons } from "./ordering.js";

function navCell(form) {
  return document.getElementById(`nav-${form.dataset.item}`);
}

// The server's navigator cells say what is answered; the counter follows them.
export function recount() {
  const counter = $("[data-answered-count]");
  if (counter && $(".nav-grid")) {
    counter.textContent = String($$(".nav-grid .nav-cell.is-answered").length);
  }
}

function completeness(form, pairs) {
  return guessCompleteness(pairs, {
    wanted: Number($("[data-select]", form)?.dataset.select || 0),
    prompts: $$("select[name^='match-']", form).length,
  });
}

function paintCell(cell, answered) {
  cell.classList.toggle("is-answered", answered === "complete");
  cell.classList.toggle("is-incomplete", answered === "partial");
}

function hideError(form) {
  const error = $("[data-save-error]", form);
  if (error) error.hidden = true;
}

// Put ``pairs`` back into the form's controls (a rollback or a retry).
export function applyValues(form, pairs) {
  const has = (name, value) => pairs.some(([n, v]) => n === name && v === value);
  for (const input of $$("input[type=radio], input[type=checkbox]", form)) {
    input.checked = has(input.name, input.value);
  }
  for (const select of $$("select", form)) {
    const pair = pairs.find(([name]) => name === select.name);
    select.value = pair ? pair[1] : "";
  }
  const list = $("[data-ordering]", form);
  const order = pairs.filter(([name]) => name === "order").map(([, value]) => value);
  if (list && order.length) {
    for (const id of order) {
      const item = $(`[data-id="${CSS.escape(id)}"]`, list);
      if (item) list.appendChild(item);
    }
    refreshMoveButtons(list);
  }
}

export function paintPending(form, pairs, submitter) {
  form.classList.add("is-pending");
  form.setAttribute("aria-busy", "true");
  hideError(form);
  const status = $("[data-save-status]", form);
  if (status) status.textContent = form.dataset.savingText || "Saving…";
  const chosen = new Set(pairs.filter(([n]) => n === "choice").map(([, v]) => v));
  for (const choice of $$(".choice", form)) {
    const input = choice.matches("button") ? choice : $("input", choice);
    const on = chosen.has(input.value);
    choice.classList.toggle("is-selected", on);
    choice.classList.toggle("is-pending", on);
  }
  if (submitter && submitter.matches(".choice-button")) submitter.classList.add("is-selected", "is-pending");
  const cell = navCell(form);
  if (cell) {
    paintCell(cell, completeness(form, pairs));
    cell.classList.add("is-pending");
    cell.classList.remove("is-failed");
    recount();
  }
  // "Check answer" with nothing chosen is not an answer: the server says "Choose an
  // answer first." and nothing may count it (issue 16 §5).
  if (form.dataset.answerForm === "practice" && isAnswered(pairs)) {
    const counter = $("[data-answered-count]");
    if (counter && !form.dataset.countedOptimistically) {
      form.dataset.countedOptimistically = counter.textContent;
      counter.textContent = String(Number(counter.textContent) + 1);
      const bar = $("[data-progress-bar]");
      if (bar) bar.value = Number(counter.textContent);
    }
  }
}

export function clearPending(form) {
  form.classList.remove("is-pending");
  form.removeAttribute("aria-busy");
  for (const element of $$(".is-pending", form)) element.classList.remove("is-pending");
  const cell = navCell(form);
  if (cell) cell.classList.remove("is-pending");
}

// ``confirmed``: the answer the server has (seq.failSave). A mock shows it again; practice's
// one-click answer had nothing before it, so its choice and its optimistic count go.
export function rollback(form, confirmed, message) {
  clearPending(form);
  const status = $("[data-save-status]", form);
  if (status) status.textContent = "";
  if (form.dataset.answerForm === "exam") {
    applyValues(form, confirmed);
    const cell = navCell(form);
    if (cell) {
      paintCell(cell, completeness(form, confirmed));
      cell.classList.add("is-failed");
      recount();
    }
  } else {
    for (const choice of $$(".choice-button", form)) choice.classList.remove("is-selected");
    const counter = $("[data-answered-count]");
    if (counter && form.dataset.countedOptimistically !== undefined) {
      counter.textContent = form.dataset.countedOptimistically;
      const bar = $("[data-progress-bar]");
      if (bar) bar.value = Number(counter.textContent);
    }
    delete form.dataset.countedOptimistically;
  }
  const error = $("[data-save-error]", form);
  if (error) {
    const text = $("[data-save-error-text]", error);
    if (text) {
      text.dataset.defaultText ??= text.textContent;
      text.textContent = message || text.dataset.defaultText;
    }
    error.hidden = false;
    announce((text || error).textContent.trim());
  }
}
