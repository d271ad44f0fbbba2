"""PrivatePagesMiddleware skips add_never_cache_headers for a response that already has what it
gives (a @never_cache view): every response must still end with exactly those headers."""

from django.http import HttpResponse
from django.test import RequestFactory
from django.utils.cache import add_never_cache_headers

from quizapp.middleware import NEVER_CACHE, PrivatePagesMiddleware


def through(response):
    return PrivatePagesMiddleware(lambda request: response)(RequestFactory().get("/"))


def directives(header: str) -> set[str]:
    return {part.strip() for part in header.split(",")}


def never_cached():
    response = HttpResponse()
    add_never_cache_headers(response)
    return response


def test_a_plain_and_a_never_cache_response_end_the_same():
    plain, decorated = through(HttpResponse()), through(never_cached())

    assert plain["Cache-Control"] == decorated["Cache-Control"] == NEVER_CACHE
    assert "no-store" in NEVER_CACHE and "private" in NEVER_CACHE
    assert plain.has_header("Expires") and decorated.has_header("Expires")


def test_a_weaker_cache_control_is_still_made_private():
    response = HttpResponse()
    response["Cache-Control"] = "no-store"

    assert directives(through(response)["Cache-Control"]) == directives(NEVER_CACHE)
    response = HttpResponse()
    response["Cache-Control"] = NEVER_CACHE  # the header without Expires

    assert through(response).has_header("Expires")
