"""Security headers and cookies on every kind of response, beyond tests/quizapp/test_settings.py
(which covers the CSP's script-src, the nonce, the frame/sniff/referrer headers of the
dashboard and `check --deploy`)."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.factories import UserFactory
from tests.main_pages import build_pages
from tests.security.test_access import _route_urls
from tests.security.test_ownership import MATRIX, _answer

pytestmark = pytest.mark.django_db


def directives(response) -> dict[str, str]:
    policy = response.headers["Content-Security-Policy"]
    return dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())


@pytest.fixture
def responses():
    """Every main page, a 404, an htmx fragment and a refused post, as their visitors get them."""
    user = UserFactory(is_staff=True, is_superuser=True)
    scene = build_pages(user)
    signed_in, anonymous = Client(), Client()
    signed_in.force_login(user)
    got = {page.name: (anonymous if page.who == "anonymous" else signed_in).get(page.url) for page in scene.pages}
    got["not found"] = signed_in.get("/no-such-page/")
    got["htmx fragment"] = signed_in.get(
        reverse("exams:question", args=[scene.exam.pk, 1]),
        headers={"HX-Request": "true", "HX-Target": "question-card"},
    )
    got["bad request"] = signed_in.post(reverse("exams:flag", args=[scene.exam.pk, 1]), {"state": "maybe"})
    got["csv export"] = signed_in.get(reverse("insights:export"))
    return got


def test_every_response_carries_the_security_headers(responses):
    missing = {}
    for name, response in responses.items():
        headers = response.headers
        problems = [
            header
            for header, value in [
                ("X-Frame-Options", "DENY"),
                ("X-Content-Type-Options", "nosniff"),
                ("Referrer-Policy", "same-origin"),
                ("Cross-Origin-Opener-Policy", "same-origin"),
                ("Permissions-Policy", settings.PERMISSIONS_POLICY),
            ]
            if headers.get(header) != value
        ]
        if "Content-Security-Policy" not in headers:
            problems.append("Content-Security-Policy")
        if problems:
            missing[name] = problems

    assert missing == {}
    assert responses["not found"].status_code == 404
    assert responses["bad request"].status_code == 400


def test_csp_locks_down_styles_frames_plugins_base_and_forms(responses):
    for name, response in responses.items():
        policy = directives(response)
        assert policy["default-src"] == "'self'", name
        assert policy["style-src"] == "'self'", name  # no inline styles, no style= attributes
        assert policy["frame-ancestors"] == "'none'", name
        assert policy["object-src"] == "'none'", name
        assert policy["base-uri"] == "'none'", name
        assert policy["form-action"] == "'self'", name
        assert "unsafe-inline" not in response.headers["Content-Security-Policy"], name
        assert "unsafe-eval" not in response.headers["Content-Security-Policy"], name


def test_pages_carry_no_inline_script_or_style(responses):
    """The CSP would block them in the browser; catch them here too, with the page's name."""
    for name, response in responses.items():
        if "text/html" not in response.headers.get("Content-Type", ""):
            continue
        html = response.content.decode()
        script_src = directives(response)["script-src"]
        nonce = script_src.split("'nonce-")[1].split("'")[0] if "'nonce-" in script_src else None
        scripts = html.split("<script")[1:]
        inline = [chunk[:80] for chunk in scripts if "src=" not in chunk.split(">")[0]]
        unnonced = [chunk[:80] for chunk in inline if not nonce or f'nonce="{nonce}"' not in chunk.split(">")[0]]
        assert unnonced == [], name
        assert " style=" not in html, name
        assert " hx-on" not in html and "data-hx-on" not in html, name


def test_hsts_over_https(client):
    response = client.get(reverse("dashboard"), secure=True)

    assert response.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"


def test_session_and_csrf_cookies_are_secure_http_only_and_same_site(client):
    client.get(reverse("accounts:login"), secure=True)
    client.post(reverse("practice:bookmark", args=["nope"]), {"state": "1"}, secure=True)
    client.force_login(UserFactory())
    client.get(reverse("exams:list"), secure=True)

    for name in ("sessionid", "csrftoken"):
        cookie = client.cookies[name]
        assert cookie["secure"] is True, name
        assert cookie["httponly"] is True, name
        assert cookie["samesite"] == "Lax", name


def test_server_errors_do_not_leak_details(client, settings):
    """DEBUG is off: a 404 is our page, without a URL-pattern listing or a traceback."""
    response = client.get("/exams/attempts/1/1/answer/")

    assert response.status_code in (404, 405)
    assert b"Using the URLconf" not in response.content
    assert b"Traceback" not in response.content


def test_permissions_policy_turns_off_powerful_features(client):
    policy = client.get(reverse("dashboard")).headers["Permissions-Policy"]

    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert f"{feature}=()" in policy


def test_the_language_cookie_is_same_site_lax(client):
    client.post(reverse("set_language"), {"language": "ja", "next": "/"}, secure=True)

    cookie = client.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert cookie["samesite"] == "Lax"
    assert cookie["secure"] is True


def _no_store(response) -> bool:
    return "no-store" in response.headers.get("Cache-Control", "")


def test_no_page_or_fragment_of_the_site_may_be_stored_by_a_browser():
    """Every route of the URL resolver, as the person whose data it shows, as a page and as an
    htmx fragment (and the answer save's fragment): all say ``Cache-Control: no-store``, so a
    shared computer does not show the last candidate's questions or results after log-out."""
    user = UserFactory(is_staff=True, is_superuser=True)
    scene = build_pages(user)
    client = Client()
    client.force_login(user)
    urls = _route_urls(scene)
    stored = {}
    for name, url in urls.items():
        if name in MATRIX and "GET" not in MATRIX[name][0]:
            continue
        for kind, headers in (("page", {}), ("htmx", {"HX-Request": "true", "HX-Target": "question-card"})):
            response = client.get(url, headers=headers)
            if not _no_store(response):
                stored[f"{name} ({kind})"] = (response.status_code, response.headers.get("Cache-Control"))
    save = client.post(
        reverse("exams:answer", args=[scene.exam.pk, 3]), _answer(scene), headers={"HX-Request": "true"}
    )
    export = client.get(reverse("insights:export"))

    assert len(urls) > 40
    assert stored == {}
    assert save.status_code == 200 and _no_store(save)
    assert export["Content-Type"].startswith("text/csv") and _no_store(export)
