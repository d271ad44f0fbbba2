"""The review queue the candidate controls (issue 21 §3): self-grades, suspended cards,
daily limits, the forecast and study ahead (insights.review, insights.plan and their views)."""

from datetime import date, timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from fsrs import Rating

from accounts.models import Owner
from exams.attempts import start_practice
from exams.models import Attempt
from insights.models import ReviewCard, SelfGrade, StudyPlan
from insights.review import FORECAST_DAYS, refresh_review_cards, replay, review_queue
from tests.answers import item_fields
from tests.factories import AttemptFactory, GuestOwnerFactory, QuestionFactory, UserFactory, make_single_question

from .helpers import NOW, answer

DAY = timedelta(days=1)
HTMX = {"HX-Request": "true"}


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def _answer(correct, at, grade=None):
    return {"is_correct": correct, "answered_at": at, "confidence": "", "time_spent_ms": 0, "grade": grade}


def _practice_answer(owner, question, *, correct=True, at=NOW):
    """A practice answer in a session of its own; returns the response."""
    attempt = AttemptFactory(owner=owner, started_at=at, status="submitted", submitted_at=at)
    return answer(question, owner=owner, correct=correct, at=at, attempt=attempt)


def _leech(owner, uid="chronic"):
    question = QuestionFactory(uid=uid)
    for days in (40, 30, 20, 10, 5):
        answer(question, owner=owner, correct=False, at=NOW - days * DAY)
    return question


# Self-grades in the replay


def test_a_self_grade_replaces_the_inferred_grade():
    inferred = replay([_answer(True, NOW)])
    again = replay([_answer(True, NOW, grade=Rating.Again)])
    easy = replay([_answer(True, NOW, grade=Rating.Easy)])

    assert inferred.last_rating == Rating.Good and inferred.due == NOW + 2 * DAY
    assert again.last_rating == Rating.Again and again.due == NOW + DAY
    assert easy.last_rating == Rating.Easy and easy.due == NOW + 8 * DAY


def test_again_on_a_right_answer_after_the_first_is_a_lapse():
    result = replay([_answer(True, NOW - 3 * DAY), _answer(True, NOW, grade=Rating.Again)])

    assert result.lapses == 1


@pytest.mark.django_db
def test_a_later_replay_keeps_the_self_grade(client, guest):
    question = QuestionFactory()
    response = _practice_answer(guest, question)
    client.post(reverse("insights:self_grade", args=[response.item.attempt_id, 1]), {"grade": "4"})
    assert ReviewCard.objects.get().due == NOW + 8 * DAY

    ReviewCard.objects.all().delete()  # a cache: rebuilt from the log and its grades
    (card,) = refresh_review_cards(guest.pk)

    assert (card.due, card.last_rating) == (NOW + 8 * DAY, Rating.Easy)


# The queue: forecast, study ahead, suspended cards


@pytest.mark.django_db
def test_forecast_counts_reviews_due_today_and_each_of_the_next_days():
    owner = GuestOwnerFactory()
    answer(QuestionFactory(uid="overdue"), owner=owner, correct=False, at=NOW - 3 * DAY)  # due 3 days ago
    answer(QuestionFactory(uid="tomorrow"), owner=owner, correct=False, at=NOW)  # Again: 1 day
    answer(QuestionFactory(uid="in-two-days"), owner=owner, correct=True, at=NOW)  # Good: 2 days
    answer(QuestionFactory(uid="in-two-days-too"), owner=owner, correct=True, at=NOW)
    answer(QuestionFactory(uid="in-eight-days"), owner=owner, correct=True, at=NOW, confidence="sure", ms=9_000)

    queue = review_queue(refresh_review_cards(owner.pk), now=NOW)

    assert [(row.day, row.reviews) for row in queue.forecast] == [
        (date(2026, 6, 15) + offset * DAY, count) for offset, count in enumerate([1, 1, 2, 0, 0, 0, 0, 0])
    ]
    assert len(queue.forecast) == FORECAST_DAYS + 1
    assert queue.forecast_peak == 2
    assert queue.due_uids == ["overdue"]
    assert queue.ahead_uids == ["tomorrow", "in-two-days", "in-two-days-too"]  # soonest first


