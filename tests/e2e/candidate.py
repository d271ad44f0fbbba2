"""A signed-in candidate on a question of a given type, in practice or in a mock (browser tests)."""

from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import Owner
from exams import attempts
from exams.models import AttemptItem
from tests.e2e.test_accessibility import log_in
from tests.exams.conftest import make_bank
from tests.factories import BlueprintFactory, UserFactory


def open_question(page, live_server, mode, kind, **question):
    """Question 1 of a practice session or a 10-question mock whose questions are all of type
    ``kind`` (``question``: options for the tests.factories maker); returns the item."""
    make_bank({1: 3, 2: 3, 3: 3, 4: 3, 5: 3}, types=(kind,), **question)
    user = UserFactory()
    owner = Owner.objects.create(user=user)
    now = timezone.now()
    if mode == "exam":
        attempt = attempts.start_exam(owner.pk, BlueprintFactory(), now=now)
        path = f"/exams/attempts/{attempt.pk}/1/"
    else:
        attempt = attempts.start_practice(owner.pk, scope={"kind": "all"}, count=10, language="en", now=now)
        path = f"/practice/{attempt.pk}/1/"
    log_in(page, live_server, user)
    page.goto(f"{live_server.url}{path}")
    expect(page.locator("html")).to_have_attribute("data-answering", "ready")
    return AttemptItem.objects.get(attempt=attempt, position=1)


def option(page, index):
    """The ``index``-th option (1-based) as shown: by place, never by value."""
    return page.locator(f"#answer-form [data-option-index='{index}']")
