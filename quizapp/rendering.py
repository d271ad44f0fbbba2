"""Values worked out once per template rendering, or once per process and language, for tags
that draw many rows."""

import functools
import re
from collections.abc import Callable
from types import MappingProxyType
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


def per_language[T](build: Callable[[], T]) -> Callable[[], T]:
    """Decorator: ``build()`` (translated words, escaped) made once per process and active
    language, then the same (read-only) value: a page that draws many rows in Python would
    otherwise translate its words anew on every request, about 30 Python calls a word. The
    catalogues do not change while a process runs; the language is asked on every call."""

    @functools.lru_cache(maxsize=16)  # a few languages; more only if code activates odd ones
    def made(language: str | None) -> T:
        value = build()
        return MappingProxyType(value) if isinstance(value, dict) else value  # type: ignore[return-value]

    @functools.wraps(build)
    def words() -> T:
        return made(get_language())

    words.cache_clear = made.cache_clear  # type: ignore[attr-defined]
    return words


# Django's slug path converter: a slug is put into a URL as it is.
_SLUG = re.compile(r"[-a-zA-Z0-9_]+")
_MARKER = "0-slug-0"


def slug_urls(context, name: str) -> Callable[[str], str]:
    """``slug → reverse(name, args=[slug])`` for a URL whose only argument is a ``<slug:…>``,
    with one ``reverse`` per rendering instead of one per link: a page that lists many
    questions links each one (its note, its report form), and a reverse costs about 45
    Python calls. Anything but a slug goes through ``reverse`` itself (and fails there as it
    would)."""
    head, _marker, tail = once_per_rendering(
        context, f"slug_url.{name}", lambda: reverse(name, args=[_MARKER]).partition(_MARKER)
    )

    def url(slug: str) -> str:
        if not _SLUG.fullmatch(slug):
            return reverse(name, args=[slug])
        return f"{head}{slug}{tail}"

    return url


def slug_url(context, name: str, slug: str) -> str:
    """One link of ``slug_urls``."""
    return slug_urls(context, name)(slug)
