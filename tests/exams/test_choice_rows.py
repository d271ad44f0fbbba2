"""{% choice_rows %} (exams/templatetags/answering.py): the option rows of single and multiple
choice, written in Python for speed, must be what the template loop they replaced rendered,
every value escaped, author text through |author_html."""

import re

import pytest
from django.template import Context, Engine

from exams.templatetags.answering import choice_rows

# The template loop that rendered the rows before, kept here as the reference (long tags
# wrapped: the comparison squeezes whitespace).
REFERENCE = """{% load markup %}{% for option in controls.options %}
    {% if instant %}
      <button type="submit" name="choice" value="{{ option.token }}" class="choice choice-button"
        data-option-index="{{ option.index }}" data-choice>
        <span class="choice-key" aria-hidden="true">{{ option.letter }}</span>
        <span class="choice-text" lang="{{ language }}" hx-disable>{{ option.text|author_html }}</span>
        <span class="choice-state" aria-hidden="true"></span>
      </button>
    {% else %}
      <label class="choice" for="choice-{{ option.token }}" data-option-index="{{ option.index }}">
        <input type="{{ kind }}" name="choice" value="{{ option.token }}"
          id="choice-{{ option.token }}"{% if option.checked %} checked{% endif %}>
        <span class="choice-key" aria-hidden="true">{{ option.letter }}</span>
        <span class="choice-text" lang="{{ language }}" hx-disable>{{ option.text|author_html }}</span>
        <span class="choice-state" aria-hidden="true"></span>
      </label>
    {% endif %}
  {% endfor %}"""

CONTROLS = {
    "options": [
        {"token": "t1", "index": 1, "letter": "A", "text": "<p>Plain <strong>bold</strong></p>", "checked": True},
        {"token": 'x"><b>', "index": 2, "letter": "B", "text": "<script>alert(1)</script>Fine", "checked": False},
        {"token": "t3", "index": 3, "letter": "C", "text": "a & b < c", "checked": False},
    ]
}


def squeeze(markup: str) -> str:
    return re.sub(r"\s+", " ", str(markup)).strip()


@pytest.mark.parametrize(("kind", "instant"), [("radio", False), ("radio", True), ("checkbox", False)])
def test_the_rows_are_what_the_template_loop_rendered(kind, instant):
    engine = Engine(libraries={"markup": "questions.templatetags.markup"})
    context = {"controls": CONTROLS, "language": 'ja"<', "kind": kind, "instant": instant}
    reference = engine.from_string(REFERENCE).render(Context(context))

    rows = choice_rows(CONTROLS, 'ja"<', kind, instant)

    assert squeeze(rows) == squeeze(reference)
    assert "<script>" not in rows and '"><b>' not in rows and 'lang="ja"<"' not in rows


def test_an_index_must_be_a_number_and_the_kind_an_input_type():
    with pytest.raises(ValueError):
        choice_rows({"options": [dict(CONTROLS["options"][0], index="1 onclick")]}, "en")
    with pytest.raises(ValueError):
        choice_rows(CONTROLS, "en", 'radio" onclick="x')
