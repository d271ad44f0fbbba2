"""The PostgreSQL backend's health check (quizapp/postgresql): no round trip for a live
connection, and a connection the server has closed is found before it fails a request.
(Recovery after a real restart: tests/load/test_faults.py.)"""

import time

import pytest
from django.db import connection, connections

from quizapp.postgresql.base import DatabaseWrapper

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only (make test-pg, CI)"),
]


def last_query_of(pid: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT query FROM pg_stat_activity WHERE pid = %s", [pid])
        return cursor.fetchone()[0]


def test_the_app_uses_the_backend_with_the_cheap_health_check():
    assert isinstance(connections["default"], DatabaseWrapper)
    assert connection.settings_dict["CONN_HEALTH_CHECKS"] is True


def test_a_live_connection_is_usable_without_a_query():
    other = connections.create_connection("default")
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid(), 'marker-before-the-check'")
            pid = cursor.fetchone()[0]

        assert other.is_usable()
        # Django's own check would have sent SELECT 1.
        assert "marker-before-the-check" in last_query_of(pid)
    finally:
        other.close()


def test_a_connection_the_server_closed_is_not_usable():
    other = connections.create_connection("default")
    with other.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    assert other.is_usable()

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
    for _ in range(50):  # the goodbye arrives asynchronously
        if not other.is_usable():
            break
        time.sleep(0.05)

    assert not other.is_usable()
    other.close()
