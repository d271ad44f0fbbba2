// The save state of static/js/answering/seq.js: the seq rule, the stale rule, what a reply
// settles and the state a failed save rolls back to (docs/answering-protocol.md §3).
import assert from "node:assert/strict";
import { test } from "node:test";

import { answerPart, wantsOn } from "../../static/js/answering/fields.js";
import {
  failSave,
  isSettled,
  isStale,
  newSaveState,
  nextSeq,
  takeReply,
  whenSettled,
} from "../../static/js/answering/seq.js";

const A = [["choice", "tokA"]];
const B = [["choice", "tokB"]];

// A save as save.js makes it: the next seq, and the fields its request carried.
function send(state, fields, rendered = 0, isAnswerForm = true) {
  const seq = nextSeq(state, rendered, isAnswerForm);
  state.sent.set(seq, [["csrfmiddlewaretoken", "x"], ...fields]);
  return seq;
}

test("an answer form's first save uses the seq it rendered; each next one is newer", () => {
  const state = newSaveState({ rendered: 5, isAnswerForm: true, confirmed: [] });
  assert.equal(nextSeq(state, 5, true), 5);
  assert.equal(nextSeq(state, 5, true), 6);
  assert.equal(state.latest, 6);
});

test("a toggle echoes the seq it last used: its next save is one more", () => {
  const state = newSaveState({ rendered: 3, isAnswerForm: false, confirmed: false });
  assert.equal(nextSeq(state, 3, false), 4);
  assert.equal(nextSeq(state, 3, false), 5);
});

test("a form swapped in with a newer seq than the page took moves the count up to it", () => {
  const state = newSaveState({ rendered: 1, isAnswerForm: true, confirmed: [] });
  assert.equal(nextSeq(state, 1, true), 1);
  assert.equal(nextSeq(state, 9, true), 9);
  assert.equal(nextSeq(state, 2, true), 10);
});

test("a reply to an older save is stale while a newer one travels; the newest is not", () => {
  const state = newSaveState({ rendered: 1, isAnswerForm: true, confirmed: [] });
  const first = send(state, A);
  const second = send(state, B);
  assert.equal(isStale(state, first), true);
  assert.equal(isStale(state, second), false);
});

test("a successful newest reply confirms its answer and clears a failure", () => {
  const state = newSaveState({ rendered: 1, isAnswerForm: true, confirmed: [] });
  state.failed = A;
  const seq = send(state, B);
  assert.deepEqual(takeReply(state, seq, true, answerPart).outcome, "saved");
  assert.deepEqual(state.confirmed, B);
  assert.equal(state.failed, null);
  assert.equal(state.sent.size, 0);
  assert.equal(isSettled(state), true);
});

test("a failed save rolls back to the last answer the server confirmed; Retry sends what it carried", () => {
  const state = newSaveState({ rendered: 1, isAnswerForm: true, confirmed: [] });
  const first = send(state, A);
  assert.equal(takeReply(state, first, true, answerPart).outcome, "saved");
  const second = send(state, B);
  const { outcome, sent } = takeReply(state, second, false, answerPart);
  assert.equal(outcome, "failed");
  assert.deepEqual(failSave(state, sent), A); // the controls show A again
  assert.deepEqual(state.failed, [["csrfmiddlewaretoken", "x"], ...B]); // every field it carried
  assert.deepEqual(state.confirmed, A);
});

test("a failure whose fields are unknown keeps the last failure for Retry", () => {
  const state = newSaveState({ rendered: 1, isAnswerForm: true, confirmed: [] });
  state.failed = A;
  const seq = nextSeq(state, 1, true); // never reached htmx:beforeRequest
  const { outcome, sent } = takeReply(state, seq, false, answerPart);
  assert.equal(outcome, "failed");
  assert.equal(sent, undefined);
  failSave(state, sent);
  assert.deepEqual(state.failed, A);
});

test("an older reply decides nothing: its success is confirmed, its failure rolls nothing back", () => {
  const state = newSaveState({ rendered: 1, isAnswerForm: true, confirmed: [] });
  const first = send(state, A);
  const second = send(state, B);
  assert.equal(takeReply(state, first, true, answerPart).outcome, null);
  assert.deepEqual(state.confirmed, A);
  assert.equal(isSettled(state), false);
  assert.equal(takeReply(state, second, true, answerPart).outcome, "saved");
  assert.deepEqual(state.confirmed, B);

  const third = send(state, A);
  const fourth = send(state, B);
  assert.equal(takeReply(state, third, false, answerPart).outcome, null);
  assert.equal(state.failed, null);
  assert.deepEqual(state.confirmed, B);
  assert.equal(takeReply(state, fourth, true, answerPart).outcome, "saved");
});

test("a toggle confirms the state its request asked for and rolls back to the one before", () => {
  const state = newSaveState({ rendered: 0, isAnswerForm: false, confirmed: false });
  const on = send(state, [["state", "1"]], 0, false);
  assert.equal(takeReply(state, on, true, wantsOn).outcome, "saved");
  assert.equal(state.confirmed, true);
  const off = send(state, [["state", "0"]], 0, false);
  const { outcome, sent } = takeReply(state, off, false, wantsOn);
  assert.equal(outcome, "failed");
  assert.equal(failSave(state, sent), true);
});

test("waiting for saves resolves when the newest reply is in, at once when none is pending", async () => {
  const state = newSaveState({ rendered: 1, isAnswerForm: true, confirmed: [] });
  await whenSettled(state);
  await whenSettled(null);
  const first = send(state, A);
  const second = send(state, B);
  let done = false;
  const waiting = whenSettled(state).then(() => (done = true));
  takeReply(state, first, true, answerPart);
  await Promise.resolve();
  assert.equal(done, false);
  takeReply(state, second, false, answerPart);
  await waiting;
  assert.equal(done, true);
});

test("a save that never gets a reply stops the wait after the timeout", async () => {
  const state = newSaveState({ rendered: 1, isAnswerForm: true, confirmed: [] });
  send(state, A);
  await whenSettled(state, 10);
  assert.equal(isSettled(state), false);
});
