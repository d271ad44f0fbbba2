"""Ordering: three to five items; the author's positions are the correct order.

Answer: ``[option_id, ...]`` in the chosen order. Posted as ``order`` (every item's token
once, in order); without JavaScript a ``move`` ("<token>:up") rearranges it
(``exams.grading.apply_move``).
"""

import random
import xml.etree.ElementTree as ET
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from questions.formats import gift, moodle
from questions.formats import json as json_format
from questions.formats.base import OptionData

from .base import Answer, AnswerError, QuestionType


class Ordering(QuestionType):
    value = "ordering"
    label = gettext_lazy("Ordering")
    admin_help = gettext_lazy("Ordering — Text and Rationale; Position is the correct order (3–5 items).")
    limits = (3, 5)
    has_correct_options = False
    json_rows_key = "items"
    lettered = False
    # Moves reorder hidden inputs, which no browser saves on change.
    save_button = True

    def row_noun(self) -> str:
        return _("Item")

    def rows_word(self) -> str:
        return _("items")

    def key_hint(self) -> str:
        return _("the positions give the correct order.")

    def key(self, rows) -> Answer:
        return [row["id"] for row in rows]

    def parse_answer(self, snapshot, post) -> Answer:
        order = [post.option(value) for value in post.getlist("order") if value != ""]
        if not order:
            return []
        if sorted(order) != sorted(row["id"] for row in snapshot["options"]) or len(set(order)) != len(order):
            raise AnswerError(_("The order must list every item of this question exactly once."))
        return order

    def control_rows(self, rows, answer):
        if answer:
            by_token = {row.get("token"): row for row in rows}
            if sorted(by_token) == sorted(answer):
                return [by_token[token] for token in answer]
        return rows

    def review_rows(self, snapshot, answer) -> list[dict[str, Any]]:
        """In the correct order, with ``position`` (1-based) and ``chosen_position`` (the candidate's, or None)."""
        by_id = {row["id"]: row for row in snapshot["options"]}
        given = list(answer or [])
        rows = []
        for place, pk in enumerate(snapshot["key"], start=1):
            chosen_position = given.index(pk) + 1 if pk in given else None
            rows.append(
                {**by_id[pk], "position": place, "chosen_position": chosen_position, "right": chosen_position == place}
            )
        return rows

    def wrong_picks(self, answer, options, text) -> list[str]:
        return [" → ".join(text(pick) for pick in answer)] if isinstance(answer, list) else []

    def sample_answer(self, snapshot, correct: bool, rng: random.Random) -> Answer:
        return snapshot["key"] if correct else list(reversed(snapshot["key"]))

    def read_json_row(self, row, label):
        if isinstance(row, str):
            return OptionData(text=row)
        json_format.expect_keys(row, {"text", "rationale"}, label, required={"text"})
        return OptionData(
            text=json_format.field_text(row, "text", label), rationale=json_format.field_text(row, "rationale", label)
        )

    def dump_json(self, data) -> dict[str, Any]:
        return {"items": [{"text": option.text, "rationale": option.rationale} for option in data.options]}

    def gift_comments(self, data) -> list[str]:
        return gift.rationale_comments(data)

    def gift_lines(self, data, head, explanation):
        body = [f">{len(data.options)} ALL VERTICAL ALL_OR_NOTHING"]
        body += [gift.escape(option.text) for option in data.options]
        return [head + "{" + body[0]] + body[1:] + ([explanation.strip()] if explanation else []) + ["}"]

    def moodle_type(self, data) -> str:
        return "ordering"

    def moodle_answers(self, question, data) -> None:
        for tag, value in (("layouttype", "VERTICAL"), ("selecttype", "ALL"), ("selectcount", "0"),
                           ("gradingtype", "ALL_OR_NOTHING"), ("showgrading", "SHOW")):  # fmt: skip
            ET.SubElement(question, tag).text = value
        for position, option in enumerate(data.options, start=1):
            answer = ET.SubElement(question, "answer", {"fraction": str(position), "format": "markdown"})
            ET.SubElement(answer, "text").text = option.text
            moodle.text_node(answer, "feedback", option.rationale)
