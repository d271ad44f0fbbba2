"""“How others did” drawn with a finished mock's results page (exams/exam_results.html)."""

from django import template

from insights.stats import OTHERS_MIN_CANDIDATES, first_tries

register = template.Library()


@register.inclusion_tag("insights/includes/others_now.html", takes_context=True)
def others_did_now(context, uid: str) -> dict:
    """The share of candidates right on their first try, or nothing below the minimum.

    In the results page itself, from one cached map for all its questions: a lazy GET per
    question (as practice feedback does, to keep the answer's request free of insights) made
    ten requests per results view, all at once, in the end-of-exam rush.
    """
    # The map is read once per page (render_context lives for one rendering), not per question.
    if "first_tries" not in context.render_context:
        context.render_context["first_tries"] = first_tries()
    answered, correct = context.render_context["first_tries"].get(uid, (0, 0))
    share = correct / answered if answered >= OTHERS_MIN_CANDIDATES else None
    return {"uid": uid, "candidates": answered, "share": share}
