"""Readiness over time: the readiness estimate per week and after each finished mock.

Every point is ``insights.report.readiness`` as it stood at a moment t: per domain, the
Agresti–Coull share of the settled answers of the 30 days up to t, combined with the exam
weights. The points are

- *weeks*: now and every 7 days back, as far as the first answer (at most ``TREND_WEEKS``);
  the newest is the estimate the dashboard shows;
- *mocks*: the moment each mock of the report's history (finished, scored, not
  abandoned) was submitted, so the estimate after it includes its answers; not before
  the oldest week.

A moment with no answer in its 30 days has no estimate and no point.

*On track / behind* (``outlook``) is read off the range of the newest estimate, never off a
single mock: on track when even its low end reaches the pass mark, behind when even its
high end falls short, too close to call otherwise. It is said against an exam date still
ahead; without one there is nothing to be on track for.

The series costs no query of its own: the answers by time (``WeaknessReport.history``, which
the streak reads too), the domains, the classification and the mocks come from the weakness
report.
"""

from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import timezone
from django.utils.formats import date_format

from exams.grading import DEFAULT_PASS_MARK, SCALE_HIGH, SCALE_LOW

from .report import RECENT_DAYS, TREND_WEEKS, DomainStats, Readiness, WeaknessReport, readiness

WEEK = timedelta(days=7)
# About the width of a short date under the chart, in its units.
LABEL_WIDTH = 70
WINDOW = timedelta(days=RECENT_DAYS)
# The line the chart draws and the outlook is judged against: the seeded blueprints' pass
# mark, as the readiness verdict's (each mock's own verdict is stored with its score).
PASS_MARK = DEFAULT_PASS_MARK


@dataclass
class TrendPoint:
    at: datetime
    kind: str  # "week" or "mock"
    estimate: Readiness
    mock: object = None  # the Attempt of a "mock" point

    @property
    def day(self) -> date:
        return timezone.localdate(self.at)


def moments(report: WeaknessReport) -> list[tuple[datetime, str, object]]:
    """The (moment, kind, mock) of every candidate point, oldest first."""
    if not report.log:
        return []
    first = min(row["first"] for row in report.log)
    weeks = []
    for index in range(TREND_WEEKS):
        at = report.now - index * WEEK
        if at < first:
            break
        weeks.append((at, "week", None))
    # A mock older than the oldest week is left out: the report's history does not reach its 30 days.
    oldest = report.now - (TREND_WEEKS - 1) * WEEK
    mocks = [
        (mock.submitted_at, "mock", mock)
        for mock in report.mocks
        if mock.submitted_at is not None and mock.submitted_at >= oldest
    ]
    return sorted(weeks + mocks, key=lambda moment: (moment[0], moment[1] == "week"))


class _DomainLog:
    """One domain's settled answers in time order, counted over any span in O(log n)."""

    def __init__(self):
        self.times: list[datetime] = []
        self.correct: list[int] = [0]  # correct[i]: right answers among the first i

    def add(self, at: datetime, is_correct: bool) -> None:
        self.times.append(at)
        self.correct.append(self.correct[-1] + int(is_correct))

    def counts(self, start: datetime, end: datetime) -> tuple[int, int]:
        """(answers, correct) with start <= answered_at <= end, as the report's 30 days count them."""
        low, high = bisect_left(self.times, start), bisect_right(self.times, end)
        return high - low, self.correct[high] - self.correct[low]


def readiness_trend(report: WeaknessReport) -> list[TrendPoint]:
    """The readiness estimate at every week and mock moment that has answers, oldest first."""
    points = moments(report)
    if not points:
        return []
    domain_of_task = report.domain_of_task
    logs = {domain.value: _DomainLog() for domain in report.domains}
    for at, uid, is_correct in report.history:
        classification = report.classes.get(uid)
        domain = classification and domain_of_task.get(classification.task_id)
        if domain in logs:
            logs[domain].add(at, is_correct)
    trend = []
    for at, kind, mock in points:
        domains = []
        for domain in report.domains:
            answers, correct = logs[domain.value].counts(at - WINDOW, at)
            domains.append(
                DomainStats(
                    kind="domain",
                    value=domain.value,
                    label=domain.label,
                    weight=domain.weight,
                    recent_answers=answers,
                    recent_correct=correct,
                )
            )
        if any(domain.recent_answers for domain in domains):
            trend.append(TrendPoint(at=at, kind=kind, estimate=readiness(domains), mock=mock))
    return trend


def outlook(estimate: Readiness | None, exam_date: date | None, *, today: date) -> str | None:
    """ "on-track", "behind" or "close" by the exam date (see the module docstring); None
    without an estimate or an exam date still ahead."""
    if estimate is None or exam_date is None or exam_date < today:
        return None
    if estimate.low >= PASS_MARK:
        return "on-track"
    if estimate.high < PASS_MARK:
        return "behind"
    return "close"


def trend_chart(trend: list[TrendPoint], exam_date: date | None, *, width: int = 560, height: int = 220) -> dict:
    """Geometry of the trend: the estimates as a line inside their range (a band) on the
    100–1000 scale, the pass mark across and the exam date (when ahead) as an upright line."""
    left, right, top, bottom = 44, 16, 12, 30
    plot_w, plot_h = width - left - right, height - top - bottom
    start, end = trend[0].at, trend[-1].at
    exam_at = None
    if exam_date is not None and exam_date >= trend[-1].day:
        exam_at = timezone.make_aware(datetime.combine(exam_date, time(12)))
        end = max(end, exam_at)
    span = (end - start).total_seconds()

    def x(at: datetime) -> float:
        share = (at - start).total_seconds() / span if span else 0.5
        return round(left + share * plot_w, 1)

    def y(score: float) -> float:
        return round(top + (SCALE_HIGH - score) / (SCALE_HIGH - SCALE_LOW) * plot_h, 1)

    points = [
        {
            "x": x(point.at),
            "y": y(point.estimate.score),
            "point": point,
            "label": date_format(timezone.localtime(point.at), "SHORT_DATE_FORMAT"),
        }
        for point in trend
    ]
    upper = [f"{p['x']},{y(p['point'].estimate.high)}" for p in points]
    lower = [f"{p['x']},{y(p['point'].estimate.low)}" for p in reversed(points)]
    chart = {
        "width": width,
        "height": height,
        "left": left,
        "right": width - right,
        "top": top,
        "bottom": top + plot_h,
        "label_y": height - 8,
        "pass_y": y(PASS_MARK),
        "ticks": [{"y": y(score), "score": score} for score in (SCALE_LOW, 400, PASS_MARK, SCALE_HIGH)],
        "points": points,
        "polyline": " ".join(f"{p['x']},{p['y']}" for p in points),
        "band": " ".join(upper + lower),
        "first_label": points[0]["label"],
        "last_x": points[-1]["x"],
        "last_label": points[-1]["label"],
        "exam_x": None,
    }
    if exam_at is not None:
        chart["exam_x"] = x(exam_at)
        chart["exam_label"] = date_format(exam_date, "SHORT_DATE_FORMAT")
    # The newest point's date is written under it only where it collides with neither the
    # oldest's (at the left) nor the exam's (at its line).
    clear_of_exam = chart["exam_x"] is None or chart["exam_x"] - chart["last_x"] > LABEL_WIDTH
    chart["last_label_shown"] = chart["last_x"] - left > 2 * LABEL_WIDTH and clear_of_exam
    return chart
