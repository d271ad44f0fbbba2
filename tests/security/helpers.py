"""What the security tests share: the site's routes and a fingerprint of per-person data."""

import re

from django.urls import URLPattern, URLResolver, get_resolver

from accounts.models import Owner
from exams.models import Attempt, AttemptItem, Bookmark, Response
from insights.models import ReviewCard, SelfGrade
from notes.models import Note
from questions.models import ProblemReport

PARAMETER = re.compile(r"<(?:\w+:)?\w+>")


def routes():
    """Every route of the site as (name with namespace, route, view callback, parameters)."""

    def walk(patterns, prefix, namespace):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = ":".join(part for part in (namespace, pattern.namespace) if part)
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
            elif isinstance(pattern, URLPattern):
                route = prefix + str(pattern.pattern)
                name = f"{namespace}:{pattern.name}" if namespace and pattern.name else pattern.name
                yield name, route, pattern.callback, PARAMETER.findall(route)

    return list(walk(get_resolver().url_patterns, "/", ""))


def fingerprint() -> dict:
    """Every row a candidate can create or change, as plain values."""
    return {
        "owners": list(Owner.objects.order_by("pk").values_list("pk", "user_id")),
        "attempts": list(
            Attempt.objects.order_by("pk").values_list(
                "pk", "owner_id", "mode", "status", "submitted_at", "correct_scored", "scaled_score"
            )
        ),
        "items": list(AttemptItem.objects.order_by("pk").values_list("pk", "attempt_id", "flagged")),
        "responses": list(
            Response.objects.order_by("pk").values_list("pk", "item_id", "answer", "is_correct", "seq", "confidence")
        ),
        "bookmarks": list(Bookmark.objects.order_by("pk").values_list("pk", "owner_id", "question_uid")),
        "notes": list(Note.objects.order_by("pk").values_list("pk", "owner_id", "question_uid", "text")),
        "reports": list(ProblemReport.objects.order_by("pk").values_list("pk", "owner_id", "question_id")),
        "self_grades": list(SelfGrade.objects.order_by("pk").values_list("pk", "rating")),
        "review_cards": list(ReviewCard.objects.order_by("pk").values_list("pk", "owner_id", "due", "suspended")),
    }
