"""What a finished mock's results page is made of: the pace budget and the review filters."""

from django.utils.translation import gettext as _

# The pace of the real exam: 90 minutes for 65 questions.
PACE_SECONDS = 83


REVIEW_PAGE = 10
REVIEW_FILTERS = {
    "all": lambda row: True,
    "wrong": lambda row: not row["is_correct"],
    "flagged": lambda row: row["item"].flagged,
    "unscored": lambda row: not row["item"].scored,
}


def review_filter_labels():
    return [("all", _("All")), ("wrong", _("Wrong")), ("flagged", _("Flagged")), ("unscored", _("Unscored"))]


def seconds_spent(items) -> list[int]:
    """Seconds spent on each item, as the browser measured them (0 when unanswered)."""
    responses = [getattr(item, "response", None) for item in items]
    return [round((response.time_spent_ms if response else 0) / 1000) for response in responses]
