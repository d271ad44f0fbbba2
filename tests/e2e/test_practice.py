"""Practice in Chromium: instant feedback with optimistic paint, rollback, bookmarks, keyboard."""

import re

import pytest
from playwright.sync_api import expect

from exams.models import Attempt, AttemptItem, Bookmark, Response
from tests.answers import token
from tests.exams.conftest import make_bank

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

TYPES = ("single", "multiple", "ordering", "matching")


def csp_problems(problems):
    return [problem for problem in problems if "Content Security Policy" in problem or "Refused" in problem]


def start_practice(page, live_server, count="10"):
    """As a guest, from the picker: everything, ``count`` questions."""
    page.goto(f"{live_server.url}/practice/")
    page.get_by_label(count if count != "endless" else "Endless", exact=True).check()
    page.get_by_role("button", name="Start practice").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"Question 1\s"))
    # A click before the answering modules are attached would be a plain (no-JS) post.
    expect(page.locator("html")).to_have_attribute("data-answering", "ready")
    return Attempt.objects.get()


def go_to_first(page, live_server, session, kind):
    item = next(
        i for i in AttemptItem.objects.filter(attempt=session).order_by("position") if i.snapshot["type"] == kind
    )
    page.goto(f"{live_server.url}/practice/{session.pk}/{item.position}/")
    return item


def test_a_held_answer_shows_the_choice_and_progress_before_the_verdict(live_server, page, console_problems):
    make_bank({1: 4, 2: 4, 3: 4}, types=("single",))
    session = start_practice(page, live_server)
    item = AttemptItem.objects.get(attempt=session, position=1)
    held = []
    page.route("**/answer/", lambda route: held.append(route))
    choice = item.snapshot["options"][2]

    page.locator(f"button[name=choice][value='{token(item, choice['id'])}']").click()

    button = page.locator(f"button[name=choice][value='{token(item, choice['id'])}']")
    expect(button).to_have_class(re.compile("is-selected.*is-pending"))
    expect(page.locator("[data-answered-count]")).to_have_text("1")
    expect(page.locator("#verdict")).to_have_count(0)
    assert not Response.objects.exists()

    held[0].continue_()

    verdict = page.locator("#verdict")
    expect(verdict).to_be_focused()
    expect(verdict).to_have_text(re.compile("Correct|Incorrect"))
    expect(page.locator("[data-announcer]")).to_have_text(re.compile("Correct|Incorrect"))
    expect(page.get_by_role("heading", name="Explanation")).to_be_visible()
    assert Response.objects.get().answer == [choice["id"]]
    assert console_problems == []


def test_an_aborted_answer_rolls_back_and_the_retry_brings_the_verdict(live_server, page, console_problems):
    make_bank({1: 4, 2: 4, 3: 4}, types=("multiple",))
    session = start_practice(page, live_server)
    item = AttemptItem.objects.get(attempt=session, position=1)
    page.route("**/answer/", lambda route: route.abort())
    key = item.snapshot["key"]
    for option in key:
        page.locator(f"#choice-{token(item, option)}").check()

    page.get_by_role("button", name="Check answer").click()

    expect(page.locator("[data-save-error]")).to_be_visible()
    expect(page.locator("[data-save-error-text]")).to_have_text("Not saved — retry")
    expect(page.locator("[data-answered-count]")).to_have_text("0")
    expect(page.locator("#answer-form")).not_to_have_class(re.compile("is-pending"))
    assert not Response.objects.exists()

    page.unroute("**/answer/")
    page.get_by_role("button", name="Retry").click()

    expect(page.locator("#verdict")).to_have_text(re.compile("Correct"))
    expect(page.locator("[data-answered-count]")).to_have_text("1")
    assert Response.objects.get().is_correct is True
    assert csp_problems(console_problems) == []


def test_rapid_clicks_keep_the_first_answer_on_screen_and_in_the_database(live_server, page):
    make_bank({1: 4}, types=("single",))
    session = start_practice(page, live_server)
    item = AttemptItem.objects.get(attempt=session, position=1)
    held = []
    page.route("**/answer/", lambda route: held.append(route))
    first, second = (row["id"] for row in item.snapshot["options"][:2])

    page.locator(f"button[name=choice][value='{token(item, first)}']").click()
    page.locator(f"button[name=choice][value='{token(item, second)}']").click()
    page.wait_for_timeout(300)
    assert len(held) == 1
    held[0].continue_()

    expect(page.locator("#verdict")).to_be_visible()
    expect(page.locator(".review-option.is-chosen")).to_have_count(1)
    assert Response.objects.get().answer == [first]


