// Ordering questions: moves by the Move buttons, by Alt+↑/↓ (keyboard.js) and by drag (the
// vendored SortableJS, loaded as a classic script before DOMContentLoaded). Every move says
// the new position; a mock saves it at once.

import { $, $$, announce } from "./dom.js";

export function refreshMoveButtons(list) {
  const items = $$(".ordering-item", list);
  items.forEach((item, index) => {
    const up = $("[data-move=up]", item);
    const down = $("[data-move=down]", item);
    up?.setAttribute("aria-disabled", index === 0 ? "true" : "false");
    down?.setAttribute("aria-disabled", index === items.length - 1 ? "true" : "false");
  });
}

function announceMove(list, position) {
  announce(`${list.dataset.movedText || "Moved to position"} ${position}`);
}

export function moveItem(item, direction) {
  const list = item.parentElement;
  if (direction === "up" && item.previousElementSibling) list.insertBefore(item, item.previousElementSibling);
  else if (direction === "down" && item.nextElementSibling) list.insertBefore(item.nextElementSibling, item);
  else return false;
  refreshMoveButtons(list);
  announceMove(list, $$(".ordering-item", list).indexOf(item) + 1);
  return true;
}

// A mock saves every move at once (with its pending mark); practice saves nothing until
// "Check answer", so a move there shows no saving mark (issue 16 §6).
export function afterMove(form, item) {
  if (form.dataset.answerForm !== "exam") return;
  item.classList.add("is-pending");
  form.requestSubmit();
}

// A Move button's click (capturing, before htmx sees it: a move is not a submit). True when handled.
export function onMoveClick(event, target) {
  const move = target.closest("[data-move]");
  if (!move || !move.form?.matches("[data-answer-form]")) return false;
  event.preventDefault();
  event.stopPropagation();
  const item = move.closest(".ordering-item");
  if (move.getAttribute("aria-disabled") !== "true" && moveItem(item, move.dataset.move)) {
    move.focus();
    afterMove(move.form, item);
  }
  return true;
}

// Drag by the handle, with pointer events (forceFallback), so mouse, touch and pen behave
// the same. A drop is a move like the buttons': same announcement, same save. Lists that
// htmx swaps in (practice's next question) are set up on htmx:load.
export function enableDrag(root) {
  if (!window.Sortable || !(root instanceof Element || root instanceof Document)) return;
  for (const list of $$("[data-ordering]", root)) {
    const form = list.closest("form[data-answer-form]");
    if (!form || list.dataset.dragReady) continue;
    list.dataset.dragReady = "true";
    list.classList.add("can-drag");
    const hint = $("[data-drag-hint]", form);
    if (hint) hint.textContent = hint.dataset.dragHint;
    window.Sortable.create(list, {
      handle: "[data-drag-handle]",
      draggable: ".ordering-item",
      forceFallback: true,
      // The dragged copy is a clone with the item's hidden "order" input: in the form it
      // would be posted too.
      fallbackOnBody: true,
      animation: 150,
      ghostClass: "is-drag-ghost",
      chosenClass: "is-dragged",
      onEnd(event) {
        if (event.oldIndex === event.newIndex) return;
        refreshMoveButtons(list);
        announceMove(list, event.newIndex + 1);
        afterMove(form, event.item);
      },
    });
  }
}
