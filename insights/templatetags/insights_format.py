"""Number formats of the weakness report."""

from django import template
from django.utils.translation import gettext as _

from exams.templatetags.durations import duration

register = template.Library()


@register.filter
def percent(share: float | None) -> str:
    """0.7273 → "73 %"; nothing to show → "—"."""
    if share is None:
        return "—"
    return f"{round(100 * share)} %"


@register.filter
def trend_words(points: int | None) -> str:
    """A trend in words for screen readers: "up 12 points"."""
    if points is None:
        return _("not enough answers for a trend")
    if points > 0:
        return _("up %(points)s points") % {"points": points}
    if points < 0:
        return _("down %(points)s points") % {"points": -points}
    return _("steady")


@register.filter
def trend_short(points: int | None) -> str:
    """The same trend at a glance: "▲ +12", "▼ −3", "▬ 0", or "–"; the arrow's shape, not a colour, says which way."""
    if points is None:
        return "–"
    if points > 0:
        return f"▲ +{points}"
    if points < 0:
        return f"▼ −{-points}"
    return "▬ 0"


# One style of duration everywhere: the filter lives with the exams that use it too.
register.filter("duration", duration)
