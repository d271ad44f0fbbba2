"""One date and duration style per language, and labelled chart reference lines (issue 16)."""

from datetime import timedelta

import pytest
from django.utils import timezone, translation

from exams.attempts import start_exam, submit_attempt
from exams.models import Response
from exams.templatetags.durations import duration, pacing_bars
from tests.exams.conftest import make_bank
from tests.factories import BlueprintFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def started(guest):
    make_bank({1: 3, 2: 3, 3: 3, 4: 3, 5: 3})
    blueprint = BlueprintFactory(slug="ten", question_count=10, unscored_count=0, minutes=90)
    return start_exam(guest.pk, blueprint, now=timezone.now() - timedelta(minutes=52, seconds=10))


@pytest.fixture
def finished(started):
    submit_attempt(started, now=timezone.now())
    return started


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


PACING = {
    "budget": 83,
    "columns": [
        {"position": 1, "seconds": 40, "x": 30, "y": 90, "height": 20},
        {"position": 2, "seconds": 120, "x": 40, "y": 50, "height": 60},
    ],
}


def test_the_pacing_columns_mark_those_over_the_budget_and_say_their_time():
    bars = pacing_bars(PACING)

    assert bars == (
        '<rect x="30" y="90" width="8" height="20" class="bar"><title>Question 1: 40 s</title></rect>'
        '<rect x="40" y="50" width="8" height="60" class="bar-over"><title>Question 2: 120 s</title></rect>'
    )


def test_the_pacing_columns_speak_the_page_language():
    with translation.override("ja"):
        assert "<title>問題 2: 120 秒</title>" in pacing_bars(PACING)


def test_the_pacing_columns_take_numbers_only():
    with pytest.raises(ValueError):
        pacing_bars({"budget": 83, "columns": [{"position": "<script>", "seconds": 1, "x": 1, "y": 1, "height": 1}]})


def test_the_results_page_draws_a_column_per_question(client, started):
    # The chart is drawn once some time was measured: 30 s on every question (measured
    # before the submission, which stores the outcomes the chart is drawn from).
    Response.objects.bulk_create(
        Response(item=item, answer=[], is_correct=False, seq=1, answered_at=started.started_at, time_spent_ms=30_000)
        for item in started.items.all()
    )
    submit_attempt(started, now=timezone.now())

    page = client.get(f"/exams/attempts/{started.pk}/results/").text

    assert page.count('class="bar"><title>Question ') == 10