@pytest.mark.django_db
def test_a_suspended_card_leaves_the_due_lists_the_forecast_and_the_leeches():
    owner = GuestOwnerFactory()
    _leech(owner)
    answer(QuestionFactory(uid="due-today"), owner=owner, correct=False, at=NOW - DAY)
    refresh_review_cards(owner.pk)
    ReviewCard.objects.filter(question_uid="chronic").update(suspended=True)

    queue = review_queue(refresh_review_cards(owner.pk), now=NOW)

    assert queue.due_uids == ["due-today"]
    assert queue.leeches == []
    assert [card.question_uid for card in queue.suspended] == ["chronic"]
    assert queue.forecast[0].reviews == 1


@pytest.mark.django_db
def test_a_replay_keeps_the_suspension():
    owner = GuestOwnerFactory()
    question = _leech(owner)
    refresh_review_cards(owner.pk)
    ReviewCard.objects.update(suspended=True)

    answer(question, owner=owner, correct=True, at=NOW)  # stale: replayed on the next read
    (card,) = refresh_review_cards(owner.pk)

    assert card.reviews == 6 and card.suspended
    assert ReviewCard.objects.get().suspended


# Moving to an account


@pytest.mark.django_db
def test_a_guest_keeps_suspensions_and_self_grades_on_sign_up():
    guest, account = GuestOwnerFactory(), Owner.objects.create(user=UserFactory())
    shared = QuestionFactory(uid="shared")
    _leech(guest, uid="guest-leech")
    response = _practice_answer(guest, shared, at=NOW - DAY)
    SelfGrade.objects.create(response=response, rating=Rating.Again, graded_at=NOW)
    answer(shared, owner=account, correct=True, at=NOW - 5 * DAY)
    refresh_review_cards(guest.pk)
    refresh_review_cards(account.pk)
    ReviewCard.objects.filter(owner=guest, question_uid__in=["guest-leech", "shared"]).update(suspended=True)

    guest.merge_into(account)

    cards = {card.question_uid: card for card in refresh_review_cards(account.pk)}
    assert set(cards) == {"guest-leech", "shared"}
    assert cards["guest-leech"].suspended and cards["shared"].suspended
    shared_card = cards["shared"]  # both histories, the guest's "Again" last
    assert (shared_card.reviews, shared_card.last_rating, shared_card.due) == (2, Rating.Again, NOW)
    assert ReviewCard.objects.filter(owner=account).count() == 2


@pytest.mark.django_db
def test_daily_limits_set_last_win_on_sign_up():
    guest, account = GuestOwnerFactory(), Owner.objects.create(user=UserFactory())
    StudyPlan.objects.create(owner=account, new_cap=5, review_cap=50, limits_set_at=NOW - DAY)
    StudyPlan.objects.create(owner=guest, new_cap=8, review_cap=None, limits_set_at=NOW)

    guest.merge_into(account)

    plan = StudyPlan.objects.get()
    assert (plan.owner, plan.new_cap, plan.review_cap) == (account, 8, None)


# Self-grade view


@pytest.mark.django_db
def test_self_grade_records_the_grade_and_reschedules(client, guest):
    response = _practice_answer(guest, QuestionFactory())
    url = reverse("insights:self_grade", args=[response.item.attempt_id, 1])

    reply = client.post(url, {"grade": "1"})

    assert reply["Location"] == reverse("practice:question", args=[response.item.attempt_id, 1])
    assert SelfGrade.objects.get().rating == Rating.Again
    card = ReviewCard.objects.get()
    assert (card.due, card.last_rating) == (NOW + DAY, Rating.Again)
    assert [str(m) for m in reply.wsgi_request._messages] == [
        "Your grade is saved: the question is due again on June 16, 2026."
    ]


