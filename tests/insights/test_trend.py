"""Readiness over time: the estimate per week and after each mock, the outlook by the exam
date, the chart and the dashboard card (insights.trend)."""

from datetime import date, timedelta

import pytest
import time_machine
from django.urls import reverse

from exams.grading import DEFAULT_PASS_MARK
from insights.models import StudyPlan
from insights.report import Readiness, WeaknessReport
from insights.trend import outlook, readiness_trend, trend_chart
from tests.factories import AttemptFactory, QuestionFactory

from .helpers import NOW, answer, task_statement

DAY = timedelta(days=1)
TODAY = date(2026, 6, 15)


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def questions():
    """Ten questions in task 1.1 (domain 1) and ten in 3.1 (domain 3)."""
    return [QuestionFactory(task=task_statement("1.1"), uid=f"a-{i}") for i in range(10)] + [
        QuestionFactory(task=task_statement("3.1"), uid=f"c-{i}") for i in range(10)
    ]


def _trend(owner):
    return readiness_trend(WeaknessReport(owner.pk, now=NOW))


@pytest.mark.django_db
def test_the_newest_point_is_the_estimate_the_report_shows(guest, questions):
    for index, question in enumerate(questions):
        answer(question, owner=guest, correct=index % 3 != 0, at=NOW - index * DAY)

    report = WeaknessReport(guest.pk, now=NOW)
    trend = readiness_trend(report)

    newest = trend[-1]
    assert (newest.at, newest.kind) == (NOW, "week")
    assert newest.estimate == report.readiness


@pytest.mark.django_db
def test_a_week_counts_only_the_answers_of_the_30_days_up_to_its_end(guest, questions):
    for question in questions[:10]:  # domain 1, all wrong, three weeks ago
        answer(question, owner=guest, correct=False, at=NOW - 21 * DAY)
    for question in questions[:10]:  # the same questions, all right, today
        answer(question, owner=guest, correct=True, at=NOW - DAY / 2)

    trend = _trend(guest)

    # Weeks end now, 7, 14 and 21 days ago; none before the first answer.
    assert [point.at for point in trend] == [NOW - 21 * DAY, NOW - 14 * DAY, NOW - 7 * DAY, NOW]
    assert [point.estimate.recent_answers for point in trend] == [10, 10, 10, 20]
    assert trend[0].estimate.score == trend[1].estimate.score == trend[2].estimate.score
    assert trend[-1].estimate.score > trend[-2].estimate.score


@pytest.mark.django_db
def test_answers_older_than_30_days_leave_a_week_without_a_point(guest, questions):
    answer(questions[0], owner=guest, correct=True, at=NOW - 40 * DAY)
    answer(questions[1], owner=guest, correct=True, at=NOW - DAY)

    trend = _trend(guest)

    # The weeks ending 35 to 14 days ago hold the old answer; the one 7 days ago holds none.
    assert [(NOW - point.at).days for point in trend] == [35, 28, 21, 14, 0]


@pytest.mark.django_db
def test_a_finished_mock_adds_a_point_with_its_answers_and_none_after_it(guest, questions):
    submitted = NOW - 3 * DAY
    mock = AttemptFactory(owner=guest, mode="exam", status="submitted", submitted_at=submitted, scaled_score=820)
    for question in questions[:10]:
        answer(question, owner=guest, correct=True, at=submitted - timedelta(minutes=30), attempt=mock)
    for question in questions[10:]:
        answer(question, owner=guest, correct=False, at=NOW - DAY)

    points = {point.kind: point for point in _trend(guest)}

    assert points["mock"].at == submitted
    assert points["mock"].mock == mock
    assert points["mock"].estimate.recent_answers == 10  # the later practice is not in it
    assert points["week"].estimate.recent_answers == 20


@pytest.mark.django_db
def test_abandoned_and_running_mocks_add_no_point_and_no_answers(guest, questions):
    expired = AttemptFactory(owner=guest, mode="exam", status="expired", submitted_at=NOW - DAY, scaled_score=300)
    running = AttemptFactory(owner=guest, mode="exam", status="in_progress")
    answer(questions[0], owner=guest, correct=False, at=NOW - 2 * DAY, attempt=expired)
    answer(questions[1], owner=guest, correct=False, at=NOW - DAY, attempt=running)
    answer(questions[2], owner=guest, correct=True, at=NOW - DAY)

    trend = _trend(guest)

    assert [point.kind for point in trend] == ["week"]
    # The expired mock's answers are settled and count; the running mock's do not.
    assert trend[0].estimate.recent_answers == 2


