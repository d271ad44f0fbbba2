"""``{% nav_cell cell %}``: one cell of a mock exam's question navigator.

Written in Python rather than as a template partial because a question page shows 65 of
them: through the template engine the grid took half the page's time (bench/run.py).
``cell`` comes from ``exams.views.mock.navigator_cell``; ``oob`` marks it for an htmx out-of-band swap
after a save or a flag. CSS shows the mark and the screen-reader word that apply, and
static/js/answering/answers.js switches the classes while a save is pending or has failed.
"""

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

register = template.Library()

_MARKS = mark_safe(
    '<span class="nav-mark" aria-hidden="true"><span class="nav-answered">●</span>'
    '<span class="nav-incomplete">◐</span><span class="nav-flag">⚑</span>'
    '<span class="nav-pending">…</span><span class="nav-failed">!</span></span>'
)


@register.simple_tag
def nav_cell(cell: dict, oob: bool = False) -> str:
    states = [name for name in ("answered", "incomplete", "flagged", "current") if cell[name]]
    words = cell["words"]
    return format_html(
        '<li id="nav-{number}" class="{classes}" data-nav-cell="{number}"{oob}>'
        '<a href="{url}"{current}><span class="nav-number">{number}</span>{marks}'
        '<span class="visually-hidden nav-words"><span class="nav-word-answered">{answered}</span>'
        '<span class="nav-word-incomplete">{incomplete}</span>'
        '<span class="nav-word-unanswered">{unanswered}</span><span class="nav-word-flagged">{flagged}</span></span>'
        "</a></li>",
        number=cell["position"],
        classes=" ".join(["nav-cell", *(f"is-{state}" for state in states)]),
        oob=mark_safe(' hx-swap-oob="true"') if oob else "",
        url=cell["url"],
        current=mark_safe(' aria-current="step"') if cell["current"] else "",
        marks=_MARKS,
        answered=words["answered"],
        incomplete=words["incomplete"],
        unanswered=words["unanswered"],
        flagged=words["flagged"],
    )
