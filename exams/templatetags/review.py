"""``{% review_items rows attempt %}``: the questions of one page of a finished mock's review,
and ``{% language_note attempt item_language %}``, the notice on an item shown in English.

Each reviewed question (its heading, how others did, the question with the key and the
candidate's marks, their note and "Report a problem") is drawn by one Python function: the
results page shows ten at a time, and through template includes and tags each cost about
2,000 Python calls, most of the page (bench/profile.py). What is the same for everyone who
reads a question revision in one language (the stem, options, rationales, explanation and
topic line) comes from memory (``exams.review_markup.markup_for``); the rest is per request.
Every value is escaped here: translated words as ``{% translate %}`` does, and the values
put into a ``{% blocktranslate %}`` message, as it does.
"""

from html import escape

from django import template
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from exams import review_markup
from exams.results import Reviewed, review_filter_labels
from exams.templatetags.answering import review_rows
from insights.templatetags.insights_others import others_did
from notes.templatetags.notes import note_forms, owner_notes
from questions import types as question_types
from questions.templatetags.report_problem import report_toggles
from quizapp.rendering import per_language

register = template.Library()


@per_language
def _heading_words() -> dict[str, str]:
    unscored, flagged = escape(_("Unscored")), escape(_("Flagged"))  # not in f-strings: makemessages reads them
    return {
        "question": _("Question %(n)s"),  # a blocktranslate message: the number goes in escaped
        "not_answered": _mark(False, _("Not answered")),
        "correct": _mark(True, _("Correct")),
        "incorrect": _mark(False, _("Incorrect")),
        "unscored": f'<span class="badge">{unscored}</span>\n',
        "flagged": f'<span class="badge"><span aria-hidden="true">⚑</span> {flagged}</span>\n',
    }


def _mark(ok: bool, word: str) -> str:
    """includes/mark.html's markup: an icon and a word, never colour alone."""
    if ok:
        return f'<span class="mark mark-ok"><span aria-hidden="true">✓</span> {escape(word)}</span>'
    return f'<span class="mark mark-bad"><span aria-hidden="true">✗</span> {escape(word)}</span>'


@register.simple_tag(takes_context=True)
def review_items(context, rows: list[Reviewed], attempt) -> SafeString:
    """Every question in ``rows`` (``exams.results.reviewed``) as an ``<article>`` of the review."""
    if not rows:
        return mark_safe("")
    request = context.get("request")
    page = {
        "language": get_language(),
        "heading": _heading_words(),
        "rows": review_markup.row_words(),
        "others": others_did(context),
        "notes": owner_notes(context, attempt.owner_id),
        "note_form": note_forms(context),
        "next": request.get_full_path() if request else "",
        "report": report_toggles(context),
    }
    return mark_safe("\n".join(_item(context, row, attempt, page) for row in rows))  # noqa: S308 -- escaped in _item


def _item(context, row: Reviewed, attempt, page: dict) -> str:
    outcome, snapshot = row.outcome, row.snapshot
    words, position, uid = page["heading"], int(outcome.position), str(snapshot["uid"])
    markup = review_markup.markup_for(row.digest, snapshot, page["language"])
    if not outcome.answered:
        mark = words["not_answered"]
    else:
        mark = words["correct"] if outcome.correct else words["incorrect"]
    heading = (
        f'<h3 id="q{position}-heading">\n{words["question"] % {"n": position}}\n{mark}\n'
        f"{'' if outcome.scored else words['unscored']}{words['flagged'] if outcome.flagged else ''}"
        f"{markup.task}\n</h3>\n{markup.topic}"
    )
    others = page["others"](uid) if outcome.answered else ""
    others += "\n" if others else ""
    note = f"{language_note(attempt, None)}\n" if snapshot["language"] != attempt.language else ""
    return (
        f'<article class="review-item" id="q{position}" aria-labelledby="q{position}-heading" tabindex="-1">\n'
        f"{heading}\n{others}{note}"
        f'<div class="question-review" hx-disable>\n{markup.stem}\n{_rows(context, row, markup, page)}\n'
        f"{markup.ending}\n</div>\n"
        f"{page['note_form'](uid, page['notes'].get(uid, ''), page['next'])}\n"
        f"{page['report'](uid, snapshot['language'])}\n"
        "</article>"
    )


def _rows(context, row: Reviewed, markup: review_markup.RevisionMarkup, page: dict) -> str:
    """The options with the key and the candidate's marks: the built-in types in Python,
    any other through its ``review`` partial (templates/includes/question_types/)."""
    snapshot, answer = row.snapshot, row.answer
    kind = question_types.get(snapshot["type"])
    draw = review_markup.ROWS.get(kind.value)
    if draw is None:
        partial = context.template.engine.get_template(f"{kind.template}#review")
        values = {"snapshot": snapshot, "answer": answer, "review": review_rows(snapshot, answer)}
        return partial.render(context.new(values))
    return draw(markup.author, kind.review_rows(snapshot, answer), page["rows"], show=True, answered=bool(answer))


@register.simple_tag
def review_filters() -> list[tuple[str, str]]:
    """The review's filters (``?show=``) with their labels in the active language."""
    return review_filter_labels()


@register.simple_tag
def language_note(attempt, item_language: str | None) -> SafeString:
    """Shown on an item whose question is not in the attempt's language: the bank had no
    translation of it, so the English item is used (questions.models.in_language).
    ``item_language`` None: the note whatever the item's language."""
    if item_language == attempt.language:
        return mark_safe("")
    message = _("This question has no %(language)s translation yet, so it is shown in English.") % {
        "language": escape(str(attempt.get_language_display()))
    }
    return mark_safe(f'<p class="language-note">\n  {message}\n</p>')  # noqa: S308 -- the language name escaped
