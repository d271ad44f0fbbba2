"""Issue 10 in Chromium: a guest practises and sits a mock with no account, then signs up
and finds everything on the account; another browser cannot see the guest's attempt."""

import re

import pytest
from playwright.sync_api import expect

from accounts.models import Owner
from exams.models import Attempt, AttemptItem, Bookmark, Response
from questions.models import GuideRevision
from tests.answers import token
from tests.exams.conftest import make_bank

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_guest_work_moves_to_the_account_on_sign_up_and_stays_private(live_server, page, browser, console_problems):
    guide = GuideRevision.objects.get(code="2026")
    make_bank({1: 13, 2: 16, 3: 18, 4: 9, 5: 9}, types=("single",), guide=guide)

    # Practice as a guest: answer the first question, bookmark it.
    page.goto(f"{live_server.url}/practice/")
    page.get_by_label("10", exact=True).check()
    page.get_by_role("button", name="Start practice").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"Question 1\s"))
    expect(page.locator("html")).to_have_attribute("data-answering", "ready")
    practice = Attempt.objects.get(mode="practice")
    first = AttemptItem.objects.get(attempt=practice, position=1)
    page.locator(f"button[name=choice][value='{token(first, first.snapshot['options'][0]['id'])}']").click()
    expect(page.locator("#verdict")).to_have_text(re.compile("Correct|Incorrect"))
    bookmark = page.locator(f"#bookmark-{first.snapshot['uid']}-button")
    bookmark.click()
    expect(bookmark).to_have_attribute("aria-pressed", "true")
    expect(page.locator(f"#bookmark-{first.snapshot['uid']}")).not_to_have_class(re.compile("is-pending"))
    # A mock as the same guest: start it and answer question 1.
    page.goto(f"{live_server.url}/exams/")
    page.get_by_role("region", name="AIF-C01 full mock").get_by_role("link", name="Start mock exam").click()
    page.get_by_role("button", name="Start mock exam").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"Question 1\s+of 65"))
    expect(page.locator("html")).to_have_attribute("data-answering", "ready")  # keys need the script
    mock = Attempt.objects.get(mode="exam")
    page.keyboard.press("a")
    expect(page.locator("#answer-form")).not_to_have_class(re.compile("is-pending"))
    expect(page.locator("#save-status")).to_have_text(re.compile("Saved"))
    guest = Owner.objects.get()
    assert guest.is_guest
    assert Response.objects.filter(item__attempt__owner=guest).count() == 2
    assert Bookmark.objects.filter(owner=guest).count() == 1

    # Another browser (its own session) gets 404 for the guest's attempt.
    other = browser.new_context()
    stranger = other.new_page()
    response = stranger.goto(f"{live_server.url}/exams/attempts/{mock.pk}/1/")
    assert response.status == 404
    response = stranger.goto(f"{live_server.url}/practice/{practice.pk}/1/")
    assert response.status == 404
    other.close()

    # Sign up: everything the guest did is the account's now.
    page.goto(f"{live_server.url}/accounts/signup/")
    page.get_by_label("Username").fill("from-guest")
    page.get_by_label("Password:", exact=True).fill("a-long-unusual-passphrase")
    page.get_by_label("Password confirmation:").fill("a-long-unusual-passphrase")
    page.get_by_role("button", name="Sign up").click()
    expect(page).to_have_url(f"{live_server.url}/")

    account = Owner.objects.get(user__username="from-guest")
    assert not Owner.objects.filter(pk=guest.pk).exists()
    assert set(Attempt.objects.values_list("owner_id", flat=True)) == {account.pk}
    assert Response.objects.filter(item__attempt__owner=account).count() == 2
    assert Bookmark.objects.get().owner_id == account.pk
    expect(page.get_by_role("link", name=re.compile("Resume")).first).to_be_visible()
    response = page.goto(f"{live_server.url}/exams/attempts/{mock.pk}/1/")
    assert response.status == 200
    page.goto(f"{live_server.url}/practice/bookmarks/")
    # Bookmarks are listed by their question's stem (issue 16: names, not slugs).
    expect(page.locator("main")).to_contain_text(first.question.stem)
    assert console_problems == []
