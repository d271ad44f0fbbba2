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
from tests.answers import token
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


# §4 the end of a mock ----------------------------------------------------------------


@pytest.fixture
def small_mock():
    ensure_seeded()
    make_bank({1: 3, 2: 3, 3: 3, 4: 3, 5: 3})
    from tests.factories import BlueprintFactory

    return BlueprintFactory(name="Small mock", slug="small", question_count=10, unscored_count=0, minutes=45)


def start_mock(page, live_server, name="Small mock"):
    page.goto(f"{live_server.url}/exams/")
    page.get_by_role("region", name=name).get_by_role("link", name="Start mock exam").click()
    page.get_by_role("button", name="Start mock exam").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"Question 1\s+of"))
    ready(page)
    return Attempt.objects.get(status="in_progress")


def submit_from_review(page, live_server, attempt):
    page.goto(f"{live_server.url}/exams/attempts/{attempt.pk}/review/")
    ready(page)
    page.get_by_role("link", name="Submit exam").click()
    page.get_by_role("dialog", name="Submit exam?").get_by_role("button", name="Submit exam").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("Results"))


def test_answering_in_a_second_tab_after_submit_says_already_submitted(
    live_server, page, console_problems, small_mock
):
    attempt = start_mock(page, live_server)
    other = page.context.new_page()
    other.goto(f"{live_server.url}/exams/attempts/{attempt.pk}/2/")
    ready(other)

    submit_from_review(page, live_server, attempt)
    other.locator("#answer-form label.choice").first.click()

    expect(other.get_by_role("heading", level=1)).to_have_text(re.compile("Results"))
    expect(other.locator("#messages")).to_contain_text("This exam was already submitted")
    expect(other.get_by_text("Time is up")).to_have_count(0)


def test_back_after_submit_never_shows_a_live_exam(live_server, page, console_problems, small_mock):
    attempt = start_mock(page, live_server)
    page.locator("#answer-form label.choice").first.click()
    expect(page.locator("[data-save-status]")).to_contain_text("Saved")
    submit_from_review(page, live_server, attempt)

    page.go_back()

    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("Results"))
    expect(page.locator("[data-timer]")).to_have_count(0)
    expect(page.locator("#messages")).to_contain_text("This exam was already submitted")
    page.go_back()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("Results"))
    expect(page.locator("[data-timer]")).to_have_count(0)


def test_the_deadline_submit_says_time_is_up(live_server, page, console_problems, small_mock):
    attempt = start_mock(page, live_server)
    Attempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() + timedelta(seconds=3))

    page.reload()

    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("Results"), timeout=15_000)
    expect(page.locator("#messages")).to_contain_text(
        "Time is up: your exam was submitted with the answers you had given."
    )
    assert Attempt.objects.get(pk=attempt.pk).status == "submitted"
    assert console_problems == []


# §1 Japanese mocks -------------------------------------------------------------------


def switch_to_japanese(page, live_server):
    page.goto(f"{live_server.url}/")
    page.get_by_role("button", name="日本語").click()
    expect(page.locator("html")).to_have_attribute("lang", "ja")


def translate_half(questions):
    from questions.models import Option

    for question in questions[::2]:
        japanese = make_single_question(
            uid=question.uid, language="ja", task=question.task, stem=f"日本語の問題文 {question.uid}"
        )
        for option in japanese.options.all():
            Option.objects.filter(pk=option.pk).update(text=f"選択肢 {option.position + 1}")


