"""A Japanese-speaking candidate in Chromium: switch the interface to Japanese, sign up,
practise, sit a short mock, read the results and the weakness report. No page on the way
may show the English of a catalogue entry (locale/ja): everything marked for translation
must come out in Japanese."""

import re

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from questions.models import Option
from tests.factories import BlueprintFactory, UserFactory, _task, make_single_question
from tests.i18n.catalogue import JA_PO, read_po
from tests.main_pages import build_pages

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PLACEHOLDER = re.compile(r"%(?:\([^)]+\))?[-#0 +]*\d*(?:\.\d+)?[sdrfi%]|<[^>]+>")
EDGES = re.compile(r"^\W+|\W+$")  # punctuation and arrows around words

# Every element's text (whitespace collapsed), the read-aloud attributes and the title,
# leaving out elements marked as another language (the switcher's "English") and scripts.
PAGE_TEXTS = """() => {
  const texts = [document.title];
  const foreign = (element) => {
    const lang = element.closest("[lang]");
    return lang && !lang.lang.startsWith("ja");
  };
  for (const element of document.body.querySelectorAll("*")) {
    if (element.closest("script, style, template") || foreign(element)) continue;
    texts.push(element.textContent.replace(/\\s+/g, " ").trim());
    for (const name of ["aria-label", "title", "placeholder", "alt"]) {
      if (element.hasAttribute(name)) texts.push(element.getAttribute(name));
    }
  }
  return texts.filter((text) => text);
}"""


def catalogue_english() -> dict[str, tuple[list[re.Pattern], list[re.Pattern]]]:
    """How each catalogue entry's English would show on a page, by msgid.

    Two kinds of pattern: the whole text of an element equal to the msgid (placeholders
    match anything), and any run of two or more English words of it found anywhere. Entries
    the Japanese keeps as they are, and words it keeps ("AWS", "CSV"), are left out.
    """
    _, entries = read_po(JA_PO)
    found = {}
    for entry in entries:
        translation = " ".join(entry.msgstr.values())
        wholes, pieces = [], []
        for source in filter(None, (entry.msgid, entry.msgid_plural)):
            if source in translation:
                continue
            parts = re.split(f"({PLACEHOLDER.pattern})", re.sub(r"\s+", " ", source))
            regex = "".join(".+?" if PLACEHOLDER.fullmatch(part) else re.escape(part) for part in parts)
            wholes.append(re.compile(rf"\W*{regex}\W*"))
            for piece in PLACEHOLDER.split(source):
                piece = EDGES.sub("", piece)
                if len(re.findall(r"[A-Za-z]+", piece)) >= 2 and piece not in translation:
                    pieces.append(re.compile(rf"(?<![A-Za-z]){re.escape(piece)}(?![A-Za-z])"))
        if wholes:
            found[entry.msgid] = (wholes, pieces)
    return found


def untranslated(page, catalogue) -> list[str]:
    """The msgids whose English shows on the page."""
    texts = page.evaluate(PAGE_TEXTS)
    joined = "\n".join(texts)
    return sorted(
        msgid
        for msgid, (wholes, pieces) in catalogue.items()
        if any(whole.fullmatch(text) for whole in wholes for text in texts)
        or any(piece.search(joined) for piece in pieces)
    )


def make_japanese_bank(per_domain: int = 4) -> None:
    """Single-answer questions in Japanese, in every domain."""
    for domain, code in {1: "1.1", 2: "2.1", 3: "3.1", 4: "4.1", 5: "5.1"}.items():
        for n in range(per_domain):
            question = make_single_question(
                uid=f"ja-e2e-{domain}-{n}",
                language="ja",
                task=_task(code),
                stem=f"第 {domain} 分野の問題 {n + 1}: 要件を満たす AWS のサービスはどれですか?",
                explanation="要件に合うマネージドサービスを選びます。",
            )
            for option in question.options.all():
                Option.objects.filter(pk=option.pk).update(
                    text=f"選択肢 {option.position + 1}", rationale="この選択肢の根拠です。"
                )


