"""The study plan on the dashboard, in Chromium at phone width: set a date by keyboard, see
the card swap in place, read how the target is computed, start today's new questions."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from exams.models import Attempt
from insights.models import StudyPlan
from questions.models import TaskStatement
from tests.e2e.test_accessibility import axe_violations
from tests.factories import OwnerFactory, make_single_question
from tests.insights.helpers import answer

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PASSWORD = "correct horse battery staple"


@pytest.fixture
def candidate():
    """An account that answered 6 of 30 questions yesterday (weak on 3.1)."""
    owner = OwnerFactory()
    yesterday = timezone.now() - timedelta(days=1)
    for code in ("1.1", "3.1", "4.1"):
        task = TaskStatement.objects.get(code=code)
        for index in range(10):
            question = make_single_question(task=task)
            if index < 2:
                answer(question, owner=owner, correct=code == "1.1", at=yesterday)
    return owner


def test_set_an_exam_date_and_start_todays_new_questions(live_server, page, console_problems, candidate):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill(candidate.user.username)
    page.get_by_label("Password:", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.locator("#study-plan")).to_contain_text("No exam date set")
    # htmx takes over the forms on DOMContentLoaded; a form sent before that posts as a page.
    page.wait_for_load_state()
    page.evaluate("document.body.dataset.marker = 'same page'")

    exam_day = timezone.localdate() + timedelta(days=30)
    field = page.get_by_label("Exam date")
    field.fill(exam_day.isoformat())
    field.press("Enter")  # the keyboard submits the form

    expect(page.locator("#study-plan")).to_contain_text("30 days left until your exam")
    assert page.evaluate("document.body.dataset.marker") == "same page"  # swapped in, not reloaded
    assert StudyPlan.objects.get(owner=candidate).exam_date == exam_day
    summary = page.get_by_text("How is this computed?")
    summary.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text("leaving the last week for reviews")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # nothing overflows a phone
    assert axe_violations(page) == []
    assert console_problems == []

    learn = page.get_by_role("button", name=re.compile(r"^Learn \d+ new question"))
    count = int(re.search(r"\d+", learn.inner_text()).group())
    learn.click()

    expect(page).to_have_url(re.compile(r"/practice/\d+/"))
    attempt = Attempt.objects.get(owner=candidate, status="in_progress")
    assert attempt.items.count() == count == 2  # 24 unseen over 23 learning days
