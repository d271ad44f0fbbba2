"""Values worked out once per template rendering, for tags that draw many rows."""

from collections.abc import Callable
from typing import Any

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
