// The key map of static/js/answering/keyboard.js (docs/answering-protocol.md §4).
import assert from "node:assert/strict";
import { test } from "node:test";

import { keyAction, optionIndex } from "../../static/js/answering/keyboard.js";

const press = (key, modifiers = {}) => ({ key, altKey: false, ctrlKey: false, metaKey: false, ...modifiers });

test("1–7 and A–G choose the option at that place, in either case", () => {
  assert.deepEqual(keyAction(press("1")), { action: "choose", index: 1, key: "1" });
  assert.deepEqual(keyAction(press("7")), { action: "choose", index: 7, key: "7" });
  assert.deepEqual(keyAction(press("a")), { action: "choose", index: 1, key: "a" });
  assert.deepEqual(keyAction(press("G")), { action: "choose", index: 7, key: "g" });
  assert.deepEqual(
    ["1", "2", "3", "4", "5", "6", "7", "a", "b", "c", "d", "e", "f", "g"].map(optionIndex),
    [1, 2, 3, 4, 5, 6, 7, 1, 2, 3, 4, 5, 6, 7],
  );
});

test("every other key is never an option's: 8, 9, 0, H–Z go to their shortcut", () => {
  for (const key of ["8", "9", "0", "h", "m", "n", "p", "s", "z"]) {
    assert.equal(optionIndex(key), 0, key);
    assert.deepEqual(keyAction(press(key)), { action: "shortcut", key }, key);
  }
  assert.deepEqual(keyAction(press("N")), { action: "shortcut", key: "n" });
});

test("? toggles the help, even while a dialog is open; other keys wait for the dialog", () => {
  assert.deepEqual(keyAction(press("?")), { action: "help" });
  assert.deepEqual(keyAction(press("?"), { dialogOpen: true }), { action: "help" });
  assert.equal(keyAction(press("a"), { dialogOpen: true }), null);
  assert.equal(keyAction(press("Enter"), { dialogOpen: true }), null);
});

test("Enter checks or goes on; other named keys are the browser's", () => {
  assert.deepEqual(keyAction(press("Enter")), { action: "enter" });
  for (const key of ["Tab", "Escape", "ArrowUp", "ArrowDown", "Home", "F5"]) {
    assert.equal(keyAction(press(key)), null, key);
  }
  // Space is the browser's own on a focused control, but a one-character key like any other.
  assert.deepEqual(keyAction(press(" ")), { action: "shortcut", key: " " });
});

test("Alt+↑/↓ moves, whatever else holds; other Alt, Ctrl and Meta chords are the browser's", () => {
  assert.deepEqual(keyAction(press("ArrowUp", { altKey: true })), { action: "move", direction: "up" });
  assert.deepEqual(keyAction(press("ArrowDown", { altKey: true })), { action: "move", direction: "down" });
  assert.deepEqual(keyAction(press("ArrowUp", { altKey: true }), { typing: true }), { action: "move", direction: "up" });
  assert.equal(keyAction(press("a", { altKey: true })), null);
  assert.equal(keyAction(press("a", { ctrlKey: true })), null);
  assert.equal(keyAction(press("c", { metaKey: true })), null);
});

test("nothing while typing in a field or after another handler took the key", () => {
  for (const key of ["a", "1", "n", "?", "Enter"]) {
    assert.equal(keyAction(press(key), { typing: true }), null, key);
    assert.equal(keyAction(press(key, { defaultPrevented: true })), null, key);
  }
});
