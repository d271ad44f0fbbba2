"""How a mock says it has ended (issue 16 §4): already submitted is not "time is up", the
page's own submit at 0:00 says so, and no page of an ended mock is served from a cache."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from exams.attempts import start_exam, submit_attempt
from exams.models import Attempt, Response
from tests.answers import item_fields
from tests.exams.conftest import make_bank
from tests.factories import BlueprintFactory

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
ALREADY = "This exam was already submitted"
TIME_UP = "Time is up: answers sent after the deadline are not saved."


@pytest.fixture
def exam(guest):
    make_bank({1: 3, 2: 3, 3: 3, 4: 3, 5: 3})
    return start_exam(guest.pk, BlueprintFactory(minutes=45, question_count=10, unscored_count=0), now=timezone.now())


def choice(exam, position=1):
    """The key of the item at ``position``, posted by its tokens as the page does."""
    item = exam.items.get(position=position)
    return {"seq": 5, **item_fields(item, item.snapshot["key"])}


def texts(response):
    return [str(message) for message in response.wsgi_request._messages]


def test_an_answer_from_a_second_tab_after_submit_says_it_was_already_submitted(client, exam):
    submit_attempt(exam, now=timezone.now())

    response = client.post(f"/exams/attempts/{exam.pk}/1/answer/", choice(exam), follow=True)

    assert response.redirect_chain[0][0] == f"/exams/attempts/{exam.pk}/results/"
    assert ALREADY in response.text
    assert TIME_UP not in response.text
    assert not Response.objects.exists()


def test_an_htmx_answer_after_submit_redirects_with_the_same_words(client, exam):
    submit_attempt(exam, now=timezone.now())

    response = client.post(f"/exams/attempts/{exam.pk}/1/answer/", choice(exam), **HTMX)

    assert response.status_code == 409
    assert response["HX-Redirect"] == f"/exams/attempts/{exam.pk}/results/"
    assert any(ALREADY in text for text in texts(response))


def test_a_flag_after_submit_says_it_was_already_submitted(client, exam):
    submit_attempt(exam, now=timezone.now())

    response = client.post(f"/exams/attempts/{exam.pk}/1/flag/", {"state": "1"}, **HTMX)

    assert response["HX-Redirect"] == f"/exams/attempts/{exam.pk}/results/"
    assert any(ALREADY in text for text in texts(response))


def test_an_answer_after_the_deadline_still_says_time_is_up(client, exam):
    with time_machine.travel(exam.deadline + timedelta(seconds=30)):
        response = client.post(f"/exams/attempts/{exam.pk}/1/answer/", choice(exam), follow=True)

    assert TIME_UP in response.text
    assert ALREADY not in response.text


def test_back_to_a_question_of_a_submitted_exam_lands_on_its_results_saying_so(client, exam):
    submit_attempt(exam, now=timezone.now())

    response = client.get(f"/exams/attempts/{exam.pk}/3/", follow=True)

    assert response.redirect_chain == [(f"/exams/attempts/{exam.pk}/results/", 302)]
    assert ALREADY in response.text


def test_an_htmx_question_of_a_submitted_exam_redirects_the_whole_page(client, exam):
    submit_attempt(exam, now=timezone.now())

    response = client.get(f"/exams/attempts/{exam.pk}/3/", HTTP_HX_TARGET="question-card", **HTMX)

    assert response["HX-Redirect"] == f"/exams/attempts/{exam.pk}/results/"


@pytest.mark.parametrize("path", ["", "3/", "review/", "submit/"])
def test_pages_of_a_running_exam_are_never_stored(client, exam, path):
    response = client.get(f"/exams/attempts/{exam.pk}/{path}")

    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize("path", ["3/", "review/"])
def test_another_owner_gets_404_for_an_ended_exam_too(other_client, exam, path):
    submit_attempt(exam, now=timezone.now())

    assert other_client.get(f"/exams/attempts/{exam.pk}/{path}").status_code == 404


def test_the_pages_own_submit_at_the_deadline_says_time_is_up(client, exam):
    with time_machine.travel(exam.deadline + timedelta(seconds=1)):
        response = client.post(f"/exams/attempts/{exam.pk}/submit/", {"auto": "1"}, follow=True)

    assert "Time is up: your exam was submitted with the answers you had given." in response.text
    assert Attempt.objects.get().status == Attempt.Status.SUBMITTED


def test_a_second_submit_says_it_was_already_submitted(client, exam):
    client.post(f"/exams/attempts/{exam.pk}/submit/")

    response = client.post(f"/exams/attempts/{exam.pk}/submit/", follow=True)

    assert ALREADY in response.text


def test_a_mock_whose_time_ran_out_while_away_is_marked_abandoned(client, exam):
    with time_machine.travel(exam.deadline + timedelta(minutes=5)):
        results = client.get(f"/exams/attempts/{exam.pk}/results/")
        listing = client.get("/exams/")

    assert Attempt.objects.get().status == Attempt.Status.EXPIRED
    assert "Abandoned" in results.text and "left out of your score trend" in results.text
    assert "Abandoned" in listing.text
