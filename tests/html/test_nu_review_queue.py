"""The Nu HTML checker on the review queue's states the main pages do not reach: study ahead
with daily limits, chronic misses with a suspended one, and feedback with a self-grade given."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import Owner
from exams import attempts
from insights.models import ReviewCard, SelfGrade, StudyPlan
from insights.review import refresh_review_cards
from tests.factories import UserFactory, make_single_question
from tests.html.test_nu_checker import _require_checker, check_html
from tests.insights.helpers import answer
from tests.main_pages import answer_item


def _candidate():
    user = UserFactory()
    client = Client()
    client.force_login(user)
    return Owner.objects.create(user=user), client


@pytest.mark.django_db
def test_review_queue_states_are_valid_html(tmp_path):
    _require_checker()
    now = timezone.now()
    pages = {}

    # Nothing due today, five due the day after tomorrow, daily limits set: study ahead.
    ahead, client = _candidate()
    for index in range(5):
        answer(make_single_question(uid=f"ahead-{index}"), owner=ahead, correct=True, at=now)
    StudyPlan.objects.create(owner=ahead, new_cap=3, review_cap=2)
    pages["dashboard with study ahead"] = client.get(reverse("dashboard"))
    pages["dashboard with a bad limit"] = client.post(reverse("insights:limits"), {"new_cap": "-4"})

    # Two chronic misses, one suspended.
    struggling, client = _candidate()
    for uid in ("chronic-1", "chronic-2"):
        question = make_single_question(uid=uid)
        for days in (40, 30, 20, 10, 5):
            answer(question, owner=struggling, correct=False, at=now - timedelta(days=days))
    refresh_review_cards(struggling.pk)
    ReviewCard.objects.filter(question_uid="chronic-2").update(suspended=True)
    pages["dashboard with chronic misses"] = client.get(reverse("dashboard"))
    pages["report with a suspended question"] = client.get(reverse("insights:report"))

    # Practice feedback with a self-grade given.
    question = make_single_question(uid="graded")
    session = attempts.start_practice(
        struggling.pk, scope={"kind": "all"}, count=1, language="en", question_ids=[question.pk], now=now
    )
    item = session.items.get()
    item.attempt = session
    answer_item(item, correct=True, now=now)
    SelfGrade.objects.create(response=item.response, rating=SelfGrade.Rating.HARD, graded_at=now)
    pages["feedback with a self-grade"] = client.get(reverse("practice:question", args=[session.pk, 1]))

    files = {}
    for name, response in pages.items():
        assert response.status_code == 200, name
        path = tmp_path / f"{name.replace(' ', '-')}.html"
        path.write_bytes(response.content)
        files[path.as_uri().removeprefix("file://")] = name
    page_text = {name: response.content.decode() for name, response in pages.items()}
    assert "Study ahead: 2 questions" in page_text["dashboard with study ahead"]
    assert "Resume" in page_text["report with a suspended question"]
    assert 'aria-pressed="true"' in page_text["feedback with a self-grade"]

    errors = check_html(list(tmp_path.iterdir()))

    report = [
        f"{files.get(e['url'].removeprefix('file:'), e['url'])}:{e.get('lastLine')}: {e['message']}" for e in errors
    ]
    assert not report, "\n".join(report)