@pytest.mark.django_db
def test_self_grade_as_htmx_returns_the_form_with_the_grade_pressed(client, guest):
    response = _practice_answer(guest, QuestionFactory())

    reply = client.post(
        reverse("insights:self_grade", args=[response.item.attempt_id, 1]), {"grade": "3"}, headers=HTMX
    )

    page = reply.content.decode()
    assert page.lstrip().startswith('<form id="self-grade"')
    assert 'value="3" class="button-small secondary" aria-pressed="true"' in page
    assert page.count('aria-pressed="false"') == 3
    assert "Saved: this question is due again on June 17, 2026." in page
    assert "Use the grade from my answer" in page


@pytest.mark.django_db
def test_withdrawing_a_self_grade_brings_back_the_inferred_schedule(client, guest):
    response = _practice_answer(guest, QuestionFactory())
    url = reverse("insights:self_grade", args=[response.item.attempt_id, 1])
    client.post(url, {"grade": "4"})

    reply = client.post(url, {"grade": ""}, headers=HTMX)

    assert not SelfGrade.objects.exists()
    assert ReviewCard.objects.get().due == NOW + 2 * DAY  # a right answer: Good
    assert "Back to the grade from your answer" in reply.content.decode()


@pytest.mark.django_db
def test_self_grade_of_someone_elses_answer_or_a_mock_is_not_found(client, guest):
    theirs = _practice_answer(GuestOwnerFactory(), QuestionFactory())
    mock = AttemptFactory(owner=guest, mode="exam", status="submitted", submitted_at=NOW)
    mine_in_a_mock = answer(QuestionFactory(), owner=guest, correct=True, at=NOW, attempt=mock)

    for response in (theirs, mine_in_a_mock):
        reply = client.post(reverse("insights:self_grade", args=[response.item.attempt_id, 1]), {"grade": "4"})
        assert reply.status_code == 404
    assert not SelfGrade.objects.exists()


@pytest.mark.django_db
def test_self_grade_without_an_answer_or_with_a_bad_grade_is_refused(client, guest):
    response = _practice_answer(guest, QuestionFactory())
    url = reverse("insights:self_grade", args=[response.item.attempt_id, 1])

    assert client.post(url, {"grade": "7"}).status_code == 400
    assert client.post(reverse("insights:self_grade", args=[response.item.attempt_id, 2])).status_code == 404
    assert client.get(url).status_code == 405
    assert not SelfGrade.objects.exists()


@pytest.mark.django_db
def test_practice_feedback_offers_the_self_grade_and_shows_the_one_given(client, guest):
    response = _practice_answer(guest, QuestionFactory())
    attempt = response.item.attempt
    Attempt.objects.filter(pk=attempt.pk).update(status="in_progress", submitted_at=None)
    page_url = reverse("practice:question", args=[attempt.pk, 1])

    page = client.get(page_url).content.decode()
    assert "How well did you know it?" in page and 'aria-pressed="true"' not in page

    SelfGrade.objects.create(response=response, rating=Rating.Hard, graded_at=NOW)
    page = client.get(page_url).content.decode()
    assert 'value="2" class="button-small secondary" aria-pressed="true"' in page


# Daily limits


@pytest.fixture
def bank():
    return [QuestionFactory(uid=f"q-{index:02}") for index in range(30)]


@pytest.mark.django_db
def test_daily_limits_cap_todays_target(client, guest, bank):
    for question in bank[:6]:
        answer(question, owner=guest, correct=False, at=NOW - DAY)  # six due today
    client.get(reverse("dashboard"))

    reply = client.post(reverse("insights:limits"), {"new_cap": "4", "review_cap": "3"})

    assert reply["Location"] == reverse("dashboard")
    plan = client.get(reverse("dashboard")).context["plan"]
    assert (plan.new_cap, plan.review_cap) == (4, 3)
    assert (plan.reviews, plan.new) == (3, 4)  # set again from the limits: 6 due, 15 a day by default
    assert "Your daily limit caps new questions at 4 a day." in client.get(reverse("dashboard")).content.decode()
    assert StudyPlan.objects.get().limits_set_at == NOW


@pytest.mark.django_db
def test_empty_limits_are_no_limits(client, guest, bank):
    StudyPlan.objects.create(owner=guest, new_cap=4, review_cap=3)

    client.post(reverse("insights:limits"), {"new_cap": "", "review_cap": ""})

    plan = StudyPlan.objects.get()
    assert (plan.new_cap, plan.review_cap) == (None, None)


