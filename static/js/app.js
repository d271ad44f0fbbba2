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
