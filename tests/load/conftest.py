import importlib
import itertools

import pytest
from django.apps import apps
from django.db import connections

from tests.load.harness import Server
from tests.redis_server import TEST_REDIS_URL, redis_client


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "load: load and fault test against real gunicorn servers on PostgreSQL (tests/load)"
    )


# The rows the data migrations seed (domains, task statements, guide revisions, the two
# mock blueprints): a transactional test before this one may have flushed them.
SEEDS = ("questions.migrations.0002_exam_guide_data", "exams.migrations.0002_seed_blueprints")
# Enough of each type in every domain for a full mock (65 questions, domain 3 needs 18).
PER_DOMAIN = 24
TYPES = ("single", "multiple", "ordering", "matching", "single", "multiple")


@pytest.fixture
def exam_bank(transactional_db):
    """The seeded blueprints plus a published bank of all four question types, committed
    so that the servers see it. Returns the full mock's blueprint."""
    from exams.models import Blueprint
    from questions.models import GuideRevision, TaskStatement
    from tests.factories import (
        make_matching_question,
        make_multiple_question,
        make_ordering_question,
        make_single_question,
    )

    for module in SEEDS:
        importlib.import_module(module).create(apps, None)
    makers = {
        "single": make_single_question,
        "multiple": make_multiple_question,
        "ordering": make_ordering_question,
        "matching": make_matching_question,
    }
    blueprint = Blueprint.objects.get(slug="aif-c01-full")
    guide = GuideRevision.objects.get(pk=blueprint.guide_id)
    kinds = itertools.cycle(TYPES)
    for task in TaskStatement.objects.filter(code__endswith=".1"):
        for _ in range(PER_DOMAIN):
            makers[next(kinds)](task=task).guides.add(guide)
    return blueprint


@pytest.fixture
def servers(exam_bank):
    """Start gunicorn servers on the test database: ``servers(workers=3)`` → a started
    Server. All are stopped (and the test's own connections closed) at teardown, before
    pytest-django flushes the database."""
    started: list[Server] = []
    # Production runs several workers on Redis: so do these servers, on the test Redis
    # database emptied first (rate-limit counters of an earlier run must not carry over).
    redis = redis_client()
    redis.flushdb()

    def start(**kwargs) -> Server:
        kwargs.setdefault("redis_url", TEST_REDIS_URL)
        server = Server(**kwargs)
        started.append(server)
        return server.start()

    yield start
    for server in started:
        server.close()
    connections.close_all()
