"""A finished mock's outcomes are computed once, when it is scored (issue 18 §3): its results
page reads them instead of every item's question, and they never change afterwards."""

import re

import pytest
from django.utils import timezone

from exams.attempts import record_answer, start_practice, submit_attempt
from exams.models import Attempt, AttemptItem
from exams.results import Outcome, compute_outcomes, outcomes_of
from questions.models import Option
from questions.revisions import revise
from tests.exams.conftest import make_bank
from tests.exams.test_views_exam import domain_rows, exam_of_size, htmx
from tests.factories import _task

pytestmark = pytest.mark.django_db


@pytest.fixture
def finished(guest):
    """A 25-question mock: 1-4 right, 5 answered wrong, 6-25 unanswered; 2 flagged; 30 s
    measured on each answer."""
    attempt = exam_of_size(guest, 25)
    items = list(attempt.items.select_related("attempt").order_by("position"))
    for item in items[:4]:
        record_answer(item, answer=item.snapshot["key"], seq=1, time_spent_ms=30_400, now=timezone.now())
    wrong = items[4]
    record_answer(wrong, answer=_wrong_answer(wrong.snapshot), seq=1, time_spent_ms=30_000, now=timezone.now())
    AttemptItem.objects.filter(attempt=attempt, position=2).update(flagged=True)
    submit_attempt(attempt, now=timezone.now())
    return attempt


def _wrong_answer(snapshot):
    key = snapshot["key"]
    if snapshot["type"] in ("single", "multiple"):
        return [row["id"] for row in snapshot["options"] if not row["correct"]][:1]
    if snapshot["type"] == "ordering":
        return list(reversed(key))
    matches = list(key.values())
    return dict(zip(key, matches[1:] + matches[:1], strict=True))


def results(client, attempt, query="") -> str:
    return client.get(f"/exams/attempts/{attempt.pk}/results/{query}").text


def same_page(text: str) -> str:
    """The page without what differs on every request (the CSP nonce, the CSRF token)."""
    return re.sub(r'(nonce|name="csrfmiddlewaretoken" value)="[^"]+"', "", text)


def test_scoring_a_mock_stores_every_items_outcome(finished):
    stored = Attempt.objects.get(pk=finished.pk).outcomes
    items = list(finished.items.order_by("position"))

    assert [Outcome(*row) for row in stored] == [
        Outcome(
            position=item.position,
            domain=item.snapshot["domain"],
            scored=item.scored,
            flagged=item.position == 2,
            correct=item.position <= 4,
            answered=item.position <= 5,
            seconds=30 if item.position <= 5 else 0,
        )
        for item in items
    ]
    assert stored == [list(outcome) for outcome in compute_outcomes(finished)]


def test_practice_stores_no_outcomes(guest):
    make_bank({1: 3})
    session = start_practice(
        guest.pk, scope={"kind": "domain", "value": "1"}, count=3, language="en", now=timezone.now()
    )
    submit_attempt(session, now=timezone.now())

    assert Attempt.objects.get(pk=session.pk).outcomes is None


def test_the_results_page_reads_the_stored_outcomes(client, finished):
    # Stored outcomes that say question 7 was flagged and answered right (the items say not):
    # the page follows what was stored, so it read no item to count or filter.
    stored = [Outcome(*row) for row in finished.outcomes]
    stored[6] = stored[6]._replace(flagged=True, correct=True, answered=True, seconds=200)
    Attempt.objects.filter(pk=finished.pk).update(outcomes=[list(outcome) for outcome in stored])

    flagged = results(client, finished, "?show=flagged")
    page = results(client, finished)

    assert 'id="q7"' in flagged
    assert "You answered 6 of 25." in page
    assert "1 question took longer." in page


def test_a_mock_scored_before_outcomes_were_stored_gets_them_on_its_first_view(client, finished):
    expected = finished.outcomes
    page = results(client, finished)
    Attempt.objects.filter(pk=finished.pk).update(outcomes=None)

    old = results(client, finished)

    assert same_page(old) == same_page(page)
    assert Attempt.objects.get(pk=finished.pk).outcomes == expected


def test_outcomes_of_stores_what_it_computes_once(finished, django_assert_num_queries):
    Attempt.objects.filter(pk=finished.pk).update(outcomes=None)
    attempt = Attempt.objects.get(pk=finished.pk)

    with django_assert_num_queries(2):  # the items' light rows, and storing them
        computed = outcomes_of(attempt)
    with django_assert_num_queries(0):  # now read from the attempt
        again = outcomes_of(attempt)

    assert computed == again == compute_outcomes(finished)


def test_editing_a_question_after_submission_changes_no_result(client, finished):
    before = results(client, finished)
    counts = domain_rows(before)
    # Move the first (right) question to another domain and make another option its key.
    first = finished.items.get(position=1)
    question = first.question
    question.task = _task("5.1" if first.snapshot["domain"] != 5 else "1.1")
    question.stem = "An edited stem."
    question.save()
    Option.objects.filter(question=question).update(is_correct=False)
    revise([question.pk])

    after = results(client, finished)

    assert domain_rows(after) == counts
    assert "An edited stem." not in after
    assert after.count("review-item") == before.count("review-item")
    Attempt.objects.filter(pk=finished.pk).update(outcomes=None)
    assert domain_rows(results(client, finished)) == counts


@pytest.mark.parametrize("size", [25, 65])
def test_more_of_the_review_reads_only_its_own_items(client, guest, size, django_assert_num_queries):
    attempt = exam_of_size(guest, size)
    submit_attempt(attempt, now=timezone.now())

    # attempt, domain names, the page's ten items with responses, their revisions' contents
    # (none read by this process yet), notes
    with django_assert_num_queries(5):
        response = client.get(f"/exams/attempts/{attempt.pk}/results/?show=all&page=2", **htmx("review-more"))

    assert response.text.count('class="review-item"') == 10


def test_a_filter_with_nothing_to_show_reads_no_item(client, guest, django_assert_num_queries):
    attempt = exam_of_size(guest, 65)
    submit_attempt(attempt, now=timezone.now())

    # attempt, domain names: no flagged question, so no item and no note is read
    with django_assert_num_queries(2):
        response = client.get(f"/exams/attempts/{attempt.pk}/results/?show=flagged", **htmx("review-list"))

    assert "No question matches this filter." in response.text
