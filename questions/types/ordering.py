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
from questions.formats.base import OptionData, ParseResult

from .base import Answer, AnswerError, QuestionType

# Moodle's ordering plugin writes its settings as words or, in older versions, as numbers.
_GRADING_CODES = {
    "-1": "ALL_OR_NOTHING", "0": "ABSOLUTE_POSITION", "1": "RELATIVE_NEXT_EXCLUDE_LAST",
    "2": "RELATIVE_NEXT_INCLUDE_LAST", "3": "RELATIVE_ONE_PREVIOUS_AND_NEXT", "4": "RELATIVE_ALL_PREVIOUS_AND_NEXT",
    "5": "LONGEST_ORDERED_SUBSET", "6": "LONGEST_CONTIGUOUS_SUBSET", "7": "RELATIVE_TO_CORRECT",
}  # fmt: skip
_SELECT_CODES = {"0": "ALL", "1": "RANDOM", "2": "CONTIGUOUS"}


def _moodle_warnings(element, count: int, where: str, result: ParseResult) -> None:
    """What an ordering question loses here: partial-credit grading, a subset of the items."""
    grading = (element.findtext("gradingtype") or "").strip().upper()
    grading = _GRADING_CODES.get(grading, grading)
    if grading and grading != "ALL_OR_NOTHING":
        result.warnings.append(f"{where}: grading {grading} becomes all-or-nothing here.")
    select = (element.findtext("selecttype") or "").strip().upper()
    select = _SELECT_CODES.get(select, select)
    shown = (element.findtext("selectcount") or "").strip()
    if select not in ("", "ALL") and shown.isdecimal() and 0 < int(shown) < count:
        result.warnings.append(
            f"{where}: Moodle shows a {select.lower()} subset of {shown} of the {count} items; all {count} are "
            "shown here."
        )


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

    moodle_reads = ("ordering",)

    def read_moodle(self, element, moodle_type, *, text_format, meta, where, result):
        answers = []
        for number, answer in enumerate(element.findall("answer"), start=1):
            position = moodle.fraction(answer, number)
            option = OptionData(text=moodle.rich(answer, ".", text_format), rationale=moodle.rich(answer, "feedback"))
            answers.append((position, number, option))
        positions = [position for position, _number, _option in answers]
        if len(set(positions)) != len(positions):
            result.warnings.append(f"{where}: answer fractions repeat, so the items keep their order in the file.")
            answers.sort(key=lambda row: row[1])
        else:
            answers.sort(key=lambda row: (row[0], row[1]))
        options = [option for _position, _number, option in answers]
        _moodle_warnings(element, len(options), where, result)
        return self.value, options, None

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
