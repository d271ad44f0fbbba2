// The save state of one form (docs/answering-protocol.md §3), without the DOM: the seq rule
// (every save newer than any before it), the stale rule (a reply older than the newest save is
// never swapped in), what a reply settles (confirmed on success; on the newest failure, the
// state to roll back to and the fields Retry sends) and the waits for pending saves.
// Pure: tests/js/seq.test.mjs runs it in Node.

// ``rendered``: the seq input's value as the server rendered it. Answer forms render the seq
// the next save should use; toggles echo the last one. ``confirmed``: what the controls show
// (answer pairs, or a toggle's boolean).
export function newSaveState({ rendered = 0, isAnswerForm, confirmed }) {
  return {
    seq: isAnswerForm ? rendered - 1 : rendered,
    latest: 0,
    settled: 0,
    sent: new Map(), // seq → the fields that request carried (fields.requestFields)
    confirmed,
    failed: null, // the fields of the newest request, when it failed: what Retry sends
    replay: null, // set by Retry until its request is configured
    waiters: [],
    leaveAnyway: false,
  };
}

// The seq of the next save: newer than any this page took and than the one the form now shows
// (a swapped-in form may carry a newer one). It becomes the newest.
export function nextSeq(state, rendered, isAnswerForm) {
  state.seq = Math.max(state.seq + 1, isAnswerForm ? rendered : rendered + 1);
  state.latest = state.seq;
  return state.seq;
}

// A reply to an older save while a newer one travels: keep the screen as the candidate left it.
export function isStale(state, seq) {
  return seq < state.latest;
}

// A reply came back (``ok``: htmx called it successful). ``confirmedFrom`` turns the fields its
// request carried into what the controls show once the server has them. Returns "saved" or
// "failed" when it answers the newest save, null for an older one; the caller rolls a failure
// back (failSave) while the form is on the page.
export function takeReply(state, seq, ok, confirmedFrom) {
  const sent = state.sent.get(seq);
  state.sent.delete(seq);
  let outcome = null;
  if (ok) {
    if (sent) state.confirmed = confirmedFrom(sent);
    if (seq >= state.latest) {
      state.failed = null;
      outcome = "saved";
    }
  } else if (seq >= state.latest) {
    outcome = "failed";
  }
  settle(state, seq);
  return { outcome, sent };
}

// The newest save failed: Retry will send what it carried (or, when its fields are unknown,
// what the last failure carried); the controls go back to the last confirmed state, returned.
export function failSave(state, sent) {
  state.failed = sent || state.failed;
  return state.confirmed;
}

export function isSettled(state) {
  return !state || state.settled >= state.latest;
}

export function settle(state, seq) {
  state.settled = Math.max(state.settled, seq);
  if (state.settled >= state.latest) {
    const waiters = state.waiters.splice(0);
    for (const resolve of waiters) resolve();
  }
}

// Resolves once every save taken so far has a reply. htmx's own 10 s timeout settles every
// request; the extra wait only guards against a request that was never sent.
export function whenSettled(state, timeoutMs = 12000) {
  if (isSettled(state)) return Promise.resolve();
  return new Promise((resolve) => {
    state.waiters.push(resolve);
    globalThis.setTimeout(resolve, timeoutMs);
  });
}
