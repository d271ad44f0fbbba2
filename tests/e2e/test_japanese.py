"""A Japanese-speaking candidate in Chromium: switch the interface to Japanese, sign up,
practise, sit a short mock, read the results and the weakness report. No page on the way
may show the English of a catalogue entry (locale/ja): everything marked for translation
must come out in Japanese."""

import re

import pytest
from playwright.sync_api import expect

from questions.models import Option
from tests.factories import BlueprintFactory, _task, make_single_question
from tests.i18n.catalogue import JA_PO, read_po

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PLACEHOLDER = re.compile(r"%(?:\([^)]+\))?[-#0 +]*\d*(?:\.\d+)?[sdrfi%]|<[^>]+>")

# Text nodes and read-aloud attributes of the page, leaving out elements marked as another
# language (the switcher's "English" button) and scripts.
PAGE_TEXT = """() => {
  const parts = [document.title];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const element = node.parentElement;
    if (element.closest("script, style")) continue;
    const lang = element.closest("[lang]");
    if (lang && !lang.lang.startsWith("ja")) continue;
    parts.push(node.textContent);
  }
  for (const element of document.body.querySelectorAll("[aria-label], [title], [placeholder], [alt]")) {
    const lang = element.closest("[lang]");
    if (lang && !lang.lang.startsWith("ja")) continue;
    for (const name of ["aria-label", "title", "placeholder", "alt"]) {
      if (element.hasAttribute(name)) parts.push(element.getAttribute(name));
    }
  }
  return parts.join("\\n");
}"""


def english_phrases() -> list[re.Pattern]:
    """The catalogue's English text, piece by piece between placeholders and tags.

    A piece the Japanese keeps as it is (a name such as "AWS" or "CSV") is left out, and so
    are single letters.
    """
    _, entries = read_po(JA_PO)
    phrases = set()
    for entry in entries:
        translation = " ".join(entry.msgstr.values())
        for source in (entry.msgid, entry.msgid_plural):
            for piece in PLACEHOLDER.split(source):
                piece = piece.strip(" .,:;·()“”\"'…—-/")
                if len(re.findall(r"[A-Za-z]", piece)) >= 2 and piece not in translation:
                    phrases.add(piece)
    return {phrase: re.compile(rf"(?<![A-Za-z]){re.escape(phrase)}(?![A-Za-z])") for phrase in phrases}


def untranslated(page, phrases) -> list[str]:
    text = page.evaluate(PAGE_TEXT)
    return sorted(phrase for phrase, pattern in phrases.items() if pattern.search(text))


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
    phrases = english_phrases()
    seen: dict[str, list[str]] = {}

    def check(name: str) -> None:
        expect(page.locator("html")).to_have_attribute("lang", "ja")
        seen[name] = untranslated(page, phrases)

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
    page.locator("a[href$='/exams/mini/start/']").click()
    check("exam start")
    page.get_by_role("button", name="模擬試験を開始").click()
    check("exam question")
    page.locator(".choice").first.click()
    expect(page.get_by_text("保存しました")).to_be_visible()
    page.get_by_role("link", name="見直し").first.click()
    check("exam review")
    page.get_by_role("link", name="試験を送信").click()
    page.get_by_role("dialog").get_by_role("button", name="試験を送信").click()
    expect(page.get_by_role("heading", name=re.compile("結果"))).to_be_visible()
    check("exam results")

    page.get_by_role("navigation", name="メイン").get_by_role("link", name="弱点レポート").click()
    check("weakness report")

    assert seen == {name: [] for name in seen}
    assert console_problems == []
