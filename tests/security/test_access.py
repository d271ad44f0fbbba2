"""Who may do what: CSRF on every POST, log-in where it is needed, staff-only authoring."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import NoReverseMatch, reverse

from questions.models import Question
from tests.factories import UserFactory
from tests.main_pages import build_pages
from tests.security.helpers import fingerprint, routes
from tests.security.test_ownership import MATRIX

pytestmark = pytest.mark.django_db


def _route_urls(scene) -> dict[str, str]:
    """A concrete URL for every named route of the site, from the candidate's scene."""
    question = Question.objects.order_by("pk").first()
    values = {
        "slug": scene.exam.blueprint.slug,
        "uid": question.uid,
        "object_id": question.pk,
        "app_label": "questions",
        "content_type_id": ContentType.objects.get_for_model(Question).pk,
        "id": scene.owner.user_id,
        "uidb64": "MQ",
        "token": "set-password",
        "name": "0" * 64 + ".png",
    }
    # Routes whose parameter of the same name takes another shape.
    per_route = {"admin:questions_question_import_status": {"token": "A" * 22}}
    urls = {}
    for name, _route, _view, parameters in routes():
        if name is None:
            continue  # the admin's unnamed catch-all redirects
        if name in MATRIX:
            urls[name] = reverse(name, args=MATRIX[name][1](scene))
            continue
        kwargs = {parameter.strip("<>").split(":")[-1]: None for parameter in parameters}
        try:
            urls[name] = reverse(name, kwargs={key: (values | per_route.get(name, {}))[key] for key in kwargs})
        except (KeyError, NoReverseMatch) as error:
            raise AssertionError(f"give the route {name} a value for {list(kwargs)}") from error
    return urls


@pytest.fixture
def scene():
    return build_pages(UserFactory(is_staff=True, is_superuser=True))


def test_no_view_is_exempt_from_csrf():
    exempt = [name or route for name, route, view, _ in routes() if getattr(view, "csrf_exempt", False)]

    assert exempt == []


def test_every_post_without_a_csrf_token_is_refused(scene):
    client = Client(enforce_csrf_checks=True)
    client.force_login(scene.owner.user)
    urls = _route_urls(scene)
    assert len(urls) > 40  # the site's own routes and the admin's
    before = fingerprint()

    refused = {
        name: client.post(url, {"state": "1", "seq": "1", "confirm": "on"}).status_code for name, url in urls.items()
    }
    htmx = client.post(urls["exams:flag"], {"state": "1"}, headers={"HX-Request": "true"})

    assert {name: status for name, status in refused.items() if status != 403} == {}
    assert htmx.status_code == 403
    assert fingerprint() == before


def test_a_post_with_its_csrf_token_goes_through(scene):
    """The control for the test above: the same client with the token is let in."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(scene.owner.user)
    client.get(reverse("exams:question", args=[scene.exam.pk, 3]))
    token = client.cookies["csrftoken"].value

    response = client.post(
        reverse("exams:flag", args=[scene.exam.pk, 3]), {"state": "1", "csrfmiddlewaretoken": token}
    )

    assert response.status_code == 302
    assert scene.exam.items.get(position=3).flagged


def test_a_csrf_refusal_says_what_happened_in_our_layout(scene):
    client = Client(enforce_csrf_checks=True)

    response = client.post(reverse("accounts:login"), {"username": "x", "password": "y"})

    assert response.status_code == 403
    assert b"CSRF" in response.content or b"csrf" in response.content


@pytest.mark.parametrize("name", ["accounts:password_change", "accounts:password_change_done"])
def test_anonymous_visitors_are_sent_to_log_in(client, name):
    url = reverse(name)

    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:login')}?next={url}"


@pytest.mark.parametrize("name", ["accounts:password_change", "accounts:password_change_done"])
def test_htmx_requests_get_hx_redirect_not_a_login_page(client, name):
    url = reverse(name)

    response = client.get(url, headers={"HX-Request": "true", "HX-Target": "main"})

    assert response.status_code == 200
    assert response["HX-Redirect"] == f"{reverse('accounts:login')}?next={url}"
    assert b"<form" not in response.content


def test_login_required_pages_open_once_logged_in(client):
    client.force_login(UserFactory())

    assert client.get(reverse("accounts:password_change")).status_code == 200


STAFF_PAGES = [
    "admin:index",
    "admin:questions_question_changelist",
    "admin:questions_question_add",
    "admin:questions_question_import",
    "admin:questions_question_export",
    "admin:questions_problemreport_changelist",
]


@pytest.mark.parametrize("who", ["anonymous", "guest", "candidate"])
def test_admin_and_imports_are_staff_only(client, who):
    if who == "candidate":
        client.force_login(UserFactory())
    elif who == "guest":
        client.get(reverse("practice:picker"))
    urls = [reverse(name) for name in STAFF_PAGES]
    before = fingerprint()

    responses = {url: client.get(url) for url in urls}
    upload = client.post(reverse("admin:questions_question_import"), {"format": "native"})

    login = reverse("admin:login")
    for url, response in responses.items():
        assert response.status_code == 302, url
        assert response["Location"].startswith(login), url
    assert upload.status_code in (302, 403)
    assert fingerprint() == before


def test_staff_reach_the_admin_and_import_pages(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    for name in STAFF_PAGES:
        assert client.get(reverse(name)).status_code == 200, name


def test_staff_without_permissions_cannot_author(client):
    """is_staff alone opens the admin, not the question bank: authoring needs the permission."""
    client.force_login(UserFactory(is_staff=True))

    assert client.get(reverse("admin:questions_question_add")).status_code == 403
    assert client.get(reverse("admin:questions_question_import")).status_code == 403
