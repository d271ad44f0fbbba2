// The mock exam countdown: decoration over the server's deadline (the server refuses late
// answers and finalizes overdue attempts on its own). Counts down from the remaining time
// the page was rendered with, turns urgent in the last 10 minutes, announces 10 and 1
// minute(s) left once per attempt, and at 0:00 submits the exam after pending saves land.
"use strict";

(() => {
  const timer = document.querySelector("[data-timer]");
  if (!timer) return;
  const value = timer.querySelector("[data-timer-value]");
  const announcer = document.querySelector("[data-timer-announcer]");
  const remaining = Number(timer.dataset.remainingMs);
  const start = performance.now();
  const attempt = timer.dataset.attempt;
  const warnings = [
    { ms: 10 * 60 * 1000, key: "10", text: timer.dataset.warn10 || "10 minutes left" },
    { ms: 60 * 1000, key: "1", text: timer.dataset.warn1 || "1 minute left" },
  ];
  let submitted = false;

  function clock(seconds) {
    const hours = Math.floor(seconds / 3600);
    const minutes = Math.floor((seconds % 3600) / 60);
    const secs = String(seconds % 60).padStart(2, "0");
    return hours ? `${hours}:${String(minutes).padStart(2, "0")}:${secs}` : `${minutes}:${secs}`;
  }

  function announceOnce(warning) {
    const storageKey = `exam-${attempt}-warned-${warning.key}`;
    try {
      if (window.sessionStorage.getItem(storageKey)) return;
      window.sessionStorage.setItem(storageKey, "1");
    } catch {
      // Storage may be unavailable (private mode): announce anyway.
    }
    if (announcer) announcer.textContent = warning.text;
  }

  function submitNow() {
    if (submitted) return;
    submitted = true;
    const form = document.getElementById("auto-submit");
    if (!form) return;
    if (announcer) announcer.textContent = timer.dataset.timeUp || "Time is up: submitting your exam.";
    const saved = window.quizapp?.whenSaved ? window.quizapp.whenSaved() : Promise.resolve();
    // Saves get a few seconds of grace on the server; do not wait longer than that.
    Promise.race([saved, new Promise((resolve) => window.setTimeout(resolve, 3000))]).then(() => form.submit());
  }

  function tick() {
    const left = remaining - (performance.now() - start);
    const seconds = Math.max(0, Math.ceil(left / 1000));
    value.textContent = clock(seconds);
    timer.classList.toggle("is-urgent", left <= warnings[0].ms);
    for (const warning of warnings) {
      if (left <= warning.ms && left > 0) announceOnce(warning);
    }
    if (left <= 0) {
      submitNow();
      return;
    }
    window.setTimeout(tick, Math.min(1000, Math.max(50, left % 1000 || 1000)));
  }

  // A page restored from the back/forward cache (Back after "Submit exam") would show a
  // live exam that has ended: ask the server again, which sends an ended exam to its results.
  window.addEventListener("pageshow", (event) => {
    if (event.persisted) window.location.reload();
  });

  tick();
})();
