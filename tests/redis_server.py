"""The Redis server the tests run the app against: 127.0.0.1:6379 (`.ci/run` starts one where
nothing answers). ``TEST_REDIS_URL`` picks the database: CI uses 0; on a machine shared with
others, use your own number."""

import os

import pytest

TEST_REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


def redis_client():
    """A client of the test database, failing (not skipping) the test when Redis is not up."""
    import redis

    client = redis.Redis.from_url(TEST_REDIS_URL)
    try:
        client.ping()
    except redis.ConnectionError as error:
        pytest.fail(
            f"no Redis at {TEST_REDIS_URL} ({error}): start one (`redis-server --daemonize yes`, as .ci/run does) "
            "or point TEST_REDIS_URL at one"
        )
    return client
