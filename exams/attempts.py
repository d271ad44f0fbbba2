"""Starting, answering and finalizing attempts (mock exams and practice sessions).

Every function takes ``now`` from its caller (read once per request), so all the
timestamps one action writes agree, and tests need no clock tricks.

Concurrency, in one place:
- an answer is one SQL statement (``_UPSERT``) that inserts or updates the response
  only while the attempt is open and before its deadline (plus ``SAVE_GRACE``), and
  only if its ``seq`` is newer than the stored one; on PostgreSQL it also takes a share
  lock on the attempt row, so it either lands before a concurrent submit scores the
  attempt or finds the attempt closed after it. (SQLite runs one writer at a time.)
- ``submit_attempt`` flips the status with a conditional UPDATE: of two submits racing
  (two tabs, a click against the deadline), exactly one wins and scores.
"""

import functools
import random
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Owner
from questions.models import Question
from questions.revisions import Current, current_revisions, draw_order
from quizapp import ratelimit
from quizapp.compiled import insert

from .assembly import NotEnoughQuestions, bank_index, draw_exam, seen_uids
from .grading import Answer, grade, scaled_score
from .models import SAVE_GRACE, Attempt, AttemptItem, Blueprint, Mode, Response
from .results import compute_outcomes
from .scopes import practice_questions

# Endless practice draws this many questions at a time.
PRACTICE_BATCH = 20

__all__ = [
    "PRACTICE_BATCH",
    "AnswerRefused",
    "discard_practice",
    "NotEnoughQuestions",
    "SaveResult",
    "extend_practice",
    "finalize_expired",
    "finalize_if_overdue",
    "record_answer",
    "set_flag",
    "skip_item",
    "start_exam",
    "start_practice",
    "submit_attempt",
]


class AnswerRefused(Exception):
    """The attempt no longer takes answers (submitted, or past its deadline)."""


@dataclass
class SaveResult:
    """What the response row holds after a save (the newest answer, whoever sent it)."""

    answer: Answer
    is_correct: bool
    seq: int
    confidence: str
    applied: bool  # False when the save was stale (or a repeat in practice) and was ignored


def new_seed() -> int:
    return secrets.randbits(62)


def _create_items(
    attempt: Attempt,
    slots: list[tuple[int, bool]],
    rng: random.Random,
    *,
    start: int = 1,
    current: dict[int, Current] | None = None,
):
    """Create the attempt's items for ``slots`` ((question id, scored) in order) in one insert:
    each points at its question's current revision (``current``, else read) with its own
    shuffled option order."""
    if current is None:
        current = current_revisions([pk for pk, _ in slots])
    AttemptItem.objects.insert_rows(
        [
            (attempt.pk, pk, start + index, scored, current[pk].revision_id, draw_order(current[pk], rng))
            for index, (pk, scored) in enumerate(slots)
        ]
    )


def start_exam(
    owner_id: int,
    blueprint: Blueprint,
    *,
    now: datetime,
    seed: int | None = None,
    language: str | None = None,
    new_owner: bool = False,
) -> Attempt:
    """Start a timed mock from ``blueprint`` in ``language`` (default: the blueprint's), or
    return the owner's open one ("Resume").

    An open mock past its deadline is finalized first, so a new one can start. Raises
    NotEnoughQuestions (nothing written) when the bank cannot fill the blueprint.
    ``new_owner``: the owner was created by this request (``get_or_create_owner``), so it has
    no open mock and has seen no question; the two reads that would find nothing are left out.
    Queries: the open mocks and the questions seen (not for a new owner), the bank version,
    the weights, then the attempt and its items in one transaction.
    """
    if not new_owner:
        for attempt in Attempt.objects.for_owner(owner_id).in_progress().filter(blueprint=blueprint):
            if not finalize_if_overdue(attempt, now=now):
                return attempt
    seed = new_seed() if seed is None else seed
    rng = random.Random(seed)
    language = language or blueprint.language
    index = bank_index()
    slots = draw_exam(
        blueprint, owner_id=owner_id, rng=rng, language=language, index=index, seen=set() if new_owner else None
    )
    current = index.current_revisions([slot.question_id for slot in slots])
    try:
        with transaction.atomic():
            attempt = Attempt(
                owner_id=owner_id,
                mode=Mode.EXAM,
                blueprint=blueprint,
                language=language,
                seed=seed,
                target_count=len(slots),
                started_at=now,
                deadline=now + timedelta(minutes=blueprint.minutes),
            )
            insert(attempt)  # as save(), with a statement built once (quizapp.compiled)
            _create_items(attempt, [(slot.question_id, slot.scored) for slot in slots], rng, current=current)
    except IntegrityError:
        # Two "Start" posts at once: the constraint let one through; resume that one.
        return Attempt.objects.for_owner(owner_id).in_progress().get(blueprint=blueprint)
    return attempt


