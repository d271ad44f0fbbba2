"""A question's review as HTML: the key, the candidate's answer and every rationale, drawn
in Python for the types built in (their ``review`` partials call the tags of
``exams.templatetags.answering``) and for a finished mock's results, which show ten questions
a page: through the template engine each one cost about 2,000 Python calls (bench/profile.py).

Two layers:

- ``RevisionMarkup``: what every reader of one question revision sees alike in one interface
  language: the stem (and case study), the explanation and references, the topic line, and
  each author text (options, rationales, matches) ready for the page. Author text goes
  through ``stored_html`` (sanitized again, as ``|author_html`` does), everything else is
  escaped, as the templates did.
- ``choice_rows``, ``ordering_rows`` and ``matching_rows``: one candidate's marks laid onto
  it (which option they chose, where they put an item, what they matched).

``markup_for(digest, content, language)`` keeps a revision's markup per process and language, for the
results page: a revision never changes (its digest is its content's SHA-256), and on exam
day a cohort reviews the same few hundred. Only what is in the revision and the language's
words is kept: nothing of an attempt, an answer or a person.
"""

import functools
import threading
from html import escape
from typing import Any, NamedTuple

from django.utils.translation import gettext as _

from questions.markup import stored_html
from quizapp.rendering import per_language

from .templatetags.topics import topic_html

# Revisions kept per process (times the languages they are read in): a bank of about a
# thousand questions, each a few kilobytes of markup. Past it the oldest is dropped.
MAX_KEPT = 2048

_OK = '<span class="mark mark-ok"><span aria-hidden="true">✓</span> '
_BAD = '<span class="mark mark-bad"><span aria-hidden="true">✗</span> '


class AuthorHtml(dict):
    """One question's author texts → their markup for the page (``stored_html``), made on
    first use; ``language`` is the question's, escaped for ``lang=""``."""

    def __init__(self, language: str):
        super().__init__()
        self.language = language

    def __missing__(self, text: str) -> str:
        html = self[text] = str(stored_html(text))
        return html


class RevisionMarkup(NamedTuple):
    """The parts of a question's review that are the same for everyone reading it in one
    interface language (``build`` makes them in the active one)."""

    stem: str  # the case study (folded) and the stem
    ending: str  # the explanation and the references
    task: str  # the heading's task badge
    topic: str  # the topic line under the heading
    author: AuthorHtml  # every option's, rationale's and match's text, as shown

    @classmethod
    def build(cls, snapshot: dict[str, Any], *, prefill: bool = False) -> "RevisionMarkup":
        """``prefill``: make every author text's markup now (a revision kept for other
        requests is then only read, never written)."""
        language, words = escape(str(snapshot.get("language", ""))), frame_words()
        # A blocktranslate message: the value goes in escaped, the words as translated.
        task = _("Task %(value)s") % {"value": escape(str(snapshot.get("task", "")))}
        author = AuthorHtml(language)
        if prefill:
            for row in (*snapshot.get("options", ()), *snapshot.get("matches", ())):
                author[row.get("text") or ""]  # noqa: B018 -- made and kept by __missing__
                author[row.get("rationale") or ""]  # noqa: B018
        return cls(
            stem=stem_html(snapshot, language, words),
            ending=ending_html(snapshot, language, words),
            task=f'<span class="badge">{task}</span>',
            topic=topic_html(snapshot),
            author=author,
        )


_kept: dict[tuple[str, str | None], RevisionMarkup] = {}
_keeping = threading.Lock()


def markup_for(digest: str, content: dict[str, Any], language: str | None) -> RevisionMarkup:
    """The markup of the revision whose digest is ``digest`` (its ``content``, in any option
    order) in the interface ``language``, the active one (``get_language()``, asked once per
    page by the caller): made once per process, then read from memory."""
    key = (digest, language)
    markup = _kept.get(key)
    if markup is None:
        markup = RevisionMarkup.build(content, prefill=True)
        with _keeping:
            if len(_kept) >= MAX_KEPT:
                del _kept[next(iter(_kept))]
            _kept[key] = markup
    return markup


def forget_markup() -> None:
    """Drop every kept revision's markup (tests: a revision edited in place keeps its digest)."""
    with _keeping:
        _kept.clear()


@per_language
def frame_words() -> dict[str, str]:
    """The words around a review's rows in the active language, escaped."""
    return {
        "case_study": escape(_("Case study")),
        "explanation": escape(_("Explanation")),
        "references": escape(_("References")),
    }


def stem_html(snapshot: dict[str, Any], language: str, words: dict[str, str]) -> str:
    """The top of a review: the case study (folded) and the stem."""
    case = snapshot.get("case_study")
    parts = []
    if case:
        parts.append(
            f'<details class="case-study">\n  <summary>{words["case_study"]}</summary>\n'
            f'  <div class="case-study-text" lang="{language}">{stored_html(case.get("scenario", ""))}</div>\n'
            "</details>\n"
        )
    parts.append(f'<div class="stem" lang="{language}">{stored_html(snapshot.get("stem", ""))}</div>')
    return "".join(parts)


def web_links(snapshot: dict[str, Any]) -> list[str]:
    """The references worth a link: a reference is author input and must not become a script URL."""
    return [url for url in snapshot.get("references", []) if str(url).startswith(("https://", "http://"))]


