""" "How others did": the share of candidates right on their first try, after answering only
(insights.stats.first_tries, insights.views.others and the others_did.html placeholder)."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from exams.attempts import start_exam, start_practice, submit_attempt
from insights.stats import FIRST_TRIES_KEY, first_tries
from tests.exams.test_views_exam import answer_post
from tests.factories import AttemptFactory, BlueprintFactory, GuestOwnerFactory, QuestionFactory, make_single_question

from .helpers import answer, task_statement

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true", "HX-Target": "others-q-1"}


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def question():
    return QuestionFactory(uid="q-1", task=task_statement("1.1"))


def _candidates(question, *, right: int, wrong: int, at=None):
    """``right + wrong`` other candidates, each with one first answer to ``question``."""
    at = at or timezone.now() - timedelta(days=1)
    for index in range(right + wrong):
        answer(question, owner=GuestOwnerFactory(), correct=index < right, at=at)


def _others(client, uid="q-1", **headers):
    return client.get(reverse("insights:others", args=[uid]), headers=headers)


def test_the_share_counts_each_candidates_first_try_only(question):
    now = timezone.now()
    _candidates(question, right=10, wrong=9, at=now - timedelta(days=2))
    learner = GuestOwnerFactory()
    answer(question, owner=learner, correct=False, at=now - timedelta(days=2))
    answer(question, owner=learner, correct=True, at=now - timedelta(days=1))  # after the explanation

    assert first_tries()["q-1"] == (20, 10)


def test_a_candidates_first_try_counts_once_whatever_the_language(question):
    japanese = QuestionFactory(uid="q-1", language="ja", task=question.task)
    owner, now = GuestOwnerFactory(), timezone.now()
    answer(japanese, owner=owner, correct=True, at=now - timedelta(days=2))
    answer(question, owner=owner, correct=False, at=now - timedelta(days=1))
    answer(question, owner=GuestOwnerFactory(), correct=False, at=now - timedelta(days=1))

    assert first_tries()["q-1"] == (2, 1)


def test_a_running_mocks_answers_are_not_counted(question):
    running = AttemptFactory(mode="exam", status="in_progress")
    answer(question, owner=running.owner, correct=True, at=timezone.now(), attempt=running)

    assert "q-1" not in first_tries()


def test_after_answering_the_candidate_sees_the_share_of_20_or_more(client, guest, question):
    _candidates(question, right=14, wrong=6)
    answer(question, owner=guest, correct=False, at=timezone.now())

    response = _others(client, **HTMX)

    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<p class="others-did" id="others-q-1"')
    assert "67 % of candidates got this right on their first try" in html  # 14 of 21
    assert "(21 candidates)" in html
    assert "<html" not in html


def test_below_20_candidates_nothing_is_shown(client, guest, question):
    _candidates(question, right=10, wrong=8)
    answer(question, owner=guest, correct=True, at=timezone.now())  # 19 in all

    htmx_response = _others(client, **HTMX)
    page = _others(client)

    assert htmx_response.status_code == 200 and htmx_response.content.decode().strip() == ""
    assert "Too few candidates have answered this question yet" in page.content.decode()


def test_without_javascript_the_figure_is_a_page_of_its_own(client, guest, question):
    _candidates(question, right=20, wrong=0)
    answer(question, owner=guest, correct=True, at=timezone.now())

    html = _others(client).content.decode()

    assert "<h1>How others did</h1>" in html
    assert "100 % of candidates got this right on their first try" in html


def test_never_before_answering(client, guest, question):
    _candidates(question, right=20, wrong=5)

    assert _others(client, **HTMX).status_code == 404
    assert _others(client, uid="no-such-question").status_code == 404


def test_never_from_an_answer_in_a_running_mock(client, guest, question):
    _candidates(question, right=20, wrong=5)
    running = AttemptFactory(owner=guest, mode="exam", status="in_progress")
    answer(question, owner=guest, correct=True, at=timezone.now(), attempt=running)

    assert _others(client, **HTMX).status_code == 404


def test_a_visitor_gets_nothing(client, question):
    _candidates(question, right=20, wrong=5)

    assert _others(client).status_code == 404


def test_the_figures_are_cached_and_forgotten_when_the_bank_changes(client, guest, question):
    _candidates(question, right=20, wrong=0)
    answer(question, owner=guest, correct=True, at=timezone.now())
    assert first_tries()["q-1"] == (21, 21)
    _candidates(question, right=0, wrong=21)

    assert first_tries()["q-1"] == (21, 21)  # cached
    question.save()  # an author's edit forgets item statistics, and these with them
    assert first_tries()["q-1"] == (42, 21)


# Where the placeholder appears


@pytest.fixture
def practice(guest):
    questions = [make_single_question(task=task_statement("1.1")) for _ in range(2)]
    ids = [q.pk for q in questions]
    return start_practice(
        guest.pk, scope={"kind": "all"}, count=2, language="en", question_ids=ids, now=timezone.now()
    )


def test_practice_feedback_loads_the_figure_lazily_and_answering_computes_nothing(client, practice):
    item = practice.items.select_related("attempt").get(position=1)
    url = reverse("practice:question", args=[practice.pk, 1])
    before = client.get(url).content.decode()

    response = client.post(
        reverse("exams:answer", args=[practice.pk, 1]),
        answer_post(item),
        headers={"HX-Request": "true", "HX-Target": "question-card"},
    )

    others_url = reverse("insights:others", args=[item.snapshot["uid"]])
    assert others_url not in before  # never before answering
    feedback = response.content.decode()
    assert f'hx-get="{others_url}" hx-trigger="load"' in feedback
    assert cache.get(FIRST_TRIES_KEY) is None  # the answer's request left insights alone
    assert f'hx-get="{others_url}"' in client.get(url).content.decode()  # the feedback page, without htmx


def test_a_running_mock_never_shows_it_and_its_results_do_under_the_answered_questions(client, guest):
    questions = [make_single_question(task=task_statement(f"{n}.1")) for n in range(1, 6)]
    blueprint = BlueprintFactory(question_count=5, unscored_count=0, minutes=10)
    exam = start_exam(guest.pk, blueprint, now=timezone.now())
    item = exam.items.select_related("attempt").get(position=1)
    client.post(reverse("exams:answer", args=[exam.pk, 1]), answer_post(item))

    running_pages = [
        client.get(reverse("exams:question", args=[exam.pk, 1])).content.decode(),
        client.get(reverse("exams:review", args=[exam.pk])).content.decode(),
    ]
    submit_attempt(exam, now=timezone.now())
    results = client.get(reverse("exams:results", args=[exam.pk])).content.decode()

    assert all("/insights/others/" not in page for page in running_pages)
    # After the mock the results draw it themselves, with no request per question (and
    # nothing here: one candidate is below the minimum).
    assert len(questions) == 5
    assert "/insights/others/" not in results
    assert "data-others-did" not in results


def test_a_finished_mocks_results_draw_the_figure_with_the_page_not_a_request_per_question(client, guest):
    questions = [make_single_question(task=task_statement(f"{n}.1")) for n in range(1, 6)]
    _candidates(questions[0], right=14, wrong=6)
    exam = start_exam(guest.pk, BlueprintFactory(question_count=5, unscored_count=0, minutes=10), now=timezone.now())
    item = exam.items.select_related("attempt").get(question=questions[0])
    client.post(reverse("exams:answer", args=[exam.pk, item.position]), answer_post(item))
    submit_attempt(exam, now=timezone.now())

    results = client.get(reverse("exams:results", args=[exam.pk])).content.decode()

    assert "/insights/others/" not in results
    assert results.count("data-others-did") == 1  # under the one answered question
    assert "of candidates got this right on their first try" in results
