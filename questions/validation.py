"""What makes a question valid, per type: one function for the admin, the importers and the bank test.

``validate_question(data)`` returns a list of ``Problem``; an empty list means valid.
Each problem names the field it concerns (a ``Question`` field name, ``"options"`` for
the answer material as a whole) and, for one option row, its index in ``data.options``,
so the admin can show it next to the right input.

Two kinds of rule:
- contradictions, refused whatever the status (two correct answers in a single-answer
  question, the same match twice, more items than the type allows);
- completeness, checked once a candidate can see the question (pilot or published):
  enough options, the key, ``select`` and the stem agreeing, an explanation and a
  rationale for every option. A draft may be incomplete.
Extra distractor matches (matching rows without a prompt) may go without a rationale.
"""

import re
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .formats.base import SLUG, UID_MAX_LENGTH, QuestionData
from .models import Language, Option, Question

LIMITS = {
    Question.Type.SINGLE: (2, None),
    Question.Type.MULTIPLE: (5, None),
    Question.Type.ORDERING: (3, 5),
    Question.Type.MATCHING: (3, 7),
}
MATCH_MAX_LENGTH = Option._meta.get_field("match").max_length
VISIBLE = {Question.Status.PILOT, Question.Status.PUBLISHED}

_NUMBER_WORDS = {
    2: ("two", "2", "二"),
    3: ("three", "3", "三"),
    4: ("four", "4", "四"),
    5: ("five", "5", "五"),
    6: ("six", "6", "六"),
    7: ("seven", "7", "七"),
}


@dataclass(frozen=True)
class Problem:
    field: str
    message: str
    option: int | None = None

    def __str__(self) -> str:
        return self.message


def stem_states_count(stem: str, count: int) -> bool:
    """Does the stem tell the candidate how many to pick ("Select TWO.", "2つ選択")?"""
    words = "|".join(_NUMBER_WORDS.get(count, (str(count),)))
    english = re.search(rf"\b(select|choose|pick)\s+({words})\b", stem, re.IGNORECASE)
    japanese = re.search(rf"({words}|{chr(0xFF10 + count)})\s*つ\s*(選|えら)", stem)
    return bool(english or japanese)


def validate_question(data: QuestionData, *, status: str | None = None) -> list[Problem]:
    """Every problem with ``data`` for its status (or ``status`` when given)."""
    status = status or data.status or Question.Status.DRAFT
    problems: list[Problem] = []
    add = problems.append

    if not data.uid or not SLUG.match(data.uid) or len(data.uid) > UID_MAX_LENGTH:
        add(
            Problem(
                "uid",
                _(
                    "The uid %(uid)r must be a slug (letters, digits, hyphens, underscores), "
                    "at most %(max)d characters."
                )
                % {"uid": data.uid, "max": UID_MAX_LENGTH},
            )
        )
    if data.type not in Question.Type.values:
        add(
            Problem(
                "type",
                _("Unknown question type %(type)r; use one of: %(known)s.")
                % {"type": data.type, "known": ", ".join(Question.Type.values)},
            )
        )
        return problems
    if status not in Question.Status.values:
        add(
            Problem(
                "status",
                _("Unknown status %(status)r; use one of: %(known)s.")
                % {"status": status, "known": ", ".join(Question.Status.values)},
            )
        )
    if data.language not in Language.values:
        add(
            Problem(
                "language",
                _("Unknown language %(language)r; use one of: %(known)s.")
                % {"language": data.language, "known": ", ".join(Language.values)},
            )
        )
    if data.difficulty is not None and data.difficulty not in (1, 2, 3):
        add(Problem("difficulty", _("Difficulty must be 1, 2 or 3, not %(value)r.") % {"value": data.difficulty}))
    if not data.stem.strip():
        add(Problem("stem", _("The stem is empty: write the scenario and the question.")))
    if data.select is not None and data.type != Question.Type.MULTIPLE:
        add(Problem("select", _("“Select” applies only to multiple-response questions; leave it empty.")))

    _check_rows(data, add)
    if status in VISIBLE:
        _check_complete(data, add)
    return problems


