import pytest
from django.conf import settings
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse
from django.utils import translation

from accounts.models import Owner
from tests.factories import GuestOwnerFactory, OwnerFactory, UserFactory

PASSWORD = "correct horse battery staple"
COOKIE = settings.LANGUAGE_COOKIE_NAME


def page_language(response) -> str:
    html = response.content.decode()
    return html.split('<html lang="', 1)[1].split('"', 1)[0]


@pytest.mark.django_db
def test_switcher_is_on_every_page_and_offers_the_other_language(client):
    english = client.get(reverse("dashboard"))
    client.cookies[COOKIE] = "ja"
    japanese = client.get(reverse("dashboard"))

    assert 'action="/i18n/setlang/"' in english.content.decode()
    assert 'name="language" value="ja" lang="ja">日本語</button>' in english.content.decode()
    assert 'name="language" value="en" lang="en">English</button>' in japanese.content.decode()
    assert 'value="ja"' not in japanese.content.decode()


@pytest.mark.django_db
def test_switching_sets_the_cookie_and_returns_to_the_page(client):
    response = client.post(reverse("set_language"), {"language": "ja", "next": "/practice/"})
    after = client.get(response.url)

    assert response.status_code == 302
    assert response.url == "/practice/"
    assert response.cookies[COOKIE].value == "ja"
    assert response.cookies[COOKIE]["max-age"] == settings.LANGUAGE_COOKIE_AGE
    assert page_language(after) == "ja"
    assert "練習" in after.content.decode()


@pytest.mark.django_db
def test_switching_refuses_a_foreign_next_url(client):
    response = client.post(reverse("set_language"), {"language": "ja", "next": "https://evil.example/"})

    assert response.url == "/"


@pytest.mark.django_db
def test_switching_to_an_unknown_language_changes_nothing(client):
    owner = OwnerFactory()
    client.force_login(owner.user)

    response = client.post(reverse("set_language"), {"language": "xx", "next": "/"})

    assert response.status_code == 302
    assert COOKIE not in response.cookies
    owner.refresh_from_db()
    assert owner.language == ""


@pytest.mark.django_db
def test_switching_needs_post(client):
    assert client.get(reverse("set_language"), {"language": "ja"}).status_code == 405


@pytest.mark.django_db
def test_switching_remembers_the_choice_for_a_logged_in_user(client, django_assert_num_queries):
    owner = OwnerFactory()
    client.force_login(owner.user)
    client.get(reverse("dashboard"))  # the session now knows the owner

    # one update of the owner (its id is in the session, which comes from the cache)
    with django_assert_num_queries(1):
        client.post(reverse("set_language"), {"language": "ja", "next": "/"})

    owner.refresh_from_db()
    assert owner.language == "ja"


@pytest.mark.django_db
def test_choice_follows_the_user_to_another_browser_at_log_in():
    owner = OwnerFactory(language="ja")
    browser = Client()

    response = browser.post(reverse("accounts:login"), {"username": owner.user.username, "password": PASSWORD})
    dashboard = browser.get(response.url)

    assert response.cookies[COOKIE].value == "ja"
    assert page_language(dashboard) == "ja"
    assert "ログアウト" in dashboard.content.decode()


@pytest.mark.django_db
def test_stored_choice_wins_over_this_browsers_choice_at_log_in(client):
    owner = OwnerFactory(language="en")
    client.cookies[COOKIE] = "ja"

    response = client.post(reverse("accounts:login"), {"username": owner.user.username, "password": PASSWORD})

    assert response.cookies[COOKIE].value == "en"
    assert page_language(client.get(response.url)) == "en"


@pytest.mark.django_db
def test_log_in_adopts_this_browsers_choice_when_the_account_has_none(client):
    owner = OwnerFactory()
    client.post(reverse("set_language"), {"language": "ja", "next": "/"})

    response = client.post(reverse("accounts:login"), {"username": owner.user.username, "password": PASSWORD})

    owner.refresh_from_db()
    assert owner.language == "ja"
    assert COOKIE not in response.cookies  # the browser already has it


@pytest.mark.django_db
def test_sign_up_keeps_the_language_chosen_as_a_guest(client):
    client.post(reverse("set_language"), {"language": "ja", "next": "/"})

    response = client.post(
        reverse("accounts:signup"),
        {"username": "newcomer", "password1": "a-long-unusual-passphrase", "password2": "a-long-unusual-passphrase"},
        follow=True,
    )

    assert Owner.objects.get(user__username="newcomer").language == "ja"
    assert page_language(response) == "ja"


@pytest.mark.django_db
def test_a_language_from_accept_language_alone_is_not_stored(client):
    owner = OwnerFactory()

    client.post(
        reverse("accounts:login"),
        {"username": owner.user.username, "password": PASSWORD},
        HTTP_ACCEPT_LANGUAGE="ja",
    )

    owner.refresh_from_db()
    assert owner.language == ""


@pytest.mark.django_db
def test_guest_who_owns_something_has_the_choice_stored_too(client):
    guest = GuestOwnerFactory()
    session = client.session
    session["owner"] = [guest.pk, None]
    session.save()

    client.post(reverse("set_language"), {"language": "ja", "next": "/"})

    guest.refresh_from_db()
    assert guest.language == "ja"


@pytest.mark.django_db
def test_another_users_choice_is_never_touched(client):
    other = OwnerFactory(language="en")
    client.force_login(UserFactory())

    client.post(reverse("set_language"), {"language": "ja", "next": "/"})

    other.refresh_from_db()
    assert other.language == "en"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("header", "expected"),
    [("ja", "ja"), ("ja-JP,ja;q=0.9,en;q=0.8", "ja"), ("en-US,en;q=0.9", "en"), ("fr-FR,fr;q=0.9", "en"), ("", "en")],
)
def test_accept_language_is_the_default(client, header, expected):
    response = client.get(reverse("dashboard"), HTTP_ACCEPT_LANGUAGE=header)

    assert page_language(response) == expected
    assert response.headers["Content-Language"] == expected


@pytest.mark.django_db
def test_the_switchers_choice_wins_over_accept_language(client):
    client.cookies[COOKIE] = "en"

    response = client.get(reverse("dashboard"), HTTP_ACCEPT_LANGUAGE="ja")

    assert page_language(response) == "en"


@pytest.mark.django_db
def test_japanese_pages_use_the_catalogue(client):
    response = client.get(reverse("accounts:login"), HTTP_ACCEPT_LANGUAGE="ja")
    html = response.content.decode()

    assert "本文へスキップ" in html
    assert "Skip to content" not in html
    assert "ログイン" in html


def test_server_error_page_is_translated():
    with translation.override("ja"):
        html = render_to_string("500.html")

    assert '<html lang="ja">' in html
    assert "サーバー側で問題が発生しました" in html


@pytest.mark.django_db
def test_practice_pickers_question_language_choice_is_translated(client):
    client.cookies[COOKIE] = "ja"

    html = client.get(reverse("practice:picker")).content.decode()

    assert "問題の言語:" in html
    assert ">英語<" in html
    assert ">日本語<" in html