@pytest.mark.parametrize("viewport", [None, PHONE])
def test_a_japanese_candidate_sits_a_japanese_mock_and_may_choose_english(
    live_server, page, console_problems, viewport
):
    ensure_seeded()
    translate_half(make_bank({1: 3, 2: 3, 3: 3, 4: 3, 5: 3}))
    from tests.factories import BlueprintFactory

    BlueprintFactory(name="Small mock", slug="small", question_count=10, unscored_count=0, minutes=45)
    if viewport:
        page.set_viewport_size(viewport)
    switch_to_japanese(page, live_server)

    page.goto(f"{live_server.url}/exams/")
    expect(page.locator(".language-switch strong")).to_have_text("日本語")
    page.get_by_role("region", name="Small mock").get_by_role("link", name="模擬試験を開始").click()
    expect(page.get_by_label("日本語")).to_be_checked()
    page.screenshot(path=f"/tmp/jshots/mock-start-ja-{'phone' if viewport else 'desktop'}.png", full_page=True)
    page.get_by_role("button", name="模擬試験を開始").click()
    ready(page)
    attempt = Attempt.objects.get(status="in_progress")
    assert attempt.language == "ja"
    languages = {item.position: item.snapshot["language"] for item in attempt.items.all()}
    first_ja = min(position for position, language in languages.items() if language == "ja")
    first_en = min(position for position, language in languages.items() if language == "en")
    page.goto(f"{live_server.url}/exams/attempts/{attempt.pk}/{first_ja}/")
    expect(page.locator("#question-stem")).to_contain_text("日本語の問題文")
    expect(page.locator(".language-note")).to_have_count(0)
    page.goto(f"{live_server.url}/exams/attempts/{attempt.pk}/{first_en}/")
    expect(page.locator("#question-stem")).to_have_attribute("lang", "en")
    expect(page.locator(".language-note")).to_be_visible()
    page.screenshot(path=f"/tmp/jshots/mock-question-ja-{'phone' if viewport else 'desktop'}.png", full_page=True)

    # The results keep each question in the language it was taken in.
    submit_url = f"{live_server.url}/exams/attempts/{attempt.pk}/submit/"
    page.goto(submit_url)
    page.get_by_role("button", name="試験を終了して提出").click()
    page.goto(f"{live_server.url}/exams/attempts/{attempt.pk}/results/?page=2")
    expect(page.locator(".review-item .stem[lang=ja]")).to_have_count(list(languages.values()).count("ja"))

    # English is the candidate's choice too, from the list.
    page.goto(f"{live_server.url}/exams/")
    page.get_by_role("link", name="英語").click()
    page.get_by_role("region", name="Small mock").get_by_role("link", name="模擬試験を開始").click()
    expect(page.get_by_label("英語")).to_be_checked()
    page.get_by_role("button", name="模擬試験を開始").click()
    ready(page)
    second = Attempt.objects.get(status="in_progress")
    assert second.language == "en"
    assert {item.snapshot["language"] for item in second.items.all()} == {"en"}
    assert console_problems == []


# §9 390 px -----------------------------------------------------------------------------


def no_sideways_scroll(page):
    """Neither the page nor any scrolling box inside it hides an action to the side."""
    width = page.evaluate("document.documentElement.clientWidth")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    for button in page.get_by_role("button").all() + page.get_by_role("link").all():
        if not button.is_visible() or button.evaluate("element => element.matches('.skip-link')"):
            continue
        box = button.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= width + 1, button.inner_text()
        clipped = button.evaluate(
            """element => {
                const own = element.getBoundingClientRect();
                for (let box = element.parentElement; box; box = box.parentElement) {
                    const style = getComputedStyle(box);
                    if (!/(auto|scroll|hidden)/.test(style.overflowX)) continue;
                    const frame = box.getBoundingClientRect();
                    if (own.right > frame.right + 1 || own.left < frame.left - 1) return true;
                }
                return false;
            }"""
        )
        assert not clipped, f"{button.inner_text()!r} is hidden to the side"


@pytest.fixture
def practised_candidate():
    owner = OwnerFactory()
    now = timezone.now()
    from tests.factories import TagFactory

    tag = TagFactory(slug="prompt-engineering", name="Prompt engineering")
    for code, right, total in (("3.2", 2, 6), ("1.1", 5, 6), ("5.1", 1, 3)):
        task = TaskStatement.objects.get(code=code)
        for index in range(total):
            question = make_single_question(task=task)
            question.tags.add(tag)
            answer(question, owner=owner, correct=index < right, at=now - timedelta(days=index % 5, hours=1))
    return owner


@pytest.mark.parametrize("language", ["en", "ja"])
def test_every_practise_this_is_on_screen_at_390px(live_server, page, console_problems, practised_candidate, language):
    page.set_viewport_size(PHONE)
    log_in(page, live_server, practised_candidate.user)
    if language == "ja":
        switch_to_japanese(page, live_server)

    for path in ("/insights/", "/", "/practice/", "/exams/"):
        page.goto(f"{live_server.url}{path}")
        page.screenshot(path=f"/tmp/jshots/phone-{language}{path.replace('/', '-')}.png", full_page=True)
        no_sideways_scroll(page)
        if path == "/insights/":
            for section in ("domains-heading", "tags-heading"):
                page.locator(f"#{section}").scroll_into_view_if_needed()
                page.screenshot(path=f"/tmp/jshots/phone-{language}-{section}.png")
    assert console_problems == []


# Results: "Retake" and "Practise the ones I missed" -----------------------------------


def test_from_the_results_practise_the_ones_i_missed_then_retake(live_server, page, console_problems, small_mock):
    attempt = start_mock(page, live_server)
    first = attempt.items.get(position=1)
    page.locator(f"#answer-form input[value='{token(first, first.snapshot['key'][0])}']").check()
    expect(page.locator("[data-save-status]")).to_contain_text("Saved")
    submit_from_review(page, live_server, attempt)

    page.get_by_role("button", name="Practise the ones I missed").click()

    expect(page).to_have_url(re.compile(r"/practice/\d+/1/$"))
    session = Attempt.objects.get(mode="practice")
    assert session.items.count() == 9  # question 1 was right and not flagged
    page.go_back()
    page.get_by_role("button", name="Retake").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"Question 1\s+of 10"))
    retake = Attempt.objects.get(mode="exam", status="in_progress")
    assert retake.pk != attempt.pk
    assert console_problems == []


