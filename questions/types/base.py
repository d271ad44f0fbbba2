"""What a question type is: one class that owns every rule that differs between types.

Generic code (validation, snapshots, grading, the answering template tags, item
statistics, the formats, the admin) looks a question's type up in the registry
(``questions.types.get(value)``) and asks it; it never asks "which type is this?".
A type subclasses ``QuestionType`` and overrides what differs from the defaults, which
describe a question whose options are ticked correct or not (single and multiple).

Answer shapes, as ``key`` holds them and responses store them, are each type's own
(``questions.snapshots`` lists the built-in ones); an empty answer means "not answered".
"""

import random
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, Protocol

from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from questions.formats.base import OptionData, QuestionData

Answer = list[int] | dict[str, int]

LETTERS = "ABCDEFG"


def key_letter(index: int) -> str:
    """The shortcut shown on the n-th option (1-based): its letter, for the first seven."""
    return LETTERS[index - 1] if index <= len(LETTERS) else ""


@dataclass(frozen=True)
class Problem:
    """One problem with an authored question (``questions.validation``)."""

    field: str
    message: str
    option: int | None = None

    def __str__(self) -> str:
        return self.message


class AnswerError(ValueError):
    """The posted answer does not fit the question: unknown ids, wrong shape, duplicates.

    Only a forged or broken post gets here (the page offers no way to build one), so
    the view answers 400 with this message and writes nothing.
    """


class Post(Protocol):
    """A posted answer as a type reads it (``exams.grading.PostedAnswer``): the page names
    options and matches by the attempt item's opaque tokens, and ``option``/``match`` turn a
    token back into an option id (AnswerError, with ``message``, for anything else)."""

    def getlist(self, name: str) -> list[str]: ...

    def names(self) -> Iterable[str]: ...

    def option(self, token: str, message: str | None = None) -> int: ...

    def match(self, token: str, message: str | None = None) -> int: ...


