import functools
from collections.abc import Callable
from html import escape
from urllib.parse import quote

from django import template
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from questions.models import ProblemReport
from quizapp.rendering import per_language, slug_urls

register = template.Library()


@register.simple_tag
def report_reasons():
    """The reasons a candidate can give, for the report form include (which gets only a uid)."""
    return ProblemReport.Reason.choices


_NEXT = "questions.report_problem.next"


@register.simple_tag(takes_context=True)
def lazy_report_problem(context, uid: str, language: str = "", report_next: str = "") -> SafeString:
    """ "Report a problem" as a toggle only (includes/report_problem.html with lazy=True):
    opening it loads the form (GET, open=1); without JavaScript its link leads to the report
    page, and either comes back to ``report_next`` (by default, this page)."""
    return mark_safe(report_toggles(context, report_next)(uid, language))  # noqa: S308 -- every value escaped


def report_toggles(context, report_next: str = "") -> Callable[[str, str], str]:
    """``draw(uid, language)``: ``lazy_report_problem``'s toggle for each question of a page.

    In Python because a page that lists many questions (the mock's results) draws it for
    each: through the template engine its include, URL and two copies of the page's
    address cost as much as a question's whole review (bench/profile.py). The address and
    the link's URL pattern are made once per rendering, the words once per process and
    language; every value is escaped as the template would (``html.escape``, what Django's
    ``escape`` runs).
    """
    if report_next:
        back = escape(quote(str(report_next), safe="/"))
    else:
        back = context.render_context.dicts[0].get(_NEXT)
        if back is None:
            request = context.get("request")
            back = escape(quote(request.get_full_path() if request else "", safe="/"))
            context.render_context.dicts[0][_NEXT] = back
    words = _build_words()
    return functools.partial(_toggle, words, slug_urls(context, "questions:report_problem"), back)


def _toggle(words: tuple[str, str], report_url, back: str, uid: str, language: str = "") -> str:
    url = escape(report_url(uid))
    uid = escape(str(uid))
    query = f"{url}?language={escape(str(language or ''))}&amp;next={back}"
    return (
        f'<div class="report-problem" id="report-{uid}">\n'
        f'  <details hx-get="{query}&amp;open=1" hx-trigger="toggle once" hx-target="#report-{uid}"'
        ' hx-swap="outerHTML">\n'
        f'    <summary id="report-{uid}-summary">{words[0]}</summary>\n'
        f'    <a href="{query}">{words[1]}</a>\n'
        "  </details>\n"
        "</div>"
    )


@per_language
def _build_words() -> tuple[str, str]:
    return escape(_("Report a problem")), escape(_("Open the report form"))
