"""The response log as insights reads it.

Only *settled* responses count: every practice answer (the candidate saw the verdict
at once) and the answers of finished mock exams. Answers in a mock that is still
running are left out, or the report and the review queue would reveal during the exam
whether an answer was right.
"""

from django.db.models import Q

from exams.models import Attempt, Mode, Response

RUNNING_EXAM = Q(item__attempt__mode=Mode.EXAM, item__attempt__status=Attempt.Status.IN_PROGRESS)


def settled_responses(owner_id: int | None = None):
    """Settled responses, of one owner when ``owner_id`` is given (of everyone otherwise)."""
    responses = Response.objects.exclude(RUNNING_EXAM)
    if owner_id is not None:
        responses = responses.filter(item__attempt__owner_id=owner_id)
    return responses
