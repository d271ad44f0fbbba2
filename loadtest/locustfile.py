"""Exam day as Locust sees it: candidates who start one mock together and sit it to the end.

Each simulated candidate is a guest with its own cookies, behind the load balancer with its
own client address (``X-Forwarded-For``, which the server trusts from one proxy hop in this
run). It opens the mock's start page, presses "Start mock exam" (Locust spawns the cohort
over a short window: the synchronized start), then for every question loads the page,
thinks, saves an answer (some change it, some flag the question), visits the review screen
and submits; a share of the cohort waits and submits in a rush at the end (within the
exam's last five minutes, compressed like think time). Think time is
the real exam's 30–90 s per question divided by ``LOADTEST_THINK_FACTOR``.

Every save the server acknowledged (200 with the saved seq) is written to
``LOADTEST_LEDGER`` when the run ends, for ``loadtest/run.py`` to check against the database.
The request names group the figures by kind: start, question page, answer save, flag,
review, submit, results.
"""

import json
import os
import random
import re
import threading
import time
from http.cookiejar import DefaultCookiePolicy
from pathlib import Path
from urllib.parse import urlencode

import gevent
from locust import FastHttpUser, events, task
from locust.exception import StopUser

BLUEPRINT = os.environ.get("LOADTEST_BLUEPRINT", "aif-c01-full")
THINK_FACTOR = float(os.environ.get("LOADTEST_THINK_FACTOR", "10"))
# Real think time per question on exam day (Moodle's published load test used 30–90 s).
THINK_SECONDS = (30.0, 90.0)
RUSH_SHARE = float(os.environ.get("LOADTEST_RUSH_SHARE", "0.3"))
RUSH_AT = float(os.environ.get("LOADTEST_RUSH_AT", "0"))  # epoch seconds; 0 = no rush
# The rush's length: the real exam's last minutes, compressed like think time.
RUSH_WINDOW = float(os.environ.get("LOADTEST_RUSH_WINDOW", "0"))
LEDGER = os.environ.get("LOADTEST_LEDGER", "")

_CHOICE = re.compile(r'<input type="(radio|checkbox)" name="choice" value="([^"]+)"')
_ORDER = re.compile(r'<input type="hidden" name="order" value="([^"]+)"')
_MATCH = re.compile(r'<select[^>]*\bname="(match-[^"]+)"[^>]*>(.*?)</select>', re.S)
_MATCH_OPTION = re.compile(r'<option value="([^"]+)"')
_SELECT = re.compile(r"Select (\d+) answers?\.")
_SEQ = re.compile(r'name="seq" value="(\d+)" data-seq')  # the answer form's, not the flag's
_ATTEMPT = re.compile(r"/exams/attempts/(\d+)/")
_CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')

_ledger: list[dict] = []
_ledger_lock = threading.Lock()
_finished = {"count": 0}
_spawned = {"count": 0}
USERS = int(os.environ.get("LOADTEST_USERS", "0"))


def answer_fields(html: str, rng: random.Random) -> list[tuple[str, str]]:
    """A random complete answer built only from what the page offers."""
    if choices := _CHOICE.findall(html):
        values = [value for _kind, value in choices]
        if choices[0][0] == "radio":
            return [("choice", rng.choice(values))]
        select = _SELECT.search(html)
        count = int(select.group(1)) if select else 2
        return [("choice", value) for value in rng.sample(values, min(count, len(values)))]
    if order := _ORDER.findall(html):
        return [("order", value) for value in rng.sample(order, len(order))]
    if prompts := _MATCH.findall(html):
        return [(name, rng.choice(_MATCH_OPTION.findall(body))) for name, body in prompts]
    raise ValueError("no answer controls on the question page")


class BehindTLS(DefaultCookiePolicy):
    """The load balancer terminates TLS: its plain-HTTP leg to the app carries Secure cookies."""

    def return_ok_secure(self, cookie, request):
        return True