@pytest.mark.django_db
def test_limits_as_htmx_return_the_plan_and_the_review_card_out_of_band(client, guest, bank):
    answer(bank[0], owner=guest, correct=False, at=NOW - DAY)

    reply = client.post(
        reverse("insights:limits"), {"new_cap": "", "review_cap": "10"}, headers={**HTMX, "HX-Target": "study-plan"}
    )

    page = reply.content.decode()
    assert page.lstrip().startswith('<section id="study-plan"')
    assert "Your daily limits are saved." in page
    assert (
        '<section id="review-card" class="card review-card" aria-labelledby="due-heading" hx-swap-oob="true">' in page
    )
    assert "Daily limit: 10 reviews, 10 left today." in page
    assert "<nav" not in page
    assert 'name="next" value="/"' in page  # a practice start from the fragment comes back to the dashboard


@pytest.mark.django_db
def test_a_bad_limit_is_refused_in_the_page(client, guest, bank):
    answer(bank[0], owner=guest, correct=False, at=NOW - DAY)

    reply = client.post(reverse("insights:limits"), {"new_cap": "-1"}, headers={**HTMX, "HX-Target": "study-plan"})

    page = reply.content.decode()
    assert "Ensure this value is greater than or equal to 0." in page
    assert '<details class="plan-limits" open>' in page
    assert not StudyPlan.objects.filter(new_cap__isnull=False).exists()


@pytest.mark.django_db
def test_limits_refuse_get(client, guest):
    assert client.get(reverse("insights:limits")).status_code == 405


@pytest.mark.django_db
def test_the_review_limit_caps_the_due_session_by_the_reviews_done_today(client, guest, bank):
    for question in bank[:8]:
        answer(question, owner=guest, correct=False, at=NOW - 2 * DAY)
    for question in bank[:2]:
        answer(question, owner=guest, correct=True, at=NOW)  # two reviews done today
    StudyPlan.objects.create(owner=guest, review_cap=5)

    client.post(reverse("insights:practise"), {"scope": "due"})

    attempt = Attempt.objects.get(owner=guest, status="in_progress")
    assert attempt.items.count() == 3


@pytest.mark.django_db
def test_a_reached_review_limit_starts_nothing_and_says_so(client, guest, bank):
    for question in bank[:3]:
        answer(question, owner=guest, correct=False, at=NOW - 2 * DAY)
    answer(bank[0], owner=guest, correct=True, at=NOW)
    answer(bank[1], owner=guest, correct=False, at=NOW - DAY)
    StudyPlan.objects.create(owner=guest, review_cap=1)

    reply = client.post(reverse("insights:practise"), {"scope": "due", "next": "/"})

    assert not Attempt.objects.filter(status="in_progress").exists()
    assert [str(m) for m in reply.wsgi_request._messages] == ["You have reached today's review limit."]
    page = client.get(reverse("dashboard")).content.decode()
    assert "Daily limit: 1 review, 0 left today." in page
    assert 'name="scope" value="due"' not in page


# Study ahead and the forecast on the dashboard


@pytest.mark.django_db
def test_with_nothing_due_the_dashboard_offers_study_ahead(client, guest, bank):
    for question in bank[:3]:
        answer(question, owner=guest, correct=True, at=NOW)  # Good: due in two days

    page = client.get(reverse("dashboard")).content.decode()

    assert 'name="scope" value="ahead"' in page and "Study ahead: 3 questions" in page
    assert 'name="scope" value="due"' not in page
    assert "Reviews due in the coming days" in page
    assert '<td class="num">3</td>' in page


@pytest.mark.django_db
def test_study_ahead_starts_practice_on_the_cards_due_soonest(client, guest, bank):
    answer(bank[0], owner=guest, correct=True, at=NOW)  # due in two days
    answer(bank[1], owner=guest, correct=False, at=NOW)  # due tomorrow
    answer(bank[2], owner=guest, correct=True, at=NOW, confidence="sure", ms=9_000)  # in eight days: too far

    reply = client.post(reverse("insights:practise"), {"scope": "ahead"})

    attempt = Attempt.objects.get(owner=guest, status="in_progress")
    assert reply["Location"] == attempt.get_absolute_url()
    assert list(attempt.items.order_by("position").values_list("question__uid", flat=True)) == ["q-01", "q-00"]


