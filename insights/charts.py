"""Geometry for the report's charts, drawn by the templates as inline SVG.

The Content-Security-Policy allows no inline styles, so the templates place every shape
with SVG attributes (x, y, width, points) computed here and colour it with classes
from ``insights.css``. Every chart sits beside a table that holds the same numbers.
"""

from dataclasses import dataclass

from django.utils import timezone
from django.utils.formats import date_format

from exams.grading import DEFAULT_PASS_MARK, SCALE_HIGH, SCALE_LOW, share_of

from .report import DomainStats, ScopeStats

# Accuracy bands for colours: below 50 %, 50–60, 60–70, 70–80, 80 % and more.
BAND_EDGES = (0.5, 0.6, 0.7, 0.8)
# The reference line of the charts: the seeded blueprints' pass mark (each mock's own
# verdict is the one stored when it was scored).
PASS_MARK = DEFAULT_PASS_MARK
PASS_SHARE = share_of(PASS_MARK)


def band(accuracy: float | None) -> str:
    """The colour class of an accuracy: ``band-none`` or ``band-0`` (weak) … ``band-4`` (strong)."""
    if accuracy is None:
        return "band-none"
    return f"band-{sum(accuracy >= edge for edge in BAND_EDGES)}"


@dataclass
class Point:
    x: float
    y: float
    score: int
    label: str
    passed: bool


def score_history(mocks, *, width: int = 640, height: int = 220) -> dict | None:
    """A line of scaled scores (oldest left) on a 100–1000 axis with the 700 line."""
    if not mocks:
        return None
    left, right, top, bottom = 44, 16, 12, 28
    plot_w, plot_h = width - left - right, height - top - bottom

    def y(score: float) -> float:
        return round(top + (SCALE_HIGH - score) / (SCALE_HIGH - SCALE_LOW) * plot_h, 1)

    step = plot_w / (len(mocks) - 1) if len(mocks) > 1 else 0
    points = [
        Point(
            x=round(left + (index * step if len(mocks) > 1 else plot_w / 2), 1),
            y=y(mock.scaled_score),
            score=mock.scaled_score,
            # The language's own short date (Django's localisation), as everywhere else.
            label=date_format(timezone.localtime(mock.submitted_at or mock.started_at), "SHORT_DATE_FORMAT"),
            passed=bool(mock.passed),
        )
        for index, mock in enumerate(mocks)
    ]
    return {
        "width": width,
        "height": height,
        "left": left,
        "right": width - right,
        "bottom": top + plot_h,
        "pass_y": y(PASS_MARK),
        "ticks": [{"y": y(score), "score": score} for score in (SCALE_LOW, 400, PASS_MARK, SCALE_HIGH)],
        "points": points,
        "polyline": " ".join(f"{point.x},{point.y}" for point in points),
    }


def domain_bars(domains: list[DomainStats], *, width: int = 560) -> dict:
    """One horizontal bar per domain: all-time accuracy, with the 2/3 (700) mark."""
    left, right, row, top = 44, 64, 34, 8
    plot_w = width - left - right
    bars = []
    for index, domain in enumerate(domains):
        accuracy = domain.accuracy
        bars.append(
            {
                "domain": domain,
                "y": top + index * row,
                "text_y": top + index * row + 17,
                "width": round((accuracy or 0) * plot_w, 1),
                "value_x": round(left + (accuracy or 0) * plot_w + 6, 1),
                "band": band(accuracy),
                "thin": domain.thin,
            }
        )
    height = top * 2 + row * len(domains)
    return {
        "width": width,
        "height": height,
        "left": left,
        "plot_w": plot_w,
        "pass_x": round(left + PASS_SHARE * plot_w, 1),
        "bottom": height - top + 4,
        "bars": bars,
    }


def task_heat_map(domains: list[DomainStats], *, cell_w: int = 128, cell_h: int = 56, gap: int = 6) -> dict:
    """A grid: one row per domain, one cell per task statement, coloured by accuracy."""
    left, top = 44, 4
    rows, cells = [], []
    for row_index, domain in enumerate(domains):
        y = top + row_index * (cell_h + gap)
        rows.append({"label": f"D{domain.value}", "y": y + cell_h / 2 + 5})
        for column, task in enumerate(domain.tasks):
            cells.append(_cell(task, x=left + column * (cell_w + gap), y=y, w=cell_w, h=cell_h))
    columns = max((len(domain.tasks) for domain in domains), default=0)
    return {
        "width": left + columns * (cell_w + gap),
        "height": top + len(domains) * (cell_h + gap),
        "cell_w": cell_w,
        "cell_h": cell_h,
        "rows": rows,
        "cells": cells,
    }


def _cell(task: ScopeStats, *, x: int, y: int, w: int, h: int) -> dict:
    return {
        "task": task,
        "x": x,
        "y": y,
        "text_x": x + 10,
        "code_y": y + 20,
        "value_y": y + 42,
        "band": band(task.accuracy),
        "thin": task.thin,
    }


def readiness_gauge(readiness, *, width: int = 560, height: int = 56) -> dict:
    """The 100–1000 scale with the predicted score, its range and the 700 mark."""
    left, right = 24, 24
    plot_w = width - left - right

    def x(score: int) -> float:
        return round(left + (score - SCALE_LOW) / (SCALE_HIGH - SCALE_LOW) * plot_w, 1)

    return {
        "width": width,
        "height": height,
        "left": left,
        "right": left + plot_w,
        "low_x": x(readiness.low),
        "range_w": round(x(readiness.high) - x(readiness.low), 1),
        "score_x": x(readiness.score),
        "pass_x": x(PASS_MARK),
        "ticks": [{"x": x(score), "score": score} for score in (SCALE_LOW, 400, PASS_MARK, SCALE_HIGH)],
    }
