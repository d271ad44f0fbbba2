"""The mock exam in Chromium: keyboard-only sitting, reloads, optimistic saves, the deadline.

Saves are held or aborted with ``page.route`` to see the optimistic state before the
server answers and the rollback when it never does.
"""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from exams.models import Attempt, AttemptItem, Response
from exams.tokens import tokens_for
from questions.models import GuideRevision
from tests.answers import token
from tests.exams.conftest import ensure_seeded, make_bank

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

TYPES = ("single", "multiple", "ordering", "matching")
# A long walk through 65 pages: allow a loaded CI machine more than the default 5 s a step.
SLOW = 15_000


def csp_problems(problems):
    return [problem for problem in problems if "Content Security Policy" in problem or "Refused" in problem]


@pytest.fixture
def full_bank():
    ensure_seeded()
    guide = GuideRevision.objects.get(code="2026")
    make_bank({1: 13, 2: 16, 3: 18, 4: 9, 5: 9}, types=TYPES, guide=guide)


def start_full_mock(page, live_server):
    """As a guest: the list, "Start mock exam", the confirm step; lands on question 1."""
    page.goto(f"{live_server.url}/exams/")
    page.get_by_role("region", name="AIF-C01 full mock").get_by_role("link", name="Start mock exam").click()
    page.get_by_role("button", name="Start mock exam").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"Question 1\s+of 65"))
    expect(page.locator("html")).to_have_attribute("data-answering", "ready")
    return Attempt.objects.get()


def open_first_single(page, live_server, attempt):
    """Go to the attempt's first single-choice question and return its item."""
    single = next(i for i in AttemptItem.objects.filter(attempt=attempt) if i.snapshot["type"] == "single")
    page.goto(f"{live_server.url}/exams/attempts/{attempt.pk}/{single.position}/")
    return single


def answer_by_keyboard(page, kind: str, option_count: int):
    """Answer the question on screen with keys only (see the shortcuts dialog)."""
    if kind == "single":
        page.keyboard.press("b")
    elif kind == "multiple":
        page.keyboard.press("1")
        page.keyboard.press("3")
    elif kind == "ordering":
        page.keyboard.press("1")  # go to the first item
        page.keyboard.press("Alt+ArrowDown")  # move it down
    else:
        page.keyboard.press("1")  # focus the first prompt's list
        for _ in range(option_count):
            page.keyboard.press("ArrowDown")
            page.keyboard.press("Tab")


def test_a_full_65_question_mock_by_keyboard_alone(live_server, page, console_problems, full_bank):
    attempt = start_full_mock(page, live_server)
    items = {item.position: item.snapshot for item in AttemptItem.objects.filter(attempt=attempt)}
    page.keyboard.press("?")
    expect(page.get_by_role("dialog", name="Keyboard shortcuts")).to_be_visible()
    page.keyboard.press("?")
    expect(page.get_by_role("dialog", name="Keyboard shortcuts")).to_be_hidden()

    for position in range(1, 66):
        snapshot = items[position]
        answer_by_keyboard(page, snapshot["type"], len(snapshot["options"]))
        if position == 7:
            page.keyboard.press("m")
        expect(page.locator("#answered-count")).to_have_text(str(position))
        expect(page.locator("[data-save-status]")).to_contain_text("Saved", timeout=SLOW)
        page.keyboard.press("n")
        if position < 65:
            heading = page.get_by_role("heading", level=1)
            expect(heading).to_have_text(re.compile(rf"Question {position + 1}\s"), timeout=SLOW)
            # Keys typed before the new page's script is attached would be lost.
            expect(page.locator("html")).to_have_attribute("data-answering", "ready")

    expect(page.get_by_role("heading", level=1)).to_have_text("Review")
    expect(page.get_by_text("You have answered 65 of 65 questions.")).to_be_visible()
    expect(page.get_by_role("heading", name="1 flagged")).to_be_visible()
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == "Submit exam":
            break
    page.keyboard.press("Enter")
    dialog = page.get_by_role("dialog", name="Submit exam?")
    expect(dialog).to_contain_text("Every question has an answer.")
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("Results"))
    expect(page.get_by_text("You answered 65 of 65.")).to_be_visible()
    # The review comes ten at a time; "Show more" brings the next ten and focus to the first.
    expect(page.locator(".review-item")).to_have_count(10)
    more = page.get_by_role("link", name="Show the next 10 questions")
    more.focus()
    page.keyboard.press("Enter")
    expect(page.locator(".review-item")).to_have_count(20)
    expect(page.locator("#q11")).to_be_focused()
    # "Report a problem" loads its form when opened, and keeps the focus on its toggle.
    toggle = page.locator("#q11 .report-problem summary")
    toggle.focus()
    page.keyboard.press("Enter")
    expect(page.locator("#q11 .report-problem form")).to_be_visible()
    expect(page.locator("#q11 .report-problem summary")).to_be_focused()
    assert Response.objects.filter(item__attempt=attempt).count() == 65
    assert AttemptItem.objects.get(attempt=attempt, position=7).flagged is True
    assert Attempt.objects.get().status == Attempt.Status.SUBMITTED
    assert console_problems == []


