import pytest
from playwright.sync_api import expect

from tests.factories import UserFactory, make_ordering_question

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def log_in(page, live_server):
    UserFactory(username="author", is_staff=True, is_superuser=True)
    page.goto(f"{live_server.url}/admin/login/")
    page.get_by_label("Username:").fill("author")
    page.get_by_label("Password:").fill("correct horse battery staple")
    page.get_by_role("button", name="Log in").click()


def test_option_columns_follow_the_question_type(live_server, page, console_problems):
    log_in(page, live_server)
    page.goto(f"{live_server.url}/admin/questions/question/add/")
    match_header = page.locator(".tabular th.column-match")
    correct_header = page.locator(".tabular th.column-is_correct")
    text_header = page.locator(".tabular th.column-text")

    expect(match_header).to_be_hidden()
    expect(text_header).to_contain_text("Option")

    page.get_by_label("Type:").select_option("matching")
    expect(match_header).to_be_visible()
    expect(correct_header).to_be_hidden()
    expect(text_header).to_contain_text("Prompt")

    page.get_by_label("Type:").select_option("ordering")
    expect(match_header).to_be_hidden()
    expect(correct_header).to_be_hidden()
    expect(text_header).to_contain_text("Item")
    assert console_problems == []


def test_preview_opens_from_the_change_page(live_server, page, console_problems):
    question = make_ordering_question(explanation="Order matters.")
    log_in(page, live_server)
    page.goto(f"{live_server.url}/admin/questions/question/{question.pk}/change/")

    page.get_by_role("link", name="View on site").click()

    expect(page.get_by_role("heading", name="As the candidate sees it")).to_be_visible()
    expect(page.get_by_text("Order matters.")).to_be_visible()
    assert console_problems == []
