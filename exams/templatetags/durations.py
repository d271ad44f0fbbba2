"""Durations as people read them, one style per language: "1 h 05 min", "12 min", "40 s".

The running exam's own clocks (the countdown, "Time left" on the review screen) stay
clocks ("29:59"), as the real exam shows them; every other page uses ``duration``.
"""

from django import template
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def duration(seconds) -> str:
    """``seconds`` as "1 h 05 min", "12 min" or, under a minute, "40 s"; "" if not a number."""
    try:
        seconds = max(0, int(seconds))
    except (TypeError, ValueError):
        return ""
    if seconds < 60:
        return _("%(seconds)s s") % {"seconds": seconds}
    minutes = seconds // 60
    if minutes >= 60:
        return _("%(hours)s h %(minutes)02d min") % {"hours": minutes // 60, "minutes": minutes % 60}
    return _("%(minutes)s min") % {"minutes": minutes}