def test_a_reload_keeps_answers_flags_and_the_time_left(live_server, page, console_problems, full_bank):
    attempt = start_full_mock(page, live_server)
    Attempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() + timedelta(minutes=42))
    page.reload()
    single = open_first_single(page, live_server, attempt)
    third = token(single, single.snapshot["options"][2]["id"])
    page.locator(f"#choice-{third}").check()
    expect(page.locator("[data-save-status]")).to_contain_text("Saved")
    page.get_by_role("button", name="Flag for review").click()
    expect(page.locator("#flag-form")).not_to_have_class(re.compile("is-pending"))

    page.reload()

    expect(page.locator(f"#choice-{third}")).to_be_checked()
    expect(page.get_by_role("button", name="Flag for review")).to_have_attribute("aria-pressed", "true")
    expect(page.locator(f"#nav-{single.position}")).to_have_class(re.compile("is-answered.*is-flagged"))
    expect(page.locator("[data-timer-value]")).to_have_text(re.compile(r"^4[01]:\d\d$"))
    assert console_problems == []


def test_a_held_save_shows_the_choice_pending_before_the_server_answers(live_server, page, full_bank):
    attempt = start_full_mock(page, live_server)
    single = open_first_single(page, live_server, attempt)
    held = []
    page.route("**/answer/", lambda route: held.append(route))
    option = token(single, single.snapshot["options"][1]["id"])

    page.locator(f"#choice-{option}").check()

    label = page.locator(f"label[for=choice-{option}]")
    expect(label).to_have_class(re.compile("is-pending"))
    expect(page.locator("[data-save-status]")).to_have_text("Saving…")
    expect(page.locator(f"#nav-{single.position}")).to_have_class(re.compile("is-answered.*is-pending"))
    expect(page.locator("#answered-count")).to_have_text("1")
    assert not Response.objects.exists()

    held[0].continue_()

    expect(page.locator("[data-save-status]")).to_contain_text("Saved")
    expect(label).not_to_have_class(re.compile("is-pending"))
    expect(page.locator(f"#nav-{single.position}")).not_to_have_class(re.compile("is-pending"))
    assert tokens_for(single).public_answer(Response.objects.get().answer) == [option]


def test_a_stale_response_never_overwrites_a_newer_choice(live_server, page, full_bank):
    attempt = start_full_mock(page, live_server)
    single = open_first_single(page, live_server, attempt)
    held = []
    page.route("**/answer/", lambda route: held.append(route))
    first, second = (token(single, row["id"]) for row in single.snapshot["options"][:2])

    page.locator(f"#choice-{first}").check()
    page.locator(f"#choice-{second}").check()
    expect(page.locator(f"label[for=choice-{second}]")).to_have_class(re.compile("is-pending"))
    held[0].continue_()
    expect(page.locator(f"#choice-{second}")).to_be_checked()
    page.wait_for_timeout(300)
    assert len(held) == 2  # hx-sync queued the newest choice behind the first save
    held[1].continue_()

    expect(page.locator("[data-save-status]")).to_contain_text("Saved")
    expect(page.locator(f"#choice-{second}")).to_be_checked()
    assert tokens_for(single).public_answer(Response.objects.get().answer) == [second]


def test_an_aborted_save_rolls_back_and_the_retry_saves(live_server, page, console_problems, full_bank):
    attempt = start_full_mock(page, live_server)
    single = open_first_single(page, live_server, attempt)
    first, second = (token(single, row["id"]) for row in single.snapshot["options"][:2])
    page.locator(f"#choice-{first}").check()
    expect(page.locator("[data-save-status]")).to_contain_text("Saved")
    page.route("**/answer/", lambda route: route.abort())

    page.locator(f"#choice-{second}").click()

    expect(page.locator("[data-save-error]")).to_be_visible()
    expect(page.locator("[data-save-error-text]")).to_have_text("Not saved — retry")
    expect(page.locator(f"#choice-{first}")).to_be_checked()
    expect(page.locator(f"#nav-{single.position}")).to_have_class(re.compile("is-failed"))
    assert tokens_for(single).public_answer(Response.objects.get().answer) == [first]

    page.unroute("**/answer/")
    page.get_by_role("button", name="Retry").click()

    expect(page.locator("[data-save-status]")).to_contain_text("Saved")
    expect(page.locator("[data-save-error]")).to_be_hidden()
    expect(page.locator(f"#choice-{second}")).to_be_checked()
    expect(page.locator(f"#nav-{single.position}")).not_to_have_class(re.compile("is-failed"))
    assert tokens_for(single).public_answer(Response.objects.get().answer) == [second]
    assert csp_problems(console_problems) == []


def test_the_browser_submits_at_the_deadline(live_server, page, console_problems, full_bank):
    attempt = start_full_mock(page, live_server)
    Attempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() + timedelta(seconds=4))

    page.reload()

    expect(page.locator("[data-timer]")).to_have_class(re.compile("is-urgent"))
    expect(page.locator("[data-timer-announcer]")).to_have_text("1 minute left")
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("Results"), timeout=15_000)
    assert Attempt.objects.get().status in (Attempt.Status.SUBMITTED, Attempt.Status.EXPIRED)
    assert console_problems == []
