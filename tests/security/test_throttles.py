"""Throttles behind a proxy: per username a lock, per address a backoff, every limit a setting.

Requests come from a load balancer at 10.0.0.1 (REMOTE_ADDR) that appends the client's
address to X-Forwarded-For; TRUSTED_PROXY_HOPS says how many such proxies to believe.
"""

import time

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import Owner
from exams.attempts import submit_attempt
from exams.models import Attempt, Mode
from questions.models import ProblemReport, Question
from tests.exams.conftest import make_bank
from tests.factories import BlueprintFactory, UserFactory, make_single_question
from tests.security.test_ownership import _answer

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("window_start")]

PASSWORD = "correct horse battery staple"
PROXY = "10.0.0.1"


def via_proxy(client_address: str) -> dict:
    return {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": client_address}


def log_in(client, username, password, **extra):
    return client.post(reverse("accounts:login"), {"username": username, "password": password}, **extra)


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


# --- the client address ---------------------------------------------------------------


def test_behind_one_proxy_alices_failures_do_not_lock_bobs_right_password(settings):
    settings.TRUSTED_PROXY_HOPS = 1
    UserFactory(username="alice")
    UserFactory(username="bob")
    for _ in range(settings.LOGIN_ADDRESS_FAILURE_LIMIT + 5):
        log_in(Client(), "alice", "wrong", **via_proxy("203.0.113.10"))

    bob = Client()
    log_in(bob, "bob", PASSWORD, **via_proxy("203.0.113.20"))

    assert logged_in(bob)


def test_a_client_cannot_pick_its_address_by_writing_x_forwarded_for(settings):
    """Only the entry our proxy appended (the rightmost) counts: a forged left part is ignored."""
    settings.TRUSTED_PROXY_HOPS = 1
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 3
    UserFactory(username="bob")
    for index in range(4):
        forged = f"198.51.100.{index}, 203.0.113.10"
        log_in(Client(), f"user{index}", "wrong", **via_proxy(forged))

    attacker = Client()
    response = log_in(attacker, "bob", PASSWORD, **via_proxy("198.51.100.99, 203.0.113.10"))

    assert not logged_in(attacker)
    assert "Too many failed attempts" in response.content.decode()


def test_without_trusted_hops_the_header_is_ignored(settings):
    settings.TRUSTED_PROXY_HOPS = 0
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 3
    UserFactory(username="bob")
    for index in range(4):
        log_in(Client(), f"user{index}", "wrong", REMOTE_ADDR="203.0.113.10", HTTP_X_FORWARDED_FOR=f"192.0.2.{index}")

    client = Client()
    log_in(client, "bob", PASSWORD, REMOTE_ADDR="203.0.113.10", HTTP_X_FORWARDED_FOR="192.0.2.99")

    assert not logged_in(client)


# --- per username: a lock; per address: a backoff --------------------------------------


def test_from_one_address_a_locked_username_does_not_lock_the_next_person(settings):
    """One address: alice's five failures lock alice (even with the right password), and bob
    at the same address logs in. So the username bucket is what locked alice."""
    UserFactory(username="alice")
    UserFactory(username="bob")
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        log_in(Client(), "alice", "wrong", REMOTE_ADDR="203.0.113.10")

    alice, bob = Client(), Client()
    refused = log_in(alice, "alice", PASSWORD, REMOTE_ADDR="203.0.113.10")
    log_in(bob, "bob", PASSWORD, REMOTE_ADDR="203.0.113.10")

    assert not logged_in(alice)
    assert "Too many failed attempts" in refused.content.decode()
    assert logged_in(bob)


def test_from_one_address_many_usernames_make_the_address_wait_with_backoff_not_a_lock(settings):
    """Password spraying (one guess for each of many usernames) trips the address bucket: the
    address waits 1, 2, 4 … seconds after each further failure, then may try again."""
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 10
    UserFactory(username="bob")
    with time_machine.travel(time.time(), tick=False) as clock:
        for index in range(settings.LOGIN_ADDRESS_FAILURE_LIMIT):
            log_in(Client(), f"victim{index}", "wrong", REMOTE_ADDR="203.0.113.10")
        for wait in (1, 2, 4):  # the attacker waits as asked; each failure doubles the wait
            clock.shift(wait)
            refused = log_in(Client(), f"victim-{wait}", "wrong", REMOTE_ADDR="203.0.113.10")
            assert "Please enter a correct username and password" in refused.content.decode()
        waiting = Client()
        refused = log_in(waiting, "bob", PASSWORD, REMOTE_ADDR="203.0.113.10")
        clock.shift(8)
        later = Client()
        log_in(later, "bob", PASSWORD, REMOTE_ADDR="203.0.113.10")

    assert not logged_in(waiting)
    assert "try again in 8 s" in refused.content.decode()
    assert logged_in(later), "the address waited; it was not locked for the whole window"


def test_the_backoff_is_capped(settings):
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 1
    settings.LOGIN_BACKOFF_MAX = 5
    UserFactory(username="bob")
    with time_machine.travel(time.time(), tick=False) as clock:
        for index in range(12):
            clock.shift(settings.LOGIN_BACKOFF_MAX + 1)  # each failure after the last wait
            log_in(Client(), f"victim{index}", "wrong", REMOTE_ADDR="203.0.113.10")
        clock.shift(settings.LOGIN_BACKOFF_MAX + 1)
        client = Client()
        log_in(client, "bob", PASSWORD, REMOTE_ADDR="203.0.113.10")

    assert logged_in(client)


def test_admin_login_is_throttled_like_the_site_login_per_username(settings):
    """Failures from as many addresses as attempts (no address reaches its own limit) still
    lock the username, and only it: a colleague at one of those addresses logs in."""
    staff = UserFactory(username="root", is_staff=True, is_superuser=True)
    UserFactory(username="colleague", is_staff=True)
    for index in range(settings.LOGIN_FAILURE_LIMIT):
        Client().post(
            reverse("admin:login"), {"username": staff.username, "password": "wrong"}, REMOTE_ADDR=f"203.0.113.{index}"
        )

    locked = Client()
    response = locked.post(
        reverse("admin:login"), {"username": staff.username, "password": PASSWORD}, REMOTE_ADDR="198.51.100.7"
    )
    colleague = Client()
    colleague.post(reverse("admin:login"), {"username": "colleague", "password": PASSWORD}, REMOTE_ADDR="203.0.113.0")

    assert response.status_code == 200
    assert "Too many failed attempts" in response.content.decode()
    assert not logged_in(locked)
    assert logged_in(colleague)


def test_admin_login_still_works_with_the_right_password():
    staff = UserFactory(is_staff=True)
    client = Client()

    response = client.post(reverse("admin:login"), {"username": staff.username, "password": PASSWORD})

    assert response.status_code == 302
    assert logged_in(client)


def test_password_change_is_throttled_like_the_login_per_username(settings):
    """A stolen session trying passwords from a new address each time still locks the account."""
    user = UserFactory()
    client = Client()
    client.force_login(user)
    for index in range(settings.LOGIN_FAILURE_LIMIT):
        client.post(
            reverse("accounts:password_change"),
            {
                "old_password": "wrong",
                "new_password1": "a-new-long-passphrase",
                "new_password2": "a-new-long-passphrase",
            },
            REMOTE_ADDR=f"203.0.113.{index}",
        )

    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": "a-new-long-passphrase", "new_password2": "a-new-long-passphrase"},
        REMOTE_ADDR="198.51.100.7",
    )

    user.refresh_from_db()
    assert "Too many failed attempts" in response.content.decode()
    assert user.check_password(PASSWORD)