def _practice_order(owner_id: int, scope: dict, language: str, question_ids, rng: random.Random) -> list[int]:
    """Candidate question ids for a practice session: unseen first, shuffled.

    Questions given explicitly (``question_ids``: "due for review", "mistakes again")
    keep the caller's order.
    """
    rows = list(
        practice_questions(owner_id, scope=scope, language=language, question_ids=question_ids)
        .order_by("pk")
        .values_list("pk", "uid")
    )
    if question_ids is not None:
        rank = {pk: index for index, pk in enumerate(question_ids)}
        by_uid = dict(Question.objects.filter(pk__in=question_ids).values_list("uid", "pk"))
        return [pk for pk, uid in sorted(rows, key=lambda row: rank.get(by_uid.get(row[1]), len(rank)))]
    seen = seen_uids(owner_id)
    rng.shuffle(rows)
    rows.sort(key=lambda row: row[1] in seen)
    return [pk for pk, _ in rows]


def check_start_rate(request, owner_id: int) -> None:
    """Raise ``RateLimited`` past ``START_RATE`` per owner or ``START_ADDRESS_RATE`` per client
    address: every start writes an item for each question it draws (a public contract: the
    views of exams and insights call it before starting anything)."""
    ratelimit.hit(
        ratelimit.bucket("start:owner", owner_id, "START_RATE"),
        ratelimit.per_address(request, "start", "START_ADDRESS_RATE"),
    )


def _cap_open_practice(owner_id: int, *, now: datetime) -> None:
    """Finish the owner's oldest open practice sessions (as "Finish" does) so that, with the
    one about to start, at most ``PRACTICE_OPEN_LIMIT`` are open."""
    keep = max(settings.PRACTICE_OPEN_LIMIT - 1, 0)
    oldest = Attempt.objects.in_progress().filter(owner_id=owner_id, mode=Mode.PRACTICE).order_by("-started_at", "-pk")
    for session in oldest[keep:]:
        submit_attempt(session, now=now)


def start_practice(
    owner_id: int,
    *,
    scope: dict[str, Any],
    count: int | None,
    language: str,
    question_ids: list[int] | None = None,
    now: datetime,
) -> Attempt:
    """Start a practice session and return it (a public contract: insights calls it).

    ``scope`` is ``{"kind": k, "value": v}`` with kind one of "domain" ("3"), "task"
    ("3.1"), "tag" (a slug), "mistakes", "bookmarked", "due", "unseen", "all" (see
    ``exams.scopes``). ``count`` is how many questions (None = endless, drawn
    ``PRACTICE_BATCH`` at a time). ``question_ids`` restricts the draw to those
    questions (in ``language``, matched by uid) and keeps their order; "due" needs it.
    Fewer matching questions than ``count`` give a shorter session; none raise
    NotEnoughQuestions. Raises ValueError for an unknown scope.
    """
    seed = new_seed()
    rng = random.Random(seed)
    order = _practice_order(owner_id, scope, language, question_ids, rng)
    if not order:
        raise NotEnoughQuestions(_("No published questions match this choice yet."))
    chosen = order[: count or PRACTICE_BATCH]
    _cap_open_practice(owner_id, now=now)
    stored_scope = dict(scope)
    if question_ids is not None:
        stored_scope["question_ids"] = list(question_ids)
    with transaction.atomic():
        attempt = Attempt.objects.create(
            owner_id=owner_id,
            mode=Mode.PRACTICE,
            scope=stored_scope,
            target_count=len(chosen) if count else None,
            language=language,
            seed=seed,
            started_at=now,
        )
        _create_items(attempt, [(pk, True) for pk in chosen], rng)
    return attempt


def extend_practice(attempt: Attempt, *, now: datetime) -> int:
    """Add the next batch of an endless session; returns how many items were added.

    Draws from the same scope, leaving out questions already in the session. The
    first free position is taken from the database, so two concurrent calls cannot
    both append (the unique position constraint refuses the second).
    """
    if attempt.target_count is not None or not attempt.is_open:
        return 0
    scope = {key: value for key, value in attempt.scope.items() if key != "question_ids"}
    rng = random.Random(attempt.seed + now.toordinal() + attempt.items.count())
    order = _practice_order(attempt.owner_id, scope, attempt.language, attempt.scope.get("question_ids"), rng)
    used = set(attempt.items.values_list("question_id", flat=True))
    chosen = [pk for pk in order if pk not in used][:PRACTICE_BATCH]
    if not chosen:
        return 0
    last = attempt.items.order_by("-position").values_list("position", flat=True).first() or 0
    try:
        with transaction.atomic():
            _create_items(attempt, [(pk, True) for pk in chosen], rng, start=last + 1)
    except IntegrityError:
        return 0
    return len(chosen)


