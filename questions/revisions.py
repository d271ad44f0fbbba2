"""Question revisions: a drawable question's content stored once, and the bank version.

A revision is ``take_snapshot(question)`` (no shuffle), keyed by the SHA-256 of its canonical
JSON, so identical content is one row however often a question is saved, imported or
loaded. ``Question.revision`` is the revision that new attempt items point at:

- writers that know what they changed make it at once, in bulk: the import and
  ``load_bank`` (``questions.transfer``), the admin's save and "Publish" (``revise``);
- any other write through the ORM (a shell, a test, an option or tag edited on its own)
  only clears it (``watch_bank_writes``), and a start revises the few questions it draws
  that have none (``current_revisions``).

Drafts and retired questions are never drawn, so they get no revision until published.

The bank version (``bank_version``) is a token in the database that every bank write
replaces in its own transaction: processes keep an index of the drawable bank in memory (``exams.assembly``) and
rebuild it when the token they built it under is no longer the current one.
"""

import functools
import hashlib
import itertools
import json
import random
import secrets
from collections.abc import Iterable
from typing import Any, NamedTuple

from django.db.models import QuerySet
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete

from quizapp.compiled import CompiledQuery

from .models import (
    BankVersion,
    CaseStudy,
    Domain,
    GuideRevision,
    Option,
    Question,
    QuestionRevision,
    Tag,
    TaskStatement,
)
from .signals import bank_changed
from .snapshots import take_snapshot

DRAWABLE = (Question.Status.PUBLISHED, Question.Status.PILOT)
# Questions revised per round of queries (an import may bring tens of thousands).
CHUNK = 500


class Current(NamedTuple):
    """A question's current revision and the sizes an item's option order permutes."""

    revision_id: int
    option_count: int
    match_count: int


def digest(content: dict[str, Any]) -> str:
    """SHA-256 of ``content`` as canonical JSON (sorted keys, no spaces, UTF-8)."""
    text = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def revision_of(question_id: int, content: dict[str, Any]) -> QuestionRevision:
    """An unsaved revision of ``content`` (a snapshot in the author's order)."""
    return QuestionRevision(
        question_id=question_id,
        digest=digest(content),
        content=content,
        option_count=len(content["options"]),
        match_count=len(content.get("matches", ())),
        part_count=len(content["key"]),
    )


def store(revisions: list[QuestionRevision]) -> dict[str, Current]:
    """Insert the revisions whose digest is new; return every one's row by digest. Two queries."""
    QuestionRevision.objects.bulk_create(revisions, ignore_conflicts=True)
    rows = QuestionRevision.objects.filter(digest__in={revision.digest for revision in revisions}).values_list(
        "digest", "pk", "option_count", "match_count"
    )
    return {row[0]: Current(*row[1:]) for row in rows}


def revise(questions: Iterable[int] | QuerySet) -> dict[int, Current]:
    """Make the current revision of each drawable question in ``questions`` (ids or a
    queryset) from its content now; the others' is cleared. Returns the drawable ones'.

    Per ``CHUNK`` questions: three reads (questions, options, tags), the insert of the new
    contents, one read of their ids and one update; no signal is sent.
    """
    ids = list(questions.values_list("pk", flat=True) if isinstance(questions, QuerySet) else questions)
    current: dict[int, Current] = {}
    for start in range(0, len(ids), CHUNK):
        current.update(_revise(ids[start : start + CHUNK]))
    return current


def _revise(ids: list[int]) -> dict[int, Current]:
    found = list(Question.objects.filter(pk__in=ids).for_candidate().prefetch_related("tags"))
    made = {
        question.pk: revision_of(question.pk, take_snapshot(question))
        for question in found
        if question.status in DRAWABLE
    }
    stored = store(list(made.values())) if made else {}
    current = {pk: stored[revision.digest] for pk, revision in made.items()}
    changed = []
    for question in found:
        revision_id = current[question.pk].revision_id if question.pk in current else None
        if question.revision_id != revision_id:
            question.revision_id = revision_id
            changed.append(question)
    Question.objects.bulk_update(changed, ["revision"])
    return current


def current_revisions(question_ids: Iterable[int]) -> dict[int, Current]:
    """The current revision of each question, revising those without one. One query when
    all have one (the import, ``load_bank`` and the admin see to that)."""
    ids = list(question_ids)
    rows = Question.objects.filter(pk__in=ids, revision__isnull=False).values_list(
        "pk", "revision_id", "revision__option_count", "revision__match_count"
    )
    current = {row[0]: Current(*row[1:]) for row in rows}
    missing = [pk for pk in ids if pk not in current]
    if missing:
        current.update(revise(missing))
    return current


# --- an attempt item's order --------------------------------------------------------------
#
# An item stores the order its candidate saw as positions in the revision's lists: "2,0,3,1"
# for the options, then ";" and the matches' for a matching question; "" is the author's
# order. A dozen bytes where a copy of the content took two kilobytes.


# Lists up to this long draw their order from a table of every order (720 for 6 items).
TABLED = 6


def draw_order(current: Current, rng: random.Random) -> str:
    """A shuffled order of ``current``'s options (and matches), as an item stores it: each
    order of a list equally likely, and the same ones for the same ``rng`` state."""
    if not current.match_count:
        return _shuffled(current.option_count, rng)
    return f"{_shuffled(current.option_count, rng)};{_shuffled(current.match_count, rng)}"


