"""Multiple choice: one correct option of two or more.

Answer: ``[option_id]``. Posted as ``choice`` (an option token). In practice a click on
an option answers it (``instant``). GIFT and Moodle XML write an option list True, False
as a true/false question.
"""

import random
import xml.etree.ElementTree as ET
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from questions.formats import gift, moodle
from questions.formats import json as json_format
from questions.formats.base import FALSE, TRUE, OptionData, several_full_credit

from .base import Answer, AnswerError, Problem, QuestionType, key_letter


class Single(QuestionType):
    value = "single"
    label = gettext_lazy("Multiple choice")
    admin_help = gettext_lazy("Multiple choice — Text, Correct (exactly one of two or more), Rationale.")
    limits = (2, None)
    instant = True

    def check_rows(self, data, add) -> None:
        correct = sum(option.correct for option in data.options)
        if correct > 1:
            add(
                Problem(
                    "options",
                    _(
                        "A multiple-choice question has exactly one correct option; %(n)d are marked correct. "
                        "Use “multiple response” if several are right."
                    )
                    % {"n": correct},
                )
            )

    def check_complete(self, data, add) -> None:
        if not any(option.correct for option in data.options):
            add(Problem("options", _("Mark the one correct option.")))

    # Answering, shared with multiple response.

    def parse_answer(self, snapshot, post) -> Answer:
        chosen = [post.option(value) for value in post.getlist("choice") if value != ""]
        if len(set(chosen)) != len(chosen):
            raise AnswerError(_("The answer names the same option twice."))
        if len(chosen) > 1 and not self.takes_select:
            raise AnswerError(_("This question takes one answer."))
        return sorted(chosen)

    def review_rows(self, snapshot, answer) -> list[dict[str, Any]]:
        chosen = set(answer or [])
        return [
            {
                **row,
                "letter": key_letter(index),
                "chosen": row["id"] in chosen,
                "right": row["correct"] == (row["id"] in chosen),
            }
            for index, row in enumerate(snapshot["options"], start=1)
        ]

    def wrong_picks(self, answer, options, text) -> list[str]:
        if not isinstance(answer, list):
            return []
        return [text(pick) for pick in answer if not (pick in options and options[pick].is_correct)]

    def sample_answer(self, snapshot, correct: bool, rng: random.Random) -> Answer:
        key = snapshot["key"]
        if correct:
            return key
        wrong = [row["id"] for row in snapshot["options"] if row["id"] not in key]
        return [rng.choice(wrong)]

    # The formats.

    def is_true_false(self, data) -> bool:
        """Options True, False with one key: written as a GIFT/Moodle XML true/false question."""
        texts = [option.text for option in data.options]
        return not self.takes_select and texts == [TRUE, FALSE] and sum(o.correct for o in data.options) == 1

    def read_json_row(self, row, label):
        json_format.expect_keys(row, {"text", "correct", "rationale"}, label, required={"text"})
        correct = row.get("correct", False)
        if not isinstance(correct, bool):
            raise json_format.Invalid(f"{label}.correct must be true or false, not {correct!r}.")
        return OptionData(
            text=json_format.field_text(row, "text", label),
            correct=correct,
            rationale=json_format.field_text(row, "rationale", label),
        )

    def dump_json(self, data) -> dict[str, Any]:
        return {
            "choices": [
                {"text": option.text, "correct": option.correct, "rationale": option.rationale}
                for option in data.options
            ]
        }

    def gift_comments(self, data) -> list[str]:
        # GIFT reads a question without '=' answers as multiple response: say so for an
        # unfinished single-answer draft that has no key yet.
        return [] if any(option.correct for option in data.options) else ["// [type:single]"]

    def gift_lines(self, data, head, explanation):
        if self.is_true_false(data):
            true, false = data.options
            key, right, wrong = ("TRUE", true, false) if true.correct else ("FALSE", false, true)
            block = "{" + key
            if wrong.rationale or right.rationale:
                block += "#" + gift.escape(wrong.rationale)
            if right.rationale:
                block += "#" + gift.escape(right.rationale)
            if data.explanation:
                block += "####" + gift.escape(data.explanation)
            return [head + block + "}"]
        body = [self._gift_option("=" if option.correct else "~", option) for option in data.options]
        return [head + "{"] + body + ([explanation] if explanation else []) + ["}"]

    @staticmethod
    def _gift_option(mark: str, option) -> str:
        rationale = f"#{gift.escape(option.rationale)}" if option.rationale else ""
        return f"\t{mark}{gift.escape(option.text)}{rationale}"

    moodle_reads = ("multichoice", "truefalse")

    def read_moodle(self, element, moodle_type, *, text_format, meta, where, result):
        """A multichoice question is multiple choice or multiple response, as its <single> says."""
        if moodle_type == "truefalse":
            return self.value, self._read_true_false(element), None
        single = (element.findtext("single") or "true").strip().lower() in ("true", "1")
        options = []
        for number, answer in enumerate(element.findall("answer"), start=1):
            fraction = moodle.fraction(answer, number)
            if not -100 <= fraction <= 100:
                raise moodle.Invalid(f"answer {number} has fraction {fraction:g}, outside -100…100.")
            option = OptionData(text=moodle.rich(answer, ".", text_format), rationale=moodle.rich(answer, "feedback"))
            if single:
                option.correct = fraction >= 100
                if 0 < fraction < 100:
                    result.warnings.append(
                        f"{where}: answer {number} ({option.text[:40]!r}) has partial credit {fraction:g}%; "
                        "questions here are scored all-or-nothing, so it counts as wrong and only the full-credit "
                        "answer is correct."
                    )
            else:
                option.correct = fraction > 0
            options.append(option)
        if single and several_full_credit(options, where, result):
            single = False
        if single:
            return "single", options, None
        select = int(meta.get("select")) if (meta.get("select") or "").isdecimal() else sum(o.correct for o in options)
        return "multiple", options, select

    @staticmethod
    def _read_true_false(element) -> list[OptionData]:
        by_text = {}
        for number, answer in enumerate(element.findall("answer"), start=1):
            value = (answer.findtext("text") or "").strip().lower()
            if value not in ("true", "false"):
                raise moodle.Invalid(f"a true/false answer must be 'true' or 'false', not {value!r}.")
            by_text[value] = (moodle.fraction(answer, number) >= 100, moodle.rich(answer, "feedback"))
        if set(by_text) != {"true", "false"}:
            raise moodle.Invalid("a true/false question needs one 'true' and one 'false' answer.")
        return [
            OptionData(text=TRUE, correct=by_text["true"][0], rationale=by_text["true"][1]),
            OptionData(text=FALSE, correct=by_text["false"][0], rationale=by_text["false"][1]),
        ]

    def moodle_type(self, data) -> str:
        return "truefalse" if self.is_true_false(data) else "multichoice"

    def moodle_answers(self, question, data) -> None:
        if self.is_true_false(data):
            for option in data.options:
                answer = ET.SubElement(
                    question, "answer", {"fraction": "100" if option.correct else "0", "format": "moodle_auto_format"}
                )
                ET.SubElement(answer, "text").text = option.text.lower()
                moodle.text_node(answer, "feedback", option.rationale)
            return
        ET.SubElement(question, "single").text = "false" if self.takes_select else "true"
        ET.SubElement(question, "shuffleanswers").text = "true"
        ET.SubElement(question, "answernumbering").text = "abc"
        for option in data.options:
            fraction = self._fraction(data, option)
            answer = ET.SubElement(question, "answer", {"fraction": fraction, "format": "markdown"})
            ET.SubElement(answer, "text").text = option.text
            moodle.text_node(answer, "feedback", option.rationale)

    def _fraction(self, data, option) -> str:
        return "100" if option.correct else "0"
