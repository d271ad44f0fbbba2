from django.http import HttpResponse
from django.urls import path

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


urlpatterns = [
    path("bench/trivial", trivial),
    path("bench/trivial/<path:rest>", trivial),
    path("bench/ownership/exams/attempts/<int:pk>/<int:position>/answer/", ownership_check),
    *app_urlpatterns,
]
