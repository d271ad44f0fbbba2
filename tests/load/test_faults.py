"""Faults mid-exam: the app server crashes, PostgreSQL restarts.

What a candidate must be able to count on: an answer the server acknowledged (200) is
never lost, the clock is the deadline in the database (a crash neither pauses nor resets
it), and during an outage every request fails fast and cleanly (a 5xx page without a
traceback, 503 from /healthz), then succeeds again once the database is back.

The PostgreSQL test stops and starts the local cluster with ``pg_ctlcluster`` (root, as
in CI), so it must not run beside other database tests (no ``-n``/xdist for this folder);
it always leaves the cluster running.
"""

import http.client
import random
import threading
import time

import pytest
from django.db import connections

from tests.load.harness import (
    Browser,
    assert_clean_error_page,
    needs_postgres,
    parse_question,
    pg_control,
    pg_ensure_running,
    stored_answers,
)

pytestmark = [pytest.mark.load, needs_postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

# A request during a fault must end within this (fail fast, never hang).
FAULT_TIMEOUT = 15
# Page clock vs. database deadline; both come from the same machine's clock.
CLOCK_SLACK_MS = 3000
QUESTIONS = 65


def ok(reply):
    assert reply.status == 200, (reply.status, reply.body[:1000])
    return reply


def start_exam(browser: Browser):
    from exams.models import Attempt

    assert browser.get("/exams/aif-c01-full/start/").status == 200
    started = browser.post("/exams/aif-c01-full/start/")
    assert started.status == 302, started.body[:1000]
    return Attempt.objects.get(pk=int(started.location.split("/")[3]))  # /exams/attempts/<pk>/1/


def answer(browser: Browser, pk: int, position: int, rng: random.Random, *, seq: int = 1):
    """Open the question, save a random answer; returns (reply, answer)."""
    page = parse_question(ok(browser.get(f"/exams/attempts/{pk}/{position}/")).body)
    fields, value = page.random_answer(rng)
    data = [("seq", str(seq)), ("spent", "30000"), *fields]
    return browser.post(f"/exams/attempts/{pk}/{position}/answer/", data, htmx_target="save-status"), value


def answer_first(browser: Browser, pk: int, count: int, rng: random.Random) -> dict[int, tuple]:
    """Answer questions 1..count; returns the acknowledged {position: (answer, seq)}."""
    acked = {}
    for position in range(1, count + 1):
        reply, value = answer(browser, pk, position, rng)
        ok(reply)
        acked[position] = (value, 1)
    return acked


def remaining_now_ms(attempt) -> float:
    return (attempt.deadline.timestamp() - time.time()) * 1000


def finish(browser: Browser, attempt, acked: dict[int, tuple], rng: random.Random) -> None:
    """Answer what is left, submit, and check the stored answers and the score."""
    from exams.models import Attempt, Response

    for position in range(1, QUESTIONS + 1):
        if position not in acked:
            reply, value = answer(browser, attempt.pk, position, rng, seq=10)
            ok(reply)
            acked[position] = (value, 10)
    submitted = browser.post(f"/exams/attempts/{attempt.pk}/submit/")
    assert submitted.location == f"/exams/attempts/{attempt.pk}/results/"
    ok(browser.get(submitted.location))
    assert stored_answers(attempt) == acked
    attempt.refresh_from_db()
    correct = Response.objects.filter(item__attempt=attempt, item__scored=True, is_correct=True).count()
    assert attempt.status == Attempt.Status.SUBMITTED
    assert (attempt.total_scored, attempt.correct_scored) == (50, correct)


def test_server_killed_mid_exam_resumes_with_every_acknowledged_answer_and_the_true_time(servers):
    server = servers(workers=3)
    browser = Browser([server], timeout=FAULT_TIMEOUT)
    rng = random.Random(3)
    attempt = start_exam(browser)
    deadline = attempt.deadline
    acked = answer_first(browser, attempt.pk, 20, rng)
    for position in (3, 7):
        ok(browser.post(f"/exams/attempts/{attempt.pk}/{position}/flag/", [("state", "1")], htmx_target="flag-form"))

    # A second tab keeps saving while the server dies under it: the save in flight at the
    # kill may or may not have landed, every acknowledged one has.
    in_flight: dict[int, tuple] = {}
    tab = Browser([server], timeout=FAULT_TIMEOUT)
    tab.cookies = dict(browser.cookies)
    tab_rng = random.Random(4)
    failures: list[str] = []

    def keep_saving():
        for position in range(21, QUESTIONS + 1):
            try:
                page = parse_question(ok(tab.get(f"/exams/attempts/{attempt.pk}/{position}/")).body)
                fields, value = page.random_answer(tab_rng)
                in_flight[position] = (value, 1)
                reply = tab.post(
                    f"/exams/attempts/{attempt.pk}/{position}/answer/",
                    [("seq", "1"), *fields],
                    htmx_target="save-status",
                )
            except (OSError, http.client.HTTPException):
                return  # the server is gone
            if reply.status != 200:
                failures.append(f"{position}: {reply.status}")
                return
            acked[position] = in_flight.pop(position)

    saver = threading.Thread(target=keep_saving)
    saver.start()
    wait_until = time.monotonic() + 60
    while len(acked) < 25 and saver.is_alive() and time.monotonic() < wait_until:
        time.sleep(0.01)
    before = parse_question(ok(browser.get(f"/exams/attempts/{attempt.pk}/1/")).body)
    before_at = time.time()
    server.kill()
    killed_at = time.monotonic()
    saver.join(timeout=FAULT_TIMEOUT * 2)
    assert not saver.is_alive() and not failures, failures
    acked_at_kill = dict(acked)
    assert len(acked_at_kill) >= 25, "the second tab had not saved before the kill"

    # Down: connections are refused at once, nothing hangs.
    assert server.healthz(timeout=5) == 0
    with pytest.raises(OSError):
        browser.get(f"/exams/attempts/{attempt.pk}/")
    time.sleep(2)  # the clock runs on while the server is down
    server.start()
    downtime = time.monotonic() - killed_at

    # Every acknowledged answer survived; the one in flight, if it landed, is intact.
    stored = stored_answers(attempt)
    for position, value in acked_at_kill.items():
        assert stored.get(position) == value, f"acknowledged answer {position} lost or changed"
    for position in set(stored) - set(acked_at_kill):
        assert stored[position] == in_flight.get(position), f"answer {position} was never sent like this"
        acked[position] = stored[position]
    assert len(set(stored) - set(acked_at_kill)) <= 1

    # Resume: the first unanswered question, with the flags kept.
    first_open = min(set(range(1, QUESTIONS + 1)) - set(stored))
    resume = browser.get(f"/exams/attempts/{attempt.pk}/")
    assert resume.location == f"/exams/attempts/{attempt.pk}/{first_open}/"
    after = parse_question(ok(browser.get(resume.location)).body)
    after_at = time.time()
    assert parse_question(ok(browser.get(f"/exams/attempts/{attempt.pk}/7/")).body).flagged
    shown = parse_question(ok(browser.get(f"/exams/attempts/{attempt.pk}/20/")).body)
    assert shown.shown == acked[20][0]

    # The true remaining time: the same deadline, and the downtime counted.
    attempt.refresh_from_db()
    assert attempt.deadline == deadline
    assert abs(after.remaining_ms - remaining_now_ms(attempt)) < CLOCK_SLACK_MS
    counted = before.remaining_ms - after.remaining_ms
    assert abs(counted - (after_at - before_at) * 1000) < CLOCK_SLACK_MS, (counted, after_at - before_at)
    assert counted >= downtime * 1000 - CLOCK_SLACK_MS
    print(
        f"\nfault: gunicorn SIGKILLed mid-exam with {len(acked_at_kill)} answers acknowledged; back after "
        f"{downtime:.1f} s; all kept; remaining time {before.remaining_ms // 1000} s -> {after.remaining_ms // 1000} s"
    )

    finish(browser, attempt, acked, rng)
    assert "Traceback" not in server.log_text(), server.log_text()[-5000:]


def test_postgresql_restart_mid_exam_fails_cleanly_then_recovers(servers):
    server = servers(workers=2)
    browser = Browser([server], timeout=FAULT_TIMEOUT)
    rng = random.Random(5)
    attempt = start_exam(browser)
    deadline = attempt.deadline
    acked = answer_first(browser, attempt.pk, 15, rng)
    page_16 = parse_question(ok(browser.get(f"/exams/attempts/{attempt.pk}/16/")).body)
    before = parse_question(ok(browser.get(f"/exams/attempts/{attempt.pk}/1/")).body)
    before_at = time.time()

    outage: list[tuple[str, int, float]] = []
    # Our own connection would die with the server: close it, reconnect after.
    connections.close_all()
    try:
        pg_control("stop")
        stopped_at = time.monotonic()
        health = browser.get("/healthz")
        assert health.status == 503 and '"database": "unreachable"' in health.body, health.body[:500]
        outage.append(("GET /healthz", health.status, health.seconds))
        fields, value_16 = page_16.random_answer(rng)
        for what, path, data in [
            ("save", f"/exams/attempts/{attempt.pk}/16/answer/", [("seq", "1"), *fields]),
            ("flag", f"/exams/attempts/{attempt.pk}/16/flag/", [("state", "1")]),
        ]:
            reply = browser.post(path, data, htmx_target="save-status")
            assert_clean_error_page(reply)
            outage.append((what, reply.status, reply.seconds))
        for path in (f"/exams/attempts/{attempt.pk}/2/", f"/exams/attempts/{attempt.pk}/review/", "/"):
            reply = browser.get(path)
            assert_clean_error_page(reply)
            outage.append((f"GET {path}", reply.status, reply.seconds))
        assert all(seconds < FAULT_TIMEOUT for _what, _status, seconds in outage)
        assert server.process.poll() is None, "gunicorn died with the database"
        pg_control("start")
        outage_seconds = time.monotonic() - stopped_at
    finally:
        pg_ensure_running()
        connections.close_all()

    # Back: the same workers reconnect by themselves (connection health checks).
    server.wait_healthy(timeout=30)
    assert stored_answers(attempt) == acked, "an answer was lost (or the failed save was stored)"
    resume = browser.get(f"/exams/attempts/{attempt.pk}/")
    assert resume.location == f"/exams/attempts/{attempt.pk}/16/"
    # The browser's "Retry" of the save that failed during the outage.
    retry = browser.post(
        f"/exams/attempts/{attempt.pk}/16/answer/", [("seq", "1"), *fields], htmx_target="save-status"
    )
    ok(retry)
    acked[16] = (value_16, 1)
    assert stored_answers(attempt) == acked
    after = parse_question(ok(browser.get(f"/exams/attempts/{attempt.pk}/1/")).body)
    after_at = time.time()
    attempt.refresh_from_db()
    assert attempt.deadline == deadline
    assert abs(after.remaining_ms - remaining_now_ms(attempt)) < CLOCK_SLACK_MS
    assert abs((before.remaining_ms - after.remaining_ms) - (after_at - before_at) * 1000) < CLOCK_SLACK_MS
    print(
        f"\nfault: PostgreSQL down {outage_seconds:.1f} s mid-exam: "
        + ", ".join(f"{what} {status} in {1000 * seconds:.0f} ms" for what, status, seconds in outage)
        + f"; {len(acked)} acknowledged answers kept"
    )

    finish(browser, attempt, acked, rng)
