"""Multiple response: two or more correct options of five or more; "Select N" says how many.

Answer: ``[option_id, ...]``, sorted (order is irrelevant). Posted as repeated ``choice``.
"""

import random
import re

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from questions.formats.base import correct_weight
from questions.markup import plain_text

from .base import Answer, Problem
from .single import Single

_NUMBER_WORDS = {
    2: ("two", "2", "二"),
    3: ("three", "3", "三"),
    4: ("four", "4", "四"),
    5: ("five", "5", "五"),
    6: ("six", "6", "六"),
    7: ("seven", "7", "七"),
}


def stem_states_count(stem: str, count: int) -> bool:
    """Does the stem tell the candidate how many to pick ("Select TWO.", "2つ選択")?"""
    words = "|".join(_NUMBER_WORDS.get(count, (str(count),)))
    english = re.search(rf"\b(select|choose|pick)\s+({words})\b", stem, re.IGNORECASE)
    japanese = re.search(rf"({words}|{chr(0xFF10 + count)})\s*つ\s*(選|えら)", stem)
    return bool(english or japanese)


class Multiple(Single):
    value = "multiple"
    label = gettext_lazy("Multiple response")
    admin_help = gettext_lazy(
        "Multiple response — Text, Correct (two or more of five or more options); set “Select” to the number "
        "correct and say it in the stem, e.g. “(Select TWO.)”."
    )
    limits = (5, None)
    takes_select = True
    instant = False

    def check_rows(self, data, add) -> None:
        pass

    def check_complete(self, data, add) -> None:
        correct = sum(option.correct for option in data.options)
        if correct < 2:
            add(
                Problem(
                    "options",
                    ngettext(
                        "A multiple-response question needs at least 2 correct options; %(n)d is marked correct.",
                        "A multiple-response question needs at least 2 correct options; %(n)d are marked correct.",
                        correct,
                    )
                    % {"n": correct},
                )
            )
        if data.select is None:
            add(Problem("select", _("Say how many options to select (%(n)d are marked correct).") % {"n": correct}))
        elif data.select != correct:
            add(
                Problem(
                    "select",
                    _("“Select” is %(select)d but %(n)d options are marked correct; they must agree.")
                    % {"select": data.select, "n": correct},
                )
            )
        wanted = data.select or correct
        if wanted >= 2 and not stem_states_count(data.stem, wanted):
            add(
                Problem(
                    "stem",
                    _("The stem must tell the candidate how many to pick, e.g. “(Select %(word)s.)”.")
                    % {"word": _NUMBER_WORDS.get(wanted, (str(wanted),))[0].upper()},
                )
            )

    def key(self, rows) -> Answer:
        return sorted(row["id"] for row in rows if row["correct"])

    def grade(self, snapshot, answer) -> bool:
        return sorted(answer) == sorted(snapshot["key"])

    def select_hint(self, question) -> bool:
        select = question.get("select")
        return not (select and stem_states_count(plain_text(question["stem"]), select))

    def sample_answer(self, snapshot, correct: bool, rng: random.Random) -> Answer:
        key = snapshot["key"]
        if correct:
            return key
        wrong = [row["id"] for row in snapshot["options"] if row["id"] not in key]
        return sorted(key[1:] + [rng.choice(wrong)])

    def dump_json(self, data):
        return {**super().dump_json(data), "select": data.select}

    def gift_comments(self, data) -> list[str]:
        correct = sum(option.correct for option in data.options)
        return [f"// [select:{data.select}]"] if data.select is not None and data.select != correct else []

    def gift_lines(self, data, head, explanation):
        weight = correct_weight(sum(option.correct for option in data.options))
        body = [self._gift_option(f"~%{weight}%" if option.correct else "~%-100%", option) for option in data.options]
        return [head + "{"] + body + ([explanation] if explanation else []) + ["}"]

    # Moodle's multichoice is read by multiple choice, which sees which of the two it is.
    moodle_reads = ()

    def moodle_type(self, data) -> str:
        return "multichoice"

    def _fraction(self, data, option) -> str:
        return correct_weight(sum(option.correct for option in data.options)) if option.correct else "-100"

    def moodle_attributes(self, data) -> dict[str, str]:
        correct = sum(option.correct for option in data.options)
        return {"select": str(data.select)} if data.select is not None and data.select != correct else {}
