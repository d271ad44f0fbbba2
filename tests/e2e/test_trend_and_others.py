"""The road to the exam and how others did, in Chromium at phone width: the readiness trend
with its range, the pass mark, the exam date and the outlook, its table opened by keyboard
(English and Japanese); "how others did" after an answer in practice and in a finished
mock's review, never before answering or during the mock."""

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import Owner
from exams import attempts
from insights.models import StudyPlan
from tests.e2e.test_accessibility import axe_violations, log_in
from tests.e2e.test_japanese import catalogue_english, untranslated
from tests.factories import (
    AttemptFactory,
    BlueprintFactory,
    GuestOwnerFactory,
    UserFactory,
    _task,
    make_single_question,
)
from tests.insights.helpers import answer
from tests.main_pages import answer_item

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PHONE = {"width": 390, "height": 844}
# 14 or 15 of 20 or 21: the candidate's own first answer counts once the cached figures include it.
OTHERS = re.compile(r"^\s*\d+ % of candidates got this right on their first try\s+\(2[01] candidates\)\s*$")


def _fits_a_phone(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


@pytest.fixture
def candidate():
    """An account with three weeks of practice in every domain, a mock 10 days ago and an exam in 30 days."""
    user = UserFactory()
    owner = Owner.objects.create(user=user)
    now = timezone.now()
    for domain in range(1, 6):
        for index in range(6):
            question = make_single_question(task=_task(f"{domain}.1"))
            answer(question, owner=owner, correct=index % 3 != 0, at=now - timedelta(days=3 * index + 1))
    mock = AttemptFactory(
        owner=owner, mode="exam", status="submitted", submitted_at=now - timedelta(days=10), scaled_score=690
    )
    for domain in range(1, 6):
        question = make_single_question(task=_task(f"{domain}.1"))
        answer(question, owner=owner, correct=True, at=now - timedelta(days=10, minutes=5), attempt=mock)
    StudyPlan.objects.create(owner=owner, exam_date=timezone.localdate() + timedelta(days=30))
    return user


def test_the_readiness_trend_shows_the_road_to_the_exam(live_server, page, console_problems, candidate):
    page.set_viewport_size(PHONE)
    log_in(page, live_server, candidate)

    page.goto(f"{live_server.url}/")

    trend = page.locator("[data-readiness-trend]")
    expect(trend.get_by_role("heading", name="Readiness over time")).to_be_visible()
    chart = trend.locator("svg.chart.trend")
    expect(chart).to_be_visible()
    expect(chart.locator("circle.trend-week")).to_have_count(3)  # now, 1 and 2 weeks ago
    expect(chart.locator("rect.trend-mock")).to_have_count(1)
    expect(chart.locator("polygon.trend-band")).to_have_count(1)
    expect(chart.locator("line.pass-line")).to_have_count(1)
    expect(chart.locator("line.exam-line")).to_have_count(1)
    expect(trend.locator("[data-outlook]")).to_contain_text(
        re.compile(r"(On track|Behind|Too close to call) for your exam on")
    )

    summary = trend.get_by_text("Show the figures")
    summary.focus()
    page.keyboard.press("Enter")
    table = trend.get_by_role("table")
    expect(table).to_be_visible()
    expect(table.locator("tbody tr")).to_have_count(4)
    expect(table.locator("tbody tr").nth(1)).to_contain_text("After a mock exam (scored 690)")
    _fits_a_phone(page)
    assert axe_violations(page) == []

    page.context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": "ja", "url": live_server.url}])
    page.reload()

    expect(page.locator("html")).to_have_attribute("lang", "ja")
    expect(page.get_by_role("heading", name="準備状況の推移")).to_be_visible()
    expect(page.locator("[data-outlook]")).to_contain_text("の試験に向けて")
    assert untranslated(page, catalogue_english()) == []
    _fits_a_phone(page)
    assert console_problems == []


@pytest.fixture
def bank():
    """One question per domain, each answered by 20 other candidates (14 of them right first)."""
    cache.clear()  # the statistics of an earlier test's log must not stand in
    questions = [make_single_question(task=_task(f"{domain}.1")) for domain in range(1, 6)]
    at = timezone.now() - timedelta(days=1)
    for index in range(20):
        other = GuestOwnerFactory()
        for question in questions:
            answer(question, owner=other, correct=index < 14, at=at)
    return questions


def test_how_others_did_appears_after_answering_only(live_server, page, console_problems, bank):
    page.set_viewport_size(PHONE)
    user = UserFactory()
    owner = Owner.objects.create(user=user)
    practice = attempts.start_practice(
        owner.pk, scope={"kind": "all"}, count=1, language="en", question_ids=[bank[0].pk], now=timezone.now()
    )
    log_in(page, live_server, user)
    fetched = []
    page.on("request", lambda request: "/insights/others/" in request.url and fetched.append(request.url))

    page.goto(f"{live_server.url}/practice/{practice.pk}/1/")
    expect(page.locator("html")).to_have_attribute("data-answering", "ready")
    expect(page.locator(".others-did")).to_have_count(0)  # never before answering
    page.locator("[data-choice]").first.focus()
    page.keyboard.press("Enter")  # the keyboard answers

    expect(page.locator("#verdict")).to_be_focused()
    expect(page.locator("p.others-did")).to_have_text(OTHERS)
    _fits_a_phone(page)
    assert axe_violations(page) == []

    # A mock on the same questions: nothing while it runs, the figure under each question after.
    exam = attempts.start_exam(owner.pk, BlueprintFactory(question_count=5, unscored_count=0), now=timezone.now())
    fetched.clear()
    page.goto(f"{live_server.url}/exams/attempts/{exam.pk}/1/")
    page.locator(".choice").first.click()
    expect(page.locator("[data-save-status]")).to_contain_text("Saved")
    page.goto(f"{live_server.url}/exams/attempts/{exam.pk}/review/")
    expect(page.locator(".others-did")).to_have_count(0)
    assert fetched == []
    for item in exam.items.exclude(position=1):
        item.attempt = exam
        answer_item(item, correct=True, now=timezone.now())
    attempts.submit_attempt(exam, now=timezone.now())

    page.goto(f"{live_server.url}/exams/attempts/{exam.pk}/results/")

    expect(page.locator("p.others-did")).to_have_count(5)
    expect(page.locator("p.others-did").first).to_have_text(OTHERS)
    _fits_a_phone(page)
    assert axe_violations(page) == []
    assert console_problems == []
