"""What a finished mock's results page is made of: the pace budget, the review filters, and
the outcome of every item, computed once when the mock is scored (``Attempt.outcomes``)."""

import threading
from typing import Any, NamedTuple

from django.db.models import OuterRef, Subquery
from django.utils.translation import gettext as _

from questions.models import QuestionRevision
from questions.revisions import arrange
from quizapp.compiled import compiled

from .models import AttemptItem, Response

# The pace of the real exam: 90 minutes for 65 questions.
PACE_SECONDS = 83


class Outcome(NamedTuple):
    """How one item of a finished mock went: what the domain table, the pacing chart, the
    review filters and the counts read, without the item's revision (its question's JSON).
    Stored in ``Attempt.outcomes`` as a list, in this order."""

    position: int
    domain: int | None
    scored: bool
    flagged: bool
    correct: bool
    answered: bool
    seconds: int  # as the browser measured it, rounded; 0 when unanswered


REVIEW_PAGE = 10
REVIEW_FILTERS = {
    "all": lambda outcome: True,
    "wrong": lambda outcome: not outcome.correct,
    "flagged": lambda outcome: outcome.flagged,
    "unscored": lambda outcome: not outcome.scored,
}


def review_filter_labels():
    return [("all", _("All")), ("wrong", _("Wrong")), ("flagged", _("Flagged")), ("unscored", _("Unscored"))]


def compute_outcomes(attempt) -> list[Outcome]:
    """Every item's outcome, in position order, from one light query: of the revision only
    its domain number (read in the database, not the whole question). The response's columns
    are looked up per item by its unique index, not joined (``AttemptItem.objects.navigator_rows``
    says why: with stale statistics a join read the whole response table on every submit)."""
    response = Response.objects.filter(item=OuterRef("pk"))
    rows = (
        attempt.items.order_by("position")
        .select_related(None)
        .annotate(
            correct=Subquery(response.values("is_correct")),
            answer=Subquery(response.values("answer")),
            spent=Subquery(response.values("time_spent_ms")),
        )
        .values_list("position", "revision__content__domain", "scored", "flagged", "correct", "answer", "spent")
    )
    return [
        Outcome(
            position,
            int(domain) if domain is not None else None,
            scored,
            flagged,
            bool(correct),
            bool(answer),
            round((spent or 0) / 1000),
        )
        for position, domain, scored, flagged, correct, answer, spent in rows
    ]


def outcomes_of(attempt) -> list[Outcome]:
    """A finished mock's outcomes: as stored when it was scored, else (a mock scored before
    they were stored) computed now and stored, so that this happens once per attempt.

    Nothing of a finished mock changes (answers and flags are refused once it is over; an
    item keeps the revision it was taken with), so what is stored stays true."""
    if attempt.outcomes is not None:
        return [Outcome(*row) for row in attempt.outcomes]
    outcomes = compute_outcomes(attempt)
    attempt.outcomes = [list(outcome) for outcome in outcomes]
    type(attempt).objects.filter(pk=attempt.pk, outcomes__isnull=True).update(outcomes=attempt.outcomes)
    return outcomes


class Reviewed(NamedTuple):
    """One question of a finished mock's review: its outcome, the question as the candidate
    saw it (``AttemptItem.snapshot``), their answer ([] when none) and the digest of its
    revision, which its markup is kept under (``exams.review_markup.markup_for``)."""

    outcome: Outcome
    snapshot: dict[str, Any]
    answer: Any
    digest: str


def reviewed(attempt, outcomes: list[Outcome]) -> list[Reviewed]:
    """The review of ``outcomes`` (a page of them), in their order: one query for their items
    only, as plain rows (no item, response or revision objects), the answer looked up per
    item by the response's unique index (``compute_outcomes`` says why not a join); and one
    for the contents of the revisions this process has not read yet (``revision_contents``)."""
    if not outcomes:
        return []
    using = Response.objects.db
    rows = _review_rows.rows(attempt.pk, [outcome.position for outcome in outcomes], using=using)
    by_position = {row[0]: row[1:] for row in rows}
    contents = revision_contents({row[2]: row[1] for row in by_position.values()}, using=using)
    review = []
    for outcome in outcomes:
        order, _revision, digest, given = by_position[outcome.position]
        review.append(Reviewed(outcome, arrange(contents[digest], order), given if given is not None else [], digest))
    return review


@compiled
def _review_rows(attempt_id: int, positions: list[int]):
    # Compiled once per page length (quizapp.compiled): through the ORM this read cost
    # 2,700 Python calls on every results page.
    answer = Subquery(Response.objects.filter(item=OuterRef("pk")).values("answer"))
    return (
        AttemptItem.objects.filter(attempt_id=attempt_id, position__in=positions)
        .select_related(None)
        .order_by()
        .annotate(answer=answer)
        .values_list("position", "order", "revision_id", "revision__digest", "answer")
    )


# Revision contents read, by digest (their content's SHA-256: a revision never changes).
# A bank of about a thousand questions, a few kilobytes each; past it the oldest is dropped.
MAX_CONTENTS = 2048
_contents: dict[str, dict[str, Any]] = {}
_keeping = threading.Lock()


def revision_contents(revisions: dict[str, int], *, using: str) -> dict[str, dict[str, Any]]:
    """The content of each revision in ``revisions`` (digest → id), read from the database
    only for those this process has not read before: the review of a finished mock shows ten
    a page, and on exam day a cohort reviews the same few hundred, each a few kilobytes of
    JSON that PostgreSQL would send and Python decode for every page. Shared between
    requests: read them, never change them."""
    found = {digest: _contents.get(digest) for digest in revisions}
    missing = [revisions[digest] for digest, content in found.items() if content is None]
    if missing:
        read = dict(_revisions.rows(missing, using=using))
        found |= read  # from what was read, not the shared dict, which another thread may trim
        with _keeping:
            for digest, content in read.items():
                if len(_contents) >= MAX_CONTENTS:
                    del _contents[next(iter(_contents))]
                _contents[digest] = content
    return found


def forget_contents() -> None:
    """Drop every kept content (tests: a revision edited in place keeps its digest)."""
    with _keeping:
        _contents.clear()


@compiled
def _revisions(ids: list[int]):
    return QuestionRevision.objects.filter(pk__in=ids).values_list("digest", "content")
