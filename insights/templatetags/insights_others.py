"""“How others did” drawn with a finished mock's results page (exams/exam_results.html)."""

from django import template

from insights.stats import OTHERS_MIN_CANDIDATES, first_tries

register = template.Library()


@register.inclusion_tag("insights/includes/others_now.html")
def others_did_now(uid: str) -> dict:
    """The share of candidates right on their first try, or nothing below the minimum.

    In the results page itself, from one cached map for all its questions: a lazy GET per
    question (as practice feedback does, to keep the answer's request free of insights) made
    ten requests per results view, all at once, in the end-of-exam rush.
    """
    answered, correct = first_tries().get(uid, (0, 0))
    share = correct / answered if answered >= OTHERS_MIN_CANDIDATES else None
    return {"uid": uid, "candidates": answered, "share": share}
