"""What every exams view starts with: the requester's attempt or item (404 for anyone
else's), and leaving an attempt that has ended."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django_htmx.http import HttpResponseClientRedirect

from accounts.owners import owner_id_for
from exams.models import Attempt, AttemptItem, Blueprint
from quizapp.compiled import compiled
from quizapp.htmx import HtmxHttpRequest

_ATTEMPT = [field.attname for field in Attempt._meta.concrete_fields]
_BLUEPRINT = [field.attname for field in Blueprint._meta.concrete_fields]


@compiled
def _owned_attempt(pk: int, owner_id: int, mode: str):
    # select_related("blueprint") as plain columns, compiled once (quizapp.compiled): through
    # the ORM this one read cost 2,400 Python calls on every results page.
    attempts = Attempt.objects.filter(pk=pk, owner_id=owner_id, mode=mode).order_by()
    return attempts.values_list(*_ATTEMPT, *(f"blueprint__{name}" for name in _BLUEPRINT))


def get_attempt(request: HtmxHttpRequest, pk: int, *, mode: str) -> Attempt:
    """The requester's attempt ``pk`` of ``mode`` (with its blueprint); 404 for anyone else's."""
    owner_id = owner_id_for(request)
    if owner_id is None:
        raise Http404
    using = Attempt.objects.db
    rows = _owned_attempt.rows(pk, owner_id, str(mode), using=using)
    if not rows:
        raise Http404
    values, blueprint = rows[0][: len(_ATTEMPT)], rows[0][len(_ATTEMPT) :]
    attempt = Attempt.from_db(using, _ATTEMPT, values)
    attempt.blueprint = None if blueprint[0] is None else Blueprint.from_db(using, _BLUEPRINT, blueprint)
    return attempt


def get_item(request: HtmxHttpRequest, pk: int, position: int) -> AttemptItem:
    """The requester's item, with its attempt and response, in one query (the hot path of
    every save); 404 for anyone else's."""
    owner_id = owner_id_for(request)
    item = None if owner_id is None else AttemptItem.objects.for_answer(pk, owner_id, position)
    if item is None:
        raise Http404
    return item


def response_of(item: AttemptItem):
    """The item's response row or None (select_related caches a missing one as absent)."""
    return getattr(item, "response", None)


def ended(request: HtmxHttpRequest, attempt: Attempt, message: str | None = None) -> HttpResponse:
    """Leave a closed attempt for its results (or summary), saying why (by default: how it ended)."""
    messages.error(request, message or _why_ended(attempt))
    url = attempt.get_absolute_url()
    if request.htmx:
        response = HttpResponseClientRedirect(url)
        response.status_code = 409
        return response
    return redirect(url)


def _why_ended(attempt: Attempt) -> str:
    """Why a mock no longer takes answers, as it happened: submitted (in another tab, or
    before Back was pressed) or out of time. Read from the database, which the caller's
    copy may lag."""
    attempt.refresh_from_db(fields=["status", "submitted_at"])
    if attempt.status == Attempt.Status.SUBMITTED:
        return _("This exam was already submitted; nothing more can be changed. Here are its results.")
    return _("Time is up: answers sent after the deadline are not saved.")
