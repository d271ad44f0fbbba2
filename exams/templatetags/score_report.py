"""The results page's score report drawn in Python: ``{% domain_rows domains %}`` (the rows of
the table by domain) and ``{% pacing_figure pacing %}`` (the time-per-question chart).

Through the template engine the five domain rows (an include of includes/mark.html each and
a dozen lookups) and the chart's twenty lookups and filters cost about 3,400 Python calls,
as much as the ten questions of the review below them (bench/profile.py). The markup is the
templates' own; every value is a number or escaped, and each message is translated as
``{% translate %}`` / ``{% blocktranslate %}`` would (the values put into it escaped).
"""

from html import escape

from django import template
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from exams.grading import DomainResult

from .durations import pacing_bars

register = template.Library()


@register.simple_tag
def domain_rows(domains: list[DomainResult]) -> SafeString:
    """A ``<tr>`` per domain: number and name, correct / total, and the verdict in words."""
    # Translated outside the f-strings, where makemessages would not find them.
    meets, needs, none = _("Meets competencies"), _("Needs improvement"), _("No scored questions")
    meets, needs, none = escape(meets), escape(needs), escape(none)
    rows = []
    for domain in domains:
        if not domain.total:
            verdict = f'<span class="muted">{none}</span>'
        elif domain.meets:
            verdict = f'<span class="mark mark-ok"><span aria-hidden="true">✓</span> {meets}</span>'
        else:
            verdict = f'<span class="mark mark-bad"><span aria-hidden="true">✗</span> {needs}</span>'
        rows.append(
            f'<tr>\n  <th scope="row">{int(domain.number)}. {escape(str(domain.name))}</th>\n'
            f'  <td class="num">{int(domain.correct)} / {int(domain.total)}</td>\n'
            f"  <td>\n    {verdict}\n  </td>\n</tr>"
        )
    return mark_safe("\n".join(rows))  # noqa: S308 -- numbers and escaped text


@register.simple_tag
def pacing_figure(pacing: dict) -> SafeString:
    """The chart of ``exams.charts.pacing_chart``, when the browser measured any time: a
    column per question (``pacing_bars``), the budget's line and the axes, with a caption."""
    if not pacing["measured"]:
        return mark_safe("")
    width, budget_y, budget = int(pacing["width"]), int(pacing["budget_y"]), int(pacing["budget"])
    over = int(pacing["over_budget"])
    caption = ngettext(
        "Time spent on each question, in order; the line is the ~%(budget)s s budget. "
        "%(counter)s question took longer.",
        "Time spent on each question, in order; the line is the ~%(budget)s s budget. "
        "%(counter)s questions took longer.",
        over,
    ) % {"budget": budget, "counter": over}
    # Translated outside the f-strings, where makemessages would not find them.
    per_question = _("%(budget)s s per question") % {"budget": budget}
    seconds, question = escape(_("seconds")), escape(_("question"))
    return mark_safe(  # noqa: S308 -- numbers and our own translated words
        '<figure class="pacing">\n'
        f'  <svg class="pacing-chart" viewBox="0 0 {width} 130" role="img" aria-labelledby="pacing-caption">\n'
        f"    {pacing_bars(pacing)}\n"
        f'    <line x1="26" x2="{width}" y1="{budget_y}" y2="{budget_y}" class="budget-line" />\n'
        f'    <text x="{width}" y="{budget_y - 4}" text-anchor="end" class="budget-label">'
        f"{per_question}</text>\n"
        f'    <text x="0" y="8" class="budget-label">{seconds}</text>\n'
        f'    <line x1="26" x2="{width}" y1="110" y2="110" class="axis-line" />\n'
        '    <text x="30" y="126" class="budget-label">1</text>\n'
        f'    <text x="{width - 16}" y="126" class="budget-label">{len(pacing["columns"])}</text>\n'
        f'    <text x="{int(pacing["axis_middle"])}" y="126" text-anchor="middle" class="budget-label">'
        f"{question}</text>\n"
        "  </svg>\n"
        f'  <figcaption id="pacing-caption">\n    {caption}\n  </figcaption>\n'
        "</figure>"
    )
