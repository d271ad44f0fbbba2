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
    # Each column's height worked out once, in one comprehension: 65 columns a page.
    heights = [round(100 * value / tallest) for value in seconds]
    return {
        "seconds_per_question": round(used / (len(outcomes) or 1)),
        "budget": PACE_SECONDS,
        "columns": [
            {
                "position": outcome.position,
                "seconds": outcome.seconds,
                "x": 30 + index * 10,
                "y": baseline - height,
                "height": height,
            }
            for index, (outcome, height) in enumerate(zip(outcomes, heights, strict=True))
        ],
        "width": 40 + len(outcomes) * 10,
        "axis_middle": 30 + len(outcomes) * 5,
        "budget_y": baseline - round(100 * PACE_SECONDS / tallest),
        "over_budget": sum(value > PACE_SECONDS for value in seconds),
        "measured": any(seconds),
    }
