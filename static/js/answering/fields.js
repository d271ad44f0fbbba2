// The fields of a save as [name, value] pairs: what a form's answer is, what a request carried,
// what a retry sends again. Pure (FormData exists in browsers and in Node): tests/js/fields.test.mjs.

// Bookkeeping that travels with an answer but is not part of it.
export const IGNORED_FIELDS = new Set(["csrfmiddlewaretoken", "seq", "spent", "go", "move", "next"]);

// The answer among a form's entries (new FormData(form)) plus the button that submitted it.
export function answerFields(entries, submitter) {
  const pairs = [];
  for (const [name, value] of entries) {
    if (!IGNORED_FIELDS.has(name)) pairs.push([name, String(value)]);
  }
  if (submitter && submitter.name && !IGNORED_FIELDS.has(submitter.name)) {
    pairs.push([submitter.name, submitter.value]);
  }
  return pairs;
}

// Every field a request carried except its seq: what a retry sends again.
export function requestFields(formData) {
  return Array.from(formData.entries(), ([name, value]) => [name, String(value)]).filter(([name]) => name !== "seq");
}

// The answer among a request's fields (what the controls show).
export function answerPart(fields) {
  return fields.filter(([name]) => !IGNORED_FIELDS.has(name));
}

export function isAnswered(pairs) {
  return pairs.some(([name, value]) => (name === "choice" || name === "order" || name.startsWith("match-")) && value);
}

// "complete", "partial" (1 box of a "Select THREE", 2 of 4 prompts matched) or "empty".
// ``wanted``: the boxes the question asks for; ``prompts``: its matching prompts.
// The server says the same (exams.grading.is_complete) when its navigator cell comes in;
// this is the optimistic guess until then.
export function completeness(pairs, { wanted = 0, prompts = 0 } = {}) {
  if (!isAnswered(pairs)) return "empty";
  const chosen = pairs.filter(([name]) => name === "choice").length;
  const matched = pairs.filter(([name, value]) => name.startsWith("match-") && value).length;
  return chosen < wanted || matched < prompts ? "partial" : "complete";
}

// A toggle's request asked for "on".
export function wantsOn(fields) {
  return fields.some(([name, value]) => name === "state" && value === "1");
}

// Make the outgoing request carry ``fields`` (and the seq htmx read from the form).
export function sendOnly(formData, fields) {
  for (const name of new Set(formData.keys())) {
    if (name !== "seq") formData.delete(name);
  }
  for (const [name, value] of fields) formData.append(name, value);
}
