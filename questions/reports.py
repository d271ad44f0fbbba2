"""Problem reports: filing one ("Report a problem") and resolving them in bulk.

Filing is rate-limited per owner and per client address with Django's cache (shared by
all processes when REDIS_URL is set), so neither a script nor a guest who keeps opening
new sessions can flood the authors' queue.
"""

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.http import HttpRequest

from .models import ProblemReport, Question

REPORT_LIMIT = getattr(settings, "PROBLEM_REPORT_LIMIT", 10)
ADDRESS_LIMIT = getattr(settings, "PROBLEM_REPORT_ADDRESS_LIMIT", 30)
REPORT_WINDOW = getattr(settings, "PROBLEM_REPORT_WINDOW", 3600)


class DuplicateReport(Exception):
    """This owner already has an open report on this question."""


def _keys(request: HttpRequest, owner_id: int) -> list[tuple[str, int]]:
    address = request.META.get("REMOTE_ADDR", "")
    return [(f"problem-report:owner:{owner_id}", REPORT_LIMIT), (f"problem-report:addr:{address}", ADDRESS_LIMIT)]


def is_rate_limited(request: HttpRequest, owner_id: int) -> bool:
    keys = _keys(request, owner_id)
    counts = cache.get_many([key for key, _limit in keys])
    return any(counts.get(key, 0) >= limit for key, limit in keys)


def _count(request: HttpRequest, owner_id: int) -> None:
    for key, _limit in _keys(request, owner_id):
        # add() starts the window once; incr() keeps its expiry.
        if not cache.add(key, 1, timeout=REPORT_WINDOW):
            try:
                cache.incr(key)
            except ValueError:  # expired between add() and incr()
                cache.add(key, 1, timeout=REPORT_WINDOW)


def file_report(
    request: HttpRequest, *, question: Question, owner_id: int, reason: str, comment: str, now
) -> ProblemReport:
    """Create an open report; raise ``DuplicateReport`` if the owner has one open on ``question``.

    The check-then-insert race between two tabs is settled by the partial unique
    constraint: the loser's insert fails and is reported as the duplicate it is.
    """
    if ProblemReport.objects.open().filter(owner_id=owner_id, question=question).exists():
        raise DuplicateReport
    try:
        with transaction.atomic():
            report = ProblemReport.objects.create(
                question=question, owner_id=owner_id, reason=reason, comment=comment, created_at=now
            )
    except IntegrityError:
        raise DuplicateReport from None
    _count(request, owner_id)
    return report


def resolve_reports(reports, *, status: str, note: str, user, now) -> int:
    """Close the open reports among ``reports`` as fixed or rejected with ``note``; return how many."""
    if status not in (ProblemReport.Status.FIXED, ProblemReport.Status.REJECTED):
        raise ValueError(f"cannot resolve a report as {status!r}")
    return reports.filter(status=ProblemReport.Status.OPEN).update(
        status=status, resolution=note, resolved_at=now, resolved_by=user
    )