def discard_practice(attempt: Attempt, *, now: datetime) -> None:
    """Discard an unfinished practice session: gone if nothing was answered in it, else
    ended where it stands (the answers given stay in the history that insights reads)."""
    if attempt.is_exam or not attempt.is_open:
        return
    if not Response.objects.filter(item__attempt=attempt).exists():
        attempt.delete()
        return
    submit_attempt(attempt, now=now)


def skip_item(item: AttemptItem) -> bool:
    """Move an unanswered practice item to the end of its session ("Skip"), the items after
    it each one place up; False (nothing changed) if it is answered or the session is over.

    Positions are unique per attempt, so the item waits at position 0 while the others move
    up one by one, in order (a single UPDATE could collide midway on either database).
    """
    attempt = item.attempt
    if attempt.is_exam or not attempt.is_open or Response.objects.filter(item=item).exists():
        return False
    with transaction.atomic():
        later = list(
            AttemptItem.objects.select_for_update()
            .filter(attempt=attempt, position__gt=item.position)
            .order_by("position")
            .values_list("pk", "position")
        )
        if not later:
            return True  # already the last one
        AttemptItem.objects.filter(pk=item.pk).update(position=0)
        for pk, position in later:
            AttemptItem.objects.filter(pk=pk).update(position=position - 1)
        AttemptItem.objects.filter(pk=item.pk).update(position=later[-1][1])
    return True


# One statement: insert or update the response, only while the attempt is open and
# in time, and only with a newer seq. {lock} is FOR SHARE on PostgreSQL (see the
# module docstring); {update} is the conflict action.
_UPSERT = """
INSERT INTO {response} (item_id, answer, is_correct, confidence, seq, answered_at, time_spent_ms)
SELECT %s, %s, %s, %s, %s, %s, %s FROM {attempt}
WHERE {attempt}.id = %s AND {attempt}.status = %s AND ({attempt}.deadline IS NULL OR {attempt}.deadline >= %s)
{lock}
ON CONFLICT (item_id) DO {update}
RETURNING seq
"""
_UPDATE_IF_NEWER = """UPDATE SET answer = excluded.answer, is_correct = excluded.is_correct,
confidence = excluded.confidence, seq = excluded.seq, answered_at = excluded.answered_at,
time_spent_ms = excluded.time_spent_ms
WHERE {response}.seq < excluded.seq"""


@functools.cache
def _upsert_sql(vendor: str, *, allow_change: bool) -> str:
    response, attempt = Response._meta.db_table, Attempt._meta.db_table
    update = _UPDATE_IF_NEWER.format(response=response) if allow_change else "NOTHING"
    lock = f"FOR SHARE OF {attempt}" if vendor == "postgresql" else ""
    return _UPSERT.format(response=response, attempt=attempt, lock=lock, update=update)


def record_answer(
    item: AttemptItem,
    *,
    answer: Answer,
    seq: int,
    confidence: str = "",
    now: datetime,
    time_spent_ms: int = 0,
) -> SaveResult:
    """Save ``answer`` for ``item`` (loaded with its attempt) as one idempotent upsert.

    - Graded at once from the item's snapshot (the score at submission sums these).
    - A save whose ``seq`` is not newer than the stored one is stale and ignored; the
      result then carries the stored answer. In practice the first answer is final (the
      verdict has been shown), so any later save is ignored the same way.
    - Raises AnswerRefused once the attempt is closed or its deadline plus
      ``SAVE_GRACE`` has passed; nothing is written.
    Costs one query, plus one read when the save was ignored.
    """
    attempt = item.attempt
    if not attempt.is_open or attempt.is_past_deadline(now):
        raise AnswerRefused(_("This attempt has ended; the answer was not saved."))
    is_correct = grade(item.snapshot, answer)
    answer_field, time_field = Response._meta.get_field("answer"), Response._meta.get_field("answered_at")
    params = [
        item.pk,
        answer_field.get_db_prep_save(answer, connection),
        is_correct,
        confidence,
        seq,
        time_field.get_db_prep_save(now, connection),
        time_spent_ms,
        attempt.pk,
        Attempt.Status.IN_PROGRESS,
        time_field.get_db_prep_save(now - SAVE_GRACE, connection),
    ]
    with connection.cursor() as cursor:
        cursor.execute(_upsert_sql(connection.vendor, allow_change=attempt.is_exam), params)
        row = cursor.fetchone()
    if row is not None:
        return SaveResult(answer, is_correct, seq, confidence, applied=True)
    stored = Response.objects.filter(item=item).values_list("answer", "is_correct", "seq", "confidence").first()
    if stored is None:
        # No row and nothing stored: the attempt closed between our check and the write.
        raise AnswerRefused(_("This attempt has ended; the answer was not saved."))
    return SaveResult(*stored, applied=False)


