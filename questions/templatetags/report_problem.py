from html import escape
from urllib.parse import quote

from django import template
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from questions.models import ProblemReport
from quizapp.rendering import once_per_rendering, slug_url

register = template.Library()


@register.simple_tag
def report_reasons():
    """The reasons a candidate can give, for the report form include (which gets only a uid)."""
    return ProblemReport.Reason.choices


_NEXT = "questions.report_problem.next"
_WORDS = "questions.report_problem.words"


@register.simple_tag(takes_context=True)
def lazy_report_problem(context, uid: str, language: str = "", report_next: str = "") -> SafeString:
    """ "Report a problem" as a toggle only (includes/report_problem.html with lazy=True):
    opening it loads the form (GET, open=1); without JavaScript its link leads to the report
    page, and either comes back to ``report_next`` (by default, this page).

    In Python because a page that lists many questions (the mock's results) draws it for
    each: through the template engine its include, URL and two copies of the page's
    address cost as much as a question's whole review (bench/profile.py). The address, the
    link's URL pattern and the words are made once per rendering; every value is escaped as
    the template would (``html.escape``, what Django's ``escape`` runs).
    """
    if report_next:
        back = escape(quote(str(report_next), safe="/"))
    else:
        back = context.render_context.dicts[0].get(_NEXT)
        if back is None:
            request = context.get("request")
            back = escape(quote(request.get_full_path() if request else "", safe="/"))
            context.render_context.dicts[0][_NEXT] = back
    words = once_per_rendering(context, _WORDS, _build_words)
    url = escape(slug_url(context, "questions:report_problem", uid))
    uid = escape(str(uid))
    query = f"{url}?language={escape(str(language or ''))}&amp;next={back}"
    return mark_safe(  # noqa: S308 -- every value escaped above
        f'<div class="report-problem" id="report-{uid}">\n'
        f'  <details hx-get="{query}&amp;open=1" hx-trigger="toggle once" hx-target="#report-{uid}"'
        ' hx-swap="outerHTML">\n'
        f'    <summary id="report-{uid}-summary">{words[0]}</summary>\n'
        f'    <a href="{query}">{words[1]}</a>\n'
        "  </details>\n"
        "</div>"
    )


def _build_words() -> tuple[str, str]:
    return escape(_("Report a problem")), escape(_("Open the report form"))
