"""Geometry for the results page's pacing chart, drawn by the template as inline SVG (the
Content-Security-Policy allows no inline styles; see ``insights/charts.py``)."""

from .models import Attempt, AttemptItem
from .results import PACE_SECONDS, seconds_spent


def pacing_chart(items: list[AttemptItem], attempt: Attempt) -> dict:
    """Time per question (as the browser measured it) for a column chart against the budget."""
    seconds = seconds_spent(items)
    used = attempt.time_used.total_seconds() if attempt.time_used else 0
    tallest = max([*seconds, PACE_SECONDS * 2])
    baseline = 110

    def height(value: int) -> int:
        return round(100 * value / tallest)

    return {
        "seconds_per_question": round(used / (len(items) or 1)),
        "budget": PACE_SECONDS,
        "columns": [
            {
                "position": item.position,
                "seconds": value,
                "x": 30 + index * 10,
                "y": baseline - height(value),
                "height": height(value),
            }
            for index, (item, value) in enumerate(zip(items, seconds, strict=True))
        ],
        "width": 40 + len(items) * 10,
        "axis_middle": 30 + len(items) * 5,
        "budget_y": baseline - height(PACE_SECONDS),
        "over_budget": sum(value > PACE_SECONDS for value in seconds),
        "measured": any(seconds),
    }
