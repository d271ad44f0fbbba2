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

  // Leaving a running mock asks first: a link or form that goes outside this attempt (the
  // site menu, the brand) asks with a confirm; closing the tab or typing an address gets the
  // browser's own "Leave site?" (beforeunload). Moving within the exam (Next, the navigator,
  // Review, Submit) and the deadline submit never ask.
  const examUrl = timer.dataset.examUrl;
  let leaving = false;

  function insideExam(url) {
    try {
      const target = new URL(url, window.location.href);
      return target.origin === window.location.origin && target.pathname.startsWith(examUrl);
    } catch {
      return false;
    }
  }

  // ``navigates``: false for what htmx sends in the background (answer saves, flags).
  function guard(event, url, navigates) {
    if (!examUrl || leaving) return;
    // Inside the exam first: answering/navigation.js may already have taken over the click (Next).
    if (insideExam(url)) {
      if (navigates) {
        leaving = true;
        // Still here a while later (a failed save kept the candidate on the page): ask again.
        window.setTimeout(() => {
          leaving = false;
        }, 15000);
      }
      return;
    }
    if (event.defaultPrevented) return;
    if (window.confirm(timer.dataset.leave || "Leave the mock exam?")) {
      leaving = true;
    } else {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }

  // On window, capturing: before the answering modules' document listener, which may load the next
  // question at once (location.assign fires beforeunload right there).
  window.addEventListener(
    "click",
    (event) => {
      const target = event.target instanceof Element ? event.target : null;
      const nav = target?.closest("[data-nav]"); // Next / Previous: answering/navigation.js loads data-nav
      if (nav) {
        guard(event, nav.dataset.nav, true);
        return;
      }
      const link = target?.closest("a[href]");
      if (link && !link.hasAttribute("download") && event.button === 0 && !event.metaKey && !event.ctrlKey) {
        guard(event, link.href, !link.hasAttribute("hx-get"));
      }
    },
    true,
  );
  window.addEventListener(
    "submit",
    (event) => {
      const form = event.target;
      if (form instanceof HTMLFormElement && form.method !== "dialog") {
        const background = form.hasAttribute("hx-post") || form.hasAttribute("hx-get");
        guard(event, event.submitter?.formAction || form.action, !background);
      }
    },
    true,
  );
  // The server may send the page elsewhere itself (the exam ended: HX-Redirect to the
  // results; a newer answer from another window: HX-Refresh). That is not the candidate leaving.
  document.addEventListener("htmx:beforeOnLoad", (event) => {
    const xhr = event.detail.xhr;
    if (xhr?.getResponseHeader("HX-Redirect") || xhr?.getResponseHeader("HX-Refresh")) leaving = true;
  });
  // Browsers show the "Leave site?" panel only after the candidate has touched the page, and
  // log a blocked attempt otherwise: ask only once there was a click or a key press.
  let touched = false;
  for (const kind of ["pointerdown", "keydown"]) {
    window.addEventListener(kind, () => (touched = true), { capture: true, once: true });
  }
  window.addEventListener("beforeunload", (event) => {
    if (leaving || submitted || !touched) return;
    event.preventDefault();
    event.returnValue = "";
  });

  // A page restored from the back/forward cache (Back after "Submit exam") would show a
  // live exam that has ended: ask the server again, which sends an ended exam to its results.
  window.addEventListener("pageshow", (event) => {
    if (event.persisted) window.location.reload();
  });

  tick();
})();