@pytest.mark.django_db
def test_a_mock_before_the_oldest_week_adds_no_point(guest, questions):
    old = AttemptFactory(owner=guest, mode="exam", status="submitted", submitted_at=NOW - 200 * DAY, scaled_score=500)
    answer(questions[0], owner=guest, correct=False, at=NOW - 200 * DAY, attempt=old)
    answer(questions[1], owner=guest, correct=True, at=NOW - DAY)

    trend = _trend(guest)

    # 26 weeks reach back 175 days, whose 30 days hold the mock's answer; the mock itself
    # is older than the report's history reaches for its own 30 days, so it has no point.
    assert [((NOW - point.at).days, point.kind) for point in trend] == [(175, "week"), (0, "week")]
    assert trend[0].estimate.recent_answers == 1


@pytest.mark.django_db
def test_a_visitor_and_a_newcomer_have_no_trend(guest):
    assert readiness_trend(WeaknessReport(None, now=NOW)) == []
    assert _trend(guest) == []


def _estimate(low, high):
    return Readiness(score=(low + high) // 2, low=low, high=high, recent_answers=100)


def test_outlook_reads_the_whole_range_against_the_pass_mark():
    ahead = TODAY + 30 * DAY
    mark = DEFAULT_PASS_MARK

    assert outlook(_estimate(mark, mark + 100), ahead, today=TODAY) == "on-track"
    assert outlook(_estimate(mark - 100, mark - 1), ahead, today=TODAY) == "behind"
    assert outlook(_estimate(mark - 50, mark + 50), ahead, today=TODAY) == "close"
    # Nothing to be on track for without a date ahead, or without an estimate.
    assert outlook(_estimate(mark, mark + 100), None, today=TODAY) is None
    assert outlook(_estimate(mark, mark + 100), TODAY - DAY, today=TODAY) is None
    assert outlook(None, ahead, today=TODAY) is None


@pytest.mark.django_db
def test_the_chart_marks_the_exam_date_right_of_the_newest_point(guest, questions):
    for index, question in enumerate(questions):
        answer(question, owner=guest, correct=True, at=NOW - 3 * index * DAY)
    trend = _trend(guest)

    chart = trend_chart(trend, TODAY + 14 * DAY)
    without_date = trend_chart(trend, None)

    xs = [dot["x"] for dot in chart["points"]]
    assert xs == sorted(xs) and xs[0] == chart["left"]
    assert xs[-1] < chart["exam_x"] == chart["right"]
    assert without_date["exam_x"] is None and without_date["points"][-1]["x"] == without_date["right"]
    # 700 on a 100–1000 axis: two thirds of the way up the plot.
    plot_h = chart["bottom"] - chart["top"]
    assert chart["pass_y"] == round(chart["top"] + (1000 - DEFAULT_PASS_MARK) / 900 * plot_h, 1)
    assert len(chart["band"].split()) == 2 * len(trend)


# The dashboard


@pytest.mark.django_db
def test_dashboard_shows_the_trend_the_outlook_and_the_table(client, guest, questions):
    StudyPlan.objects.create(owner=guest, exam_date=TODAY + 30 * DAY)
    for question in questions:
        answer(question, owner=guest, correct=False, at=NOW - DAY)
        answer(question, owner=guest, correct=False, at=NOW - 8 * DAY)

    response = client.get(reverse("dashboard"))

    assert response.context["outlook"] == "behind"
    html = response.content.decode()
    assert 'data-outlook="behind"' in html
    assert "Behind for your exam on" in html
    assert 'class="chart trend"' in html and 'class="exam-line"' in html
    assert html.count('class="trend-week"') == 2
    assert '<caption class="visually-hidden">Readiness estimate over time, oldest first</caption>' in html


@pytest.mark.django_db
def test_dashboard_without_an_exam_date_draws_the_trend_and_says_no_outlook(client, guest, questions):
    answer(questions[0], owner=guest, correct=True, at=NOW - DAY)

    response = client.get(reverse("dashboard"))

    assert response.context["outlook"] is None
    html = response.content.decode()
    assert "data-outlook" not in html
    assert 'class="chart trend"' in html and "exam-line" not in html


@pytest.mark.django_db
def test_saving_the_date_swaps_the_card_with_its_outlook(client, guest, questions):
    answer(questions[0], owner=guest, correct=True, at=NOW - DAY)

    response = client.post(
        reverse("insights:plan"),
        {"exam_date": (TODAY + 20 * DAY).isoformat()},
        headers={"HX-Request": "true", "HX-Target": "study-plan"},
    )

    html = response.content.decode()
    assert html.lstrip().startswith('<section id="study-plan"')
    assert 'data-outlook="close"' in html and 'class="exam-line"' in html
