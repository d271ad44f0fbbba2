"""What makes a question valid: one function for the admin, the importers and the bank test.

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
The rules of one type (its limits, its key, its rows) are its module's, in
``questions.types``; this module applies them and the rules every question shares.
"""

from django.utils.translation import gettext as _

from . import types as question_types
from .formats.base import SLUG, UID_MAX_LENGTH, QuestionData
from .models import Language, Question
from .types import Problem
from .types.multiple import stem_states_count  # noqa: F401 -- re-exported

VISIBLE = {Question.Status.PILOT, Question.Status.PUBLISHED}


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
    if data.type not in question_types.values():
        add(
            Problem(
                "type",
                _("Unknown question type %(type)r; use one of: %(known)s.")
                % {"type": data.type, "known": ", ".join(question_types.values())},
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
    if data.select is not None and not question_types.get(data.type).takes_select:
        add(Problem("select", _("“Select” applies only to multiple-response questions; leave it empty.")))

    _check_rows(data, add)
    if status in VISIBLE:
        _check_complete(data, add)
    return problems


def _check_rows(data: QuestionData, add) -> None:
    """Contradictions in the option rows, refused even in a draft."""
    kind = question_types.get(data.type)
    noun = kind.row_noun()
    for index, option in enumerate(data.options):
        kind.check_row(option, index, noun, add)
        if option.correct and not kind.has_correct_options:
            add(
                Problem(
                    "is_correct",
                    _("%(noun)s %(n)d is ticked “correct”, but %(type)s questions have no correct option: %(how)s")
                    % {"noun": noun, "n": index + 1, "type": str(kind.label).lower(), "how": kind.key_hint()},
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

    _low, high = kind.limits
    count = len(kind.counted_rows(data))
    if high is not None and count > high:
        add(
            Problem(
                "options",
                _("%(type)s questions take at most %(max)d %(rows)s; this one has %(n)d.")
                % {"type": kind.label, "max": high, "rows": kind.rows_word(), "n": count},
            )
        )
    kind.check_rows(data, add)


def _check_complete(data: QuestionData, add) -> None:
    """What a question needs before a candidate may see it."""
    kind = question_types.get(data.type)
    low, _high = kind.limits
    count = len(kind.counted_rows(data))
    if count < low:
        add(
            Problem(
                "options",
                _("%(type)s questions need at least %(min)d %(rows)s; this one has %(n)d.")
                % {"type": kind.label, "min": low, "rows": kind.rows_word(), "n": count},
            )
        )
    kind.check_complete(data, add)
    if not data.explanation.strip():
        add(Problem("explanation", _("Write an explanation of the principle before publishing.")))
    noun = kind.row_noun()
    for index, option in enumerate(data.options):
        if not kind.needs_rationale(option):
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
