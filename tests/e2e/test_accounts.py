import pytest
from playwright.sync_api import expect

# serialized_rollback: like every browser test, so the flush after it keeps the seeded rows and
# content types that the next browser test restores (a plain flush re-creates content types).
pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_new_user_signs_up_and_lands_on_dashboard_without_console_errors(live_server, page, console_problems):
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="Sign up").first.click()

    page.get_by_label("Username").fill("newcomer")
    page.get_by_label("Password:", exact=True).fill("a-long-unusual-passphrase")
    page.get_by_label("Password confirmation:").fill("a-long-unusual-passphrase")
    page.get_by_role("button", name="Sign up").click()

    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    expect(page.get_by_text("newcomer")).to_be_visible()
    assert console_problems == []
