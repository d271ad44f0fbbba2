"""The navigator's cells, written in Python for speed (exams.templatetags.navigator): the
markup answering.js and the CSS rely on, every value escaped, the grid cell for cell the
same as the single out-of-band cell a save sends back."""

import itertools

import pytest

from exams.templatetags.navigator import nav_cell, nav_grid

WORDS = {"answered": "answered", "incomplete": "incomplete", "unanswered": "unanswered", "flagged": ", flagged"}
MARKS = (
    '<span class="nav-mark" aria-hidden="true"><span class="nav-answered">●</span>'
    '<span class="nav-incomplete">◐</span><span class="nav-flag">⚑</span>'
    '<span class="nav-pending">…</span><span class="nav-failed">!</span></span>'
)


def cell(position=3, *, answered=False, incomplete=False, flagged=False, current=False, words=WORDS, url=None):
    return {
        "position": position,
        "url": url or f"/exams/attempts/9/{position}/",
        "answered": answered,
        "incomplete": incomplete,
        "flagged": flagged,
        "current": current,
        "words": words,
    }


def test_a_cell_is_the_markup_the_script_and_the_styles_read():
    html = nav_cell(cell(answered=True, flagged=True, current=True), True)

    assert html == (
        '<li id="nav-3" class="nav-cell is-answered is-flagged is-current" data-nav-cell="3" hx-swap-oob="true">'
        f'<a href="/exams/attempts/9/3/" aria-current="step"><span class="nav-number">3</span>{MARKS}'
        '<span class="visually-hidden nav-words"><span class="nav-word-answered">answered</span>'
        '<span class="nav-word-incomplete">incomplete</span><span class="nav-word-unanswered">unanswered</span>'
        '<span class="nav-word-flagged">, flagged</span></span></a></li>'
    )


def test_a_plain_cell_has_no_state_no_swap_and_no_current_step():
    html = nav_cell(cell())

    assert html.startswith('<li id="nav-3" class="nav-cell" data-nav-cell="3"><a href="/exams/attempts/9/3/">')


def test_every_value_is_escaped():
    words = dict(WORDS, answered="<b>répondu</b>", flagged=', "signalé" & <i>')

    html = nav_grid([cell(url='/x/?a="<script>"&b', words=words)])

    assert "<b>" not in html and "<i>" not in html and "<script>" not in html
    assert "&lt;b&gt;répondu&lt;/b&gt;" in html
    assert ", &quot;signalé&quot; &amp; &lt;i&gt;" in html
    assert 'href="/x/?a=&quot;&lt;script&gt;&quot;&amp;b"' in html


def test_a_position_must_be_a_number():
    with pytest.raises(ValueError):
        nav_cell(cell(position='1" onclick="x'))


def test_the_grid_is_its_cells_in_order():
    cells = [
        cell(n, answered=a, incomplete=i, flagged=f, current=c)
        for n, (a, i, f, c) in enumerate(itertools.product([True, False], repeat=4), start=1)
    ]

    assert nav_grid(cells) == "".join(nav_cell(each) for each in cells)


def test_cells_with_other_words_keep_their_own():
    other = dict(WORDS, answered="回答済み")

    html = nav_grid([cell(1), cell(2, words=other)])

    assert html.count('<span class="nav-word-answered">answered</span>') == 1
    assert html.count('<span class="nav-word-answered">回答済み</span>') == 1
