"""Names, not numbers or slugs (issue 16): feedback names the domain and task statement,
"Carry on" names the scope, and unfinished practice sessions can be discarded."""

import pytest
from django.utils import timezone

from exams.attempts import record_answer, start_practice
from exams.models import Attempt
from questions.models import TaskStatement
from tests.factories import make_single_question

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def session(guest):
    task = TaskStatement.objects.get(code="3.1")
    for _ in range(3):
        make_single_question(task=task)
    return start_practice(guest.pk, scope={"kind": "domain", "value": "3"}, count=3, language="en", now=timezone.now())


def test_practice_feedback_names_the_domain_and_task_statement(client, session):
    item = session.items.select_related("attempt").get(position=1)
    record_answer(item, answer=item.snapshot["key"], seq=1, now=timezone.now())

    page = client.get(f"/practice/{session.pk}/1/").text

    assert "Domain 3: Applications of Foundation Models" in page
    assert "Task 3.1: Describe design considerations for applications that use foundation models" in page


def test_feedback_names_in_japanese(client, session):
    item = session.items.select_related("attempt").get(position=1)
    record_answer(item, answer=item.snapshot["key"], seq=1, now=timezone.now())
    client.cookies["django_language"] = "ja"

    page = client.get(f"/practice/{session.pk}/1/").text

    assert "Domain 3:" not in page
    assert "基盤モデル" in page


def test_carry_on_and_the_practice_bar_name_the_scope(client, session):
    item = session.items.select_related("attempt").get(position=1)
    record_answer(item, answer=item.snapshot["key"], seq=1, now=timezone.now())

    dashboard = client.get("/").text
    question = client.get(f"/practice/{session.pk}/2/").text

    assert "Practice</strong> · Domain 3: Applications of Foundation Models" in dashboard
    assert "· Domain 3: Applications of Foundation Models" in question


def test_an_untouched_session_is_discarded_entirely(client, session):
    response = client.post(f"/practice/{session.pk}/discard/", {"next": "/"})

    assert response["Location"] == "/"
    assert not Attempt.objects.exists()


def test_a_session_with_answers_is_ended_and_keeps_them(client, session):
    item = session.items.select_related("attempt").get(position=1)
    record_answer(item, answer=item.snapshot["key"], seq=1, now=timezone.now())

    response = client.post(f"/practice/{session.pk}/discard/", **HTMX)

    assert response["HX-Redirect"] == "/practice/"
    session.refresh_from_db()
    assert session.status == "submitted"
    assert "Carry on" not in client.get("/").text


def test_the_dashboard_and_picker_offer_discard(client, session):
    assert f'action="/practice/{session.pk}/discard/"' in client.get("/practice/").text
    item = session.items.select_related("attempt").get(position=1)
    record_answer(item, answer=item.snapshot["key"], seq=1, now=timezone.now())
    assert f'action="/practice/{session.pk}/discard/"' in client.get("/").text


def test_discard_never_goes_back_to_another_site(client, session):
    response = client.post(f"/practice/{session.pk}/discard/", {"next": "https://evil.example/"})

    assert response["Location"] == "/practice/"


def test_another_owner_cannot_discard(other_client, session):
    assert other_client.post(f"/practice/{session.pk}/discard/").status_code == 404
    assert Attempt.objects.get().status == "in_progress"
