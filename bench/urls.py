from django.http import HttpResponse
from django.urls import path

from quizapp.urls import urlpatterns as app_urlpatterns


def trivial(request):
    """The baseline: a Django view through the full middleware stack that does nothing.

    bench/run.py also POSTs to it exactly as a save is posted (session cookie, CSRF token,
    htmx headers, form body), which shows what the request alone costs."""
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench/trivial", trivial), *app_urlpatterns]