class QuestionType:
    value: ClassVar[str]
    label: ClassVar[Any]  # a lazy translation: "Multiple choice"

    # The authored rows: at least ``limits[0]`` before a candidate may see the question,
    # at most ``limits[1]`` (None: no maximum), counted by ``counted_rows``.
    limits: ClassVar[tuple[int, int | None]] = (2, None)
    # "Select N" applies (the stem must say how many to pick).
    takes_select: ClassVar[bool] = False
    # Rows are ticked correct or not; False: the key comes from the rows themselves, and a tick is refused.
    has_correct_options: ClassVar[bool] = True
    # The JSON bank format lists the rows under this key (docs/bank-format.md).
    json_rows_key: ClassVar[str] = "choices"
    # Keys of a JSON question that belong to this type only, besides ``json_rows_key``.
    json_extra_keys: ClassVar[frozenset[str]] = frozenset()
    # Rows carry a match (the admin shows the Match column, validation allows it).
    uses_matches: ClassVar[bool] = False
    # The admin's help on the type field: which columns of the options table it uses.
    admin_help: ClassVar[Any] = ""
    # Candidate pages: rows are keyed by letters (A, B, …) rather than numbers.
    lettered: ClassVar[bool] = True
    # Practice: one click on an option answers it, so there is no "Check answer" button.
    instant: ClassVar[bool] = False
    # Exam page: an explicit "save" button, for controls that save nothing when changed.
    save_button: ClassVar[bool] = False

    @property
    def template(self) -> str:
        """The type's template: partials ``form`` (answer controls) and ``review`` (with the key)."""
        return f"includes/question_types/{self.value}.html"

    def __str__(self) -> str:
        return str(self.label)

    # --- words for messages and the admin ------------------------------------------------

    def row_noun(self) -> str:
        """What one row is called in messages and the admin's options table."""
        return _("Option")

    def rows_word(self) -> str:
        return _("options")

    def unused_columns(self) -> list[str]:
        """The options table's columns the admin hides for this type."""
        unused = [] if self.uses_matches else ["match"]
        return unused + ([] if self.has_correct_options else ["is_correct"])

    def key_hint(self) -> str:
        """How the key is given when rows are not ticked correct (``has_correct_options`` False)."""
        return ""

    # --- validation (questions.validation) ------------------------------------------------

    def counted_rows(self, data: "QuestionData") -> list["OptionData"]:
        """The rows that ``limits`` count."""
        return data.options

    def check_row(self, option: "OptionData", index: int, noun: str, add) -> None:
        """Contradictions within one row, refused even in a draft."""
        number = index + 1
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

    def check_rows(self, data: "QuestionData", add) -> None:
        """Contradictions between rows, refused even in a draft (after the generic checks)."""

    def check_complete(self, data: "QuestionData", add) -> None:
        """What the key needs before a candidate may see the question."""

    def needs_rationale(self, option: "OptionData") -> bool:
        return True

    # --- snapshots (questions.snapshots.take_snapshot) ------------------------------------

    def keeps_row(self, option) -> bool:
        """Does this ``Option`` row show as one of the snapshot's ``options``?"""
        return True

    def key(self, rows: list[dict[str, Any]]) -> Answer:
        """The key of the snapshot's ``rows`` (in the author's order)."""
        return [row["id"] for row in rows if row["correct"]]

    def add_to_snapshot(self, snapshot: dict[str, Any], options: list, rng: random.Random | None) -> None:
        """Anything else the snapshot needs (before the rows are shuffled with ``rng``)."""

    # --- answering and grading (exams.grading, exams.templatetags.answering) --------------

    def parse_answer(self, snapshot: dict[str, Any], post: Post) -> Answer:
        """Read the answer from the post, in option ids; raise AnswerError for a forged one."""
        raise NotImplementedError

    def grade(self, snapshot: dict[str, Any], answer: Answer) -> bool:
        """Is a given (non-empty) ``answer`` entirely right?"""
        return list(answer) == list(snapshot["key"])

    def control_rows(self, rows: list[dict[str, Any]], answer) -> list[dict[str, Any]]:
        """The public view's rows in the order the answer controls show them (``answer`` in tokens)."""
        return rows

    def select_hint(self, question: dict[str, Any]) -> bool:
        """Show "Select N answers." under the stem?"""
        return False

    def review_rows(self, snapshot: dict[str, Any], answer) -> list[dict[str, Any]]:
        """The rows of the ``review`` partial: every row with the key and the candidate's answer."""
        raise NotImplementedError

    # --- item statistics and generated responses (insights) ---------------------------------

    def wrong_picks(self, answer, options: dict, text) -> list[str]:
        """The wrong things one wrong ``answer`` chose, as labels an author recognises.

        ``options`` maps option ids to ``Option`` rows; ``text(option_id)`` names one.
        """
        return []

    def sample_answer(self, snapshot: dict[str, Any], correct: bool, rng: random.Random) -> Answer:
        """An answer of this type's shape: the key when ``correct``, a plausible mistake otherwise."""
        return snapshot["key"]

    # --- the formats (questions.formats) ----------------------------------------------------

    def read_json_row(self, row: Any, label: str) -> "OptionData":
        """One entry of ``json_rows_key``; raise ``questions.formats.json.Invalid`` when it is wrong."""
        raise NotImplementedError

    def read_json_extras(self, raw: dict[str, Any]) -> list["OptionData"]:
        """Rows kept under ``json_extra_keys``."""
        return []

    def dump_json(self, data: "QuestionData") -> dict[str, Any]:
        """The type's keys of a JSON question (between ``stem`` and ``explanation``)."""
        raise NotImplementedError

    def gift_comments(self, data: "QuestionData") -> list[str]:
        """``// [key:value]`` lines for what GIFT cannot say about this type."""
        return []

    def gift_lines(self, data: "QuestionData", head: str, explanation: str | None) -> list[str] | None:
        """The question in GIFT after its comments (``head`` is the uid and stem); None: GIFT has no form for it."""
        return None

    # Moodle XML question types this type reads (``read_moodle``).
    moodle_reads: ClassVar[tuple[str, ...]] = ()

    def read_moodle(self, element, moodle_type: str, *, text_format: str, meta, where: str, result):
        """``(type value, options, select)`` of a Moodle XML ``<question>`` of one of ``moodle_reads``;
        ``meta`` is its ``<quizapp>`` extension (maybe empty), warnings go to ``result``;
        raise ``questions.formats.moodle.Invalid`` when it is wrong."""
        raise NotImplementedError

    def moodle_type(self, data: "QuestionData") -> str | None:
        """The Moodle XML question type; None: Moodle XML has no form for it."""
        return None

    def moodle_answers(self, question, data: "QuestionData") -> None:
        """Add the answer elements to the Moodle XML ``<question>`` element."""

    def moodle_attributes(self, data: "QuestionData") -> dict[str, str]:
        """Attributes of the ``<quizapp>`` extension element for what Moodle XML cannot say."""
        return {}
