"""``{% nav_grid cells %}`` and ``{% nav_cell cell %}``: a mock exam's question navigator.

Written in Python rather than as a template partial because a question page shows 65
cells: through the template engine the grid took half the page's time, and even one
``format_html`` per cell (ten escapes each, through lazy-aware wrappers) was a third of the
page (bench/profile.py). A cell holds only numbers, fixed class names, its link and the
four screen-reader words, so the grid escapes the words once and each link once.
``cell`` comes from ``exams.views.mock.navigator_cell``; ``oob`` marks it for an htmx out-of-band swap
after a save or a flag. CSS shows the mark and the screen-reader word that apply, and
static/js/answering/answers.js switches the classes while a save is pending or has failed.
"""

import html
import itertools
import re

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

_MARKS = (
    '<span class="nav-mark" aria-hidden="true"><span class="nav-answered">●</span>'
    '<span class="nav-incomplete">◐</span><span class="nav-flag">⚑</span>'
    '<span class="nav-pending">…</span><span class="nav-failed">!</span></span>'
)
_STATES = ("answered", "incomplete", "flagged", "current")
# The class attribute of every combination of states, keyed by their truth values in _STATES' order.
_CLASSES = {
    key: "nav-cell" + "".join(f" is-{state}" for state, on in zip(_STATES, key, strict=True) if on)
    for key in itertools.product((False, True), repeat=len(_STATES))
}
# A character html.escape would change: a link without one (every link the app builds) is
# used as it is. (str.translate with a table of the five escapes took 2 µs per link, 65 links
# a page; this search and, rarely, html.escape take a tenth of that.)
_SPECIAL = re.compile("[&<>\"']")


def _words_html(words: dict) -> str:
    """The screen-reader words of a cell, escaped (the same for every cell of a page)."""
    return (
        f'<span class="visually-hidden nav-words"><span class="nav-word-answered">{escape(words["answered"])}</span>'
        f'<span class="nav-word-incomplete">{escape(words["incomplete"])}</span>'
        f'<span class="nav-word-unanswered">{escape(words["unanswered"])}</span>'
        f'<span class="nav-word-flagged">{escape(words["flagged"])}</span></span>'
    )


def _cell_html(cell: dict, words: str, oob: bool = False) -> str:
    number = int(cell["position"])  # a number: nothing to escape
    # The states are bools (exams.views.mock.navigator_cell); anything else is a KeyError here.
    classes = _CLASSES[cell["answered"], cell["incomplete"], cell["flagged"], cell["current"]]
    swap = ' hx-swap-oob="true"' if oob else ""
    current = ' aria-current="step"' if cell["current"] else ""
    url = cell["url"]
    if _SPECIAL.search(url):
        url = html.escape(url)
    return (
        f'<li id="nav-{number}" class="{classes}" data-nav-cell="{number}"{swap}>'
        f'<a href="{url}"{current}><span class="nav-number">{number}</span>{_MARKS}{words}</a></li>'
    )


@register.simple_tag
def nav_cell(cell: dict, oob: bool = False) -> SafeString:
    """One cell (the out-of-band swap after a save or a flag)."""
    return mark_safe(_cell_html(cell, _words_html(cell["words"]), oob))  # noqa: S308 -- every value escaped in _cell_html


@register.simple_tag
def nav_grid(cells: list[dict]) -> SafeString:
    """Every cell of the navigator, in order."""
    # The words are escaped once per words dict: the cells of a page share one.
    words, words_html = None, ""
    parts = []
    for cell in cells:
        if cell["words"] is not words:
            words, words_html = cell["words"], _words_html(cell["words"])
        parts.append(_cell_html(cell, words_html))
    return mark_safe("".join(parts))  # noqa: S308 -- every value escaped in _cell_html