def set_flag(item: AttemptItem, *, flagged: bool, now: datetime) -> None:
    """Flag or unflag ``item`` for review (idempotent); refused once the attempt is over."""
    attempt = item.attempt
    if not attempt.is_open or attempt.is_past_deadline(now):
        raise AnswerRefused(_("This attempt has ended; the flag was not changed."))
    AttemptItem.objects.filter(pk=item.pk).update(flagged=flagged)
    item.flagged = flagged


def submit_attempt(attempt: Attempt, *, now: datetime, status: str | None = None) -> bool:
    """Finalize ``attempt`` exactly once and store its score; True if this call did it.

    ``status`` defaults to "submitted", or "expired" when the deadline (plus grace) has
    passed. A mock scores its scored items (unanswered = wrong) on the scaled estimate;
    a practice session scores the questions answered. ``submitted_at`` never lies past
    the deadline, so "time used" stays within the limit.
    """
    if status is None:
        status = Attempt.Status.EXPIRED if attempt.is_past_deadline(now) else Attempt.Status.SUBMITTED
    ended_at = min(now, attempt.deadline) if attempt.deadline else now
    with transaction.atomic():
        # The race: two submits at once (two tabs, the browser's deadline submit against
        # a click, finalize_expired). Only the UPDATE that still finds the attempt open
        # goes on to score it; it holds the row until commit, so answers wait for it.
        won = Attempt.objects.filter(pk=attempt.pk, status=Attempt.Status.IN_PROGRESS).update(
            status=status, submitted_at=ended_at
        )
        if not won:
            attempt.refresh_from_db()
            return False
        if attempt.is_exam:
            # A mock counts its scored items, from the outcomes its results page will read.
            outcomes = compute_outcomes(attempt)
            scored = [outcome for outcome in outcomes if outcome.scored]
            totals = {"total": len(scored), "correct": sum(outcome.correct for outcome in scored)}
            attempt.outcomes = [list(outcome) for outcome in outcomes]
        else:
            # Practice counts the questions answered.
            counted = Q(response__isnull=False)
            totals = AttemptItem.objects.filter(attempt=attempt).aggregate(
                total=Count("pk", filter=counted), correct=Count("pk", filter=counted & Q(response__is_correct=True))
            )
        attempt.status, attempt.submitted_at = status, ended_at
        attempt.correct_scored, attempt.total_scored = totals["correct"], totals["total"]
        if attempt.is_exam:
            attempt.scaled_score = scaled_score(totals["correct"], totals["total"])
            attempt.passed = attempt.scaled_score is not None and attempt.scaled_score >= attempt.pass_mark
        Attempt.objects.filter(pk=attempt.pk).update(
            correct_scored=attempt.correct_scored,
            total_scored=attempt.total_scored,
            scaled_score=attempt.scaled_score,
            passed=attempt.passed,
            outcomes=attempt.outcomes,
        )
    return True


def finalize_if_overdue(attempt: Attempt, *, now: datetime) -> bool:
    """Finalize an open mock whose deadline has passed ("on next access"); True if over."""
    if attempt.is_open and attempt.is_past_deadline(now):
        submit_attempt(attempt, now=now, status=Attempt.Status.EXPIRED)
        return True
    return not attempt.is_open


def finalize_expired(*, now: datetime) -> int:
    """Finalize every open mock past its deadline; returns how many this call finalized."""
    finalized = 0
    for attempt in Attempt.objects.overdue(now).select_related("blueprint"):
        finalized += submit_attempt(attempt, now=now, status=Attempt.Status.EXPIRED)
    return finalized


def merge_owner(source: Owner, target: Owner) -> None:
    """Move a guest's attempts to the account (``Attempt.merge_owner``, see ``Owner.merge_into``).

    The account may already have an open mock of a blueprint the guest also has
    open; two clocks cannot run at once, so the older of the two is finalized
    (scored as expired, its saved answers kept) and the newer one stays open.
    """
    now = timezone.now()
    open_mocks = Attempt.objects.in_progress().exams()
    for guest_attempt in open_mocks.filter(owner=source):
        clash = open_mocks.filter(owner=target, blueprint=guest_attempt.blueprint_id).first()
        if clash is not None:
            older = min(clash, guest_attempt, key=lambda attempt: attempt.started_at)
            submit_attempt(older, now=now, status=Attempt.Status.EXPIRED)
    Attempt.objects.filter(owner=source).update(owner=target)
