"""Two app processes on different ports share one PostgreSQL; one candidate's requests
alternate between them (as a load balancer without sticky sessions would send them).

Nothing may live in one process only: the guest session, the attempt, answers, flags,
the clock and the submission must look the same from either process.
"""

import random
import re
import time

import pytest

from tests.load.harness import Browser, needs_postgres, parse_question, stored_answers

pytestmark = [pytest.mark.load, needs_postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

# The page's remaining time and the database deadline may differ by this much (the page
# is rendered a moment before the reply arrives; clocks are the same machine's).
CLOCK_SLACK_MS = 3000


SCORE = re.compile(r'class="score-value">(\d+)<')


def ok(reply):
    assert reply.status == 200, reply.body[:1000]
    return reply


class Alternating(Browser):
    """A browser whose every request goes to the other server than the last one."""

    def request(self, method, path, data=None, *, htmx_target=None, server=None):
        self.turn = getattr(self, "turn", -1) + 1
        return super().request(method, path, data, htmx_target=htmx_target, server=self.turn % len(self.servers))


def test_one_candidate_alternating_between_two_processes(servers):
    from exams.models import Attempt, AttemptItem, Response

    first, second = servers(workers=2), servers(workers=2)
    assert first.port != second.port
    browser = Alternating([first, second])
    rng = random.Random(8)

    assert browser.get("/exams/aif-c01-full/start/").status == 200
    started = browser.post("/exams/aif-c01-full/start/")
    assert started.status == 302, started.body[:1000]
    pk = int(started.location.split("/")[3])  # /exams/attempts/<pk>/1/: the first question
    attempt = Attempt.objects.get(pk=pk)
    assert started.location == f"/exams/attempts/{pk}/1/"

    answers, seqs, flags = {}, {}, {}
    for position in range(1, 66):
        base = f"/exams/attempts/{pk}/{position}/"
        reply = browser.get(base)
        assert reply.status == 200, reply.body[:1000]
        page = parse_question(reply.body)
        # The clock, from whichever process: the deadline in the database, counting down.
        true_ms = (attempt.deadline.timestamp() - time.time()) * 1000
        assert abs(page.remaining_ms - true_ms) < CLOCK_SLACK_MS, (page.remaining_ms, true_ms)
        assert page.next_seq == 1

        fields, answer = page.random_answer(rng)
        ok(browser.post(base + "answer/", [("seq", "1"), *fields], htmx_target="save-status"))
        answers[position], seqs[position] = answer, 1
        if position % 4 == 0:
            # Two saves overtake each other, each through a different process.
            newer_fields, newer = page.random_answer(rng)
            older_fields, _older = page.random_answer(rng)
            ok(browser.post(base + "answer/", [("seq", "3"), *newer_fields], htmx_target="save-status"))
            late = ok(browser.post(base + "answer/", [("seq", "2"), *older_fields], htmx_target="save-status"))
            assert late.headers.get("hx-refresh") == "true", "a stale save must reload the page"
            answers[position], seqs[position] = newer, 3
        if position % 5 == 0:
            ok(browser.post(base + "flag/", [("state", "1")], htmx_target="flag-form"))
            flags[position] = True
            if position % 10 == 0:
                ok(browser.post(base + "flag/", [("state", "0")], htmx_target="flag-form"))
                flags[position] = False

        # The other process shows what this one saved (and the next one back again).
        for _ in range(2):
            again = parse_question(browser.get(base).body)
            assert again.shown == answers[position], f"question {position}: a process shows another answer"
            assert again.next_seq == seqs[position] + 1
            assert again.flagged == flags.get(position, False)

    for _ in range(2):
        review = browser.get(f"/exams/attempts/{pk}/review/")
        assert review.status == 200 and "Submit exam" in review.body

    submitted = browser.post(f"/exams/attempts/{pk}/submit/")
    twice = browser.post(f"/exams/attempts/{pk}/submit/")
    assert submitted.location == twice.location == f"/exams/attempts/{pk}/results/"
    scores = {SCORE.search(browser.get(submitted.location).body).group(1) for _ in range(2)}
    assert len(scores) == 1, scores

    assert stored_answers(attempt) == {position: (answers[position], seqs[position]) for position in answers}
    assert set(AttemptItem.objects.filter(attempt=attempt, flagged=True).values_list("position", flat=True)) == {
        position for position, on in flags.items() if on
    }
    attempt.refresh_from_db()
    correct = Response.objects.filter(item__attempt=attempt, item__scored=True, is_correct=True).count()
    assert attempt.status == Attempt.Status.SUBMITTED
    assert (attempt.total_scored, attempt.correct_scored) == (50, correct)
    assert scores == {str(attempt.scaled_score)}
    for server in (first, second):
        assert "Traceback" not in server.log_text(), server.log_text()[-5000:]
