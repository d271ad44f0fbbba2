"""Issue 21 §4 in Chromium: a private note written under practice feedback (saved inline,
kept on failure, read back in a mock's review and on its own page, kept on sign-up), and
search that starts practice on its results; in English and Japanese, by keyboard, at 390 px."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import Owner
from exams import attempts
from exams.models import Attempt
from notes.models import Note
from questions.models import Option, Tag
from tests.answers import token
from tests.e2e.test_accessibility import axe_violations, log_in
from tests.e2e.test_japanese import catalogue_english, untranslated
from tests.e2e.test_journeys import no_sideways_scroll, switch_to_japanese
from tests.exams.conftest import make_bank
from tests.factories import BlueprintFactory, OwnerFactory, _task, make_single_question

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PHONE = {"width": 390, "height": 844}


def start_practice_as_guest(page, live_server):
    page.goto(f"{live_server.url}/practice/")
    page.get_by_role("button", name="Start practice").click()
    expect(page.locator("html")).to_have_attribute("data-answering", "ready")
    session = Attempt.objects.get(mode="practice")
    return session, session.items.get(position=1)


def test_a_note_under_practice_feedback_saves_inline_survives_failure_and_sign_up(live_server, page, console_problems):
    make_bank({1: 3, 2: 3, 3: 3, 4: 3, 5: 3})
    session, first = start_practice_as_guest(page, live_server)
    uid = first.snapshot["uid"]
    # No note before the answer: it would sit beside a question still to be answered.
    expect(page.locator(f"#note-{uid}")).to_have_count(0)
    page.locator(f"button[name=choice][value='{token(first, first.snapshot['options'][0]['id'])}']").click()
    expect(page.locator("#verdict")).to_have_text(re.compile("Correct|Incorrect"))

    # By keyboard: the box takes letters that are shortcuts elsewhere ("n" is Next).
    box = page.get_by_label("My note")
    box.focus()
    page.keyboard.type("n: <b>Guardrails</b> filter prompts")
    expect(page.locator(f"#note-{uid} [data-note-status]")).to_have_text("Not saved yet")
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Save note")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator(f"#note-{uid} [data-note-status]")).to_have_text(re.compile("Saved"))
    expect(page.get_by_role("button", name="Save note")).to_be_focused()  # focus comes back after the swap
    assert page.url.endswith(f"/practice/{session.pk}/1/")
    assert Note.objects.get().text == "n: <b>Guardrails</b> filter prompts"

    # A save that gets no answer says so and keeps the text to retry; Ctrl+Enter saves.
    page.route("**/notes/**", lambda route: route.abort())
    page.get_by_label("My note").fill("Edited while offline")
    page.get_by_label("My note").press("Control+Enter")
    expect(page.locator(f"#note-{uid} [data-note-status]")).to_have_text("Not saved — retry")
    expect(page.get_by_label("My note")).to_have_value("Edited while offline")
    page.unroute("**/notes/**")
    page.get_by_role("button", name="Save note").click()
    expect(page.locator(f"#note-{uid} [data-note-status]")).to_have_text(re.compile("Saved"))
    assert Note.objects.get().text == "Edited while offline"

    # The note is text: markup in it stays characters.
    page.reload()
    expect(page.get_by_label("My note")).to_have_value("Edited while offline")
    assert axe_violations(page) == []

    # Sign up: the guest's note is the account's, and its page lists it by the question's stem.
    page.goto(f"{live_server.url}/accounts/signup/")
    page.get_by_label("Username").fill("noter")
    page.get_by_label("Password:", exact=True).fill("a-long-unusual-passphrase")
    page.get_by_label("Password confirmation:").fill("a-long-unusual-passphrase")
    page.get_by_role("button", name="Sign up").click()
    expect(page).to_have_url(f"{live_server.url}/")
    account = Owner.objects.get(user__username="noter")
    assert list(Note.objects.values_list("owner_id", "question_uid")) == [(account.pk, uid)]
    page.goto(f"{live_server.url}/practice/")
    page.get_by_role("link", name="My notes").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My notes")
    expect(page.locator("main")).to_contain_text(first.question.stem)
    expect(page.get_by_label("My note")).to_have_value("Edited while offline")
    assert axe_violations(page) == []

    # Emptied and saved, the note is gone.
    page.get_by_label("My note").fill("")
    page.get_by_role("button", name="Save note").click()
    expect(page.locator(f"#note-{uid} [data-note-status]")).to_have_text(re.compile("Note deleted"))
    assert not Note.objects.exists()
    # The aborted save is the only thing the console reported.
    expected = ("htmx:afterRequest", "htmx:sendError", "Failed to load resource: net::ERR_FAILED")
    assert [problem for problem in console_problems if not problem.startswith(expected)] == []


def test_a_note_shows_in_a_finished_mocks_review_and_never_while_it_runs(live_server, page, console_problems):
    make_bank({1: 2, 2: 2, 3: 2, 4: 2, 5: 2})
    owner = OwnerFactory()
    exam = attempts.start_exam(owner.pk, BlueprintFactory(question_count=5, unscored_count=0), now=timezone.now())
    uid = exam.items.get(position=2).snapshot["uid"]
    Note.objects.create(owner=owner, question_uid=uid, text="Read the last line of the stem first.")
    log_in(page, live_server, owner.user)

    page.goto(f"{live_server.url}/exams/attempts/{exam.pk}/2/")
    expect(page.locator("main")).not_to_contain_text("Read the last line")
    attempts.submit_attempt(exam, now=timezone.now())
    page.goto(f"{live_server.url}/exams/attempts/{exam.pk}/results/")

    note = page.locator(f"#q2 #note-{uid}")
    expect(note.get_by_label("My note")).to_have_value("Read the last line of the stem first.")
    note.get_by_label("My note").fill("Read the last line first, then the options.")
    note.get_by_role("button", name="Save note").click()
    expect(note.locator("[data-note-status]")).to_have_text(re.compile("Saved"))
    assert Note.objects.get().text == "Read the last line first, then the options."
    assert axe_violations(page) == []
    assert console_problems == []


@pytest.fixture
def searchable_bank():
    make_bank({1: 3, 2: 3, 3: 3, 4: 3, 5: 3})
    tag = Tag.objects.create(
        slug="bedrock-guardrails", name="Amazon Bedrock Guardrails", name_ja="Amazon Bedrock ガードレール"
    )
    found = []
    for n in range(3):
        question = make_single_question(stem=f"Which feature blocks harmful prompt number {n}?", task=_task("5.1"))
        question.tags.add(tag)
        Option.objects.filter(question=question, is_correct=True).update(rationale="Guardrails is the key here")
        japanese = make_single_question(
            uid=question.uid, language="ja", task=question.task, stem=f"有害なプロンプト {n} を防ぐ機能はどれですか。"
        )
        japanese.tags.add(tag)
        found.append(question)
    return found


def test_search_from_the_header_then_practise_the_results(live_server, page, console_problems, searchable_bank):
    page.goto(f"{live_server.url}/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Search").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Search questions")

    # By keyboard: type, Enter submits.
    page.get_by_role("searchbox", name="Search questions").fill("guardrails")
    page.get_by_role("searchbox", name="Search questions").press("Enter")

    expect(page.get_by_role("heading", level=2)).to_have_text("3 questions match “guardrails”")
    results = page.locator(".search-results > li")
    expect(results).to_have_count(3)
    expect(results.first).to_contain_text("Amazon Bedrock Guardrails")
    expect(results.first).to_contain_text("Task 5.1")
    expect(page.locator("main")).not_to_contain_text("the key here")
    expect(page.get_by_role("navigation", name="Main").get_by_role("link", name="Search")).to_have_attribute(
        "aria-current", "page"
    )
    assert axe_violations(page) == []

    page.get_by_role("button", name="Practise these").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"Question 1\s"))
    expect(page.locator(".practice-scope")).to_contain_text("Search: “guardrails”")
    session = Attempt.objects.get(mode="practice")
    assert set(session.items.values_list("question__uid", flat=True)) == {q.uid for q in searchable_bank}
    assert console_problems == []


def test_search_and_notes_in_japanese_at_390px(live_server, page, console_problems, searchable_bank):
    page.set_viewport_size(PHONE)
    switch_to_japanese(page, live_server)
    catalogue = catalogue_english()

    page.get_by_role("navigation", name="メイン").get_by_role("link", name="検索").click()
    no_sideways_scroll(page)
    page.get_by_role("searchbox", name="問題を検索").fill("ガードレール")
    page.get_by_role("button", name="検索", exact=True).click()
    expect(page.get_by_role("heading", level=2)).to_have_text("「ガードレール」に一致する問題: 3 問")
    expect(page.locator(".search-results")).to_contain_text("有害なプロンプト 0 を防ぐ機能はどれですか。")
    no_sideways_scroll(page)
    assert untranslated(page, catalogue) == []
    assert axe_violations(page) == []

    page.get_by_role("button", name="これらを練習").click()
    expect(page.locator("html")).to_have_attribute("data-answering", "ready")
    session = Attempt.objects.get(mode="practice")
    assert session.language == "ja"
    first = session.items.get(position=1)
    page.locator(f"button[name=choice][value='{token(first, first.snapshot['options'][0]['id'])}']").click()
    expect(page.locator("#verdict")).to_be_visible()
    page.get_by_label("自分のメモ").fill("ガードレールで入力と出力を検査する")
    page.get_by_role("button", name="メモを保存").click()
    expect(page.locator("[data-note-status]")).to_have_text(re.compile("保存しました"))
    no_sideways_scroll(page)
    assert untranslated(page, catalogue) == []

    page.goto(f"{live_server.url}/notes/")
    expect(page.get_by_label("自分のメモ")).to_have_value("ガードレールで入力と出力を検査する")
    expect(page.locator("main")).to_contain_text("を防ぐ機能はどれですか。")
    no_sideways_scroll(page)
    assert untranslated(page, catalogue) == []
    assert axe_violations(page) == []
    assert console_problems == []