def test_a_held_bookmark_shows_at_once_and_survives_a_reload(live_server, page, console_problems):
    make_bank({2: 3})
    session = start_practice(page, live_server)
    uid = AttemptItem.objects.get(attempt=session, position=1).snapshot["uid"]
    held = []
    page.route("**/bookmarks/**", lambda route: held.append(route))
    bookmark = page.get_by_role("button", name="Bookmark")

    bookmark.click()

    expect(bookmark).to_have_attribute("aria-pressed", "true")
    assert not Bookmark.objects.exists()
    held[0].continue_()
    expect(page.locator(f"#bookmark-{uid}")).not_to_have_class(re.compile("is-pending"))

    page.reload()

    expect(page.get_by_role("button", name="Bookmark")).to_have_attribute("aria-pressed", "true")
    assert Bookmark.objects.get().question_uid == uid
    assert console_problems == []


def test_a_double_click_on_bookmark_ends_unbookmarked(live_server, page):
    make_bank({2: 3})
    start_practice(page, live_server)
    bookmark = page.get_by_role("button", name="Bookmark")

    bookmark.dblclick()

    expect(bookmark).to_have_attribute("aria-pressed", "false")
    page.wait_for_timeout(500)
    page.reload()
    expect(page.get_by_role("button", name="Bookmark")).to_have_attribute("aria-pressed", "false")
    assert not Bookmark.objects.exists()


def test_a_failed_bookmark_rolls_back_with_a_retry(live_server, page):
    make_bank({2: 3})
    start_practice(page, live_server)
    page.route("**/bookmarks/**", lambda route: route.abort())
    bookmark = page.get_by_role("button", name="Bookmark")

    bookmark.click()

    expect(bookmark).to_have_attribute("aria-pressed", "false")
    expect(page.locator("[data-toggle-status]").first).to_contain_text("Not saved — retry")
    page.unroute("**/bookmarks/**")
    page.locator("[data-toggle-retry]").click()
    expect(bookmark).to_have_attribute("aria-pressed", "true")
    expect(page.locator("form[data-optimistic-toggle]")).not_to_have_class(re.compile("is-pending"))
    expect(page.locator("[data-toggle-status]").first).to_have_text("")
    assert Bookmark.objects.count() == 1


def answer_by_keyboard(page, snapshot):
    kind = snapshot["type"]
    if kind == "single":
        page.keyboard.press("8")  # sure
        page.keyboard.press("2")  # answers at once
        return
    if kind == "multiple":
        page.keyboard.press("1")
        page.keyboard.press("2")
    elif kind == "matching":
        page.keyboard.press("1")
        for _ in snapshot["options"]:
            page.keyboard.press("ArrowDown")
            page.keyboard.press("Tab")
    page.keyboard.press("9")  # unsure
    page.keyboard.press("Enter")  # check answer (ordering: as shown)


def test_a_ten_question_session_by_keyboard_alone(live_server, page, console_problems):
    make_bank({1: 3, 2: 3, 3: 2, 4: 1, 5: 1}, types=TYPES)
    page.goto(f"{live_server.url}/practice/")
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == "Start practice":
            break
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"Question 1\s+of 10"))
    expect(page.locator("html")).to_have_attribute("data-answering", "ready")
    session = Attempt.objects.get()
    snapshots = {item.position: item.snapshot for item in AttemptItem.objects.filter(attempt=session)}

    for position in range(1, 11):
        answer_by_keyboard(page, snapshots[position])
        expect(page.locator("#verdict")).to_be_focused(timeout=15_000)
        expect(page.locator("[data-answered-count]")).to_have_text(str(position))
        if position == 4:
            page.keyboard.press("s")
            expect(page.get_by_role("button", name="Bookmark")).to_have_attribute("aria-pressed", "true")
        page.keyboard.press("n")
        if position < 10:
            expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(rf"Question {position + 1}\s"))
            expect(page.locator("html")).to_have_attribute("data-answering", "ready")

    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("Practice summary"))
    expect(page.locator(".score-value")).to_have_text(re.compile(r"\d+ / 10"))
    assert Response.objects.filter(item__attempt=session).count() == 10
    assert set(Response.objects.values_list("confidence", flat=True)) == {"sure", "unsure"}
    assert Bookmark.objects.count() == 1
    assert Attempt.objects.get().status == Attempt.Status.SUBMITTED
    assert console_problems == []
