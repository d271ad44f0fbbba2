// Site-wide behaviour that every page shares. No inline handlers: the CSP forbids them.
"use strict";

// <form data-confirm="Question?"> asks before submitting (works for htmx forms too,
// because htmx listens to the same submit event and respects defaultPrevented).
document.addEventListener(
  "submit",
  (event) => {
    const form = event.target;
    const question = form instanceof HTMLFormElement ? form.dataset.confirm : undefined;
    if (question && !window.confirm(question)) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  },
  true,
);

// <a data-focus-after="#id" hx-get=…>: once htmx has swapped in what it loaded, move focus
// to that element ("Show more" replaces itself, so focus would otherwise fall to the page).
document.addEventListener("htmx:afterSettle", (event) => {
  const selector = event.detail.requestConfig?.elt?.dataset?.focusAfter;
  const target = selector && document.querySelector(selector);
  if (target) target.focus();
});
