"""Practice "Skip" (issue 16): the question goes to the end of the session unanswered."""

import pytest
from django.utils import timezone

from exams.attempts import record_answer, start_practice
from exams.models import Attempt
from tests.factories import make_single_question

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def session(guest):
    for _ in range(4):
        make_single_question()
    return start_practice(guest.pk, scope={"kind": "all"}, count=4, language="en", now=timezone.now())


def order(session):
    return list(session.items.order_by("position").values_list("question__uid", flat=True))


def test_skip_moves_the_question_to_the_end_and_goes_on_to_the_next(client, session):
    before = order(session)

    response = client.post(f"/practice/{session.pk}/1/skip/")

    assert order(session) == [*before[1:], before[0]]
    assert response["Location"] == f"/practice/{session.pk}/"
    assert client.get(response["Location"])["Location"] == f"/practice/{session.pk}/1/"


def test_skipped_questions_come_back_at_the_end(client, session):
    before = order(session)
    client.post(f"/practice/{session.pk}/1/skip/")  # the first goes last
    client.post(f"/practice/{session.pk}/1/skip/")  # then the second

    assert order(session) == [before[2], before[3], before[0], before[1]]
    assert client.get(f"/practice/{session.pk}/4/").status_code == 200


def test_an_answered_question_is_not_skipped(client, session):
    item = session.items.select_related("attempt").get(position=1)
    record_answer(item, answer=item.snapshot["key"], seq=1, now=timezone.now())
    before = order(session)

    response = client.post(f"/practice/{session.pk}/1/skip/", follow=True)

    assert order(session) == before
    assert "Only a question you have not answered yet can be skipped." in response.text


def test_the_unanswered_question_page_offers_skip(client, session):
    page = client.get(f"/practice/{session.pk}/1/").text

    assert f'action="/practice/{session.pk}/1/skip/"' in page
    assert 'form="skip-form"' in page


def test_htmx_skip_redirects_the_page(client, session):
    response = client.post(f"/practice/{session.pk}/2/skip/", **HTMX)

    assert response["HX-Redirect"] == f"/practice/{session.pk}/"


def test_another_owner_cannot_skip(other_client, session):
    before = order(session)

    assert other_client.post(f"/practice/{session.pk}/1/skip/").status_code == 404
    assert order(session) == before
    assert Attempt.objects.count() == 1
