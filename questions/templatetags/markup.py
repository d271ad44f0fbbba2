"""Author text on a page, escaped exactly once.

Snapshots (and original_view) hold sanitized HTML as plain strings. A template shows one
only through these filters, never with ``|safe``:

- ``{{ text|author_html }}``: as markup, sanitized again (``questions.markup.stored_html``);
- ``{{ text|author_text }}``: as plain text for an attribute or an ``<option>``; the result
  is not safe, so autoescaping escapes it once.

The element that holds author markup also carries ``hx-disable``, so no htmx attribute in
it is ever processed, even if one got through.
"""

from django import template

from questions.markup import plain_text, stored_html

register = template.Library()


@register.filter
def author_html(value) -> str:
    return stored_html(value)


@register.filter
def author_text(value) -> str:
    return plain_text(value)
