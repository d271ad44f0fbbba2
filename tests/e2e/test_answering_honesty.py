"""Issue 16, the answering items, walked in Chromium as a candidate does (desktop and 390 px).

§3 letters and shortcuts never collide, and the help says what each key does; §5 "Check answer"
with nothing chosen counts nothing; §6 Enter checks an ordering answer and moving shows no
saving mark where nothing is saved; §7 a partly answered question is incomplete in the
navigator and on the review screen; §8 feedback rows agree in colour, icon and words; less
feedback noise; touch screens show no keyboard hints and give options the width; no error-like
ring on the verdict after a mouse click.
"""

import re

import pytest
from playwright.sync_api import expect

from exams.models import AttemptItem, Bookmark, Response
from tests.e2e.candidate import open_question, option

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

SIZES = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}
OPTION_KEYS = set("abcdefg1234567")


def stored(item):
    response = Response.objects.filter(item=item).first()
    return response.answer if response else None


def help_rows(page):
    """The shortcut help as {keys as written: what they do}, opened and closed with ?."""
    page.keyboard.press("?")
    dialog = page.get_by_role("dialog", name="Keyboard shortcuts")
    expect(dialog).to_be_visible()
    rows = dialog.locator("tbody tr")
    table = {}
    for index in range(rows.count()):
        cells = rows.nth(index).locator("th, td")
        table[cells.nth(0).inner_text().strip()] = [
            cells.nth(column).inner_text().strip() for column in range(1, cells.count())
        ]
    page.keyboard.press("?")
    expect(dialog).to_be_hidden()
    return table


def in_key_order(page, item):
    """Show ``item``'s options in the key's order (matches beside their prompts): answers
    built by place then have known right and wrong rows."""
    snapshot, content = item.snapshot, item.revision.content
    place = {row["id"]: index for index, row in enumerate(content["options"])}
    if snapshot["type"] == "ordering":
        item.order = ",".join(str(place[pk]) for pk in snapshot["key"])
    else:
        match_place = {row["id"]: index for index, row in enumerate(content["matches"])}
        keyed = [match_place[snapshot["key"][str(row["id"])]] for row in snapshot["options"]]
        matches = keyed + [index for index in range(len(match_place)) if index not in keyed]
        options = [place[row["id"]] for row in snapshot["options"]]
        item.order = ",".join(map(str, options)) + ";" + ",".join(map(str, matches))
    item.save(update_fields=["order"])
    page.reload()
    expect(page.locator("html")).to_have_attribute("data-answering", "ready")


def shortcut_keys(page):
    return set(page.eval_on_selector_all("[data-shortcut]", "(all) => all.map((e) => e.dataset.shortcut)"))


# --- §3: one scheme of keys ----------------------------------------------------------------


def test_practice_b_chooses_option_b_and_s_bookmarks(live_server, page):
    item = open_question(page, live_server, "practice", "single")
    bookmark = page.get_by_role("button", name="Bookmark")

    page.keyboard.press("s")

    expect(bookmark).to_have_attribute("aria-pressed", "true")
    expect(page.locator("form[data-optimistic-toggle]")).not_to_have_class(re.compile("is-pending"))
    expect(page.locator("#verdict")).to_have_count(0)
    assert Bookmark.objects.get().question_uid == item.snapshot["uid"]
    assert stored(item) is None

    page.keyboard.press("b")

    expect(page.locator("#verdict")).to_be_focused()
    assert stored(item) == [item.snapshot["options"][1]["id"]]
    page.keyboard.press("s")  # after the feedback too
    expect(page.get_by_role("button", name="Bookmark")).to_have_attribute("aria-pressed", "false")


def test_exam_f_chooses_the_sixth_option_and_m_flags(live_server, page):
    item = open_question(page, live_server, "exam", "single", n_options=6)

    page.keyboard.press("m")

    expect(page.get_by_role("button", name="Flag for review")).to_have_attribute("aria-pressed", "true")
    expect(page.locator("#nav-1")).to_have_class(re.compile("is-flagged"))
    page.keyboard.press("f")
    expect(page.locator("[data-save-status]")).to_contain_text("Saved")
    item.refresh_from_db()
    assert item.flagged is True
    assert stored(item) == [item.snapshot["options"][5]["id"]]


@pytest.mark.parametrize("mode", ["practice", "exam"])
def test_the_help_names_every_shortcut_on_the_page_and_none_is_an_option_key(live_server, page, mode):
    open_question(page, live_server, mode, "multiple")
    keys = shortcut_keys(page) - {"?"}
    rows = help_rows(page)

    assert "n" in keys, keys  # the page has shortcuts to name ("n": next or skip, at least)
    assert not keys & OPTION_KEYS
    written = " ".join(rows).lower()
    for key in keys:
        assert re.search(rf"(^|\s){re.escape(key)}(\s|$)", written), (key, rows)
    letters = next(actions for written_keys, actions in rows.items() if "A" in written_keys and "1" in written_keys)
    # One column of what the keys do in a mock; before and after the feedback in practice.
    assert len(letters) == (2 if mode == "practice" else 1) and all(letters), letters
    if mode == "practice":
        page.get_by_role("button", name="Check answer").click()  # nothing chosen: still before the answer
        option(page, 1).click()
        option(page, 2).click()
        page.keyboard.press("Enter")
        expect(page.locator("#verdict")).to_be_focused()
        after = shortcut_keys(page) - {"?"}
        assert not after & OPTION_KEYS
        assert after <= {key.lower() for written_keys in rows for key in written_keys.split()}


