from django.http import HttpResponse
from django.urls import path

from quizapp.urls import urlpatterns as app_urlpatterns


def trivial(request):
    """The baseline: a Django view through the full middleware stack that does nothing."""
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench/trivial", trivial), *app_urlpatterns]