def ending_html(snapshot: dict[str, Any], language: str, words: dict[str, str]) -> str:
    """The end of a review: the explanation and the references (web links only)."""
    parts = []
    if snapshot.get("explanation"):
        parts.append(
            f'<section class="explanation">\n  <h3>{words["explanation"]}</h3>\n'
            f'  <div lang="{language}">{stored_html(snapshot["explanation"])}</div>\n</section>\n'
        )
    if references := web_links(snapshot):
        links = "".join(
            f'    <li><a href="{link}" rel="noopener noreferrer" target="_blank">{link}</a></li>\n'
            for link in map(escape, map(str, references))
        )
        parts.append(
            f'<section class="references">\n  <h3>{words["references"]}</h3>\n  <ul>\n{links}  </ul>\n</section>'
        )
    return "".join(parts)


@per_language
def row_words() -> dict[str, str]:
    """The marks' words in the active language, escaped."""
    words = {
        key: escape(text)
        for key, text in {
            "correct_answer": _("Correct answer"),
            "your_answer": _("Your answer"),
            "your_answer_wrong": _("Your answer (wrong)"),
            "not_selected": _("You did not select this"),
            "matches": _("matches"),
            "matched": _("You matched this"),
            "chose": _("You chose:"),
            "left_empty": _("You left this empty"),
        }.items()
    }
    words["put_at"] = _("You put it at %(n)s")  # a blocktranslate message: the number goes in escaped
    return words


def _rationale(author: AuthorHtml, row: dict) -> str:
    rationale = row.get("rationale")
    if not rationale:
        return ""
    return f'\n      <div class="rationale" lang="{author.language}">{author[rationale]}</div>'


def choice_rows(
    author: AuthorHtml, rows: list[dict], words: dict, *, show: bool, answered: bool, missed_marks: bool = False
) -> str:
    """Single and multiple choice (``rows``: the type's ``review_rows``): every option, the
    key marked, the candidate's choice marked right or wrong, and (``missed_marks``, multiple
    response) each key option the candidate did not select."""
    language = author.language
    items = []
    for row in rows:
        correct, chosen = row.get("correct"), row.get("chosen")
        marks = f"{_OK}{words['correct_answer']}</span>\n" if correct else ""
        if show and chosen:
            mine = f"{_OK}{words['your_answer']}</span>" if correct else f"{_BAD}{words['your_answer_wrong']}</span>"
            marks += f"{mine}\n"
        elif show and answered and correct and missed_marks:
            marks += f"{_BAD}{words['not_selected']}</span>\n"
        classes = "review-option" + (" is-key" if correct else "") + (" is-chosen" if chosen else "")
        items.append(
            f'    <li class="{classes}">\n      <div class="review-option-head">\n'
            f'        <span class="choice-key" aria-hidden="true">{escape(str(row.get("letter", "")))}</span>\n'
            f'        <span class="choice-text" lang="{language}">{author[row["text"]]}</span>\n'
            f'        <span class="review-marks">\n{marks}</span>\n'
            f"      </div>{_rationale(author, row)}\n    </li>\n"
        )
    return f'<ul class="review-options">\n{"".join(items)}</ul>'


def _right_or_wrong(marked: bool, row: dict) -> str:
    if marked:
        return "is-right" if row.get("right") else "is-wrong"
    return "is-key"


def ordering_rows(author: AuthorHtml, rows: list[dict], words: dict, *, show: bool, answered: bool) -> str:
    """Ordering: the items in the correct order, each with where the candidate put it."""
    language, marked = author.language, show and answered
    items = []
    for row in rows:
        marks = ""
        if marked:
            put = words["put_at"] % {"n": escape(str(row.get("chosen_position")))}
            marks = f'\n        <span class="review-marks">\n{_OK if row.get("right") else _BAD}{put}</span>\n</span>'
        items.append(
            f'    <li class="review-option {_right_or_wrong(marked, row)}">\n      <div class="review-option-head">\n'
            f'        <span class="choice-key" aria-hidden="true">{escape(str(row.get("position", "")))}</span>\n'
            f'        <span class="choice-text" lang="{language}">{author[row["text"]]}</span>{marks}\n'
            f"      </div>{_rationale(author, row)}\n    </li>\n"
        )
    return f'<ol class="review-options review-ordering">\n{"".join(items)}</ol>'


def matching_rows(author: AuthorHtml, rows: list[dict], words: dict, *, show: bool, answered: bool) -> str:
    """Matching: each prompt with its correct match and, answered, the candidate's."""
    language, marked = author.language, show and answered
    items = []
    for row in rows:
        marks = ""
        if marked:
            if row.get("right"):
                mark = f"{_OK}{words['matched']}</span>"
            elif row.get("chosen_match"):
                mark = f'{_BAD}{words["chose"]} <span lang="{language}">{author[row["chosen_match"]]}</span></span>'
            else:
                mark = f"{_BAD}{words['left_empty']}</span>"
            marks = f'\n        <span class="review-marks">\n{mark}\n</span>'
        items.append(
            f'    <li class="review-option {_right_or_wrong(marked, row)}">\n      <div class="review-option-head">\n'
            f'        <span class="choice-text" lang="{language}">{author[row["text"]]}</span>\n'
            f'        <span class="review-match"><span aria-hidden="true">→</span> <span class="visually-hidden">'
            f'{words["matches"]}</span> <span lang="{language}">{author[row.get("match") or ""]}</span></span>'
            f"{marks}\n      </div>{_rationale(author, row)}\n    </li>\n"
        )
    return f'<ul class="review-options review-matching">\n{"".join(items)}</ul>'


# The types built in, by value: how each draws its rows (their ``review`` partials call the
# same through ``exams.templatetags.answering``). Any other type's review is its partial.
ROWS = {
    "single": choice_rows,
    "multiple": functools.partial(choice_rows, missed_marks=True),
    "ordering": ordering_rows,
    "matching": matching_rows,
}