def test_signup_is_throttled_per_address(settings):
    settings.SIGNUP_ADDRESS_RATE = (3, 600)
    UserFactory(username="taken")
    statuses = [
        Client().post(reverse("accounts:signup"), {"username": "taken"}, REMOTE_ADDR="203.0.113.10").status_code
        for _ in range(4)
    ]
    elsewhere = Client().post(reverse("accounts:signup"), {"username": "taken"}, REMOTE_ADDR="203.0.113.11")

    assert statuses == [200, 200, 200, 429]
    assert elsewhere.status_code == 200


def test_a_refusal_is_429_with_retry_after_in_the_sites_layout(settings):
    settings.SIGNUP_ADDRESS_RATE = (1, 600)
    client = Client()
    client.post(reverse("accounts:signup"), {"username": "x"})

    response = client.post(reverse("accounts:signup"), {"username": "x"})

    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 601
    assert "<h1>Too many requests</h1>" in response.content.decode()


# --- starts, guests, saves -------------------------------------------------------------


@pytest.fixture
def blueprint():
    make_bank({1: 3, 2: 3, 3: 3, 4: 2, 5: 2}, types=("single", "multiple", "ordering", "matching"))
    return BlueprintFactory(minutes=15)


def start(client, blueprint, **extra):
    return client.post(reverse("exams:start", args=[blueprint.slug]), **extra)


def test_cookieless_mock_starts_are_limited_per_address(settings, blueprint):
    settings.GUEST_ADDRESS_RATE = (3, 3600)
    statuses = [start(Client(), blueprint, REMOTE_ADDR="203.0.113.10").status_code for _ in range(5)]
    other = start(Client(), blueprint, REMOTE_ADDR="203.0.113.11")

    assert statuses == [302, 302, 302, 429, 429]
    assert other.status_code == 302
    assert Owner.objects.count() == 4
    assert Attempt.objects.count() == 4


