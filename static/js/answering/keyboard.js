// The keys of docs/answering-protocol.md §4. One scheme (issue 16 §3): 1–7 and A–G always
// choose (an ordering item by its place); every other shortcut (data-shortcut) is on a key
// that is never an option's, so none can answer by accident. Never while typing in a field.
// keyAction is the key map, pure (tests/js/keyboard.test.mjs); onKeydown does what it says.

import { $, $$ } from "./dom.js";
import { answerForm } from "./forms.js";
import { afterMove, moveItem } from "./ordering.js";

// 1–7 or a–g → 1…7; any other key → 0.
export function optionIndex(key) {
  if (/^[1-7]$/.test(key)) return Number(key);
  if (/^[a-g]$/.test(key)) return key.charCodeAt(0) - 96;
  return 0;
}

// What a key press asks for, from a KeyboardEvent-like object:
//   {action: "move", direction: "up"|"down"}  Alt+↑/↓ (moves the ordering item in focus)
//   {action: "help"}                          ?, also while a dialog is open
//   {action: "choose", index, key}            the option at that place (else key's data-shortcut)
//   {action: "enter"}
//   {action: "shortcut", key}                 the element with data-shortcut=key, if any
//   null                                      the browser's own
// ``typing``: focus is in a text field; ``dialogOpen``: a modal dialog is open.
export function keyAction(event, { typing = false, dialogOpen = false } = {}) {
  if (event.altKey && (event.key === "ArrowUp" || event.key === "ArrowDown")) {
    return { action: "move", direction: event.key === "ArrowUp" ? "up" : "down" };
  }
  if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || typing) return null;
  if (dialogOpen && event.key !== "?") return null;
  const key = event.key.length === 1 ? event.key.toLowerCase() : event.key;
  if (key === "?") return { action: "help" };
  const index = optionIndex(key);
  if (index) return { action: "choose", index, key };
  if (key === "Enter") return { action: "enter" };
  if (key.length === 1) return { action: "shortcut", key };
  return null;
}

function isTyping(element) {
  if (!(element instanceof Element)) return false;
  if (element.isContentEditable || element.matches("textarea, select")) return true;
  return element.matches("input") && !element.matches("[type=radio], [type=checkbox], [type=button], [type=submit]");
}

// The option shown at place ``index``: an ordering item's place changes as it moves.
function chooseOption(form, index) {
  const list = $("[data-ordering]", form);
  const option = list ? $$(".ordering-item", list)[index - 1] : $(`[data-option-index="${index}"]`, form);
  if (!option) return false;
  if (option.matches("button")) {
    option.click();
  } else if (option.matches("label")) {
    const input = $("input", option);
    input.focus();
    input.click();
  } else if (option.matches(".ordering-item")) {
    // The item itself, not its Move button: Enter then checks the answer instead of
    // pressing the button again; Alt+↑/↓ moves it, Tab reaches its buttons. Focusable by
    // script only (tabindex -1), so Tab order stays as it was.
    option.tabIndex = -1;
    option.focus();
  } else {
    $("select", option)?.focus();
  }
  return true;
}

// Enter checks the answer in practice, or goes on after the feedback (data-key-enter).
// Buttons, links and summaries keep their own Enter. In a mock, where every answer saves
// by itself, Enter on an option does nothing: the browser would otherwise submit the form
// with its first button, "Previous".
function onEnter(event, target) {
  if (target instanceof Element && target.closest("button, a, summary")) return;
  const enter = $("[data-key-enter]");
  if (enter) {
    event.preventDefault();
    enter.click();
  } else if (target instanceof Element && target.closest("form[data-answer-form]")) {
    event.preventDefault();
  }
}

function pressShortcut(event, key) {
  const shortcut = $(`[data-shortcut="${CSS.escape(key)}"]`);
  if (shortcut) {
    event.preventDefault();
    shortcut.click();
  }
}

export function onKeydown(event) {
  const target = event.target;
  const request = keyAction(event, { typing: isTyping(target), dialogOpen: Boolean($("dialog[open]")) });
  switch (request?.action) {
    case "move": {
      const item = target instanceof Element ? target.closest(".ordering-item") : null;
      const form = item?.closest("form[data-answer-form]");
      if (item && form) {
        event.preventDefault();
        if (moveItem(item, request.direction)) {
          target.focus();
          afterMove(form, item);
        }
      }
      break;
    }
    case "help": {
      const dialog = $("#shortcuts-dialog");
      if (dialog?.open) dialog.close();
      else dialog?.showModal();
      event.preventDefault();
      break;
    }
    case "choose": {
      const form = answerForm();
      if (form && chooseOption(form, request.index)) event.preventDefault();
      else pressShortcut(event, request.key);
      break;
    }
    case "enter":
      onEnter(event, target);
      break;
    case "shortcut":
      pressShortcut(event, request.key);
      break;
  }
}

// The verdict takes focus after an answer (for keyboards and screen readers); after a mouse
// or touch, its focus ring would only look like one more error box around "Incorrect".
// CSS hides it while html[data-pointer] is set: the last input was a pointer.
export function onPointerdown() {
  document.documentElement.dataset.pointer = "";
}

export function onAnyKeydown() {
  delete document.documentElement.dataset.pointer;
}
