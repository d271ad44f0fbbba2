import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from accounts.models import Owner
from tests.factories import UserFactory

PASSWORD = "correct horse battery staple"


@pytest.mark.django_db
def test_signup_logs_in_and_lands_on_dashboard(client):
    response = client.post(
        reverse("accounts:signup"),
        {"username": "newcomer", "password1": "a-long-unusual-passphrase", "password2": "a-long-unusual-passphrase"},
        follow=True,
    )

    assert response.redirect_chain == [(reverse("dashboard"), 302)]
    assert response.context["user"].get_username() == "newcomer"
    assert Owner.objects.get(user__username="newcomer").guest_token is None


@pytest.mark.django_db
def test_signup_with_mismatched_passwords_shows_error_and_creates_nothing(client):
    response = client.post(
        reverse("accounts:signup"),
        {"username": "newcomer", "password1": "a-long-unusual-passphrase", "password2": "something else"},
    )

    assert response.status_code == 200
    assert "didn’t match" in response.content.decode()
    assert not get_user_model().objects.filter(username="newcomer").exists()


@pytest.mark.django_db
def test_logout_then_login_again(client):
    user = UserFactory()
    client.force_login(user)

    client.post(reverse("accounts:logout"))
    logged_out = client.get(reverse("dashboard"))
    response = client.post(reverse("accounts:login"), {"username": user.username, "password": PASSWORD}, follow=True)

    assert not logged_out.context["user"].is_authenticated
    assert response.context["user"] == user


@pytest.mark.django_db
def test_logout_needs_post(client):
    client.force_login(UserFactory())

    response = client.get(reverse("accounts:logout"))

    assert response.status_code == 405


@pytest.mark.django_db
def test_login_is_throttled_after_repeated_bad_passwords(client, settings, window_start):
    settings.LOGIN_FAILURE_LIMIT = 3
    user, neighbour = UserFactory(), UserFactory()
    for _ in range(3):
        client.post(reverse("accounts:login"), {"username": user.username, "password": "wrong"})

    response = client.post(reverse("accounts:login"), {"username": user.username, "password": PASSWORD})
    # The lock is the username's: the next person at the same address logs in.
    other = Client().post(reverse("accounts:login"), {"username": neighbour.username, "password": PASSWORD})

    assert "Too many failed attempts" in response.content.decode()
    assert not response.context["user"].is_authenticated
    assert other.status_code == 302


@pytest.mark.django_db
def test_throttle_counts_per_username_case_insensitively(client, settings, window_start):
    settings.LOGIN_FAILURE_LIMIT = 2
    user = UserFactory(username="alice")
    client.post(reverse("accounts:login"), {"username": "ALICE", "password": "wrong"}, REMOTE_ADDR="10.0.0.1")
    client.post(reverse("accounts:login"), {"username": "alice ", "password": "wrong"}, REMOTE_ADDR="10.0.0.2")

    response = client.post(
        reverse("accounts:login"), {"username": user.username, "password": PASSWORD}, REMOTE_ADDR="10.0.0.3"
    )

    assert "Too many failed attempts" in response.content.decode()


@pytest.mark.django_db
def test_password_change_requires_login(client):
    response = client.get(reverse("accounts:password_change"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.django_db
def test_password_change_as_htmx_request_redirects_with_hx_redirect(client):
    response = client.get(reverse("accounts:password_change"), headers={"HX-Request": "true"})

    assert response.status_code == 200
    assert response["HX-Redirect"].startswith(reverse("accounts:login"))


@pytest.mark.django_db
def test_password_change_keeps_user_logged_in(client):
    user = UserFactory()
    client.force_login(user)

    response = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "another-long-passphrase",
            "new_password2": "another-long-passphrase",
        },
        follow=True,
    )

    assert "Password changed" in response.content.decode()
    assert response.context["user"] == user
