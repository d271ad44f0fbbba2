"""“How others did” drawn with a finished mock's results page (exams/exam_results.html)."""

from collections.abc import Callable
from html import escape

from django import template
from django.utils.translation import gettext as _

from insights.stats import OTHERS_MIN_CANDIDATES, first_tries

from .insights_format import percent

register = template.Library()


def _first_tries(context) -> dict[str, tuple[int, int]]:
    # The map is read once per page (render_context lives for one rendering), not per question.
    if "first_tries" not in context.render_context:
        context.render_context["first_tries"] = first_tries()
    return context.render_context["first_tries"]


def _figures(context, uid: str) -> dict:
    answered, correct = _first_tries(context).get(uid, (0, 0))
    share = correct / answered if answered >= OTHERS_MIN_CANDIDATES else None
    return {"uid": uid, "candidates": answered, "share": share}


@register.inclusion_tag("insights/includes/others_now.html", takes_context=True)
def others_did_now(context, uid: str) -> dict:
    """The share of candidates right on their first try, or nothing below the minimum.

    In the results page itself, from one cached map for all its questions: a lazy GET per
    question (as practice feedback does, to keep the answer's request free of insights) made
    ten requests per results view, all at once, in the end-of-exam rush.
    """
    return _figures(context, uid)


def others_did(context) -> Callable[[str], str]:
    """``draw(uid)``: ``{% others_did_now uid %}``'s paragraph (insights/others.html#others)
    drawn in Python, or "" below the minimum, from the map read once for the page: the results
    page draws ten questions at a time in Python (exams.templatetags.review), and through the
    template engine this was an include each. A test compares the two. Every value escaped,
    as ``{% blocktranslate %}`` does. The map is read on the first call: a page whose
    questions were none of them answered asks for no figures (nor computes them)."""
    tries = None

    def draw(uid: str) -> str:
        nonlocal tries
        if tries is None:
            tries = _first_tries(context)
        return _others_did(tries, uid)

    return draw


def _others_did(tries: dict[str, tuple[int, int]], uid: str) -> str:
    answered, correct = tries.get(uid, (0, 0))
    if answered < OTHERS_MIN_CANDIDATES:
        return ""
    share = _("%(percent)s of candidates got this right on their first try") % {
        "percent": escape(percent(correct / answered))
    }
    candidates = _("(%(candidates)s candidates)") % {"candidates": int(answered)}
    return (
        f'<p class="others-did" id="others-{escape(str(uid))}" data-others-did>\n'
        f'        {share}\n        <span class="muted">{candidates}</span>\n      </p>'
    )
