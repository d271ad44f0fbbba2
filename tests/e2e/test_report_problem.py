import pytest
from playwright.sync_api import expect

from questions.models import ProblemReport
from tests.factories import make_single_question

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def open_form(page, live_server, uid):
    page.goto(f"{live_server.url}/questions/{uid}/report/")
    page.get_by_label("Unclear wording").check()
    page.get_by_label("Comment (optional)").fill("The second sentence contradicts the first.")


def test_report_shows_thanks_before_the_server_answers(live_server, page, console_problems):
    make_single_question(uid="e2e-report")
    open_form(page, live_server, "e2e-report")
    held = []
    page.route("**/questions/e2e-report/report/", lambda route: held.append(route))
    page.get_by_role("button", name="Send report").click()

    # Optimistic: the thanks shows while the request is still held.
    thanks = page.locator("[data-report-thanks]")
    expect(thanks).to_be_visible()
    expect(thanks).to_have_text("✓ Thanks — reported")
    expect(page.get_by_role("button", name="Send report")).to_be_hidden()
    assert held
    held[0].continue_()

    expect(page.get_by_text("Thanks — reported. An author will look at it.")).to_be_visible()
    report = ProblemReport.objects.get()
    assert (report.reason, report.comment) == ("unclear", "The second sentence contradicts the first.")
    assert console_problems == []


def test_report_rolls_back_when_the_request_fails_and_retry_works(live_server, page):
    make_single_question(uid="e2e-report")
    open_form(page, live_server, "e2e-report")
    page.route("**/questions/e2e-report/report/", lambda route: route.abort())

    page.get_by_role("button", name="Send report").click()

    expect(page.get_by_text("Not sent — check your connection and retry.")).to_be_visible()
    expect(page.get_by_label("Comment (optional)")).to_have_value("The second sentence contradicts the first.")
    expect(page.locator("[data-report-thanks]")).to_be_hidden()
    assert not ProblemReport.objects.exists()

    page.unroute("**/questions/e2e-report/report/")
    page.get_by_role("button", name="Send report").click()

    expect(page.get_by_text("Thanks — reported. An author will look at it.")).to_be_visible()
    assert ProblemReport.objects.count() == 1


def test_report_works_without_javascript(live_server, browser):
    make_single_question(uid="e2e-report")
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    open_form(page, live_server, "e2e-report")

    page.get_by_role("button", name="Send report").click()

    expect(page.get_by_text("Thanks — reported. An author will look at it.")).to_be_visible()
    assert ProblemReport.objects.count() == 1
    context.close()
