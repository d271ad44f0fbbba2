"""Building a response log directly, the way exams writes it."""

from datetime import UTC, datetime

from tests.factories import AttemptFactory, AttemptItemFactory, ResponseFactory

NOW = datetime(2026, 6, 15, 12, 0, tzinfo=UTC)


def answer(question, *, owner, correct, at, confidence="", ms=0, attempt=None, answer_value=None):
    """One settled practice answer (in a finished session of its own unless ``attempt`` is given)."""
    attempt = attempt or AttemptFactory(owner=owner, started_at=at, status="submitted", submitted_at=at)
    item = AttemptItemFactory(attempt=attempt, question=question, position=attempt.items.count() + 1)
    return ResponseFactory(
        item=item,
        is_correct=correct,
        answered_at=at,
        confidence=confidence,
        time_spent_ms=ms,
        answer=answer_value if answer_value is not None else [],
    )


def task_statement(code):
    from questions.models import TaskStatement

    return TaskStatement.objects.get(code=code)
