"""The response log as insights reads it.

Only *settled* responses count (``exams.models.running_exam`` says which do not).
"""

from exams.models import Response


def settled_responses(owner_id: int | None = None):
    """Settled responses, of one owner when ``owner_id`` is given (of everyone otherwise)."""
    responses = Response.objects.settled()
    if owner_id is not None:
        responses = responses.filter(item__attempt__owner_id=owner_id)
    return responses
