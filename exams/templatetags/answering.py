"""Lay a candidate's answer onto a question for the shared includes.

``{% answer_controls question answer as controls %}`` feeds
``includes/question_form.html`` from ``public_view(snapshot, tokens)`` only (options named
by opaque tokens, the answer in tokens too), so the answer controls cannot show what they
were never given. ``{% review_rows snapshot answer as
review %}`` feeds ``includes/question_review.html`` (after submission, in practice
feedback and in the admin preview, where ``answer`` is None).
"""

import html
from typing import Any

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from exams import review_markup
from exams.grading import grade
from questions import types as question_types
from questions.markup import plain_text, stored_html
from questions.types.base import key_letter

register = template.Library()


@register.simple_tag
def question_type(value: str) -> question_types.QuestionType:
    """The type of a question (``question.type``), for what a page does differently per type:
    ``instant`` (practice answers on click), ``save_button``, ``lettered``."""
    return question_types.get(value)


@register.simple_tag
def answer_controls(question: dict[str, Any], answer=None) -> dict[str, Any]:
    """The options of a public question view, in display order, marked with ``answer``
    (tokens, as ``ItemTokens.public_answer`` gives it), for the type's ``form`` partial
    (``form_template``).

    single / multiple: ``options`` with ``checked``. ordering: ``options`` in the
    candidate's order when there is one (the shuffled order otherwise). matching:
    ``options`` are the prompts, each with its ``selected`` match token, and ``matches``.
    Every option has ``index`` (1-based, for the keyboard), ``letter`` and ``plain`` (its
    text for attributes: a plain str that the template escapes once). ``select_hint``:
    show "Select N answers." under a multiple-response stem that does not say it already.
    """
    kind = question_types.get(question["type"])
    rows = kind.control_rows([dict(row) for row in question["options"]], answer)
    chosen = set(answer) if isinstance(answer, list) else set()
    matched = answer if isinstance(answer, dict) else {}
    for index, row in enumerate(rows, start=1):
        row["index"] = index
        row["letter"] = key_letter(index)
        row["plain"] = plain_text(row["text"])
        row["checked"] = row.get("token") in chosen
        row["selected"] = matched.get(row.get("token"))
    matches = [
        {"token": match.get("token"), "plain": plain_text(match["text"])} for match in question.get("matches", [])
    ]
    return {
        "type": kind.value,
        "form_template": f"{kind.template}#form",
        "lettered": kind.lettered,
        "options": rows,
        "matches": matches,
        "count": len(rows),
        "select_hint": kind.select_hint(question),
    }


@register.simple_tag
def review_rows(snapshot: dict[str, Any], answer=None) -> dict[str, Any]:
    """Every option with the key, the candidate's choice and its rationale, for the type's
    ``review`` partial (``review_template``).

    single / multiple: ``rows`` in display order with ``correct`` (part of the key) and
    ``chosen``. ordering: ``rows`` in the correct order with ``position`` (correct, 1-based)
    and ``chosen_position`` (the candidate's, or None). matching: ``rows`` per prompt with
    ``match`` (correct text), ``chosen_match`` (the candidate's text) and ``right``.
    ``answered`` / ``correct`` summarise the whole answer.
    """
    kind = question_types.get(snapshot["type"])
    answered = bool(answer)
    return {
        "type": kind.value,
        "review_template": f"{kind.template}#review",
        "rows": kind.review_rows(snapshot, answer),
        "answered": answered,
        "correct": grade(snapshot, answer) if answered else False,
        "show_answer": answer is not None,
        "references": review_markup.web_links(snapshot),
    }


@register.filter
def clock(seconds) -> str:
    """Seconds as a countdown reads: ``1:29:59``, ``29:59``, ``0:05``."""
    try:
        seconds = max(0, int(seconds))
    except (TypeError, ValueError):
        return ""
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


# --- the review partials' rows ------------------------------------------------------------
# Each type's ``review`` partial (templates/includes/question_types/) draws its rows with
# one of these tags, through ``exams.review_markup`` (which the mock's results use directly):
# through the template engine, a question's four or five rows (a dozen conditions, two
# author-text filters and a translated mark each) were most of a results page's time
# (bench/profile.py). Translated words are escaped once per process and language, as
# {% translate %} would; author text goes through ``stored_html`` as |author_html does; every
# other value is escaped.


