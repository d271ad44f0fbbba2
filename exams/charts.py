"""Geometry for the results page's pacing chart, drawn by the template as inline SVG (the
Content-Security-Policy allows no inline styles; see ``insights/charts.py``)."""

from .models import Attempt
from .results import PACE_SECONDS, Outcome


def pacing_chart(outcomes: list[Outcome], attempt: Attempt) -> dict:
    """Time per question (as the browser measured it) for a column chart against the budget."""
    seconds = [outcome.seconds for outcome in outcomes]
    used = attempt.time_used.total_seconds() if attempt.time_used else 0
    tallest = max([*seconds, PACE_SECONDS * 2])
    baseline = 110

    def height(value: int) -> int:
        return round(100 * value / tallest)

    return {
        "seconds_per_question": round(used / (len(outcomes) or 1)),
        "budget": PACE_SECONDS,
        "columns": [
            {
                "position": outcome.position,
                "seconds": outcome.seconds,
                "x": 30 + index * 10,
                "y": baseline - height(outcome.seconds),
                "height": height(outcome.seconds),
            }
            for index, outcome in enumerate(outcomes)
        ],
        "width": 40 + len(outcomes) * 10,
        "axis_middle": 30 + len(outcomes) * 5,
        "budget_y": baseline - height(PACE_SECONDS),
        "over_budget": sum(value > PACE_SECONDS for value in seconds),
        "measured": any(seconds),
    }
