"""The results review's pieces drawn in Python (issue 18 §3): the same markup as the templates
they replace, every value escaped, and their words translated once per page, not per question."""

from unittest import mock

import pytest
from django.template import engines
from django.test import RequestFactory
from django.utils import translation
from django.utils.translation import gettext

from exams import review_markup
from questions.snapshots import take_snapshot
from tests.factories import make_matching_question, make_multiple_question, make_ordering_question

pytestmark = pytest.mark.django_db


def render(source: str, context: dict, path: str = "/exams/attempts/7/results/?show=all&page=1") -> str:
    request = RequestFactory().get(path)
    request.META["CSRF_COOKIE"] = "x" * 32
    return engines["django"].from_string(source).render(context, request)


def test_the_review_rows_translate_their_words_once_per_language_not_per_question():
    snapshots = [take_snapshot(make_multiple_question()) for _ in range(3)]
    page = (
        '{% for snapshot in snapshots %}{% include "includes/question_review.html" with snapshot=snapshot '
        "answer=snapshot.key %}{% endfor %}"
    )
    review_markup.row_words.cache_clear()
    review_markup.frame_words.cache_clear()

    with mock.patch.object(review_markup, "_", wraps=gettext) as translate:
        html = render(page, {"snapshots": snapshots})
        again = render(page, {"snapshots": snapshots})
        with translation.override("ja"):
            japanese = render(page, {"snapshots": snapshots})

    # Each question is in its own include (its own render context): the words (nine of the
    # rows, three of the case study, explanation and references) are translated for the
    # first question only, and kept for the next page in the same language.
    assert html.count('<ul class="review-options">') == 3
    assert again == html
    assert translate.call_count == 24  # twelve in English, twelve in Japanese
    assert "Correct answer" in html and "Correct answer" not in japanese


def test_author_text_is_shown_as_markup_and_everything_else_escaped():
    question = make_ordering_question()
    snapshot = take_snapshot(question)
    snapshot["language"] = 'en" onclick="x'
    snapshot["options"][0]["text"] = "<p>Use <code>a &lt; b</code></p>"
    snapshot["options"][0]["rationale"] = "<script>alert(1)</script><p>Because.</p>"

    html = render(
        '{% include "includes/question_review.html" with snapshot=snapshot answer=answer %}',
        {"snapshot": snapshot, "answer": list(reversed(snapshot["key"]))},
    )

    assert 'lang="en&quot; onclick=&quot;x"' in html
    assert 'onclick="x' not in html
    assert "<code>a &lt; b</code>" in html
    assert "<script>" not in html
    assert "You put it at" in html


def test_a_matching_review_says_what_the_candidate_chose():
    snapshot = take_snapshot(make_matching_question())
    key = snapshot["key"]
    prompts, matches = list(key), list(key.values())
    answer = {prompts[0]: matches[1], prompts[1]: matches[0]}

    html = render(
        '{% include "includes/question_review.html" with snapshot=snapshot answer=answer %}',
        {"snapshot": snapshot, "answer": answer},
    )

    assert html.count("You chose:") == 2
    assert "You left this empty" in html
    assert "is-wrong" in html


def test_the_note_form_escapes_the_note_the_address_and_the_errors():
    html = render(
        "{% load notes %}{% note_form uid text next_url saved errors %}",
        {"uid": "q-1", "text": "<b>mine</b>", "next_url": '/x/?a=1&b="2"', "saved": True, "errors": ["<too long>"]},
    )

    assert '<textarea id="note-q-1-text" name="text" rows="3" maxlength="2000" aria-invalid="true"' in html
    assert "&lt;b&gt;mine&lt;/b&gt;</textarea>" in html
    assert 'name="next" value="/x/?a=1&amp;b=&quot;2&quot;"' in html
    assert '<p class="form-error" id="note-q-1-error">&lt;too long&gt;</p>' in html
    assert 'name="csrfmiddlewaretoken" value="' in html
    assert "Saved" in html


def test_the_lazy_report_toggle_comes_back_to_this_page_encoded_once():
    html = render("{% load report_problem %}{% lazy_report_problem uid language %}", {"uid": "q-1", "language": "ja"})

    assert '<div class="report-problem" id="report-q-1">' in html
    assert (
        'hx-get="/questions/q-1/report/?language=ja&amp;next=/exams/attempts/7/results/%3Fshow%3Dall%26page%3D1&amp;open=1"'
        in html
    )