def test_candidate_uses_the_product_in_japanese(live_server, page, console_problems):
    make_japanese_bank()
    BlueprintFactory(name="ミニ模擬試験", slug="mini", question_count=5, unscored_count=1, minutes=15, language="ja")
    catalogue = catalogue_english()
    seen: dict[str, list[str]] = {}

    def check(name: str) -> None:
        expect(page.locator("html")).to_have_attribute("lang", "ja")
        seen[name] = untranslated(page, catalogue)

    # The switcher, from an English page.
    page.goto(f"{live_server.url}/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.get_by_role("button", name="日本語").click()
    check("dashboard (guest)")
    expect(page.get_by_role("link", name="練習", exact=True)).to_be_visible()

    # Sign up: the account keeps the choice.
    page.get_by_role("link", name="新規登録").first.click()
    check("sign up")
    page.locator("#id_username").fill("kenji")
    page.locator("#id_password1").fill("a-long-unusual-passphrase")
    page.locator("#id_password2").fill("a-long-unusual-passphrase")
    page.get_by_role("button", name="新規登録").click()
    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.get_by_role("button", name="ログアウト")).to_be_visible()
    check("dashboard")

    # Practice, on the Japanese questions.
    page.get_by_role("navigation", name="メイン").get_by_role("link", name="練習").click()
    check("practice picker")
    if page.get_by_role("link", name="日本語", exact=True).count():
        page.get_by_role("link", name="日本語", exact=True).click()
    page.get_by_role("button", name="練習を開始").click()
    expect(page.locator(".stem")).to_contain_text("分野の問題")
    check("practice question")
    page.locator("[data-choice]").first.click()
    expect(page.locator(".verdict")).to_be_visible()
    check("practice feedback")

    # A short mock: start, answer, review, submit.
    page.get_by_role("navigation", name="メイン").get_by_role("link", name="模擬試験").click()
    check("exam list")
    page.locator("a[href*='/exams/mini/start/']").click()
    check("exam start")
    page.get_by_role("button", name="模擬試験を開始").click()
    check("exam question")
    page.locator(".choice").first.click()
    expect(page.get_by_text("保存しました")).to_be_visible()
    page.get_by_role("link", name="見直し").first.click()
    check("exam review")
    page.get_by_role("link", name="試験を終了して提出").click()
    page.get_by_role("dialog").get_by_role("button", name="試験を終了して提出").click()
    expect(page.get_by_role("heading", name=re.compile("結果"))).to_be_visible()
    check("exam results")

    page.get_by_role("navigation", name="メイン").get_by_role("link", name="弱点レポート").click()
    check("weakness report")

    assert seen == {name: [] for name in seen}
    assert console_problems == []


# The test bank of tests/main_pages.py is English: its matching prompts read "Prompt 1", like
# the admin's "Prompt %(n)d". Question text is content, not interface.
BANK_TEXT = {"Prompt %(n)d"}


def test_every_main_page_is_in_japanese(live_server, page, console_problems):
    """The candidate's main pages with real data (tests/main_pages.py) and the admin question
    form in Japanese: the interface around the (English) test bank shows no catalogue English."""
    user = UserFactory(is_staff=True, is_superuser=True)
    scene = build_pages(user)
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [
            {"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url},
            {"name": settings.LANGUAGE_COOKIE_NAME, "value": "ja", "url": live_server.url},
        ]
    )
    catalogue = catalogue_english()

    seen = {}
    for target in scene.pages:
        if target.who == "anonymous":
            continue  # sign-up and log-in are on the way in the flow above
        response = page.goto(f"{live_server.url}{target.url}")
        assert response.status == 200, target.name
        expect(page.locator("html")).to_have_attribute("lang", "ja")
        seen[target.name] = [msgid for msgid in untranslated(page, catalogue) if msgid not in BANK_TEXT]

    assert len(seen) > 15
    assert seen == {name: [] for name in seen}
    assert console_problems == []


def make_translated_pairs(count: int = 2) -> None:
    """English questions with Japanese translations (same uid, same option positions)."""
    for n in range(count):
        make_single_question(uid=f"pair-{n}", stem=f"English stem {n}: which service fits?")
        japanese = make_single_question(
            uid=f"pair-{n}", language="ja", stem=f"日本語の問題文 {n}: どのサービスが適切ですか?"
        )
        for option in japanese.options.all():
            Option.objects.filter(pk=option.pk).update(text=f"選択肢 {option.position + 1}")


def test_show_original_opens_the_english_beside_the_japanese_and_stays_open(live_server, page, console_problems):
    make_translated_pairs()
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/practice/?language=ja")
    page.get_by_label("10", exact=True).check()
    page.get_by_role("button", name="Start practice").click()
    expect(page.locator("#question-stem")).to_contain_text("日本語の問題文")
    # htmx listens for the toggle once the page's scripts have run.
    expect(page.locator("html")).to_have_attribute("data-answering", "ready")
    toggle = page.locator("[data-original-toggle]")

    toggle.locator("summary").click()

    original = page.locator("#original .stem")
    expect(original).to_contain_text("English stem")
    expect(original).to_have_attribute("lang", "en")
    expect(page.locator("#original .choice-text")).to_have_count(4)
    card, beside = page.locator("#question-card").bounding_box(), toggle.bounding_box()
    assert beside["x"] >= card["x"] + card["width"], "the original sits beside the question on a wide screen"

    # Answering swaps the card; the original stays. The next question opens its own.
    page.locator("[data-choice]").first.click()
    expect(page.locator(".verdict")).to_be_visible()
    expect(original).to_contain_text("English stem")
    page.get_by_role("link", name="Next").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"Question 2\s"))
    expect(page.locator("[data-original-toggle]")).to_have_attribute("open", "")
    expect(page.locator("#original .stem")).to_contain_text("English stem")
    assert console_problems == []
