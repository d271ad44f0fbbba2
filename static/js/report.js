// "Report a problem" (questions/includes/report_problem.html): optimistic thanks with rollback.
// Load it with `defer` on every page that includes the report block.
"use strict";

(() => {
  const formOf = (event) => {
    const element = event.detail && event.detail.elt;
    return element instanceof HTMLFormElement && element.hasAttribute("data-report-form") ? element : null;
  };

  // Show "Thanks — reported" at once; the server's fragment replaces it when it answers.
  document.addEventListener("htmx:beforeRequest", (event) => {
    const form = formOf(event);
    if (!form) return;
    const block = form.closest(".report-problem");
    block.querySelector("[data-report-rollback]").hidden = true;
    block.querySelector("details").hidden = true;
    block.querySelector("[data-report-thanks]").hidden = false;
  });

  // Refusals (rate limit) come back as a fragment with the reason: show it.
  document.addEventListener("htmx:beforeSwap", (event) => {
    if (formOf(event) && event.detail.xhr.status === 429) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  // No answer (network down, timeout, server error): back to the form, values kept, with a retry.
  document.addEventListener("htmx:afterRequest", (event) => {
    const form = formOf(event);
    if (!form || event.detail.successful || !document.contains(form)) return;
    const block = form.closest(".report-problem");
    block.querySelector("[data-report-thanks]").hidden = true;
    const details = block.querySelector("details");
    details.hidden = false;
    details.open = true;
    block.querySelector("[data-report-rollback]").hidden = false;
  });
})();
