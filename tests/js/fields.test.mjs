// The fields of a save (static/js/answering/fields.js): what is the answer, what a retry sends.
import assert from "node:assert/strict";
import { test } from "node:test";

import {
  answerFields,
  answerPart,
  completeness,
  isAnswered,
  requestFields,
  sendOnly,
  wantsOn,
} from "../../static/js/answering/fields.js";

test("the answer leaves out the bookkeeping and adds the clicked button", () => {
  const form = new FormData();
  for (const [name, value] of [["csrfmiddlewaretoken", "x"], ["seq", "3"], ["spent", "900"], ["choice", "tokA"], ["go", "next"]]) {
    form.append(name, value);
  }
  assert.deepEqual(answerFields(form, { name: "choice", value: "tokB" }), [["choice", "tokA"], ["choice", "tokB"]]);
  assert.deepEqual(answerFields(form, { name: "go", value: "prev" }), [["choice", "tokA"]]);
  assert.deepEqual(answerFields(form, { name: "", value: "" }), [["choice", "tokA"]]);
  assert.deepEqual(answerFields(form), [["choice", "tokA"]]);
});

test("a retry sends every field the request carried but its seq, and nothing else", () => {
  const request = new FormData();
  for (const [name, value] of [["csrfmiddlewaretoken", "x"], ["seq", "4"], ["spent", "12"], ["choice", "tokA"]]) {
    request.append(name, value);
  }
  const fields = requestFields(request);
  assert.deepEqual(fields, [["csrfmiddlewaretoken", "x"], ["spent", "12"], ["choice", "tokA"]]);
  assert.deepEqual(answerPart(fields), [["choice", "tokA"]]);

  const retry = new FormData();
  for (const [name, value] of [["csrfmiddlewaretoken", "x"], ["seq", "5"], ["choice", "tokB"], ["choice", "tokC"]]) {
    retry.append(name, value);
  }
  sendOnly(retry, fields);
  assert.deepEqual(Array.from(retry.entries()), [["seq", "5"], ["csrfmiddlewaretoken", "x"], ["spent", "12"], ["choice", "tokA"]]);
});

test("answered: a choice, an order or a match; an empty select is not", () => {
  assert.equal(isAnswered([]), false);
  assert.equal(isAnswered([["confidence", "sure"]]), false);
  assert.equal(isAnswered([["match-p1", ""]]), false);
  assert.equal(isAnswered([["choice", "tokA"]]), true);
  assert.equal(isAnswered([["order", "tok1"]]), true);
  assert.equal(isAnswered([["match-p1", "m2"]]), true);
});

test("complete, partial or empty, as the navigator shows it", () => {
  assert.equal(completeness([]), "empty");
  assert.equal(completeness([["choice", "a"]]), "complete");
  assert.equal(completeness([["choice", "a"]], { wanted: 3 }), "partial");
  assert.equal(completeness([["choice", "a"], ["choice", "b"], ["choice", "c"]], { wanted: 3 }), "complete");
  assert.equal(completeness([["match-p1", "m1"], ["match-p2", ""]], { prompts: 2 }), "partial");
  assert.equal(completeness([["match-p1", "m1"], ["match-p2", "m2"]], { prompts: 2 }), "complete");
});

test("a toggle's request asks for on with state=1", () => {
  assert.equal(wantsOn([["state", "1"]]), true);
  assert.equal(wantsOn([["state", "0"]]), false);
  assert.equal(wantsOn([]), false);
});
