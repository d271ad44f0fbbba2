// Private notes (notes/includes/note_form.html): say what the save is doing, keep the text when
// it fails, and save with Ctrl+Enter. The server's fragment replaces the form once it answers.
"use strict";

(() => {
  const formOf = (event) => {
    const element = event.detail && event.detail.elt;
    return element instanceof HTMLFormElement && element.hasAttribute("data-note-form") ? element : null;
  };

  const say = (form, state) => {
    const status = form.querySelector("[data-note-status]");
    status.classList.remove("is-saving", "is-failed", "is-dirty");
    if (state) status.classList.add(`is-${state}`);
    status.textContent = state ? form.dataset[`${state}Text`] || "" : "";
  };

  document.addEventListener("htmx:beforeRequest", (event) => {
    const form = formOf(event);
    if (form) say(form, "saving");
  });

  // No answer (network down, timeout, server error): the text stays in the box to retry.
  document.addEventListener("htmx:afterRequest", (event) => {
    const form = formOf(event);
    if (form && !event.detail.successful && document.contains(form)) say(form, "failed");
  });

  // An edit after "Saved" is not saved yet: the status must not keep saying it is.
  document.addEventListener("input", (event) => {
    const form = event.target.closest?.("form[data-note-form]");
    if (form && !form.querySelector("[data-note-status]").classList.contains("is-dirty")) say(form, "dirty");
  });

  document.addEventListener("keydown", (event) => {
    const form = event.target.closest?.("form[data-note-form]");
    if (form && event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      form.requestSubmit();
    }
  });
})();
