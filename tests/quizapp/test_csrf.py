"""quizapp/csrf.py: the templates' csrf_token, masked without a Python call per character,
must be a token Django's CsrfViewMiddleware accepts, fresh on every page, uniform in its mask."""

import collections
import re

import pytest
from django.middleware.csrf import CSRF_ALLOWED_CHARS, _unmask_cipher_token
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

from exams.attempts import start_exam
from quizapp.csrf import mask_secret, masked_token, random_mask
from tests.exams.conftest import make_bank
from tests.factories import BlueprintFactory, GuestOwnerFactory, as_guest

SECRET = "abcdefghijklmnopqrstuvwxyzABCDEF"


def test_the_token_unmasks_to_the_secret_as_django_reads_it():
    for _ in range(200):
        token = mask_secret(SECRET)
        assert len(token) == 64 and set(token) <= set(CSRF_ALLOWED_CHARS)
        assert _unmask_cipher_token(token) == SECRET


def test_every_token_has_a_new_mask():
    assert len({mask_secret(SECRET)[:32] for _ in range(100)}) == 100


def test_the_mask_draws_every_character_evenly():
    counts = collections.Counter("".join(random_mask() for _ in range(6000)))  # 192,000 characters

    assert set(counts) == set(CSRF_ALLOWED_CHARS)
    expected = 6000 * 32 / len(CSRF_ALLOWED_CHARS)  # ~3,097 each; a biased mapping of 256 bytes
    assert all(abs(count - expected) < 0.1 * expected for count in counts.values())  # gave +/-25 %


def test_with_a_cookie_the_secret_is_kept_and_renewed():
    request = RequestFactory().get("/")
    request.META["CSRF_COOKIE"] = SECRET

    assert _unmask_cipher_token(masked_token(request)) == SECRET
    assert request.META["CSRF_COOKIE_NEEDS_UPDATE"] is True


def test_a_fragment_s_token_renews_no_cookie_but_a_new_visitor_gets_one():
    request = RequestFactory().get("/")
    request.META["CSRF_COOKIE"] = SECRET

    assert _unmask_cipher_token(masked_token(request, renew=False)) == SECRET
    assert "CSRF_COOKIE_NEEDS_UPDATE" not in request.META
    newcomer = RequestFactory().get("/")
    assert _unmask_cipher_token(masked_token(newcomer, renew=False)) == newcomer.META["CSRF_COOKIE"]
    assert newcomer.META["CSRF_COOKIE_NEEDS_UPDATE"] is True


def test_without_a_cookie_django_makes_the_secret():
    request = RequestFactory().get("/")

    token = masked_token(request)

    assert _unmask_cipher_token(token) == request.META["CSRF_COOKIE"]
    assert request.META["CSRF_COOKIE_NEEDS_UPDATE"] is True


@pytest.mark.django_db
def test_the_next_question_cards_token_is_accepted():
    """The card is rendered without context processors: its token comes from quizapp.csrf itself."""
    client = Client(enforce_csrf_checks=True)
    owner = as_guest(client, GuestOwnerFactory())
    make_bank({1: 1, 2: 1, 3: 1, 4: 1, 5: 1})
    attempt = start_exam(owner.pk, BlueprintFactory(question_count=5, unscored_count=0), now=timezone.now())
    client.get(reverse("exams:question", args=[attempt.pk, 1]))  # the page sets the CSRF cookie
    card = client.get(
        reverse("exams:question", args=[attempt.pk, 2]), HTTP_HX_REQUEST="true", HTTP_HX_TARGET="question-card"
    )
    tokens = re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', card.text)

    assert len(tokens) == 2 and len(set(tokens)) == 1
    assert _unmask_cipher_token(tokens[0]) == client.cookies["csrftoken"].value
    assert "csrftoken" not in card.cookies  # the page renewed the cookie; the card needs not
    flag = reverse("exams:flag", args=[attempt.pk, 2])
    assert client.post(flag, {"state": "1", "csrfmiddlewaretoken": tokens[0]}).status_code == 302


@pytest.mark.django_db
def test_a_question_pages_token_is_accepted_and_a_wrong_one_refused():
    client = Client(enforce_csrf_checks=True)
    owner = as_guest(client, GuestOwnerFactory())
    make_bank({1: 1, 2: 1, 3: 1, 4: 1, 5: 1})
    attempt = start_exam(owner.pk, BlueprintFactory(question_count=5, unscored_count=0), now=timezone.now())
    page = client.get(reverse("exams:question", args=[attempt.pk, 1])).text
    tokens = re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    flag = reverse("exams:flag", args=[attempt.pk, 1])

    assert len(tokens) == 3 and len(set(tokens)) == 1  # one token per page, in every form
    assert client.post(flag, {"state": "1", "csrfmiddlewaretoken": tokens[0]}).status_code == 302
    assert client.post(flag, {"state": "1", "csrfmiddlewaretoken": mask_secret(SECRET)}).status_code == 403
    again = client.get(reverse("exams:question", args=[attempt.pk, 1])).text
    assert re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', again).group(1) != tokens[0]
