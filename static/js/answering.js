// Optimistic answering for mock exams and practice (docs/answering-protocol.md §3).
//
// htmx does the requests: every answer form and toggle form has hx-post, hx-sync="this:queue
// last" (one request at a time per form, only the newest queued) and a 10 s timeout. This
// module adds what htmx does not:
//   - paint at once: the choice, a pending mark, the navigator cell and the counters;
//   - a per-item sequence number on every save: the server ignores older ones, and a
//     response older than the newest save is never swapped in;
//   - roll back to the last state the server confirmed when a save fails or times out,
//     with "Not saved — retry" and a retry that re-sends exactly what the failed request
//     carried (issue 22: a re-submit of the form alone loses the clicked button's value);
//   - the keyboard shortcuts of docs/answering-protocol.md §4 (never while typing in a field);
//   - ordering by drag (the vendored SortableJS), by move buttons and by Alt+↑/↓;
//   - exam navigation that waits for a pending save.
// Without this file every form still posts and redirects.
"use strict";

(() => {
  const states = new Map(); // form id → state (forms are swapped; their ids stay)
  const pageStart = performance.now();
  // Bookkeeping that travels with an answer but is not part of it.
  const IGNORED_FIELDS = new Set(["csrfmiddlewaretoken", "seq", "spent", "go", "move", "next"]);

  // ---- helpers -------------------------------------------------------------------------

  const $ = (selector, root = document) => root.querySelector(selector);
  const $$ = (selector, root = document) => Array.from(root.querySelectorAll(selector));

  function announce(text) {
    const region = $("[data-announcer]") || $("[data-timer-announcer]");
    if (!region) return;
    region.textContent = "";
    // A fresh text node after a tick makes screen readers announce repeats too.
    window.setTimeout(() => {
      region.textContent = text;
    }, 30);
  }

  function answerValues(form, submitter) {
    const pairs = [];
    for (const [name, value] of new FormData(form)) {
      if (!IGNORED_FIELDS.has(name)) pairs.push([name, String(value)]);
    }
    if (submitter && submitter.name && !IGNORED_FIELDS.has(submitter.name)) {
      pairs.push([submitter.name, submitter.value]);
    }
    return pairs;
  }

  // Every field a request carried except its seq: what a retry sends again.
  function requestFields(formData) {
    return Array.from(formData.entries(), ([name, value]) => [name, String(value)]).filter(([name]) => name !== "seq");
  }

  // The answer among a request's fields (what the controls show).
  function answerPart(fields) {
    return fields.filter(([name]) => !IGNORED_FIELDS.has(name));
  }

  function isAnswered(pairs) {
    return pairs.some(([name, value]) => (name === "choice" || name === "order" || name.startsWith("match-")) && value);
  }

  // "complete", "partial" (1 box of a "Select THREE", 2 of 4 prompts matched) or "empty".
  // The server says the same (exams.grading.is_complete) when its navigator cell comes in;
  // this is the optimistic guess until then.
  function completeness(form, pairs) {
    if (!isAnswered(pairs)) return "empty";
    const wanted = Number($("[data-select]", form)?.dataset.select || 0);
    const chosen = pairs.filter(([name]) => name === "choice").length;
    const prompts = $$("select[name^='match-']", form).length;
    const matched = pairs.filter(([name, value]) => name.startsWith("match-") && value).length;
    return chosen < wanted || matched < prompts ? "partial" : "complete";
  }

  // Put ``pairs`` back into the form's controls (a rollback or a retry).
  function applyValues(form, pairs) {
    const has = (name, value) => pairs.some(([n, v]) => n === name && v === value);
    for (const input of $$("input[type=radio], input[type=checkbox]", form)) {
      input.checked = has(input.name, input.value);
    }
    for (const select of $$("select", form)) {
      const pair = pairs.find(([name]) => name === select.name);
      select.value = pair ? pair[1] : "";
    }
    const list = $("[data-ordering]", form);
    const order = pairs.filter(([name]) => name === "order").map(([, value]) => value);
    if (list && order.length) {
      for (const id of order) {
        const item = $(`[data-id="${CSS.escape(id)}"]`, list);
        if (item) list.appendChild(item);
      }
      refreshMoveButtons(list);
    }
  }

  function stateFor(form) {
    if (!form.id) return null;
    let state = states.get(form.id);
    if (!state) {
      const seqInput = $("[data-seq]", form) || form.querySelector("input[name=seq]");
      const base = seqInput ? Number(seqInput.value) || 0 : 0;
      state = {
        // Answer forms render the seq the next save should use; toggles echo the last one.
        seq: form.matches("[data-answer-form]") ? base - 1 : base,
        latest: 0,
        settled: 0,
        sent: new Map(), // seq → the fields that request carried (requestFields)
        confirmed: form.matches("[data-answer-form]") ? answerValues(form) : pressed(form),
        failed: null, // the fields of the newest request, when it failed: what Retry sends
        replay: null, // set by Retry until its request is configured
        waiters: [],
        leaveAnyway: false,
      };
      states.set(form.id, state);
    }
    return state;
  }

  function settle(state, seq) {
    state.settled = Math.max(state.settled, seq);
    if (state.settled >= state.latest) {
      const waiters = state.waiters.splice(0);
      for (const resolve of waiters) resolve();
    }
  }

  function whenSettled(state) {
    if (!state || state.settled >= state.latest) return Promise.resolve();
    // htmx's own 10 s timeout settles every request; the extra wait only guards against
    // a request that was never sent.
    return new Promise((resolve) => {
      state.waiters.push(resolve);
      window.setTimeout(resolve, 12000);
    });
  }

  // ---- answer forms: exam (autosave) and practice (check / one click) --------------------

  function answerForm() {
    return $("form[data-answer-form]");
  }

  function navCell(form) {
    return document.getElementById(`nav-${form.dataset.item}`);
  }

  function recount() {
    const counter = $("[data-answered-count]");
    if (counter && $(".nav-grid")) {
      counter.textContent = String($$(".nav-grid .nav-cell.is-answered").length);
    }
  }

  function paintPending(form, pairs, submitter) {
    form.classList.add("is-pending");
    form.setAttribute("aria-busy", "true");
    hideError(form);
    const status = $("[data-save-status]", form);
    if (status) status.textContent = form.dataset.savingText || "Saving…";
    const chosen = new Set(pairs.filter(([n]) => n === "choice").map(([, v]) => v));
    for (const choice of $$(".choice", form)) {
      const input = choice.matches("button") ? choice : $("input", choice);
      const on = chosen.has(input.value);
      choice.classList.toggle("is-selected", on);
      choice.classList.toggle("is-pending", on);
    }
    if (submitter && submitter.matches(".choice-button")) submitter.classList.add("is-selected", "is-pending");
    const cell = navCell(form);
    if (cell) {
      paintCell(cell, completeness(form, pairs));
      cell.classList.add("is-pending");
      cell.classList.remove("is-failed");
      recount();
    }
    // "Check answer" with nothing chosen is not an answer: the server says "Choose an
    // answer first." and nothing may count it (issue 16 §5).
    if (form.dataset.answerForm === "practice" && isAnswered(pairs)) {
      const counter = $("[data-answered-count]");
      if (counter && !form.dataset.countedOptimistically) {
        form.dataset.countedOptimistically = counter.textContent;
        counter.textContent = String(Number(counter.textContent) + 1);
        const bar = $("[data-progress-bar]");
        if (bar) bar.value = Number(counter.textContent);
      }
    }
  }

  function paintCell(cell, answered) {
    cell.classList.toggle("is-answered", answered === "complete");
    cell.classList.toggle("is-incomplete", answered === "partial");
  }

  function clearPending(form) {
    form.classList.remove("is-pending");
    form.removeAttribute("aria-busy");
    for (const element of $$(".is-pending", form)) element.classList.remove("is-pending");
    const cell = navCell(form);
    if (cell) cell.classList.remove("is-pending");
  }

  function hideError(form) {
    const error = $("[data-save-error]", form);
    if (error) error.hidden = true;
  }

  function rollback(form, state, message) {
    clearPending(form);
    const status = $("[data-save-status]", form);
    if (status) status.textContent = "";
    if (form.dataset.answerForm === "exam") {
      applyValues(form, state.confirmed);
      const cell = navCell(form);
      if (cell) {
        paintCell(cell, completeness(form, state.confirmed));
        cell.classList.add("is-failed");
        recount();
      }
    } else {
      for (const choice of $$(".choice-button", form)) choice.classList.remove("is-selected");
      const counter = $("[data-answered-count]");
      if (counter && form.dataset.countedOptimistically !== undefined) {
        counter.textContent = form.dataset.countedOptimistically;
        const bar = $("[data-progress-bar]");
        if (bar) bar.value = Number(counter.textContent);
      }
      delete form.dataset.countedOptimistically;
    }
    const error = $("[data-save-error]", form);
    if (error) {
      const text = $("[data-save-error-text]", error);
      if (text) {
        text.dataset.defaultText ??= text.textContent;
        text.textContent = message || text.dataset.defaultText;
      }
      error.hidden = false;
      announce((text || error).textContent.trim());
    }
  }

  function onAnswerSubmit(form, event) {
    const state = stateFor(form);
    if (form.dataset.answerForm === "practice" && state.latest > state.settled) {
      // The first answer is final: a second click while it travels changes nothing.
      event.preventDefault();
      event.stopImmediatePropagation();
      state.replay = null;
      return;
    }
    takeNextSeq(form, state);
    state.leaveAnyway = false;
    let pairs;
    if (state.replay) {
      // A retry: paint what the failed request carried; htmx:configRequest sends it.
      pairs = answerPart(state.replay);
    } else {
      updateSpent(form);
      pairs = answerValues(form, event.submitter);
    }
    paintPending(form, pairs, event.submitter);
  }

  // Every save carries a seq newer than any before it (the server ignores older ones).
  function takeNextSeq(form, state) {
    const input = form.querySelector("input[name=seq]");
    const rendered = Number(input?.value || 0);
    // Answer forms render the seq to use next; toggles echo the one last used.
    state.seq = Math.max(state.seq + 1, form.matches("[data-answer-form]") ? rendered : rendered + 1);
    state.latest = state.seq;
    if (input) input.value = String(state.seq);
  }

  function updateSpent(form) {
    const spent = $("[data-spent]", form);
    if (!spent) return;
    spent.dataset.base ??= spent.value;
    spent.value = String(Math.round(Number(spent.dataset.base) + performance.now() - pageStart));
  }

  // "Retry": send again exactly the fields of the request that failed (the clicked
  // option's name/value included), with a fresh seq. Re-submitting the form instead would
  // lose the option button that was clicked (a programmatic submit has no submitter in
  // htmx's eyes) and would pick up anything changed since.
  function retry(form) {
    const state = stateFor(form);
    if (!state?.failed) return;
    state.replay = state.failed;
    if (form.matches("[data-answer-form]")) applyValues(form, answerPart(state.failed));
    form.requestSubmit();
  }

  // Make the outgoing request carry ``fields`` (and the seq htmx read from the form).
  function sendOnly(formData, fields) {
    for (const name of new Set(formData.keys())) {
      if (name !== "seq") formData.delete(name);
    }
    for (const [name, value] of fields) formData.append(name, value);
  }

  // ---- toggle forms: "Flag for review", "Bookmark" --------------------------------------

  function pressed(form) {
    return $("button[aria-pressed]", form)?.getAttribute("aria-pressed") === "true";
  }

  function wantsOn(fields) {
    return fields.some(([name, value]) => name === "state" && value === "1");
  }

  function paintToggle(form, on) {
    $("button[aria-pressed]", form).setAttribute("aria-pressed", on ? "true" : "false");
    if (form.dataset.optimisticToggle === "flagged") {
      const cell = document.getElementById(`nav-${answerForm()?.dataset.item}`);
      if (cell) cell.classList.toggle("is-flagged", on);
    }
  }

  function onToggleSubmit(form, event) {
    const state = stateFor(form);
    const want = state.replay ? wantsOn(state.replay) : !pressed(form);
    takeNextSeq(form, state);
    // htmx reads the form after this listener: the hidden state says what we want now.
    form.querySelector("input[name=state]").value = want ? "1" : "0";
    paintToggle(form, want);
    form.classList.add("is-pending");
    const status = $("[data-toggle-status]", form);
    if (status) status.textContent = "";
  }

  function rollbackToggle(form, state) {
    form.classList.remove("is-pending");
    paintToggle(form, state.confirmed);
    form.querySelector("input[name=state]").value = state.confirmed ? "0" : "1";
    const status = $("[data-toggle-status]", form);
    if (status) {
      status.replaceChildren();
      const text = document.createElement("span");
      text.textContent = `${form.dataset.failedText || "Not saved — retry"} `;
      const again = document.createElement("button");
      again.type = "button";
      again.className = "button-small";
      again.dataset.toggleRetry = "";
      again.textContent = form.dataset.retryText || "Retry";
      status.append(text, again);
    }
  }

  // ---- htmx lifecycle ---------------------------------------------------------------------

  document.addEventListener(
    "submit",
    (event) => {
      const form = event.target;
      if (!(form instanceof HTMLFormElement)) return;
      if (form.matches("[data-answer-form]")) onAnswerSubmit(form, event);
      else if (form.matches("[data-optimistic-toggle]")) onToggleSubmit(form, event);
    },
    true,
  );

  document.addEventListener("htmx:configRequest", (event) => {
    const form = event.detail.elt;
    const state = form instanceof HTMLFormElement ? states.get(form.id) : null;
    if (!state) return;
    if (state.replay) {
      sendOnly(event.detail.formData, state.replay);
      state.replay = null;
    } else if (form.matches("[data-answer-form]")) {
      // "move" and "go" are for plain posts: an autosave already carries the new order.
      delete event.detail.parameters.move;
      delete event.detail.parameters.go;
    }
  });

  document.addEventListener("htmx:beforeRequest", (event) => {
    const form = event.detail.elt;
    if (!(form instanceof HTMLFormElement)) return;
    const state = states.get(form.id);
    if (!state) return;
    const formData = event.detail.requestConfig.formData;
    const seq = Number(formData.get("seq"));
    event.detail.xhr.quizSeq = seq;
    event.detail.xhr.quizForm = form.id;
    state.sent.set(seq, requestFields(formData));
  });

  document.addEventListener("htmx:beforeSwap", (event) => {
    const xhr = event.detail.xhr;
    const state = xhr.quizForm && states.get(xhr.quizForm);
    if (!state || event.detail.isError) return;
    if (xhr.quizSeq < state.latest) {
      // A newer save is on its way: keep the screen as the candidate left it.
      event.detail.shouldSwap = false;
    }
  });

  document.addEventListener("htmx:afterRequest", (event) => {
    const xhr = event.detail.xhr;
    const id = xhr?.quizForm;
    const state = id && states.get(id);
    if (!state) return;
    const seq = xhr.quizSeq;
    const sent = state.sent.get(seq);
    state.sent.delete(seq);
    const form = document.getElementById(id);
    const isToggle = Boolean(form?.matches("[data-optimistic-toggle]"));
    const ok = event.detail.successful === true;
    recount(); // the server's navigator cell may have come in out of band
    if (ok) {
      if (sent) state.confirmed = isToggle ? wantsOn(sent) : answerPart(sent);
      if (seq >= state.latest) {
        state.failed = null;
        if (form && !isToggle) {
          clearPending(form);
          delete form.dataset.countedOptimistically;
        } else if (form) {
          form.classList.remove("is-pending");
        }
      }
    } else if (seq >= state.latest && form) {
      state.failed = sent || state.failed;
      if (isToggle) {
        rollbackToggle(form, state);
      } else {
        const detail = xhr.status >= 400 && xhr.status < 500 && xhr.responseText.length < 300 ? xhr.responseText : "";
        rollback(form, state, detail ? `${form.dataset.failedText || "Not saved"}: ${detail}` : null);
      }
    }
    settle(state, seq);
  });

  document.addEventListener("htmx:afterSwap", (event) => {
    // Practice feedback replaced the question card (outerHTML, so the event's target is
    // the old element): move focus to the verdict and announce it.
    if (event.detail.xhr?.quizForm !== "answer-form") return;
    const verdict = $("#question-card [data-announce]");
    if (verdict) {
      verdict.focus();
      announce(verdict.dataset.announce);
    }
  });

  // ---- clicks: retry, ordering moves, navigation, dialogs --------------------------------

  function refreshMoveButtons(list) {
    const items = $$(".ordering-item", list);
    items.forEach((item, index) => {
      const up = $("[data-move=up]", item);
      const down = $("[data-move=down]", item);
      up?.setAttribute("aria-disabled", index === 0 ? "true" : "false");
      down?.setAttribute("aria-disabled", index === items.length - 1 ? "true" : "false");
    });
  }

  function moveItem(item, direction) {
    const list = item.parentElement;
    if (direction === "up" && item.previousElementSibling) list.insertBefore(item, item.previousElementSibling);
    else if (direction === "down" && item.nextElementSibling) list.insertBefore(item.nextElementSibling, item);
    else return false;
    refreshMoveButtons(list);
    const position = $$(".ordering-item", list).indexOf(item) + 1;
    announce(`${list.dataset.movedText || "Moved to position"} ${position}`);
    return true;
  }

  // A mock saves every move at once (with its pending mark); practice saves nothing until
  // "Check answer", so a move there shows no saving mark (issue 16 §6).
  function afterMove(form, item) {
    if (form.dataset.answerForm !== "exam") return;
    item.classList.add("is-pending");
    form.requestSubmit();
  }

  // Drag by the handle, with pointer events (forceFallback), so mouse, touch and pen behave
  // the same. A drop is a move like the buttons': same announcement, same save. Lists that
  // htmx swaps in (practice's next question) are set up on htmx:load.
  function enableDrag(root) {
    if (!window.Sortable || !(root instanceof Element || root instanceof Document)) return;
    for (const list of $$("[data-ordering]", root)) {
      const form = list.closest("form[data-answer-form]");
      if (!form || list.dataset.dragReady) continue;
      list.dataset.dragReady = "true";
      list.classList.add("can-drag");
      const hint = $("[data-drag-hint]", form);
      if (hint) hint.textContent = hint.dataset.dragHint;
      window.Sortable.create(list, {
        handle: "[data-drag-handle]",
        draggable: ".ordering-item",
        forceFallback: true,
        // The dragged copy is a clone with the item's hidden "order" input: in the form it
        // would be posted too.
        fallbackOnBody: true,
        animation: 150,
        ghostClass: "is-drag-ghost",
        chosenClass: "is-dragged",
        onEnd(event) {
          if (event.oldIndex === event.newIndex) return;
          refreshMoveButtons(list);
          announce(`${list.dataset.movedText || "Moved to position"} ${event.newIndex + 1}`);
          afterMove(form, event.item);
        },
      });
    }
  }

  document.addEventListener(
    "click",
    (event) => {
      const target = event.target instanceof Element ? event.target : null;
      if (!target) return;

      const move = target.closest("[data-move]");
      if (move && move.form?.matches("[data-answer-form]")) {
        // Handled here, before htmx sees the click: a move is not a submit.
        event.preventDefault();
        event.stopPropagation();
        const item = move.closest(".ordering-item");
        if (move.getAttribute("aria-disabled") !== "true" && moveItem(item, move.dataset.move)) {
          move.focus();
          afterMove(move.form, item);
        }
        return;
      }

      const retryButton = target.closest("[data-retry]");
      if (retryButton) {
        event.preventDefault();
        retry(retryButton.closest("form"));
        return;
      }

      const toggleRetry = target.closest("[data-toggle-retry]");
      if (toggleRetry) {
        event.preventDefault();
        retry(toggleRetry.closest("form"));
        return;
      }

      const nav = target.closest("[data-nav]");
      if (nav) {
        // The answer is autosaved: navigation is a plain page load, once the save is in.
        event.preventDefault();
        event.stopPropagation();
        const form = nav.form;
        const state = form && states.get(form.id);
        if (!state || state.leaveAnyway) {
          window.location.assign(nav.dataset.nav);
          return;
        }
        nav.setAttribute("aria-busy", "true");
        whenSettled(state).then(() => {
          nav.removeAttribute("aria-busy");
          if (state.failed) {
            // Stay, say so; a second press leaves anyway.
            state.leaveAnyway = true;
            $("[data-retry]", form)?.focus();
          } else {
            window.location.assign(nav.dataset.nav);
          }
        });
        return;
      }

      const opener = target.closest("[data-open-dialog]");
      if (opener) {
        const dialog = document.getElementById(opener.dataset.openDialog);
        if (dialog && typeof dialog.showModal === "function") {
          event.preventDefault();
          dialog.showModal();
        }
      }
    },
    true,
  );

  // Exam forms save on every change; practice waits for "Check answer" (or the click).
  document.addEventListener("change", (event) => {
    const form = event.target.closest?.("form[data-answer-form=exam]");
    if (!form || event.target.name === "confidence") return;
    event.target.closest("[data-option-index]")?.classList.add("is-pending");
    form.requestSubmit();
  });

  // ---- keyboard ---------------------------------------------------------------------------

  function isTyping(element) {
    if (!(element instanceof Element)) return false;
    if (element.isContentEditable || element.matches("textarea, select")) return true;
    return element.matches("input") && !element.matches("[type=radio], [type=checkbox], [type=button], [type=submit]");
  }

  function optionIndex(key) {
    if (/^[1-7]$/.test(key)) return Number(key);
    if (/^[a-g]$/.test(key)) return key.charCodeAt(0) - 96;
    return 0;
  }

  // Enter checks the answer in practice, or goes on after the feedback (data-key-enter).
  // Buttons, links and summaries keep their own Enter. In a mock, where every answer saves
  // by itself, Enter on an option does nothing: the browser would otherwise submit the form
  // with its first button, "Previous".
  function onEnter(event, target) {
    if (target instanceof Element && target.closest("button, a, summary")) return;
    const enter = $("[data-key-enter]");
    if (enter) {
      event.preventDefault();
      enter.click();
    } else if (target instanceof Element && target.closest("form[data-answer-form]")) {
      event.preventDefault();
    }
  }

  // The option shown at place ``index``: an ordering item's place changes as it moves.
  function chooseOption(form, index) {
    const list = $("[data-ordering]", form);
    const option = list ? $$(".ordering-item", list)[index - 1] : $(`[data-option-index="${index}"]`, form);
    if (!option) return false;
    if (option.matches("button")) {
      option.click();
    } else if (option.matches("label")) {
      const input = $("input", option);
      input.focus();
      input.click();
    } else if (option.matches(".ordering-item")) {
      // The item itself, not its Move button: Enter then checks the answer instead of
      // pressing the button again; Alt+↑/↓ moves it, Tab reaches its buttons. Focusable by
      // script only (tabindex -1), so Tab order stays as it was.
      option.tabIndex = -1;
      option.focus();
    } else {
      $("select", option)?.focus();
    }
    return true;
  }

  document.addEventListener("keydown", (event) => {
    const target = event.target;
    if (event.altKey && (event.key === "ArrowUp" || event.key === "ArrowDown")) {
      const item = target instanceof Element ? target.closest(".ordering-item") : null;
      const form = item?.closest("form[data-answer-form]");
      if (item && form) {
        event.preventDefault();
        if (moveItem(item, event.key === "ArrowUp" ? "up" : "down")) {
          target.focus();
          afterMove(form, item);
        }
      }
      return;
    }
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || isTyping(target)) return;
    if ($("dialog[open]") && event.key !== "?") return;
    const key = event.key.length === 1 ? event.key.toLowerCase() : event.key;

    if (key === "?") {
      const dialog = $("#shortcuts-dialog");
      if (dialog?.open) dialog.close();
      else dialog?.showModal();
      event.preventDefault();
      return;
    }
    // One scheme (issue 16 §3): 1–7 and A–G always choose; every other shortcut
    // (data-shortcut) is on a key that is never an option's, so none can answer by accident.
    const form = answerForm();
    const index = optionIndex(key);
    if (form && index && chooseOption(form, index)) {
      event.preventDefault();
      return;
    }
    if (key === "Enter") {
      onEnter(event, target);
      return;
    }
    const shortcut = key.length === 1 ? $(`[data-shortcut="${CSS.escape(key)}"]`) : null;
    if (shortcut) {
      event.preventDefault();
      shortcut.click();
    }
  });

  // ---- public: exam.js waits for pending saves before the deadline submit ----------------

  window.quizapp = Object.assign(window.quizapp || {}, {
    whenSaved() {
      return Promise.all(Array.from(states.values(), (state) => whenSettled(state)));
    },
  });

  // The verdict takes focus after an answer (for keyboards and screen readers); after a mouse
  // or touch, its focus ring would only look like one more error box around "Incorrect".
  // CSS hides it while html[data-pointer] is set: the last input was a pointer.
  document.addEventListener("pointerdown", () => {
    document.documentElement.dataset.pointer = "";
  });
  document.addEventListener("keydown", () => {
    delete document.documentElement.dataset.pointer;
  });

  // Initialise states for the forms on the page (their confirmed state is what rendered).
  for (const form of $$("form[data-answer-form], form[data-optimistic-toggle]")) stateFor(form);
  // SortableJS is deferred after this file (answering comes first): it has run by DOMContentLoaded.
  document.addEventListener("DOMContentLoaded", () => enableDrag(document));
  document.addEventListener("htmx:load", (event) => enableDrag(event.target));
  // Keys pressed before this point are lost; browser tests wait for this mark after a
  // page load before typing.
  document.documentElement.dataset.answering = "ready";
})();
