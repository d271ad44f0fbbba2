import gettext
import os
import re
import shutil
import subprocess
import sys

from .catalogue import BASE_DIR, JA_MO, JA_PO, problems, read_po

# What makemessages must not read in the copy: not our code, or not translatable.
NOT_COPIED = shutil.ignore_patterns(
    ".git", ".venv", "node_modules", "vendor", "data", "tests", "bench", "staticfiles", "locale", "__pycache__",
    "*.sqlite3*", ".*cache",
)  # fmt: skip


def test_ja_catalogue_has_no_missing_or_fuzzy_entry():
    header, entries = read_po(JA_PO)

    assert "fuzzy" not in header.flags
    assert "Language: ja\n" in header.msgstr[0]
    assert len(entries) > 100
    assert problems(entries) == []


def test_ja_catalogue_covers_every_string_marked_in_the_code(tmp_path):
    """Extract again into a copy of the project: a marked string with no translation shows up as a gap."""
    copy = tmp_path / "project"
    shutil.copytree(BASE_DIR, copy, ignore=NOT_COPIED)
    (copy / JA_PO.relative_to(BASE_DIR)).parent.mkdir(parents=True)
    shutil.copy(JA_PO, copy / JA_PO.relative_to(BASE_DIR))

    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "ja", "--no-obsolete", "--verbosity=0"],
        cwd=copy,
        env={**os.environ, "DEBUG": "true"},
        check=True,
    )

    _, extracted = read_po(copy / JA_PO.relative_to(BASE_DIR))
    gaps = problems(extracted)
    assert gaps == [], f"run `make makemessages` and translate these in {JA_PO.relative_to(BASE_DIR)}: {gaps}"


def test_compiled_ja_catalogue_matches_the_po_file():
    assert JA_MO.exists(), "run `make messages` (compilemessages) first"
    with JA_MO.open("rb") as mo:
        compiled = gettext.GNUTranslations(mo)._catalog
    _, entries = read_po(JA_PO)

    stale = []
    for entry in entries:
        if entry.msgid_plural:
            current = compiled.get((entry.key, 0)) == entry.msgstr[0]
        else:
            current = compiled.get(entry.key) == entry.msgstr[0]
        if not current:
            stale.append(entry.msgid)
    assert stale == [], "the .mo file is older than the .po file: run `make messages`"


# The product's vocabulary in AWS's own Japanese exam terminology and the Japanese
# AIF-C01 exam guide's domain names.
GLOSSARY = {
    "Multiple choice": "択一選択問題",
    "Multiple response": "複数選択問題",
    "Ordering": "順序付け",
    "Matching": "内容一致",
    "Case study": "導入事例",
    "Fundamentals of AI and ML": "AI と ML の基礎",
    "Fundamentals of Generative AI": "生成 AI の基礎",
    "Applications of Foundation Models": "基盤モデルの応用",
    "Guidelines for Responsible AI": "責任ある AI のガイドライン",
    "Security, Compliance, and Governance for AI Solutions": (
        "AI ソリューションのセキュリティ、コンプライアンス、ガバナンス"
    ),
    "Start practice": "練習を開始",
    "Start mock exam": "模擬試験を開始",
    "Check answer": "解答を確認",
    "Next": "次へ",
    "Previous": "前へ",
    "Flag for review": "見直しのためにフラグを付ける",
    "Review": "見直し",
    "Submit exam": "試験を終了して提出",
    "Resume": "再開",
    "Bookmark": "ブックマーク",
    "Weakness report": "弱点レポート",
    "Practise this": "これを練習",
    "Report a problem": "不備を報告",
}


def test_ja_catalogue_uses_the_exam_terminology():
    _, entries = read_po(JA_PO)
    translations = {entry.msgid: entry.msgstr[0] for entry in entries if entry.msgctxt is None}

    assert {msgid: translations.get(msgid) for msgid in GLOSSARY} == GLOSSARY


def test_ja_catalogue_avoids_wording_the_japanese_review_rejected():
    # Issue 19 §5: no あなた, 苦手 rather than 最も弱い, 不備の報告 (問題 already means "question"),
    # half-width brackets, and an exam is handed in (提出), not sent (送信).
    _, entries = read_po(JA_PO)
    rejected = re.compile(r"あなた|最も弱い|問題の報告|問題を報告|ハーフ模擬試験|[（）]")

    def translation(entry):
        return "".join(entry.msgstr.values() if isinstance(entry.msgstr, dict) else entry.msgstr)

    assert [translation(e) for e in entries if rejected.search(translation(e))] == []
    assert [e.msgid for e in entries if re.search(r"\bsubmit", e.msgid, re.I) and "送信" in translation(e)] == []