# --- §5: nothing chosen counts nothing -----------------------------------------------------


@pytest.mark.parametrize("kind", ["multiple", "matching"])
def test_check_answer_with_nothing_chosen_counts_nothing(live_server, page, kind):
    item = open_question(page, live_server, "practice", kind)
    counter = page.locator("[data-answered-count]")

    for _ in range(3):
        page.get_by_role("button", name="Check answer").click()
        expect(page.locator(".form-error")).to_have_text("Choose an answer first.")
        expect(counter).to_have_text("0")

    page.wait_for_timeout(300)
    expect(counter).to_have_text("0")
    page.reload()
    expect(page.locator("[data-answered-count]")).to_have_text("0")
    assert stored(item) is None


# --- §6: ordering by keyboard ----------------------------------------------------------------


def test_practice_ordering_enter_checks_and_moving_shows_no_saving_mark(live_server, page):
    item = open_question(page, live_server, "practice", "ordering")
    ids = [row["id"] for row in item.snapshot["options"]]

    option(page, 1).locator("[data-move=down]").click()
    expect(page.locator("#answer-form .ordering-item").first).to_contain_text(item.snapshot["options"][1]["text"])
    expect(page.locator("#answer-form .is-pending")).to_have_count(0)
    page.keyboard.press("3")  # go to the item in third place
    page.keyboard.press("Alt+ArrowUp")
    expect(page.locator("#answer-form .is-pending")).to_have_count(0)
    page.keyboard.press("Enter")  # checks the answer, moves nothing

    expect(page.locator("#verdict")).to_be_focused()
    assert stored(item) == [ids[1], ids[2], ids[0], *ids[3:]]


def test_exam_ordering_digit_then_enter_does_not_move_and_keys_still_move(live_server, page):
    item = open_question(page, live_server, "exam", "ordering")
    ids = [row["id"] for row in item.snapshot["options"]]

    page.keyboard.press("1")
    page.keyboard.press("Enter")
    page.wait_for_timeout(300)
    assert stored(item) is None
    page.keyboard.press("Alt+ArrowDown")
    expect(page.locator("[data-save-status]")).to_contain_text("Saved")
    assert stored(item) == [ids[1], ids[0], *ids[2:]]
    expect(page).to_have_url(re.compile(r"/1/$"))


def test_exam_enter_on_a_chosen_radio_stays_on_the_question(live_server, page):
    item = open_question(page, live_server, "exam", "single")
    page.goto(page.url.replace("/1/", "/2/"))
    expect(page.locator("html")).to_have_attribute("data-answering", "ready")

    page.keyboard.press("2")
    expect(page.locator("[data-save-status]")).to_contain_text("Saved")
    page.keyboard.press("Enter")

    page.wait_for_timeout(500)
    expect(page).to_have_url(re.compile(r"/2/$"))
    assert stored(item) is None


# --- §7: partial answers are incomplete ------------------------------------------------------


@pytest.mark.parametrize("size", SIZES)
def test_one_box_of_select_three_is_incomplete_in_the_navigator_and_the_review(live_server, page, size):
    page.set_viewport_size(SIZES[size])
    item = open_question(
        page, live_server, "exam", "multiple", correct=(0, 1, 2), n_options=6, stem="Which three? (Select THREE.)"
    )
    cell = page.locator("#nav-1")

    option(page, 1).click()
    expect(page.locator("[data-save-status]")).to_contain_text("Saved")

    expect(cell).to_have_class(re.compile(r"\bis-incomplete\b"))
    expect(cell).not_to_have_class(re.compile(r"\bis-answered\b"))
    expect(page.locator("#answered-count")).to_have_text("0")
    page.reload()
    expect(page.locator("#nav-1")).to_have_class(re.compile(r"\bis-incomplete\b"))
    expect(page.locator("#nav-1")).to_contain_text("incomplete")
    page.get_by_role("link", name="Review").click()
    incomplete = page.get_by_role("region", name="1 incomplete")
    expect(incomplete.get_by_role("link", name="Question 1")).to_be_visible()
    expect(page.get_by_role("heading", name="9 unanswered")).to_be_visible()
    expect(page.locator("#nav-1")).to_have_class(re.compile(r"\bis-incomplete\b"))

    page.goto(page.url.replace("review/", "1/"))
    expect(page.locator("html")).to_have_attribute("data-answering", "ready")
    option(page, 2).click()
    option(page, 3).click()
    expect(page.locator("[data-save-status]")).to_contain_text("Saved")
    expect(page.locator("#nav-1")).to_have_class(re.compile(r"\bis-answered\b"))
    expect(page.locator("#nav-1")).not_to_have_class(re.compile(r"\bis-incomplete\b"))
    expect(page.locator("#answered-count")).to_have_text("1")
    assert len(stored(item)) == 3


