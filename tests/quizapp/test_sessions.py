"""quizapp.sessions: Django's database sessions with a plain-SQL read; same behaviour."""

from datetime import timedelta

import pytest
import time_machine
from django.contrib.sessions.models import Session
from django.utils import timezone

from quizapp.sessions import SessionStore

pytestmark = pytest.mark.django_db


def test_a_saved_session_loads_back_in_one_query(django_assert_num_queries):
    store = SessionStore()
    store["owner"] = [7, None]
    store.create()

    with django_assert_num_queries(1):
        loaded = SessionStore(store.session_key)
        assert loaded["owner"] == [7, None]
    assert loaded.session_key == store.session_key


def test_an_unknown_key_loads_empty_and_is_replaced():
    store = SessionStore("x" * 32)

    assert store.load() == {}
    assert store.session_key is None


def test_an_expired_session_is_not_loaded():
    store = SessionStore()
    store["owner"] = [7, None]
    store.create()
    expires = Session.objects.get(session_key=store.session_key).expire_date

    with time_machine.travel(expires + timedelta(seconds=1)):
        expired = SessionStore(store.session_key)
        assert expired.load() == {}
        assert expired.session_key is None
    assert expires > timezone.now()
