from datetime import timedelta

import pytest
from django.contrib.auth import SESSION_KEY as AUTH_SESSION_KEY
from django.core.management import call_command
from django.test import RequestFactory
from django.utils import timezone

from accounts.models import Owner
from accounts.owners import SESSION_KEY, get_or_create_owner, get_or_create_owner_id, owner_id_for
from exams.models import Bookmark
from tests.factories import GuestOwnerFactory, OwnerFactory, UserFactory


def make_request(session=None, user=None):
    from django.contrib.auth.models import AnonymousUser
    from django.contrib.sessions.backends.db import SessionStore

    request = RequestFactory().get("/")
    request.session = SessionStore()
    request.session.update(session or {})
    request.user = user or AnonymousUser()
    return request


@pytest.mark.django_db
def test_new_visitor_owns_nothing_until_they_start_something():
    request = make_request()

    assert owner_id_for(request) is None
    assert Owner.objects.count() == 0


@pytest.mark.django_db
def test_guest_owner_is_created_with_a_random_token_kept_in_the_session():
    request = make_request()

    owner_id = get_or_create_owner_id(request)

    owner = Owner.objects.get(pk=owner_id)
    assert owner.is_guest
    assert len(owner.guest_token) >= 40
    assert request.session[SESSION_KEY] == [owner_id, None]
    assert get_or_create_owner_id(request) == owner_id


@pytest.mark.django_db
def test_only_a_new_guest_is_reported_as_created():
    request = make_request()
    user = UserFactory()
    guest = GuestOwnerFactory()
    Bookmark.objects.create(owner=guest, question_uid="d1-one")
    signed_in = make_request({SESSION_KEY: [guest.pk, None], AUTH_SESSION_KEY: str(user.pk)}, user=user)

    owner_id, created = get_or_create_owner(request)

    assert created
    assert get_or_create_owner(request) == (owner_id, False)
    # The account's owner is new here too, but it takes the guest's work: it has a history.
    assert get_or_create_owner(signed_in) == (Owner.objects.get(user=user).pk, False)


@pytest.mark.django_db
def test_logging_in_by_any_path_claims_the_guests_bookmarks():
    guest = GuestOwnerFactory()
    Bookmark.objects.create(owner=guest, question_uid="d1-one")
    user = UserFactory()
    request = make_request({SESSION_KEY: [guest.pk, None], AUTH_SESSION_KEY: str(user.pk)}, user=user)

    owner_id = owner_id_for(request)

    account = Owner.objects.get(user=user)
    assert owner_id == account.pk
    assert list(Bookmark.objects.values_list("owner_id", "question_uid")) == [(account.pk, "d1-one")]
    assert not Owner.objects.filter(pk=guest.pk).exists()


@pytest.mark.django_db
def test_second_device_guest_merges_without_duplicate_bookmarks():
    account = OwnerFactory()
    Bookmark.objects.create(owner=account, question_uid="d1-one")
    guest = GuestOwnerFactory()
    Bookmark.objects.create(owner=guest, question_uid="d1-one")
    Bookmark.objects.create(owner=guest, question_uid="d2-two")

    guest.merge_into(account)

    assert sorted(Bookmark.objects.filter(owner=account).values_list("question_uid", flat=True)) == [
        "d1-one",
        "d2-two",
    ]
    assert Bookmark.objects.count() == 2


@pytest.mark.django_db
def test_session_of_another_user_is_not_trusted():
    alice, bob = OwnerFactory(), UserFactory()
    request = make_request({SESSION_KEY: [alice.pk, str(alice.user.pk)], AUTH_SESSION_KEY: str(bob.pk)}, user=bob)

    owner_id = owner_id_for(request)

    assert owner_id == Owner.objects.get(user=bob).pk
    assert Owner.objects.filter(pk=alice.pk).exists()


@pytest.mark.django_db
def test_purge_guests_removes_only_unclaimed_guests_older_than_the_limit(settings):
    settings.GUEST_RETENTION_DAYS = 30
    old_guest, recent_guest = GuestOwnerFactory(), GuestOwnerFactory()
    old_account = OwnerFactory()
    long_ago = timezone.now() - timedelta(days=31)
    Owner.objects.filter(pk__in=[old_guest.pk, old_account.pk]).update(last_seen_at=long_ago)
    Bookmark.objects.create(owner=old_guest, question_uid="d1-one")

    call_command("purge_guests")

    assert set(Owner.objects.values_list("pk", flat=True)) == {recent_guest.pk, old_account.pk}
    assert Bookmark.objects.count() == 0