# --- §8 and noise: feedback ------------------------------------------------------------------

ROW_MARKS = """(rows) => rows.map((row) => {
  const mark = row.querySelector(".review-marks .mark");
  return {
    edge: getComputedStyle(row).borderLeftColor,
    mark: mark ? getComputedStyle(mark).color : null,
    text: mark ? mark.textContent.trim() : "",
  };
})"""


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("kind", ["matching", "ordering"])
def test_feedback_rows_agree_in_colour_icon_and_words(live_server, page, kind, size):
    page.set_viewport_size(SIZES[size])
    in_key_order(page, open_question(page, live_server, "practice", kind))
    if kind == "matching":
        for index, choice in enumerate((1, 3, 2), start=1):  # prompt 1 right, 2 and 3 swapped
            option(page, index).locator("select").select_option(index=choice)
    else:
        option(page, 1).locator("[data-move=down]").click()  # items 1 and 2 swapped
    page.get_by_role("button", name="Check answer").click()
    expect(page.locator("#verdict")).to_have_text(re.compile("Incorrect"))

    rows = page.eval_on_selector_all(".review-option", ROW_MARKS)

    assert [row["text"][0] for row in rows].count("✗") == 2, rows
    for row in rows:
        assert row["edge"] == row["mark"], row  # the edge has the colour of its own mark
    assert {row["text"][0] for row in rows} == {"✓", "✗"}
    assert len({row["edge"] for row in rows}) == 2


def test_single_choice_feedback_does_not_say_you_did_not_select_the_key(live_server, page):
    item = open_question(page, live_server, "practice", "single")
    wrong = next(index for index, row in enumerate(item.snapshot["options"], 1) if not row["correct"])

    option(page, wrong).click()

    expect(page.locator("#verdict")).to_have_text(re.compile("Incorrect"))
    expect(page.get_by_text("Correct answer")).to_be_visible()
    expect(page.get_by_text("You did not select this")).to_have_count(0)


def test_multiple_choice_feedback_still_names_a_missed_key(live_server, page):
    item = open_question(page, live_server, "practice", "multiple")
    first_key = next(index for index, row in enumerate(item.snapshot["options"], 1) if row["correct"])
    option(page, first_key).click()
    page.get_by_role("button", name="Check answer").click()
    expect(page.get_by_text("You did not select this")).to_have_count(1)


@pytest.mark.parametrize("mode", ["practice", "exam"])
def test_the_stem_and_the_hint_do_not_both_say_how_many_to_select(live_server, page, mode):
    open_question(page, live_server, mode, "multiple", stem="Which two are right? (Select TWO.)")
    expect(page.locator(".stem")).to_contain_text("(Select TWO.)")
    expect(page.get_by_text("Select 2 answers.")).to_have_count(0)


# --- touch screens, 390 px ---------------------------------------------------------------------


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport=SIZES["phone"], has_touch=True, is_mobile=True)
    yield context.new_page()
    context.close()


@pytest.mark.parametrize("kind", ["single", "multiple", "ordering"])
def test_touch_screens_show_no_keyboard_hints_and_options_use_the_width(live_server, phone, kind):
    open_question(phone, live_server, "practice", kind)

    expect(phone.locator("kbd:visible")).to_have_count(0)
    expect(phone.get_by_role("button", name="Keyboard shortcuts")).to_be_hidden()
    expect(phone.locator(".choice-key:visible")).to_have_count(0)
    expect(phone.get_by_text(re.compile("Alt \\+")).filter(visible=True)).to_have_count(0)
    texts = phone.eval_on_selector_all(
        ".choice-text, .ordering-text", "(all) => all.map((e) => e.getBoundingClientRect().width)"
    )
    assert texts and min(texts) >= 0.68 * 390, texts
    page_width = phone.evaluate("document.documentElement.scrollWidth")
    assert page_width <= 390


def test_keyboards_still_see_their_hints_on_desktop(live_server, page):
    open_question(page, live_server, "practice", "single")
    expect(page.get_by_role("button", name="Keyboard shortcuts")).to_be_visible()
    expect(page.locator(".choice-key:visible")).to_have_count(4)


# --- the verdict's focus ------------------------------------------------------------------------


def test_a_mouse_click_on_the_verdict_shows_no_ring(live_server, page):
    item = open_question(page, live_server, "practice", "single")
    option(page, 1).click()
    expect(page.locator("#verdict")).to_be_focused()
    page.reload()  # the feedback page focuses its verdict by itself (autofocus)
    verdict = page.locator("#verdict")
    expect(verdict).to_be_focused()

    verdict.click()

    ring = verdict.evaluate("(e) => [getComputedStyle(e).outlineStyle, getComputedStyle(e).boxShadow]")
    assert ring == ["none", "none"], ring
    assert AttemptItem.objects.get(pk=item.pk).response
