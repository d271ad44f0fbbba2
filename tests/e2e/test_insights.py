import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from exams.models import Attempt
from questions.models import TaskStatement
from tests.factories import OwnerFactory, TagFactory, make_single_question
from tests.insights.helpers import answer

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PASSWORD = "correct horse battery staple"


@pytest.fixture
def candidate():
    """An account with a week of practice: weak on 3.2, strong on 1.1, a few tagged questions."""
    owner = OwnerFactory()
    now = timezone.now()
    tag = TagFactory(slug="prompt-engineering")
    for code, right, total in (("3.2", 2, 8), ("1.1", 6, 7)):
        task = TaskStatement.objects.get(code=code)
        for index in range(total):
            question = make_single_question(task=task)
            if code == "3.2":
                question.tags.add(tag)
            answer(question, owner=owner, correct=index < right, at=now - timedelta(days=index % 5, hours=1))
    return owner


def _log_in(page, live_server, user):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password:", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def test_report_draws_its_charts_and_practise_this_starts_that_task(live_server, page, console_problems, candidate):
    _log_in(page, live_server, candidate.user)

    page.goto(f"{live_server.url}/insights/")

    for chart in ("gauge", "bars", "heat"):
        expect(page.locator(f"svg.chart.{chart}")).to_be_visible()
    expect(page.locator("svg.chart.heat g.cell")).to_have_count(14)
    weakest = page.locator("table.scope-table").nth(1).locator("tbody tr").first
    expect(weakest.get_by_role("rowheader")).to_contain_text("3.2")
    assert console_problems == []

    weakest.get_by_role("button", name=re.compile("Practise this")).click()

    expect(page).to_have_url(re.compile(r"/practice/\d+/"))
    attempt = Attempt.objects.get(owner=candidate, status="in_progress")
    assert attempt.scope == {"kind": "task", "value": "3.2"}
    assert set(attempt.items.values_list("question__task__code", flat=True)) == {"3.2"}


def test_tag_table_sorts_in_place(live_server, page, console_problems, candidate):
    _log_in(page, live_server, candidate.user)
    page.goto(f"{live_server.url}/insights/")
    page.evaluate("document.body.dataset.marker = 'same page'")

    page.locator("#tag-table").get_by_role("link", name=re.compile("^Accuracy")).click()

    expect(page).to_have_url(re.compile(r"\?tags=accuracy$"))
    expect(page.locator("#tag-table th[aria-sort='ascending']")).to_contain_text("Accuracy")
    assert page.evaluate("document.body.dataset.marker") == "same page"  # swapped, not reloaded
    assert console_problems == []


def test_newcomer_is_one_click_from_the_first_question(live_server, page, console_problems):
    make_single_question()

    page.goto(f"{live_server.url}/")
    page.get_by_role("button", name="Start practice").click()

    expect(page).to_have_url(re.compile(r"/practice/\d+/"))
    assert Attempt.objects.get().scope == {"kind": "all"}