# Practice "Skip" -----------------------------------------------------------------------


def test_skip_moves_on_and_the_skipped_question_comes_back_at_the_end(live_server, page, console_problems):
    ensure_seeded()
    for index in range(3):
        make_single_question(stem=f"Stem number {index}")
    page.goto(f"{live_server.url}/practice/")
    page.get_by_role("button", name="Start practice").click()
    ready(page)
    first = page.locator("#question-stem").inner_text()

    page.get_by_role("button", name="Skip").click()
    ready(page)
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"Question 1\s+of 3"))
    expect(page.locator("#question-stem")).not_to_have_text(first)
    page.keyboard.press("n")  # the same, by key
    ready(page)
    expect(page.locator("#question-stem")).not_to_have_text(first)
    second = page.locator("#question-stem").inner_text()
    page.locator(".choice-button").first.click()
    expect(page.locator("#verdict")).to_be_visible()
    page.get_by_role("link", name="Next").click()
    ready(page)
    # The two skipped come back at the end, in the order they were skipped.
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"Question 2\s+of 3"))
    expect(page.locator("#question-stem")).to_have_text(first)
    page.locator(".choice-button").first.click()
    page.get_by_role("link", name="Next").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"Question 3\s+of 3"))
    expect(page.locator("#question-stem")).not_to_have_text(first)
    expect(page.locator("#question-stem")).not_to_have_text(second)
    assert console_problems == []


# Names, not slugs; discard --------------------------------------------------------------


def test_feedback_and_carry_on_name_the_topic_and_a_session_can_be_discarded(live_server, page, console_problems):
    ensure_seeded()
    task = TaskStatement.objects.get(code="3.1")
    for _ in range(3):
        make_single_question(task=task)
    page.goto(f"{live_server.url}/practice/?scope=domain:3")
    page.get_by_role("button", name="Start practice").click()
    ready(page)
    page.locator(".choice-button").first.click()

    expect(page.locator(".topic")).to_contain_text("Domain 3: Applications of Foundation Models")
    expect(page.locator(".topic")).to_contain_text("Task 3.1: Describe design considerations")
    page.goto(f"{live_server.url}/")
    carry_on = page.get_by_role("region", name="Carry on")
    expect(carry_on).to_contain_text("Practice · Domain 3: Applications of Foundation Models")

    page.once("dialog", lambda dialog: dialog.accept())
    carry_on.get_by_role("button", name=re.compile("Discard")).click()

    expect(page.locator("#messages")).to_contain_text("The practice session is discarded.")
    expect(page.get_by_role("region", name="Carry on")).to_have_count(0)
    assert Attempt.objects.get().status == "submitted"
    assert console_problems == []


# Leaving a timed mock asks first; the exam page shows what the real exam does -------------


def test_leaving_a_running_mock_asks_first_but_moving_within_it_never_does(
    live_server, page, console_problems, small_mock
):
    attempt = start_mock(page, live_server)
    dialogs = []

    def answer_dialog(dialog):
        dialogs.append(dialog.type)
        dialog.dismiss() if len(dialogs) == 1 else dialog.accept()

    page.on("dialog", answer_dialog)
    # Only what the real exam shows: no account or language controls, no footer.
    expect(page.get_by_role("link", name="Sign up")).to_have_count(0)
    expect(page.get_by_role("button", name="日本語")).to_have_count(0)
    expect(page.locator("footer")).to_have_count(0)

    page.locator("#answer-form label.choice").first.click()
    expect(page.locator("[data-save-status]")).to_contain_text("Saved")
    page.get_by_role("button", name="Next").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"Question 2\s+of 10"))
    ready(page)
    page.get_by_role("navigation", name="Questions").get_by_role("link", name=re.compile("^5")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"Question 5\s+of 10"))
    ready(page)
    assert dialogs == []

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Weakness report").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"Question 5\s+of 10"))
    assert dialogs == ["confirm"]  # dismissed: still in the exam

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Weakness report").click()
    expect(page).to_have_url(re.compile(r"/insights/$"))
    assert dialogs == ["confirm", "confirm"]  # accepted, and no second "Leave site?"

    page.goto(f"{live_server.url}/exams/attempts/{attempt.pk}/3/")
    ready(page)
    page.locator("#answer-form label.choice").first.click()  # the browser asks only after a gesture
    expect(page.locator("[data-save-status]")).to_contain_text("Saved")
    # Closing the tab or typing an address: the page asks the browser to confirm (beforeunload).
    asks = "() => { const event = new Event('beforeunload', {cancelable: true});"
    asks += " window.dispatchEvent(event); return event.defaultPrevented; }"
    assert page.evaluate(asks) is True
    page.get_by_role("link", name="Review").click()  # within the exam: no longer asks
    expect(page.get_by_role("heading", level=1)).to_have_text("Review")
    assert dialogs == ["confirm", "confirm"]
