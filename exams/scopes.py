"""Practice scopes: which published questions a practice session may draw.

A scope is stored on the attempt as ``{"kind": k, "value": v}``; the picker posts it as
one string, ``"kind"`` or ``"kind:value"`` (``"task:3.1"``).

========== ============ ==============================================================
kind       value        questions
========== ============ ==============================================================
all        —            every published question
domain     "3"          of that domain
task       "3.1"        of that task statement
tag        slug         with that tag (a service or concept)
mistakes   —            answered wrong the last time the owner answered them
bookmarked —            bookmarked by the owner
unseen     —            never shown to the owner, in any attempt or language
due        —            the ``question_ids`` given (insights' review queue)
search     query        matching the query (``questions.search``: what a candidate may
                        read of a question, never its key or rationales)
========== ============ ==============================================================

"Last time" and "shown" follow the settled log only: answers in a mock that is still
running count for nothing yet (their verdict is not known to the candidate).
"""

from typing import Any

from django.db.models import Count, QuerySet
from django.utils.translation import gettext as _

from questions.models import Domain, Question, Tag, TaskStatement
from questions.names import DOMAIN_NAMES, TASK_NAMES
from questions.search import normalize, search_filter

from .models import AttemptItem, Bookmark, Response

KINDS = ("all", "domain", "task", "tag", "mistakes", "bookmarked", "unseen", "due", "search")
KINDS_WITH_VALUE = ("domain", "task", "tag", "search")


def parse_scope(text: str) -> dict[str, Any]:
    """``"task:3.1"`` → ``{"kind": "task", "value": "3.1"}``; ValueError if malformed."""
    kind, _sep, value = (text or "").partition(":")
    if kind == "search":
        value = normalize(value)
    if kind not in KINDS or kind == "due":
        raise ValueError(text)
    if (kind in KINDS_WITH_VALUE) != bool(value):
        raise ValueError(text)
    return {"kind": kind, "value": value} if value else {"kind": kind}


def scope_key(scope: dict[str, Any]) -> str:
    return f"{scope['kind']}:{scope['value']}" if scope.get("value") else scope.get("kind", "all")


def mistake_uids(owner_id: int) -> set[str]:
    """Uids whose latest settled answer by this owner was wrong."""
    rows = (
        Response.objects.settled()
        .filter(item__attempt__owner_id=owner_id)
        .order_by("answered_at", "pk")
        .values_list("item__question__uid", "is_correct")
    )
    latest = dict(rows.iterator())
    return {uid for uid, correct in latest.items() if not correct}


def _shown_uids(owner_id: int):
    return AttemptItem.objects.settled().filter(attempt__owner_id=owner_id).values("question__uid")


def practice_questions(
    owner_id: int | None, *, scope: dict[str, Any], language: str, question_ids=None
) -> QuerySet[Question]:
    """The published questions in ``language`` that ``scope`` selects (see the table)."""
    questions = Question.objects.published().in_language(language)
    kind, value = scope.get("kind", "all"), scope.get("value")
    if kind == "domain":
        questions = questions.filter(task__domain__number=int(value))
    elif kind == "task":
        questions = questions.filter(task__code=value)
    elif kind == "tag":
        questions = questions.filter(tags__slug=value)
    elif kind == "mistakes" and question_ids is None:
        questions = questions.filter(uid__in=mistake_uids(owner_id) if owner_id else [])
    elif kind == "bookmarked":
        questions = questions.filter(uid__in=Bookmark.objects.filter(owner_id=owner_id).values("question_uid"))
    elif kind == "unseen" and owner_id is not None:
        questions = questions.exclude(uid__in=_shown_uids(owner_id))
    elif kind == "search":
        condition = search_filter(value or "")
        questions = questions.none() if condition is None else questions.filter(condition)
    elif kind == "due" and question_ids is None:
        raise ValueError("The “due” scope needs question_ids.")
    elif kind not in KINDS:
        raise ValueError(f"Unknown practice scope {kind!r}.")
    if question_ids is not None:
        questions = questions.filter(uid__in=Question.objects.filter(pk__in=list(question_ids)).values("uid"))
    return questions


def scope_counts(owner_id: int | None, *, language: str) -> dict[str, int]:
    """How many questions each picker scope has, keyed like ``scope_key``: six queries."""
    published = Question.objects.published().in_language(language)
    counts: dict[str, int] = {"all": 0}
    per_task = published.order_by().values_list("task__code", "task__domain__number").annotate(n=Count("pk"))
    for code, domain, n in per_task:
        counts[f"task:{code}"] = n
        counts[f"domain:{domain}"] = counts.get(f"domain:{domain}", 0) + n
        counts["all"] += n
    tags = Tag.objects.filter(questions__in=published).annotate(n=Count("questions")).values_list("slug", "n")
    counts.update({f"tag:{slug}": number for slug, number in tags})
    if owner_id is None:
        counts.update(mistakes=0, bookmarked=0, unseen=counts["all"])
        return counts
    for kind in ("mistakes", "bookmarked", "unseen"):
        counts[kind] = practice_questions(owner_id, scope={"kind": kind}, language=language).count()
    return counts


def scope_choices(counts: dict[str, int]) -> list[tuple[str, list[tuple[str, str]]]]:
    """The picker's grouped options: (group label, [(value, label with count)])."""

    def label(text: str, key: str) -> str:
        return f"{text} ({counts.get(key, 0)})"

    general = [
        ("all", label(_("Everything"), "all")),
        ("unseen", label(_("Never seen"), "unseen")),
        ("mistakes", label(_("My mistakes"), "mistakes")),
        ("bookmarked", label(_("Bookmarked"), "bookmarked")),
    ]
    domains = [
        (f"domain:{domain.number}", label(f"{domain.number}. {domain.display_name}", f"domain:{domain.number}"))
        for domain in Domain.objects.all()
    ]
    tasks = [
        (f"task:{task.code}", label(f"{task.code} {task.display_name}", f"task:{task.code}"))
        for task in TaskStatement.objects.all()
    ]
    slugs = [key.removeprefix("tag:") for key in counts if key.startswith("tag:") and counts[key]]
    names = {tag.slug: tag.display_name for tag in Tag.objects.filter(slug__in=slugs)}
    tags = sorted(
        ((f"tag:{slug}", label(names.get(slug, slug), f"tag:{slug}")) for slug in slugs),
        key=lambda choice: choice[1].casefold(),
    )
    return [
        ("", general),
        (_("Domains"), domains),
        (_("Task statements"), tasks),
        (_("Services and concepts"), tags),
    ]


def scope_label(scope: dict[str, Any]) -> str:
    """A short human label for a stored scope (headings, the dashboard's "Resume")."""
    kind, value = scope.get("kind", "all"), scope.get("value", "")
    labels = {
        "all": _("Everything"),
        "unseen": _("Never seen"),
        "mistakes": _("My mistakes"),
        "bookmarked": _("Bookmarked"),
        "due": _("Due for review"),
    }
    if kind == "domain":
        name = DOMAIN_NAMES.get(int(value)) if str(value).isdecimal() else None
        if name:
            return _("Domain %(number)s: %(name)s") % {"number": value, "name": name}
        return _("Domain %(value)s") % {"value": value}
    if kind == "search":
        return _("Search: “%(query)s”") % {"query": value}
    if kind == "task":
        if value in TASK_NAMES:
            return _("Task %(code)s: %(name)s") % {"code": value, "name": TASK_NAMES[value]}
        return _("Task %(value)s") % {"value": value}
    if kind == "tag":
        tag = Tag.objects.filter(slug=value).first()
        return tag.display_name if tag else value
    return labels.get(kind, kind)
