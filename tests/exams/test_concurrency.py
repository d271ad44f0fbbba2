"""Races between real database connections (threads), on PostgreSQL.

SQLite runs one writer at a time, so these races cannot happen there, and its in-memory
test database (shared cache) refuses concurrent writers outright instead of waiting:
the tests run in the PostgreSQL pass of CI (`make test-pg`).
"""

import threading
from datetime import timedelta

import pytest
from django.db import close_old_connections, connection
from django.utils import timezone

from exams.attempts import AnswerRefused, record_answer, start_exam, submit_attempt
from exams.models import Attempt, AttemptItem, Response
from tests.exams.conftest import make_bank
from tests.factories import BlueprintFactory, GuestOwnerFactory

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL"),
]


def run_together(functions):
    """Run each function in its own thread (own connection), started at the same moment."""
    barrier = threading.Barrier(len(functions))
    results: list = [None] * len(functions)

    def runner(index, function):
        try:
            barrier.wait()
            results[index] = function()
        except Exception as error:  # noqa: BLE001 -- reported to the test below
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=runner, args=(i, f)) for i, f in enumerate(functions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    close_old_connections()
    return results


@pytest.fixture
def exam():
    make_bank({1: 3, 2: 3, 3: 3, 4: 2, 5: 2})
    return start_exam(GuestOwnerFactory().pk, BlueprintFactory(), now=timezone.now())


def test_concurrent_submits_finalize_exactly_once(exam):
    now = timezone.now()

    def submit():
        return submit_attempt(Attempt.objects.select_related("blueprint").get(pk=exam.pk), now=now)

    results = run_together([submit] * 6)

    assert sorted(results) == [False] * 5 + [True]
    exam.refresh_from_db()
    assert exam.status == Attempt.Status.SUBMITTED
    assert exam.total_scored == 8


def test_the_deadline_submit_racing_a_click_finalizes_once(exam):
    at_deadline = exam.deadline + timedelta(seconds=6)

    def by_click():
        return submit_attempt(Attempt.objects.select_related("blueprint").get(pk=exam.pk), now=exam.deadline)

    def by_clock():
        return submit_attempt(Attempt.objects.select_related("blueprint").get(pk=exam.pk), now=at_deadline)

    results = run_together([by_click, by_clock, by_click, by_clock])

    assert sorted(results) == [False, False, False, True]
    assert Attempt.objects.get(pk=exam.pk).submitted_at == exam.deadline


def test_answers_racing_the_submit_are_either_scored_or_refused(exam):
    items = list(AttemptItem.objects.select_related("attempt").filter(attempt=exam, scored=True))
    now = timezone.now()

    def save(item):
        def run():
            try:
                return record_answer(item, answer=item.snapshot["key"], seq=1, now=now).applied
            except AnswerRefused:
                return "refused"

        return run

    def submit():
        return submit_attempt(Attempt.objects.select_related("blueprint").get(pk=exam.pk), now=now)

    results = run_together([save(item) for item in items] + [submit])

    assert results[-1] is True
    exam.refresh_from_db()
    stored = Response.objects.filter(item__attempt=exam).count()
    # Every answer that was written is in the score, and every refused one is not.
    assert exam.correct_scored == stored == results.count(True) - 1
    assert results.count("refused") == len(items) - stored
