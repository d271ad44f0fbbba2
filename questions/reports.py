"""Problem reports: filing one ("Report a problem") and resolving them in bulk.

Filing is rate-limited per owner and per client address (quizapp.ratelimit), so neither a
script nor a guest who keeps opening new sessions can flood the authors' queue.
"""

from django.db import IntegrityError, transaction
from django.http import HttpRequest

from quizapp import ratelimit

from .models import ProblemReport, Question


class DuplicateReport(Exception):
    """This owner already has an open report on this question."""


def check_rate(request: HttpRequest, owner_id: int | None) -> None:
    """Count one report post per owner and per client address; raise ``RateLimited`` past
    ``PROBLEM_REPORT_RATE`` / ``PROBLEM_REPORT_ADDRESS_RATE``."""
    buckets = [ratelimit.per_address(request, "report", "PROBLEM_REPORT_ADDRESS_RATE")]
    if owner_id is not None:
        buckets.append(ratelimit.bucket("report:owner", owner_id, "PROBLEM_REPORT_RATE"))
    ratelimit.hit(*buckets)


def file_report(*, question: Question, owner_id: int, reason: str, comment: str, now) -> ProblemReport:
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
    return report


def resolve_reports(reports, *, status: str, note: str, user, now) -> int:
    """Close the open reports among ``reports`` as fixed or rejected with ``note``; return how many."""
    if status not in (ProblemReport.Status.FIXED, ProblemReport.Status.REJECTED):
        raise ValueError(f"cannot resolve a report as {status!r}")
    return reports.filter(status=ProblemReport.Status.OPEN).update(
        status=status, resolution=note, resolved_at=now, resolved_by=user
    )