def _rows(draw, review: dict, snapshot: dict, **flags) -> SafeString:
    author = review_markup.AuthorHtml(escape(snapshot.get("language", "")))
    words = review_markup.row_words()
    html = draw(author, review["rows"], words, show=review["show_answer"], answered=review["answered"], **flags)
    return mark_safe(html)  # noqa: S308 -- author text through stored_html, the rest escaped


@register.simple_tag
def choice_review(review: dict, snapshot: dict, missed_marks: bool = False) -> SafeString:
    """Single and multiple choice: every option, the key marked, the candidate's choice
    marked right or wrong, and (``missed_marks``, multiple response) each key option the
    candidate did not select."""
    return _rows(review_markup.choice_rows, review, snapshot, missed_marks=missed_marks)


@register.simple_tag
def ordering_review(review: dict, snapshot: dict) -> SafeString:
    """Ordering: the items in the correct order, each with where the candidate put it."""
    return _rows(review_markup.ordering_rows, review, snapshot)


@register.simple_tag
def matching_review(review: dict, snapshot: dict) -> SafeString:
    """Matching: each prompt with its correct match and, answered, the candidate's."""
    return _rows(review_markup.matching_rows, review, snapshot)


@register.simple_tag
def review_stem(snapshot: dict) -> SafeString:
    """includes/question_review.html's top: the case study (folded) and the stem."""
    html = review_markup.stem_html(snapshot, escape(snapshot.get("language", "")), review_markup.frame_words())
    return mark_safe(html)  # noqa: S308 -- author text through stored_html, the rest escaped


@register.simple_tag
def review_explanation(snapshot: dict, review: dict) -> SafeString:
    """includes/question_review.html's end: the explanation and the references (web links only)."""
    html = review_markup.ending_html(snapshot, escape(snapshot.get("language", "")), review_markup.frame_words())
    return mark_safe(html)  # noqa: S308 -- author text through stored_html, the rest escaped


# One option row of the single and multiple choice controls (their ``form`` partials). Written
# in Python as the navigator is: through the template engine each row cost about 280 Python
# calls (seven lookups, each escaped and localized), a third of the next-question fragment.
_CHOICE_ROW = (
    '\n      <label class="choice" for="choice-{token}" data-option-index="{index}">'
    '\n        <input type="{kind}" name="choice" value="{token}" id="choice-{token}"{checked}>'
    '\n        <span class="choice-key" aria-hidden="true">{letter}</span>'
    '\n        <span class="choice-text" lang="{language}" hx-disable>{text}</span>'
    '\n        <span class="choice-state" aria-hidden="true"></span>'
    "\n      </label>"
)
_CHOICE_BUTTON = (
    '\n      <button type="submit" name="choice" value="{token}" class="choice choice-button"'
    ' data-option-index="{index}" data-choice>'
    '\n        <span class="choice-key" aria-hidden="true">{letter}</span>'
    '\n        <span class="choice-text" lang="{language}" hx-disable>{text}</span>'
    '\n        <span class="choice-state" aria-hidden="true"></span>'
    "\n      </button>"
)


@register.simple_tag
def choice_rows(controls: dict[str, Any], language: str, kind: str = "radio", instant: bool = False) -> SafeString:
    """The option rows of a single (``radio``) or multiple (``checkbox``) choice question, from
    ``answer_controls``: a label with its input, or with ``instant`` (practice, single choice)
    a submit button per option. Every value is escaped here (``html.escape``, what
    ``django.utils.html.escape`` runs); the option's text comes through ``stored_html`` as
    ``|author_html`` gives it, inside an element with ``hx-disable``."""
    if kind not in ("radio", "checkbox"):
        raise ValueError(f"choice_rows: kind {kind!r}")
    language = html.escape(str(language))
    rows = []
    for option in controls["options"]:
        values = {
            "token": html.escape(str(option["token"])),
            "index": int(option["index"]),
            "letter": html.escape(str(option["letter"])),
            "language": language,
            "text": stored_html(option["text"]),
        }
        if instant:
            rows.append(_CHOICE_BUTTON.format(**values))
        else:
            rows.append(_CHOICE_ROW.format(kind=kind, checked=" checked" if option["checked"] else "", **values))
    return mark_safe("".join(rows))  # noqa: S308 -- every value escaped above; the text sanitized by stored_html