@pytest.mark.django_db
def test_study_ahead_with_nothing_due_soon_says_so(client, guest, bank):
    answer(bank[0], owner=guest, correct=True, at=NOW, confidence="sure", ms=9_000)

    reply = client.post(reverse("insights:practise"), {"scope": "ahead", "next": "/"})

    assert [str(m) for m in reply.wsgi_request._messages] == ["Nothing is due in the next days."]


@pytest.mark.django_db
def test_the_dashboard_links_chronic_misses_to_the_report(client, guest):
    _leech(guest)

    page = client.get(reverse("dashboard")).content.decode()

    assert "1 chronic miss: review or suspend it" in page


# Suspending a chronic miss


@pytest.mark.django_db
def test_suspend_a_leech_from_the_report(client, guest):
    _leech(guest)
    client.get(reverse("insights:report"))

    reply = client.post(reverse("insights:suspend"), {"question_uid": "chronic", "suspended": "1"})

    assert reply["Location"] == reverse("insights:report") + "#queue-heading"
    assert ReviewCard.objects.get().suspended
    page = client.get(reverse("insights:report")).content.decode()
    assert "None: no question keeps tripping you up." in page
    assert "Resume<span" in page and "0 questions are due for review today." in page


@pytest.mark.django_db
def test_suspend_as_htmx_returns_the_queue_with_a_status(client, guest):
    _leech(guest)
    answer(QuestionFactory(), owner=guest, correct=False, at=NOW - DAY)  # still due: "Practise due questions"
    client.get(reverse("insights:report"))

    reply = client.post(
        reverse("insights:suspend"),
        {"question_uid": "chronic", "suspended": "1"},
        headers={**HTMX, "HX-Target": "review-queue"},
    )

    page = reply.content.decode()
    assert page.lstrip().startswith('<section id="review-queue"')
    assert 'tabindex="-1" autofocus' in page
    assert "The question is suspended" in page
    assert 'name="next" value="/insights/"' in page


@pytest.mark.django_db
def test_resume_brings_the_question_back(client, guest):
    _leech(guest)
    refresh_review_cards(guest.pk)
    ReviewCard.objects.update(suspended=True)

    client.post(reverse("insights:suspend"), {"question_uid": "chronic", "suspended": "0"})

    assert not ReviewCard.objects.get().suspended


@pytest.mark.django_db
def test_suspend_of_a_card_one_does_not_own_is_not_found(client, guest):
    other = GuestOwnerFactory()
    _leech(other)
    refresh_review_cards(other.pk)

    reply = client.post(reverse("insights:suspend"), {"question_uid": "chronic", "suspended": "1"})

    assert reply.status_code == 404
    assert not ReviewCard.objects.get().suspended
    assert client.post(reverse("insights:suspend"), {"question_uid": "no such/uid"}).status_code == 400
    assert client.get(reverse("insights:suspend")).status_code == 405


@pytest.mark.django_db
def test_answering_offers_the_self_grade_without_touching_insights(client, guest):
    """The answer's own reply carries the buttons, yet no query of it reads or writes insights' tables."""
    question = make_single_question()
    session = start_practice(guest.pk, scope={"kind": "all"}, count=1, language="en", now=NOW)
    item = session.items.get()

    with CaptureQueriesContext(connection) as queries:
        reply = client.post(
            reverse("exams:answer", args=[session.pk, 1]),
            {"seq": "1", "spent": "4000", **item_fields(item, item.snapshot["key"])},
            headers=HTMX,
        )

    assert reply.status_code == 200 and question.uid == item.snapshot["uid"]
    assert f'action="{reverse("insights:self_grade", args=[session.pk, 1])}"' in reply.content.decode()
    assert [query["sql"] for query in queries if "insights_" in query["sql"]] == []
