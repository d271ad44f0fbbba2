"""Throttles hold across processes (Redis) and behind a proxy (X-Forwarded-For), on the real
server: gunicorn workers of two servers, as several containers behind one load balancer.

The servers see every request from 127.0.0.1, the "load balancer"; the browsers say who
they are in X-Forwarded-For, which TRUSTED_PROXY_HOPS=1 tells the app to believe.
"""

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher

from tests.load.harness import Browser, Server, needs_postgres

pytestmark = [pytest.mark.load, needs_postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PASSWORD = "correct horse battery staple"
BEHIND_PROXY = {"TRUSTED_PROXY_HOPS": "1"}


def make_user(username: str):
    """An account the servers can check: their hasher (PBKDF2), not the suite's fast MD5."""
    from django.contrib.auth import get_user_model

    encoded = PBKDF2PasswordHasher().encode(PASSWORD, PBKDF2PasswordHasher().salt(), iterations=1000)
    return get_user_model().objects.create(username=username, password=encoded)


def browser(servers, address: str) -> Browser:
    person = Browser(servers)
    person.headers["X-Forwarded-For"] = address
    return person


def log_in(person: Browser, username: str, password: str, server: int) -> bool:
    person.get("/accounts/login/", server=server)
    reply = person.post("/accounts/login/", [("username", username), ("password", password)], server=server)
    return reply.status == 302


def test_failures_on_one_process_lock_the_username_on_another(servers):
    make_user("alice")
    first, second = servers(workers=2, env=BEHIND_PROXY), servers(workers=2, env=BEHIND_PROXY)
    attacker = browser([first, second], "203.0.113.10")
    # Five failures spread over two servers and their workers.
    for turn in range(5):
        assert not log_in(attacker, "alice", "wrong", server=turn % 2)

    alice = browser([first, second], "198.51.100.7")

    assert not log_in(alice, "alice", PASSWORD, server=1), "the lock lives in Redis, not in one worker"


def test_behind_the_proxy_alices_failures_do_not_lock_bob(servers):
    make_user("alice")
    make_user("bob")
    server = servers(workers=2, env=BEHIND_PROXY)
    for _ in range(25):  # past the per-username lock and the per-address limit of alice's address
        log_in(browser([server], "203.0.113.10"), "alice", "wrong", server=0)

    assert log_in(browser([server], "203.0.113.20"), "bob", PASSWORD, server=0)


def test_several_workers_without_a_shared_cache_refuse_to_start(exam_bank):
    server = Server(workers=2, redis_url=None)
    with pytest.raises(RuntimeError) as failed:
        server.start(timeout=30)
    server.close()

    assert "without a shared cache: set REDIS_URL" in str(failed.value)


def test_one_worker_without_a_shared_cache_starts(servers):
    server = servers(workers=1, redis_url=None)

    assert server.healthz() == 200
