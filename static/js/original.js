// "Show original" on practice questions: remember whether the candidate keeps the English
// open, so the next question opens it too (htmx loads it on the details' toggle event).
(() => {
  const KEY = "quizapp:show-original";
  window.addEventListener("load", () => {
    const toggle = document.querySelector("[data-original-toggle]");
    if (!toggle) return;
    toggle.addEventListener("toggle", () => {
      sessionStorage.setItem(KEY, toggle.open ? "1" : "0");
    });
    if (sessionStorage.getItem(KEY) === "1") toggle.open = true;
  });
})();
