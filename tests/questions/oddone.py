"""A fifth question type that exists only in the test suite: "odd one out".

Written the way README.md "Adding a question type" says, with nothing but this module
and its template partial (``toy_templates/includes/question_types/oddone.html``), to prove
that the generic code needs nothing else (tests/questions/test_adding_a_type.py).

Four candidates, one of them ticked as the odd one; the candidate picks it from a list
box. Answer: ``[option_id]``. Posted as ``odd`` (an option token). In the JSON bank
format: ``"candidates": [{"text": …, "odd": true, "rationale": …}, …]``.
"""

from typing import Any

from django.utils.translation import gettext_lazy

from questions.formats import json as json_format
from questions.formats.base import OptionData
from questions.types import AnswerError, Problem, QuestionType


class OddOneOut(QuestionType):
    value = "oddone"
    label = gettext_lazy("Odd one out")
    admin_help = "Odd one out — four rows of Text; tick Correct on the odd one."
    limits = (4, 4)
    json_rows_key = "candidates"

    def row_noun(self) -> str:
        return "Candidate"

    def rows_word(self) -> str:
        return "candidates"

    def check_rows(self, data, add) -> None:
        if sum(option.correct for option in data.options) > 1:
            add(Problem("options", "Only one candidate is the odd one out."))

    def check_complete(self, data, add) -> None:
        if not any(option.correct for option in data.options):
            add(Problem("options", "Tick the odd one out."))

    def parse_answer(self, snapshot, post) -> list[int]:
        picked = [value for value in post.getlist("odd") if value != ""]
        if len(picked) > 1:
            raise AnswerError("Pick one odd one out.")
        return [post.option(value) for value in picked]

    def review_rows(self, snapshot, answer) -> list[dict[str, Any]]:
        chosen = set(answer or [])
        return [{**row, "chosen": row["id"] in chosen} for row in snapshot["options"]]

    def read_json_row(self, row, label) -> OptionData:
        json_format.expect_keys(row, {"text", "odd", "rationale"}, label, required={"text"})
        return OptionData(
            text=json_format.field_text(row, "text", label),
            correct=row.get("odd") is True,
            rationale=json_format.field_text(row, "rationale", label),
        )

    def dump_json(self, data) -> dict[str, Any]:
        return {
            "candidates": [
                {"text": option.text, "odd": option.correct, "rationale": option.rationale} for option in data.options
            ]
        }
