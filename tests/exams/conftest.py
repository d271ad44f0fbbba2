import itertools

import pytest
from django.test import Client

from tests.factories import (
    GuestOwnerFactory,
    as_guest,
    make_matching_question,
    make_multiple_question,
    make_ordering_question,
    make_single_question,
)

MAKERS = {
    "single": make_single_question,
    "multiple": make_multiple_question,
    "ordering": make_ordering_question,
    "matching": make_matching_question,
}
# One task statement per domain is enough to place a question in its domain.
DOMAIN_TASK = {1: "1.1", 2: "2.1", 3: "3.1", 4: "4.1", 5: "5.1"}


def ensure_seeded():
    """Put back the migrations' seed rows (domains, tasks, guide revisions, blueprints) if a
    flush removed them: a browser test right after another transactional test can start
    without them, its serialized rollback not being restored in Playwright's event loop."""
    import importlib

    from django.apps import apps

    from questions.models import Domain

    if Domain.objects.exists():
        return
    importlib.import_module("questions.migrations.0002_exam_guide_data").create(apps, None)
    importlib.import_module("exams.migrations.0002_seed_blueprints").create(apps, None)


def make_bank(per_domain, *, types=("single",), status="published", guide=None, **kwargs):
    """Questions in each domain ({domain: count}), cycling through ``types``."""
    from tests.factories import _task

    ensure_seeded()
    kinds = itertools.cycle(types)
    made = []
    for domain, count in per_domain.items():
        for _ in range(count):
            question = MAKERS[next(kinds)](task=_task(DOMAIN_TASK[domain]), status=status, **kwargs)
            if guide is not None:
                question.guides.add(guide)
            made.append(question)
    return made


@pytest.fixture
def other_client():
    """A second browser with its own guest owner."""
    other = Client()
    other.owner = as_guest(other, GuestOwnerFactory())
    return other
