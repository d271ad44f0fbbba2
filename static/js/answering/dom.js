// Small DOM helpers shared by the answering modules, and the live region they speak through.

export const $ = (selector, root = document) => root.querySelector(selector);
export const $$ = (selector, root = document) => Array.from(root.querySelectorAll(selector));

export function announce(text) {
  const region = $("[data-announcer]") || $("[data-timer-announcer]");
  if (!region) return;
  region.textContent = "";
  // A fresh text node after a tick makes screen readers announce repeats too.
  window.setTimeout(() => {
    region.textContent = text;
  }, 30);
}