def _check_rows(data: QuestionData, add) -> None:
    """Contradictions in the option rows, refused even in a draft."""
    kind = data.type
    noun = _row_noun(kind)
    for index, option in enumerate(data.options):
        number = index + 1
        if kind != Question.Type.MATCHING:
            if not option.text.strip():
                add(Problem("text", _("%(noun)s %(n)d has no text.") % {"noun": noun, "n": number}, index))
            if option.match:
                add(
                    Problem(
                        "match",
                        _("%(noun)s %(n)d has a match, but only matching questions use matches.")
                        % {"noun": noun, "n": number},
                        index,
                    )
                )
        else:
            if not option.match.strip():
                label = (
                    _("Prompt %(n)d") % {"n": number} if option.text else _("Extra match row %(n)d") % {"n": number}
                )
                add(Problem("match", _("%(label)s has no match.") % {"label": label}, index))
            elif len(option.match) > MATCH_MAX_LENGTH:
                add(
                    Problem(
                        "match",
                        _("Match %(n)d is longer than %(max)d characters.") % {"n": number, "max": MATCH_MAX_LENGTH},
                        index,
                    )
                )
        if option.correct and kind in (Question.Type.ORDERING, Question.Type.MATCHING):
            add(
                Problem(
                    "is_correct",
                    _("%(noun)s %(n)d is ticked “correct”, but %(type)s questions have no correct option: %(how)s")
                    % {"noun": noun, "n": number, "type": Question.Type(kind).label.lower(), "how": _key_hint(kind)},
                    index,
                )
            )

    seen: set[str] = set()
    for index, option in enumerate(data.options):
        text = option.text.strip().casefold()
        if text and text in seen:
            add(
                Problem(
                    "text",
                    _("%(noun)s %(n)d repeats the text of another row.") % {"noun": noun, "n": index + 1},
                    index,
                )
            )
        seen.add(text)

    if kind == Question.Type.SINGLE:
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
    low, high = LIMITS[kind]
    count = len(data.prompts) if kind == Question.Type.MATCHING else len(data.options)
    if high is not None and count > high:
        add(
            Problem(
                "options",
                _("%(type)s questions take at most %(max)d %(rows)s; this one has %(n)d.")
                % {"type": Question.Type(kind).label, "max": high, "rows": _rows_word(kind), "n": count},
            )
        )
    if kind == Question.Type.MATCHING:
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


def _check_complete(data: QuestionData, add) -> None:
    """What a question needs before a candidate may see it."""
    kind = data.type
    low, _high = LIMITS[kind]
    count = len(data.prompts) if kind == Question.Type.MATCHING else len(data.options)
    if count < low:
        add(
            Problem(
                "options",
                _("%(type)s questions need at least %(min)d %(rows)s; this one has %(n)d.")
                % {"type": Question.Type(kind).label, "min": low, "rows": _rows_word(kind), "n": count},
            )
        )
    correct = sum(option.correct for option in data.options)
    if kind == Question.Type.SINGLE and correct == 0:
        add(Problem("options", _("Mark the one correct option.")))
    if kind == Question.Type.MULTIPLE:
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
    if not data.explanation.strip():
        add(Problem("explanation", _("Write an explanation of the principle before publishing.")))
    noun = _row_noun(kind)
    for index, option in enumerate(data.options):
        if kind == Question.Type.MATCHING and not option.text:
            continue
        if not option.rationale.strip():
            add(
                Problem(
                    "rationale",
                    _("%(noun)s %(n)d needs a rationale (why it is right or wrong) before publishing.")
                    % {"noun": noun, "n": index + 1},
                    index,
                )
            )


def _row_noun(kind: str) -> str:
    return {
        Question.Type.ORDERING: _("Item"),
        Question.Type.MATCHING: _("Prompt"),
    }.get(kind, _("Option"))


def _rows_word(kind: str) -> str:
    return {
        Question.Type.ORDERING: _("items"),
        Question.Type.MATCHING: _("prompts"),
    }.get(kind, _("options"))


def _key_hint(kind: str) -> str:
    if kind == Question.Type.ORDERING:
        return _("the positions give the correct order.")
    return _("each prompt's match is its answer.")
