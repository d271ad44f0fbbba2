"""The review queue's controls on pages that are not insights' own (the practice feedback)."""

from django import template

from insights.models import SelfGrade

register = template.Library()


@register.inclusion_tag("insights/includes/self_grade.html", takes_context=True)
def self_grade_form(context):
    """The feedback's "How well did you know it?" buttons, from what the practice page has:
    ``session`` and ``item`` (on a page view, the item's stored response).

    The grade already given is read on a page view only: the answer's own reply (a POST)
    must not call insights, and an answer just saved has no grade yet.
    """
    request = context.get("request")
    rating = None
    on_page_view = request is not None and request.method == "GET"
    # No response row before an answer: getattr's default.
    response = getattr(context["item"], "response", None) if on_page_view else None
    if response is not None:
        rating = SelfGrade.objects.filter(response=response).values_list("rating", flat=True).first()
    return self_grade_context(context["session"].pk, context["item"].position, rating) | {
        "csrf_token": context.get("csrf_token")
    }


def self_grade_context(attempt_id: int, position: int, rating: int | None, *, due=None) -> dict:
    """What self_grade.html needs (the view that saves a grade renders it with ``due``)."""
    return {
        "attempt_id": attempt_id,
        "position": position,
        "rating": rating,
        "due": due,
        "grades": SelfGrade.Rating.choices,
    }
