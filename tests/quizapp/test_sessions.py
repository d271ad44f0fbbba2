"""Sessions: Django's cached_db store, chosen by measurement (README "Benchmarks"), creating
a session with one insert and one cache write (quizapp.sessions).

Every request of a candidate reads the session, so the read must not cost a database
statement; the database stays the store of record, so nothing is lost when the cache is
emptied, and a session ended on the server is ended everywhere.
"""

from datetime import timedelta
from importlib import import_module

import pytest
import time_machine
from django.conf import settings
from django.contrib.sessions.backends.base import VALID_KEY_CHARS
from django.contrib.sessions.models import Session
from django.core.cache import cache, caches
from django.db import connection

from quizapp import sessions

pytestmark = pytest.mark.django_db

SessionStore = import_module(settings.SESSION_ENGINE).SessionStore


def saved_session():
    store = SessionStore()
    store["owner"] = [7, None]
    store.create()
    return store


def test_a_saved_session_loads_back_without_a_query(django_assert_num_queries):
    store = saved_session()

    with django_assert_num_queries(0):
        loaded = SessionStore(store.session_key)
        assert loaded["owner"] == [7, None]
    assert loaded.session_key == store.session_key


def test_an_emptied_cache_loses_nothing_and_fills_again(django_assert_num_queries):
    store = saved_session()
    cache.clear()  # Redis restarted, or the key was evicted

    with django_assert_num_queries(1):
        assert SessionStore(store.session_key)["owner"] == [7, None]
    with django_assert_num_queries(0):
        assert SessionStore(store.session_key)["owner"] == [7, None]


def test_an_unknown_key_loads_empty_and_is_replaced():
    store = SessionStore("x" * 32)

    assert store.load() == {}
    assert store.session_key is None


def test_an_expired_session_is_not_loaded():
    store = saved_session()
    expires = Session.objects.get(session_key=store.session_key).expire_date

    with time_machine.travel(expires + timedelta(seconds=1)):
        cache.clear()  # the cache's own expiry, which runs on its own clock
        expired = SessionStore(store.session_key)
        assert expired.load() == {}
        assert expired.session_key is None


def test_a_session_ended_on_the_server_is_gone_from_the_cache_too():
    store = saved_session()
    key = store.session_key

    store.flush()  # log-out

    assert SessionStore(key).load() == {}
    assert not Session.objects.filter(session_key=key).exists()


def recorded(function, name: str, calls: list):
    def record(*args, **kwargs):
        calls.append(name)
        return function(*args, **kwargs)

    return record


def test_a_new_session_is_one_insert_and_one_cache_write(django_assert_num_queries, monkeypatch):
    backend, calls = caches[settings.SESSION_CACHE_ALIAS], []
    for name in ("get", "has_key", "set"):
        monkeypatch.setattr(backend, name, recorded(getattr(backend, name), name, calls))
    store = SessionStore()
    store["owner"] = [7, None]

    with django_assert_num_queries(3) as captured:  # the insert, in a savepoint here
        store.save()

    assert [query["sql"].split()[0] for query in captured] == ["SAVEPOINT", "INSERT", "RELEASE"]
    assert calls == ["set"]
    assert len(store.session_key) == 32 and set(store.session_key) <= set(VALID_KEY_CHARS)
    assert SessionStore(store.session_key)["owner"] == [7, None]


def test_a_key_already_taken_is_never_overwritten(monkeypatch):
    taken = saved_session()
    keys = iter([taken.session_key, "f" * 32])
    monkeypatch.setattr(sessions, "new_session_key", lambda: next(keys))

    store = SessionStore()
    store["owner"] = [8, None]
    store.save()

    assert store.session_key == "f" * 32
    cache.clear()
    assert SessionStore(taken.session_key)["owner"] == [7, None]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_key_already_taken_outside_a_transaction_is_drawn_again(monkeypatch):
    # Outside a transaction the insert runs on its own (no BEGIN and COMMIT around it): a
    # duplicate key fails alone and the next key goes in.
    taken = saved_session()
    keys = iter([taken.session_key, "g" * 32])
    monkeypatch.setattr(sessions, "new_session_key", lambda: next(keys))
    assert not connection.in_atomic_block

    store = SessionStore()
    store["owner"] = [9, None]
    store.save()

    assert store.session_key == "g" * 32
    assert Session.objects.count() == 2
