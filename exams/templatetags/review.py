"""``{% review_heading row %}`` and ``{% language_note attempt item_language %}``: the head of
each question a finished mock's results review (and the notice on an item shown in English).

In Python rather than template includes because the results page shows ten questions at a
time, and each one's heading, marks, badges and topic line through the template engine
(an include, five translations and a dozen lookups each) cost more than the page around
them (bench/profile.py). Every value is escaped here: translated words as ``{% translate %}``
does, and the values put into a ``{% blocktranslate %}`` message, as it does.
"""

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from quizapp.rendering import once_per_rendering

from .topics import topic_html

register = template.Library()

_WORDS = "exams.review.words"


def _words(context) -> dict[str, str]:
    """The heading's words, translated and escaped once per rendering (and language)."""
    return once_per_rendering(context, _WORDS, _build_words)


def _build_words() -> dict[str, str]:
    return {
        "question": _("Question %(n)s"),  # a blocktranslate message: the number goes in escaped
        "task": _("Task %(value)s"),
        "not_answered": _mark(False, _("Not answered")),
        "correct": _mark(True, _("Correct")),
        "incorrect": _mark(False, _("Incorrect")),
        "unscored": f'<span class="badge">{escape(_("Unscored"))}</span>',
        "flagged": f'<span class="badge"><span aria-hidden="true">⚑</span> {escape(_("Flagged"))}</span>',
    }


def _mark(ok: bool, word: str) -> str:
    """includes/mark.html's markup: an icon and a word, never colour alone."""
    if ok:
        return f'<span class="mark mark-ok"><span aria-hidden="true">✓</span> {escape(word)}</span>'
    return f'<span class="mark mark-bad"><span aria-hidden="true">✗</span> {escape(word)}</span>'


@register.simple_tag(takes_context=True)
def review_heading(context, row: dict) -> SafeString:
    """A reviewed question's heading (its number, right or wrong, unscored, flagged, task)
    and its topic line. ``row`` is one of ``exams.views.mock``'s review rows."""
    words = _words(context)
    item, snapshot = row["item"], row["snapshot"]
    position = int(item.position)
    if not row["answered"]:
        mark = words["not_answered"]
    else:
        mark = words["correct"] if row["is_correct"] else words["incorrect"]
    parts = [
        f'<h3 id="q{position}-heading">',
        words["question"] % {"n": position},
        mark,
        "" if item.scored else words["unscored"],
        words["flagged"] if item.flagged else "",
        f'<span class="badge">{words["task"] % {"value": escape(snapshot["task"])}}</span>',
        "</h3>",
    ]
    return mark_safe("\n".join(part for part in parts if part) + "\n" + topic_html(snapshot))  # noqa: S308 -- every value escaped above


@register.simple_tag
def language_note(attempt, item_language: str) -> SafeString:
    """Shown on an item whose question is not in the attempt's language: the bank had no
    translation of it, so the English item is used (questions.models.in_language)."""
    if item_language == attempt.language:
        return mark_safe("")
    message = _("This question has no %(language)s translation yet, so it is shown in English.") % {
        "language": escape(attempt.get_language_display())
    }
    return mark_safe(f'<p class="language-note">\n  {message}\n</p>')  # noqa: S308 -- the language name escaped
