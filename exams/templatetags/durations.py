"""Durations as people read them, one style per language: "1 h 05 min", "12 min", "40 s".

The running exam's own clocks (the countdown, "Time left" on the review screen) stay
clocks ("29:59"), as the real exam shows them; every other page uses ``duration``.

``{% pacing_bars pacing %}`` draws the results page's time-per-question columns.
"""

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
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


@register.simple_tag
def pacing_bars(pacing: dict) -> SafeString:
    """The SVG columns of the results' pacing chart (``exams.views._pacing``), one per
    question, with its time as the column's title.

    In Python, not a template loop: 65 columns with a translated title each were a third of
    the results page's rendering (bench/profile.py). Every value is a number; the title's
    words are translated and escaped once.
    """
    title = escape(_("Question %(n)s: %(s)s s"))
    budget = int(pacing["budget"])
    bars = []
    for column in pacing["columns"]:
        seconds = int(column["seconds"])
        label = title % {"n": int(column["position"]), "s": seconds}
        bars.append(
            f'<rect x="{int(column["x"])}" y="{int(column["y"])}" width="8" height="{int(column["height"])}"'
            f' class="{"bar-over" if seconds > budget else "bar"}"><title>{label}</title></rect>'
        )
    return mark_safe("".join(bars))  # noqa: S308 -- numbers and our own escaped words