def test_starts_are_limited_per_owner(settings, blueprint):
    """One owner moving between addresses is still limited; the next owner at its last
    address is not."""
    settings.START_RATE = (3, 3600)
    client = Client()
    statuses = [start(client, blueprint, REMOTE_ADDR=f"203.0.113.{n}").status_code for n in range(3)]
    statuses += [
        client.post(
            reverse("practice:start"),
            {"scope": "all", "count": "10", "language": "en"},
            REMOTE_ADDR=f"203.0.113.{n}",
        ).status_code
        for n in range(3, 5)
    ]
    neighbour = start(Client(), blueprint, REMOTE_ADDR="203.0.113.4")

    assert statuses == [302, 302, 302, 429, 429]
    assert neighbour.status_code == 302
    assert Attempt.objects.filter(mode=Mode.PRACTICE).count() == 0


def test_retake_and_practise_missed_are_starts_like_any_other(settings, blueprint):
    settings.START_RATE = (1, 3600)
    client = Client()
    start(client, blueprint)
    mock = Attempt.objects.get()
    submit_attempt(mock, now=timezone.now())

    retake = client.post(reverse("exams:retake", args=[mock.pk]))
    missed = client.post(reverse("exams:missed", args=[mock.pk]))

    assert (retake.status_code, missed.status_code) == (429, 429)
    assert Attempt.objects.count() == 1


def test_starts_are_limited_per_address_across_owners(settings, blueprint):
    settings.START_ADDRESS_RATE = (2, 3600)
    statuses = [start(Client(), blueprint, REMOTE_ADDR="203.0.113.10").status_code for _ in range(3)]

    assert statuses == [302, 302, 429]


def test_saves_are_limited_per_owner_and_the_refusal_is_one_short_line(settings, blueprint):
    settings.SAVE_RATE = (5, 10)
    client = Client()
    attempt_url = start(client, blueprint)["Location"]
    attempt = Attempt.objects.get()
    assert attempt_url.endswith(f"/{attempt.pk}/1/")

    class Scene:
        exam = attempt

    url = reverse("exams:answer", args=[attempt.pk, 3])
    replies = []
    for seq in range(1, 8):
        # A new address for every save: the limit follows the owner, not the address.
        fields = {**_answer(Scene), "seq": str(seq)}
        replies.append(client.post(url, fields, HTTP_HX_REQUEST="true", REMOTE_ADDR=f"203.0.113.{seq}"))

    assert [reply.status_code for reply in replies] == [200] * 5 + [429] * 2
    assert replies[-1]["Content-Type"].startswith("text/plain")
    assert len(replies[-1].content) < 300  # static/js/answering/save.js shows it beside "Not saved"
    assert attempt.items.get(position=3).response.seq == 5


def test_the_default_save_limit_lets_a_fast_clicker_answer_a_whole_exam(blueprint):
    client = Client()
    start(client, blueprint)
    attempt = Attempt.objects.get()

    class Scene:
        exam = attempt

    statuses = {
        client.post(
            reverse("exams:answer", args=[attempt.pk, position]),
            {**_answer(Scene, position), "seq": "1"},
            HTTP_HX_REQUEST="true",
        ).status_code
        for position in range(1, attempt.items.count() + 1)
        for _ in range(4)  # and changes each answer three times, all within seconds
    }

    assert statuses == {200}


def test_open_practice_sessions_are_capped_per_owner(settings, blueprint):
    settings.PRACTICE_OPEN_LIMIT = 3
    client = Client()
    for _ in range(5):
        assert (
            client.post(reverse("practice:start"), {"scope": "all", "count": "10", "language": "en"}).status_code
            == 302
        )

    sessions = Attempt.objects.filter(mode=Mode.PRACTICE).order_by("pk")
    assert [session.is_open for session in sessions] == [False, False, True, True, True]


def test_purge_guests_removes_guests_that_never_answered_after_a_day(settings, blueprint):
    from datetime import timedelta

    from django.core.management import call_command

    from tests.main_pages import answer_item

    idle, answered, recent = Client(), Client(), Client()
    for client in (idle, answered, recent):
        start(client, blueprint)
    idle_owner, answered_owner, recent_owner = (
        Owner.objects.get(pk=client.session["owner"][0]) for client in (idle, answered, recent)
    )
    answer_item(answered_owner.attempts.get().items.first(), correct=True, now=timezone.now())
    day_ago = timezone.now() - timedelta(hours=settings.GUEST_IDLE_HOURS + 1)
    Owner.objects.filter(pk__in=[idle_owner.pk, answered_owner.pk]).update(last_seen_at=day_ago)

    call_command("purge_guests")

    assert set(Owner.objects.values_list("pk", flat=True)) == {answered_owner.pk, recent_owner.pk}
    assert not Attempt.objects.filter(owner_id=idle_owner.pk).exists()


