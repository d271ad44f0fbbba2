import re

import pytest

from .catalogue import BASE_DIR, template_paths, untranslated_text

TEMPLATES = template_paths()


def test_templates_are_found():
    names = {path.relative_to(BASE_DIR).as_posix() for path in TEMPLATES}

    assert {"templates/base.html", "accounts/templates/accounts/login.html"} <= names


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda path: path.relative_to(BASE_DIR).as_posix())
def test_template_marks_all_user_facing_text_for_translation(path):
    assert untranslated_text(path.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda path: path.relative_to(BASE_DIR).as_posix())
def test_template_dates_use_localized_formats(path):
    """|date with a literal format ("Y-m-d") ignores the language; named formats follow it."""
    formats = re.findall(r"\|date:[\"']([^\"']*)[\"']", path.read_text(encoding="utf-8"))

    assert [f for f in formats if not re.fullmatch(r"[A-Z_]+_FORMAT", f)] == []


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("<p>Hello</p>", ["Hello"]),
        ('<p>{% translate "Hello" %}</p>', []),
        ("<p>{% blocktranslate %}Hello {{ name }}{% endblocktranslate %}</p>", []),
        ("<p>{{ name }} · 42 %</p>", []),
        ("{% comment %}Not shown{% endcomment %}{# nor this #}", []),
        ('<nav aria-label="Main"></nav>', ['aria-label="Main"']),
        ("<nav aria-label=\"{% translate 'Main' %}\"></nav>", []),
        ('<input type="submit" value="Send">', ['value="Send"']),
        ('<button name="go" value="next">{% translate "Next" %}</button>', []),
        ("<kbd>Enter</kbd>", []),
        ("<script>let a = 1;</script>", []),
        ('<a class="brand">quizapp <span>AIF-C01</span></a>', []),
        ('{{ name|default:"Mock exam" }}', ["'name|default:\"Mock exam\"': 'Mock exam'"]),
        ('{{ name|default:_("Mock exam") }}', []),
        ('{% include "includes/card.html" with kind="task" %}{{ day|date:"SHORT_DATE_FORMAT" }}', []),
    ],
)
def test_untranslated_text_finds_text_outside_translate_tags(source, expected):
    assert untranslated_text(source) == expected
