"""The review queue the candidate controls, in Chromium at phone width and by keyboard:
grade one's own answer after the feedback, read the forecast, set daily limits and study
ahead from the dashboard, suspend a chronic miss on the report (issue 21 §3)."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from fsrs import Rating
from playwright.sync_api import expect

from exams.models import Attempt
from insights.models import ReviewCard, SelfGrade, StudyPlan
from tests.e2e.candidate import open_question
from tests.e2e.test_accessibility import axe_violations, log_in
from tests.factories import OwnerFactory, make_single_question
from tests.insights.helpers import answer

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _phone(page):
    page.set_viewport_size({"width": 390, "height": 844})


def _fits_a_phone(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_grade_an_answer_after_its_feedback_by_keyboard(live_server, page, console_problems):
    _phone(page)
    item = open_question(page, live_server, "practice", "single")
    page.keyboard.press("1")  # single choice: answers at once
    expect(page.locator("#verdict")).to_be_focused(timeout=15_000)
    group = page.get_by_role("group", name="How well did you know it?")
    expect(group).to_be_visible()
    _fits_a_phone(page)
    assert axe_violations(page) == []

    easy = page.get_by_role("button", name="Easy", exact=True)
    easy.focus()
    page.keyboard.press("Enter")

    expect(page.locator(".self-grade-status")).to_contain_text("Saved: this question is due again on")
    easy = page.get_by_role("button", name="Easy", exact=True)
    expect(easy).to_have_attribute("aria-pressed", "true")
    expect(easy).to_be_focused()  # the swap keeps the keyboard where it was
    grade = SelfGrade.objects.get(response__item=item)
    assert grade.rating == Rating.Easy
    assert ReviewCard.objects.get().last_rating == Rating.Easy

    page.get_by_role("button", name="Use the grade from my answer").focus()
    page.keyboard.press("Enter")
    expect(page.locator(".self-grade-status")).to_contain_text("Back to the grade from your answer")
    assert not SelfGrade.objects.exists()
    expect(page.locator("#self-grade [aria-pressed='true']")).to_have_count(0)
    assert axe_violations(page) == []
    assert console_problems == []


@pytest.fixture
def studied():
    """An account that answered five questions right today: nothing due until the day after tomorrow."""
    owner = OwnerFactory()
    now = timezone.now()
    for index in range(5):
        answer(make_single_question(uid=f"studied-{index}"), owner=owner, correct=True, at=now)
    for index in range(5):
        make_single_question(uid=f"unseen-{index}")
    return owner


def test_forecast_daily_limits_and_study_ahead_on_the_dashboard(live_server, page, console_problems, studied):
    _phone(page)
    log_in(page, live_server, studied.user)
    page.goto(f"{live_server.url}/")

    forecast = page.get_by_role("table", name="Reviews due in the coming days")
    expect(forecast).to_be_visible()
    expect(forecast.get_by_role("row", name=re.compile(r"^Today\b"))).to_contain_text("0")
    expect(forecast.locator("tbody tr").nth(2)).to_contain_text("5")  # the day after tomorrow
    expect(page.get_by_role("button", name="Study ahead: 5 questions")).to_be_visible()

    summary = page.get_by_text("Daily limits", exact=True)
    summary.focus()
    page.keyboard.press("Enter")
    page.get_by_label("Reviews a day, at most").fill("3")
    page.get_by_label("New questions a day, at most").fill("2")
    page.get_by_label("New questions a day, at most").press("Enter")

    expect(page.locator("#study-plan [role='status']")).to_have_text("Your daily limits are saved.")
    expect(page.locator("#review-card")).to_contain_text("Daily limit: 3 reviews, 3 left today.")
    ahead = page.get_by_role("button", name="Study ahead: 3 questions")
    expect(ahead).to_be_visible()  # the review card came along out of band
    expect(page.locator("#study-plan")).to_contain_text("0 due for review + 2 new")
    plan = StudyPlan.objects.get(owner=studied)
    assert (plan.new_cap, plan.review_cap) == (2, 3)
    _fits_a_phone(page)
    assert axe_violations(page) == []
    assert console_problems == []

    ahead.focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/practice/\d+/"))
    attempt = Attempt.objects.get(owner=studied, status="in_progress")
    assert attempt.items.count() == 3
    assert all(uid.startswith("studied-") for uid in attempt.items.values_list("question__uid", flat=True))


@pytest.fixture
def struggling():
    """An account with one question missed five times over six weeks (a chronic miss), and one other due."""
    owner = OwnerFactory()
    now = timezone.now()
    chronic = make_single_question(uid="chronic", stem="Which service keeps tripping you up?")
    for days in (40, 30, 20, 10, 5):
        answer(chronic, owner=owner, correct=False, at=now - timedelta(days=days))
    answer(make_single_question(uid="other"), owner=owner, correct=False, at=now - timedelta(days=2))
    return owner


def test_suspend_a_chronic_miss_and_resume_it_by_keyboard(live_server, page, console_problems, struggling):
    _phone(page)
    log_in(page, live_server, struggling.user)
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="1 chronic miss: review or suspend it").click()
    queue = page.locator("#review-queue")
    expect(queue).to_contain_text("2 questions are due for review today.")

    page.get_by_role("button", name=re.compile(r"^Suspend\W+Which service")).focus()
    page.keyboard.press("Enter")

    expect(queue.get_by_role("status")).to_contain_text("The question is suspended")
    expect(page.locator("#queue-heading")).to_be_focused()
    expect(queue).to_contain_text("1 question is due for review today.")
    expect(queue).to_contain_text("None: no question keeps tripping you up.")
    resume = page.get_by_role("button", name=re.compile(r"^Resume\W+Which service"))
    expect(resume).to_be_visible()
    assert ReviewCard.objects.get(owner=struggling, question_uid="chronic").suspended
    _fits_a_phone(page)
    assert axe_violations(page) == []

    resume.focus()
    page.keyboard.press("Enter")
    expect(queue.get_by_role("status")).to_contain_text("The question is back in your reviews.")
    expect(queue).to_contain_text("2 questions are due for review today.")
    assert not ReviewCard.objects.get(owner=struggling, question_uid="chronic").suspended
    assert console_problems == []
