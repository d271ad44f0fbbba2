"""Values worked out once per template rendering, for tags that draw many rows."""

import re
from collections.abc import Callable
from typing import Any

from django.urls import reverse
from django.utils.translation import get_language


def once_per_rendering(context, key: str, build: Callable[[], Any]) -> Any:
    """``build()`` once per rendering and active language, then the same value.

    Kept in the rendering's own dict (``render_context.dicts[0]``): an ``{% include %}`` gets a
    render context of its own, so anything kept there would be built again for every
    included question (translated words, the results page: ten questions a page)."""
    language = get_language()
    kept = context.render_context.dicts[0].get(key)
    if kept is None or kept[0] != language:
        kept = context.render_context.dicts[0][key] = (language, build())
    return kept[1]


# Django's slug path converter: a slug is put into a URL as it is.
_SLUG = re.compile(r"[-a-zA-Z0-9_]+")
_MARKER = "0-slug-0"


def slug_url(context, name: str, slug: str) -> str:
    """``reverse(name, args=[slug])`` for a URL whose only argument is a ``<slug:…>``, with
    one ``reverse`` per rendering instead of one per call: a page that lists many questions
    links each one (its note, its report form), and a reverse costs about 45 Python calls.
    Anything but a slug goes through ``reverse`` itself (and fails there as it would)."""
    if not _SLUG.fullmatch(slug):
        return reverse(name, args=[slug])
    head, _marker, tail = once_per_rendering(
        context, f"slug_url.{name}", lambda: reverse(name, args=[_MARKER]).partition(_MARKER)
    )
    return f"{head}{slug}{tail}"
