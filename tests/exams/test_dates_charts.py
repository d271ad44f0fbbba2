"""One date and duration style per language, and labelled chart reference lines (issue 16)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from exams.attempts import start_exam, submit_attempt
from exams.templatetags.durations import duration
from tests.exams.conftest import make_bank
from tests.factories import BlueprintFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def finished(guest):
    make_bank({1: 3, 2: 3, 3: 3, 4: 3, 5: 3})
    blueprint = BlueprintFactory(slug="ten", question_count=10, unscored_count=0, minutes=90)
    started = timezone.now() - timedelta(minutes=52, seconds=10)
    attempt = start_exam(guest.pk, blueprint, now=started)
    submit_attempt(attempt, now=timezone.now())
    return attempt


def test_durations_read_the_same_everywhere():
    assert duration(40) == "40 s"
    assert duration(12 * 60 + 5) == "12 min"
    assert duration(3900.7) == "1 h 05 min"
    assert duration(None) == ""


def test_results_say_time_used_as_a_duration_and_label_the_pacing_budget(client, finished):
    page = client.get(f"/exams/attempts/{finished.pk}/results/").text

    assert "Time used: 52 min of 1 h 30 min." in page


def test_results_in_japanese(client, finished):
    client.cookies["django_language"] = "ja"

    page = client.get(f"/exams/attempts/{finished.pk}/results/").text

    assert "52 分" in page and "1 時間 30 分" in page


def test_the_exam_list_dates_attempts_in_the_languages_short_format(client, finished):
    english = client.get("/exams/").text
    client.cookies["django_language"] = "ja"
    japanese = client.get("/exams/").text

    local = timezone.localtime(finished.started_at)
    assert local.strftime("%m/%d/%Y") in english
    assert local.strftime("%Y/%m/%d") in japanese


def test_the_score_chart_labels_the_pass_line(client, finished):
    page = client.get("/").text

    assert "pass 700" in page
    assert timezone.localtime(finished.submitted_at).strftime("%m/%d/%Y") in page


def test_another_owner_sees_no_results(other_client, finished):
    assert other_client.get(f"/exams/attempts/{finished.pk}/results/").status_code == 404
