"""Response headers every page gets, and the one answer to a rate limit."""

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _

from .ratelimit import RateLimited


def _never_cache_control() -> str:
    """The Cache-Control that ``add_never_cache_headers`` gives a response without one."""
    response = HttpResponse()
    add_never_cache_headers(response)
    return response["Cache-Control"]


NEVER_CACHE = _never_cache_control()


class PrivatePagesMiddleware:
    """``Cache-Control: no-store`` on every response of the site's views, plus
    ``Permissions-Policy``.

    Nearly every page and fragment shows one person's data (their questions, answers,
    results, reports, CSV), so none may stay in a browser's or a proxy's cache: on a shared
    computer the next person must not see the last candidate's results after log-out.
    Static files never get here (whitenoise answers them first, with their long cache).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        # A view under @never_cache has them already (the same call: applying it again
        # changes nothing, but costs ~115 Python calls on the exam's hot pages).
        if response.get("Cache-Control") != NEVER_CACHE or not response.has_header("Expires"):
            add_never_cache_headers(response)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response

    def process_exception(self, request, exception):
        """A ``RateLimited`` from any view: 429 with ``Retry-After``. htmx gets one short
        line (static/js/answering/save.js shows it beside "Not saved"), a page gets our layout."""
        if not isinstance(exception, RateLimited):
            return None
        message = _("Too many requests from you just now: try again in %(seconds)s s.") % {
            "seconds": exception.retry_after
        }
        if getattr(request, "htmx", False):
            response = HttpResponse(message, status=429, content_type="text/plain; charset=utf-8")
        else:
            response = render(request, "429.html", {"message": message}, status=429)
        response["Retry-After"] = str(exception.retry_after)
        return response
