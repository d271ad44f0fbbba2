from django.http import HttpResponse
from django.urls import path
from django.utils import timezone

from accounts.owners import owner_id_for
from exams import attempts
from exams.forms import read_save
from exams.grading import parse_answer
from exams.models import AttemptItem
from exams.tokens import tokens_for
from exams.views.access import get_item
from quizapp.urls import urlpatterns as app_urlpatterns


def trivial(request, rest=""):
    """The baseline: a Django view through the full middleware stack that does nothing.

    bench/run.py also POSTs to it exactly as a save is posted (session cookie, CSRF token,
    htmx headers, form body, the save's path after /bench/trivial), which shows what the
    request alone costs."""
    return HttpResponse("ok", content_type="text/plain")


def ownership_check(request, pk, position):
    """The first step of every answer save alone: read the session and the requester's
    item (404 for anyone else's), then stop; the rest of the save's cost is what follows."""
    get_item(request, pk, position)
    return HttpResponse("ok", content_type="text/plain")


_items: dict[tuple[int, int], AttemptItem] = {}


def session_and_write(request, pk, position):
    """What no save can do without: read who is asking (the session) and write the answer
    durably (parse, grade, ``attempts.record_answer``'s upsert and commit). No ownership read
    (the item is read once per process), no rate count, no fragment: a save built as one
    statement that checks ownership while it writes could cost no less than this."""
    if owner_id_for(request) is None:
        return HttpResponse("who?", status=404, content_type="text/plain")
    item = _items.get((pk, position))
    if item is None:
        item = _items[pk, position] = AttemptItem.objects.select_related("attempt").get(
            attempt_id=pk, position=position
        )
    meta = read_save(request.POST)
    given = parse_answer(item.snapshot, request.POST, tokens_for(item))
    attempts.record_answer(item, answer=given, seq=meta.seq, now=timezone.now(), time_spent_ms=meta.spent)
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("bench/trivial", trivial),
    path("bench/trivial/<path:rest>", trivial),
    path("bench/ownership/exams/attempts/<int:pk>/<int:position>/answer/", ownership_check),
    path("bench/floor/exams/attempts/<int:pk>/<int:position>/answer/", session_and_write),
    *app_urlpatterns,
]