# --- what a report or a bookmark can reach ---------------------------------------------


@pytest.mark.parametrize("status", [Question.Status.DRAFT, Question.Status.RETIRED])
def test_report_and_bookmark_do_not_reach_drafts_or_retired_questions(client, status):
    hidden = make_single_question(status=status, stem="A secret draft stem")
    report = reverse("questions:report_problem", args=[hidden.uid])
    bookmark = reverse("practice:bookmark", args=[hidden.uid])

    responses = [
        client.get(report),
        client.get(report, HTTP_HX_REQUEST="true"),
        client.post(report, {"reason": "typo"}),
        client.post(bookmark, {"state": "1"}),
        client.post(bookmark, {"state": "1"}, HTTP_HX_REQUEST="true"),
    ]

    assert [response.status_code for response in responses] == [404] * 5
    assert all("A secret draft stem" not in response.content.decode() for response in responses)
    assert not ProblemReport.objects.exists()
    assert not Owner.objects.exists()


@pytest.mark.parametrize("status", [Question.Status.PUBLISHED, Question.Status.PILOT])
def test_report_and_bookmark_reach_what_candidates_see(client, status):
    shown = make_single_question(status=status)

    assert client.get(reverse("questions:report_problem", args=[shown.uid])).status_code == 200
    assert client.post(reverse("practice:bookmark", args=[shown.uid]), {"state": "1"}).status_code == 302


# --- password reset and deleting an account --------------------------------------------


def test_password_reset_mails_a_link_that_sets_a_new_password(client):
    user = UserFactory(email="alice@example.com")

    sent = client.post(reverse("accounts:password_reset"), {"email": "alice@example.com"}, follow=True)
    link = next(line for line in mail.outbox[0].body.splitlines() if "/password/reset/" in line)
    form_page = client.get(link, follow=True)
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "a-brand-new-passphrase", "new_password2": "a-brand-new-passphrase"},
        follow=True,
    )

    user.refresh_from_db()
    assert "Check your e-mail" in sent.content.decode()
    assert mail.outbox[0].to == ["alice@example.com"]
    assert "Choose a new password" in form_page.content.decode()
    assert "Your new password is in use." in done.content.decode()
    assert user.check_password("a-brand-new-passphrase")


def test_password_reset_says_the_same_for_an_unknown_address(client):
    response = client.post(reverse("accounts:password_reset"), {"email": "nobody@example.com"}, follow=True)

    assert "Check your e-mail" in response.content.decode()
    assert mail.outbox == []


def test_password_reset_is_throttled_per_email_and_per_address(settings):
    UserFactory(email="alice@example.com")
    settings.PASSWORD_RESET_EMAIL_RATE = (2, 3600)
    settings.PASSWORD_RESET_ADDRESS_RATE = (3, 3600)
    url = reverse("accounts:password_reset")
    same_email = [
        Client().post(url, {"email": "alice@example.com"}, REMOTE_ADDR=f"203.0.113.{n}").status_code for n in range(3)
    ]
    same_address = [
        Client().post(url, {"email": f"x{n}@example.com"}, REMOTE_ADDR="198.51.100.1").status_code for n in range(4)
    ]

    assert same_email == [302, 302, 429]
    assert same_address == [302, 302, 302, 429]
    assert len(mail.outbox) == 2


def test_password_reset_pages_are_in_japanese(client):
    client.cookies["django_language"] = "ja"

    response = client.get(reverse("accounts:password_reset"))

    assert "パスワード" in response.content.decode()
    assert "Reset your password" not in response.content.decode()


def test_an_account_holder_deletes_the_account_and_all_its_history(blueprint):
    user = UserFactory()
    client = Client()
    client.force_login(user)
    start(client, blueprint)
    owner = Owner.objects.get(user=user)
    assert owner.attempts.exists()

    wrong = client.post(reverse("accounts:delete_account"), {"password": "wrong", "confirm": "on"})
    unconfirmed = client.post(reverse("accounts:delete_account"), {"password": PASSWORD})
    assert wrong.status_code == unconfirmed.status_code == 200
    assert Owner.objects.filter(pk=owner.pk).exists()

    done = client.post(reverse("accounts:delete_account"), {"password": PASSWORD, "confirm": "on"}, follow=True)

    assert "Your account and its history are deleted." in done.content.decode()
    assert not type(user).objects.filter(pk=user.pk).exists()
    assert not Owner.objects.filter(pk=owner.pk).exists()
    assert not Attempt.objects.filter(owner_id=owner.pk).exists()
    assert not logged_in(client)


def test_deleting_an_account_needs_a_log_in(client):
    response = client.get(reverse("accounts:delete_account"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
