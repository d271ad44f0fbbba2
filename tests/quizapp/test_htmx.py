"""quizapp.htmx.htmx_target reads the HX headers from request.META: it must say what
django_htmx's ``request.htmx and request.htmx.target`` says, for every kind of request."""

import pytest
from django.test import RequestFactory
from django_htmx.middleware import HtmxDetails

from quizapp.htmx import htmx_target

HEADERS = [
    {},
    {"HX-Target": "question-card"},  # not an htmx request: the target alone means nothing
    {"HX-Request": "true"},
    {"HX-Request": "false", "HX-Target": "question-card"},
    {"HX-Request": "true", "HX-Target": "question-card"},
    {"HX-Request": "true", "HX-Target": ""},
    {"HX-Request": "true", "HX-Target": "review%2Dmore", "HX-Target-URI-AutoEncoded": "true"},
    {"HX-Request": "true", "HX-Target": "review%2Dmore"},
]


@pytest.mark.parametrize("headers", HEADERS)
def test_the_target_is_django_htmx_s(headers):
    request = RequestFactory().get("/", headers=headers)
    details = HtmxDetails(request)

    assert htmx_target(request) == ((details.target or None) if details else None)
