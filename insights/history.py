"""A candidate's own history: export it as CSV, or delete it. Notes go with the history."""

import csv

from django.db import transaction

from exams.models import Attempt
from notes.models import Note

from .log import settled_responses
from .models import ReviewCard, SelfGrade, StudyPlan
from .stats import forget_item_statistics

EXPORT_COLUMNS = [
    "answered_at",
    "mode",
    "attempt",
    "attempt_status",
    "question_uid",
    "language",
    "type",
    "domain",
    "task",
    "tags",
    "correct",
    "confidence",
    "self_grade",
    "time_spent_s",
    "attempt_scaled_score",
    "note",
]


class _Echo:
    """A file-like object whose write returns the line, for streaming csv.writer output."""

    def write(self, value: str) -> str:
        return value


def export_rows(owner_id: int | None):
    """CSV lines of every settled answer the owner gave, oldest first, the question as they saw it.

    A running mock's answers are left out, as everywhere in insights: their verdicts
    would tell the candidate mid-exam which answers are right.

    ``self_grade`` is the grade the candidate gave their practice answer after its feedback
    (again, hard, good, easy; empty where the schedule used the grade inferred from it).

    The owner's note on a question (``notes``) is in the last column of each answer to it;
    a note on a question with no answer here comes after the answers, on a row of its own
    with only the question's uid and the note.
    """
    writer = csv.writer(_Echo())
    yield writer.writerow(EXPORT_COLUMNS)
    if owner_id is None:
        return
    notes = dict(Note.objects.for_owner(owner_id).order_by("question_uid").values_list("question_uid", "text"))
    exported = set()
    rows = (
        settled_responses(owner_id)
        .order_by("answered_at", "pk")
        .values_list(
            "answered_at",
            "item__attempt__mode",
            "item__attempt_id",
            "item__attempt__status",
            "item__revision__content__uid",
            "item__revision__content__language",
            "item__revision__content__type",
            "item__revision__content__domain",
            "item__revision__content__task",
            "item__revision__content__tags",
            "is_correct",
            "confidence",
            "self_grade__rating",
            "time_spent_ms",
            "item__attempt__scaled_score",
        )
    )
    for answered_at, *middle, tags, correct, confidence, grade, time_ms, score in rows.iterator(chunk_size=2000):
        uid = middle[3]
        exported.add(uid)
        yield writer.writerow(
            [
                answered_at.isoformat(),
                *middle,
                " ".join(tags or []),
                "yes" if correct else "no",
                confidence,
                SelfGrade.Rating(grade).name.lower() if grade else "",
                round(time_ms / 1000, 1),
                "" if score is None else score,
                notes.get(uid, ""),
            ]
        )
    blank = [""] * (len(EXPORT_COLUMNS) - 1)
    uid_column = EXPORT_COLUMNS.index("question_uid")
    for uid, text in notes.items():
        if uid not in exported:
            row = [*blank[:uid_column], uid, *blank[uid_column:]]
            row[-1] = text
            yield writer.writerow(row)


def delete_history(owner_id: int) -> int:
    """Delete the owner's attempts with their items and answers, their notes, their review
    schedule and their daily targets (the streak's record).

    The account (or guest), bookmarks, problem reports and the exam date stay. Returns how many
    attempts went. Irreversible: the response log is the only copy.
    """
    with transaction.atomic():
        Note.objects.filter(owner_id=owner_id).delete()
        ReviewCard.objects.filter(owner_id=owner_id).delete()
        StudyPlan.objects.filter(owner_id=owner_id).update(targets={})
        deleted = Attempt.objects.filter(owner_id=owner_id).delete()[1].get(Attempt._meta.label, 0)
    forget_item_statistics()
    return deleted