def _shuffled(count: int, rng: random.Random) -> str:
    # One random number picks one of the count! orders: a shuffle drew one per position, and
    # the 65 items of a mock took 1,300 Python calls to shuffle (bench/profile.py start).
    if count <= TABLED:
        return rng.choice(_orders(count))
    positions = list(range(count))
    rng.shuffle(positions)
    return ",".join(map(str, positions))


@functools.cache
def _orders(count: int) -> tuple[str, ...]:
    """Every order of ``count`` positions, as an item stores it."""
    return tuple(",".join(map(str, order)) for order in itertools.permutations(range(count)))


def arrange(content: dict[str, Any], order: str) -> dict[str, Any]:
    """``content`` with its options (and matches) in ``order``: the snapshot an item shows."""
    snapshot = dict(content)
    lists = [name for name in ("options", "matches") if name in content]
    for name, positions in zip(lists, order.split(";") if order else (), strict=False):
        snapshot[name] = [content[name][int(position)] for position in positions.split(",") if position]
    return snapshot


# --- the bank version ---------------------------------------------------------------------


# Read at every start: its SQL is compiled once (quizapp.compiled).
_BANK_VERSION = CompiledQuery(lambda: BankVersion.objects.filter(pk=1).order_by().values_list("token"))


def bank_version() -> str:
    """The current bank version (one primary-key read; "" before the first bank write)."""
    rows = _BANK_VERSION.rows()
    return rows[0][0] if rows else ""


def bump_bank_version() -> None:
    """Replace the bank version in the writing transaction: other processes see the new one
    when, and only when, the write commits; the writer's own transaction at once."""
    token = secrets.token_hex(8)
    if not BankVersion.objects.filter(pk=1).update(token=token):
        BankVersion.objects.update_or_create(pk=1, defaults={"token": token})


# --- writes through the ORM ----------------------------------------------------------------


def _clear(questions: QuerySet) -> None:
    """The questions' content changed: clear their revision, change the bank version."""
    questions.update(revision=None)
    bump_bank_version()


def _question_saved(sender, instance: Question, created: bool, **kwargs) -> None:
    if created:
        bump_bank_version()
        return
    # In the database, not only on the instance: a save with update_fields leaves the column.
    instance.revision_id = None
    _clear(Question.objects.filter(pk=instance.pk, revision__isnull=False))


def _option_changed(sender, instance: Option, **kwargs) -> None:
    _clear(Question.objects.filter(pk=instance.question_id, revision__isnull=False))


def _tags_changed(sender, instance, action: str, reverse: bool, pk_set, **kwargs) -> None:
    if not reverse:  # question.tags
        if action in ("post_add", "post_remove", "post_clear"):
            _clear(Question.objects.filter(pk=instance.pk, revision__isnull=False))
    elif action in ("post_add", "post_remove"):  # tag.questions
        _clear(Question.objects.filter(pk__in=pk_set, revision__isnull=False))
    elif action == "pre_clear":  # before: afterwards the tag's questions can no longer be found
        _clear(Question.objects.filter(tags=instance, revision__isnull=False))


def _guides_changed(sender, action: str, **kwargs) -> None:
    if action in ("post_add", "post_remove", "post_clear"):
        bump_bank_version()


def _bank_changed(**kwargs) -> None:
    bump_bank_version()


# What each model's row is to its questions' content: the questions it concerns.
_CONCERNS = {
    CaseStudy: lambda case: Question.objects.filter(case_study=case),
    Tag: lambda tag: Question.objects.filter(tags=tag),
    TaskStatement: lambda task: Question.objects.filter(task=task),
    Domain: lambda domain: Question.objects.filter(task__domain=domain),
}


def _related_changed(sender, instance, **kwargs) -> None:
    _clear(Question.objects.filter(pk__in=_CONCERNS[sender](instance).filter(revision__isnull=False).values("pk")))


def watch_bank_writes() -> None:
    """Connect the receivers above (``QuestionsConfig.ready``).

    They only clear what a write made stale and change the bank version: cheap updates,
    never a snapshot. Bulk writers (``bulk_create``, ``QuerySet.update``) send no such
    signal and send ``bank_changed`` instead, revising what they wrote themselves.
    """
    post_save.connect(_question_saved, sender=Question, dispatch_uid="revisions-question-saved")
    post_delete.connect(_bank_changed, sender=Question, dispatch_uid="revisions-question-deleted")
    post_save.connect(_option_changed, sender=Option, dispatch_uid="revisions-option-saved")
    post_delete.connect(_option_changed, sender=Option, dispatch_uid="revisions-option-deleted")
    m2m_changed.connect(_tags_changed, sender=Question.tags.through, dispatch_uid="revisions-tags")
    m2m_changed.connect(_guides_changed, sender=Question.guides.through, dispatch_uid="revisions-guides")
    for model in _CONCERNS:
        post_save.connect(_related_changed, sender=model, dispatch_uid=f"revisions-{model.__name__}-saved")
        # Before the delete: afterwards its questions can no longer be found.
        pre_delete.connect(_related_changed, sender=model, dispatch_uid=f"revisions-{model.__name__}-deleted")
    post_delete.connect(_bank_changed, sender=GuideRevision, dispatch_uid="revisions-guide-deleted")
    bank_changed.connect(_bank_changed, dispatch_uid="revisions-bank-changed")
