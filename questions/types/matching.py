"""Matching: three to seven prompts, each with its own match; rows with a match but no
prompt text are extra distractor matches.

Answer: ``{str(prompt_option_id): match_option_id}``; a prompt's correct match is the
option row itself. Posted as ``match-<prompt token>`` = a match token (empty = unset).
"""

import random
import xml.etree.ElementTree as ET
from typing import Any

from django.apps import apps
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from questions.formats import gift, moodle
from questions.formats import json as json_format
from questions.formats.base import OptionData, to_markdown
from questions.markup import render_inline

from .base import Answer, AnswerError, Problem, QuestionType, key_letter


def match_max_length() -> int:
    # Read when needed: questions.models imports this package.
    return apps.get_model("questions", "Option")._meta.get_field("match").max_length


class Matching(QuestionType):
    value = "matching"
    label = gettext_lazy("Matching")
    admin_help = gettext_lazy(
        "Matching — Text is the prompt and Match its answer (3–7 prompts, each match different); a row with a "
        "Match but no Text is an extra wrong answer."
    )
    limits = (3, 7)
    has_correct_options = False
    json_rows_key = "pairs"
    json_extra_keys = frozenset({"extra_matches"})
    lettered = False
    uses_matches = True

    def row_noun(self) -> str:
        return _("Prompt")

    def rows_word(self) -> str:
        return _("prompts")

    def key_hint(self) -> str:
        return _("each prompt's match is its answer.")

    def counted_rows(self, data):
        return data.prompts

    def check_row(self, option, index, noun, add) -> None:
        number = index + 1
        if not option.match.strip():
            label = _("Prompt %(n)d") % {"n": number} if option.text else _("Extra match row %(n)d") % {"n": number}
            add(Problem("match", _("%(label)s has no match.") % {"label": label}, index))
        elif len(option.match) > (limit := match_max_length()):
            add(
                Problem(
                    "match",
                    _("Match %(n)d is longer than %(max)d characters.") % {"n": number, "max": limit},
                    index,
                )
            )

    def check_rows(self, data, add) -> None:
        matches = [option.match.strip().casefold() for option in data.prompts if option.match.strip()]
        repeated = sorted(
            {option.match.strip() for option in data.prompts if matches.count(option.match.strip().casefold()) > 1},
            key=str.casefold,
        )
        if repeated:
            add(
                Problem(
                    "options",
                    _("Each prompt needs its own match; these matches are used more than once: %(list)s.")
                    % {"list": ", ".join(repeated)},
                )
            )
        extras_seen: set[str] = set()
        for index, option in enumerate(data.options):
            if option.text:
                continue
            extra = option.match.strip().casefold()
            if extra and extra in matches:
                add(
                    Problem(
                        "match",
                        _(
                            "Extra match %(match)r equals the match of a prompt; "
                            "an extra must be a wrong answer for every prompt."
                        )
                        % {"match": option.match},
                        index,
                    )
                )
            elif extra and extra in extras_seen:
                add(Problem("match", _("Extra match %(match)r is listed twice.") % {"match": option.match}, index))
            extras_seen.add(extra)

    def needs_rationale(self, option) -> bool:
        # Extra distractor matches may go without one.
        return bool(option.text)

    def keeps_row(self, option) -> bool:
        return bool(option.text)

    def key(self, rows) -> Answer:
        return {str(row["id"]): row["id"] for row in rows}

    def add_to_snapshot(self, snapshot, options, rng) -> None:
        matches = [{"id": option.pk, "text": str.__str__(render_inline(option.match))} for option in options]
        if rng is not None:
            rng.shuffle(matches)
        snapshot["matches"] = matches

    def parse_answer(self, snapshot, post) -> Answer:
        answer: dict[str, int] = {}
        for name in post.names():
            if not name.startswith("match-"):
                continue
            prompt = post.option(
                name.removeprefix("match-"), message=_("The answer names a prompt that is not part of this question.")
            )
            values = post.getlist(name)
            if len(values) != 1:
                raise AnswerError(_("Each prompt takes one match."))
            if values[0] == "":
                continue
            answer[str(prompt)] = post.match(
                values[0], message=_("The answer names a match that is not part of this question.")
            )
        return answer

    def grade(self, snapshot, answer) -> bool:
        return isinstance(answer, dict) and {str(k): v for k, v in answer.items()} == snapshot["key"]

    def review_rows(self, snapshot, answer) -> list[dict[str, Any]]:
        """Per prompt, with ``match`` (the correct text) and ``chosen_match`` (the candidate's)."""
        match_text = {match["id"]: match["text"] for match in snapshot.get("matches", [])}
        given = answer if isinstance(answer, dict) else {}
        rows = []
        for index, row in enumerate(snapshot["options"], start=1):
            correct_id = snapshot["key"][str(row["id"])]
            chosen_id = given.get(str(row["id"]))
            rows.append(
                {
                    **row,
                    "letter": key_letter(index),
                    "match": match_text.get(correct_id, ""),
                    "chosen_match": match_text.get(chosen_id) if chosen_id else None,
                    "right": chosen_id == correct_id,
                }
            )
        return rows

    def wrong_picks(self, answer, options, text) -> list[str]:
        if not isinstance(answer, dict):
            return []
        picks = []
        for prompt, match in answer.items():
            if str(match) != str(prompt):
                matched = options.get(match) if isinstance(match, int) else None
                shown = text(int(prompt)) if prompt.isdecimal() else "?"
                picks.append(f"{shown} → {matched.match if matched else '?'}")
        return picks

    def sample_answer(self, snapshot, correct: bool, rng: random.Random) -> Answer:
        key = snapshot["key"]
        if correct:
            return key
        prompts = list(key)
        return {prompt: key[prompts[index - 1]] for index, prompt in enumerate(prompts)}

    def read_json_row(self, row, label):
        json_format.expect_keys(row, {"prompt", "match", "rationale"}, label, required={"prompt", "match"})
        prompt = json_format.field_text(row, "prompt", label)
        if not prompt.strip():
            raise json_format.Invalid(f"{label}.prompt is empty; put distractor answers in 'extra_matches'.")
        return OptionData(
            text=prompt,
            match=json_format.field_text(row, "match", label),
            rationale=json_format.field_text(row, "rationale", label),
        )

    def read_json_extras(self, raw) -> list[OptionData]:
        extras = raw.get("extra_matches", [])
        if not isinstance(extras, list):
            raise json_format.Invalid("'extra_matches' must be a list.")
        options = []
        for number, extra in enumerate(extras, start=1):
            label = f"extra_matches[{number}]"
            if isinstance(extra, str):
                options.append(OptionData(match=extra))
            else:
                json_format.expect_keys(extra, {"match", "rationale"}, label, required={"match"})
                options.append(
                    OptionData(
                        match=json_format.field_text(extra, "match", label),
                        rationale=json_format.field_text(extra, "rationale", label),
                    )
                )
        return options

    def dump_json(self, data) -> dict[str, Any]:
        return {
            "pairs": [
                {"prompt": option.text, "match": option.match, "rationale": option.rationale}
                for option in data.prompts
            ],
            "extra_matches": [
                {"match": option.match, "rationale": option.rationale} if option.rationale else option.match
                for option in data.extras
            ],
        }

    def gift_comments(self, data) -> list[str]:
        return gift.rationale_comments(data)

    def gift_lines(self, data, head, explanation):
        body = [f"\t={gift.escape(option.text)} -> {gift.escape(option.match)}" for option in data.options]
        return [head + "{"] + body + ([explanation] if explanation else []) + ["}"]

    moodle_reads = ("matching",)

    def read_moodle(self, element, moodle_type, *, text_format, meta, where, result):
        options = []
        for sub in element.findall("subquestion"):
            prompt = to_markdown(sub.findtext("text") or "", sub.get("format", text_format))
            match = (sub.findtext("answer/text") or "").strip()
            options.append(OptionData(text=prompt, match=match, rationale=moodle.rich(sub, "feedback")))
        return self.value, options, None

    def moodle_type(self, data) -> str:
        return "matching"

    def moodle_answers(self, question, data) -> None:
        ET.SubElement(question, "shuffleanswers").text = "true"
        for option in data.options:
            sub = moodle.text_node(question, "subquestion", option.text)
            answer = ET.SubElement(sub, "answer")
            ET.SubElement(answer, "text").text = option.match
            if option.rationale:
                moodle.text_node(sub, "feedback", option.rationale)