class Candidate(FastHttpUser):
    """One candidate sitting one mock, start to results."""

    # Each candidate runs its one task once and stops (the whole exam is one task).
    wait_time = staticmethod(lambda: 0)

    def on_start(self):
        self.rng = random.Random()
        address = self.rng.randrange(1, 2**16)
        # 198.18.0.0/15 is reserved for benchmarks: a header value only, never a target.
        self.client_address = f"198.18.{address >> 8}.{address & 255}"
        self.csrf = ""
        self.client.cookiejar.set_policy(BehindTLS())

    def headers(self, *, htmx_target: str = "") -> dict:
        # What the load balancer adds: the client's address and the original scheme.
        headers = {"X-Forwarded-For": self.client_address, "X-Forwarded-Proto": "https"}
        if self.csrf:
            origin = self.host.replace("http://", "https://")
            headers |= {"X-CSRFToken": self.csrf, "Origin": origin, "Referer": origin + "/"}
        if htmx_target:
            headers |= {"HX-Request": "true", "HX-Target": htmx_target}
        return headers

    def get(self, path: str, name: str, **kwargs):
        return self.client.get(path, name=name, headers=self.headers(**kwargs), allow_redirects=False)

    def post(self, path: str, data, name: str, **kwargs):
        headers = self.headers(**kwargs) | {"Content-Type": "application/x-www-form-urlencoded"}
        return self.client.post(path, data=urlencode(data), name=name, headers=headers, allow_redirects=False)

    def think(self):
        gevent.sleep(self.rng.uniform(*THINK_SECONDS) / THINK_FACTOR)

    @task
    def sit_mock(self):
        # Locust tops a ramp up with new users when early ones stop: the cohort is fixed.
        if USERS and _spawned["count"] >= USERS:
            raise StopUser()
        _spawned["count"] += 1
        try:
            self.sit()
        finally:
            with _ledger_lock:
                _finished["count"] += 1
        raise StopUser()

    def sit(self):
        start_url = f"/exams/{BLUEPRINT}/start/"
        page = self.get(start_url, "start page")
        if token := _CSRF.search(page.text or ""):
            self.csrf = token.group(1)
        started = self.post(start_url, {}, "start")
        match = _ATTEMPT.search(started.headers.get("location", ""))
        if started.status_code != 302 or not match:
            return
        attempt = match.group(1)
        position, saves = 1, []
        while True:
            base = f"/exams/attempts/{attempt}/{position}/"
            reply = self.get(base, "question page")
            if reply.status_code != 200:
                break
            self.think()
            seq = int(_SEQ.search(reply.text).group(1))
            changes = 2 if self.rng.random() < 0.1 else 1
            for _change in range(changes):
                fields = answer_fields(reply.text, self.rng)
                data = [("seq", str(seq)), ("spent", str(self.rng.randint(5_000, 90_000))), *fields]
                saved = self.post(base + "answer/", data, "answer save", htmx_target="save-status")
                if saved.status_code == 200 and f'data-seq="{seq}"' in (saved.text or ""):
                    saves.append({"attempt": int(attempt), "position": position, "seq": seq, "fields": fields})
                seq += 1
            if self.rng.random() < 0.05:
                self.post(base + "flag/", [("state", "1"), ("seq", "1")], "flag", htmx_target="flag-form")
            if 'data-shortcut="n"' not in reply.text or 'value="review"' in reply.text:
                break
            position += 1
        self.get(f"/exams/attempts/{attempt}/review/", "review")
        if RUSH_AT and self.rng.random() < RUSH_SHARE:
            # The last-minutes rush: this share of the cohort submits within RUSH_WINDOW.
            gevent.sleep(max(0.0, RUSH_AT + self.rng.uniform(0, RUSH_WINDOW) - time.time()))
        submitted = self.post(f"/exams/attempts/{attempt}/submit/", {}, "submit")
        if submitted.status_code == 302:
            self.get(f"/exams/attempts/{attempt}/results/", "results")
        with _ledger_lock:
            _ledger.extend(saves)


@events.init.add_listener
def _quit_when_everyone_submitted(environment, **_kwargs):
    """End the run once every candidate of the cohort has finished (no idle tail)."""

    def watch():
        while True:
            gevent.sleep(0.5)
            if USERS and _finished["count"] >= USERS and environment.runner:
                environment.runner.quit()
                return

    gevent.spawn(watch)


@events.quitting.add_listener
def _write_ledger(environment, **_kwargs):
    if LEDGER:
        Path(LEDGER).write_text(json.dumps({"finished": _finished["count"], "saves": _ledger}))
