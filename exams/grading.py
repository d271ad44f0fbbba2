"""Reading answers from a post, grading them against a snapshot, and scoring attempts.

Each question type (``questions.types``) reads and grades its own answers. Answer shapes
follow ``questions.snapshots``: single ``[id]``, multiple ``[id, ...]``
(sorted here), ordering ``[id, ...]`` in the chosen order, matching
``{str(prompt_id): match_id}``. An empty answer (``[]`` or ``{}``) means "not answered".
Posts name options by the attempt item's tokens (``exams.tokens``); ``parse_answer``
turns them back into ids, so what is stored and graded never depends on the page.

Grading is all-or-nothing for every type, as on the real exam, and unanswered is wrong.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from questions import types as question_types
from questions.types import Answer, AnswerError

from .tokens import MATCH, OPTION, ItemTokens

# The exam's score scale and the pass mark of the seeded blueprints (docs/exam-rules.md §2).
SCALE_LOW, SCALE_HIGH = 100, 1000
DEFAULT_PASS_MARK = 700
# A domain "meets competencies" when at least this share of its scored questions is
# right. AWS publishes no per-domain cut; 70% mirrors the overall 700/1000 pass mark.
COMPETENCY_THRESHOLD = 0.7


class PostedAnswer:
    """A post as a question type reads its answer (``questions.types.base.Post``): fields by
    name, and this item's tokens turned back into option ids (anything else is an AnswerError)."""

    def __init__(self, data, tokens: ItemTokens):
        self.data = data
        self.tokens = tokens

    def getlist(self, name: str) -> list[str]:
        return self.data.getlist(name) if hasattr(self.data, "getlist") else list(self.data.get(name, []))

    def names(self):
        return self.data.keys() if hasattr(self.data, "keys") else []

    def option(self, token: str, message=None):
        return self._read(token, OPTION, message)

    def match(self, token: str, message=None):
        return self._read(token, MATCH, message)

    def _read(self, token: str, role: str, message):
        option_id = self.tokens.option_for(token, role)
        if option_id is None:
            raise AnswerError(message or _("The answer names an option that is not part of this question."))
        return option_id


def parse_answer(snapshot: Mapping[str, Any], data, tokens: ItemTokens) -> Answer:
    """Read the answer to ``snapshot``'s question from a QueryDict (or a dict of lists).

    The page names options by the item's tokens (``exams.tokens``), never by id; the
    question's type (``questions.types``) says which fields it reads. Built-in fields:
    ``choice`` (single, multiple; repeated), ``order`` (ordering; every item once, in the
    chosen order), ``match-<prompt token>`` (matching; one per prompt, the value a match
    token, empty = unset). The answer comes back in option ids, as it is stored and graded.
    Raises AnswerError for anything that is not this item's token (another item's or
    attempt's included, and a bare id), duplicates and partial orders.
    """
    try:
        question_type = question_types.get(snapshot["type"])
    except question_types.UnknownType:
        raise AnswerError(_("Unknown question type.")) from None
    return question_type.parse_answer(snapshot, PostedAnswer(data, tokens))


def apply_move(order: list, move: str, tokens: ItemTokens) -> list:
    """Apply a no-JS ordering move ("<token>:up" / "<token>:down") to ``order`` (option ids)."""
    token, _sep, direction = move.partition(":")
    option_id = tokens.option_for(token)
    if option_id is None or option_id not in order:
        raise AnswerError(_("The move names an item that is not part of this question."))
    if direction not in ("up", "down"):
        raise AnswerError(_("An item moves up or down."))
    index = order.index(option_id)
    target = index - 1 if direction == "up" else index + 1
    if 0 <= target < len(order):
        order[index], order[target] = order[target], order[index]
    return order


def grade(snapshot: Mapping[str, Any], answer: Answer | None) -> bool:
    """True when ``answer`` is entirely right (all-or-nothing); unanswered is wrong."""
    if not answer:
        return False
    return question_types.get(snapshot["type"]).grade(snapshot, answer)


def is_answered(answer: Answer | None) -> bool:
    return bool(answer)


def scaled(share: float) -> int:
    """A share of correct answers on the exam's scale: the estimate ``round(100 + 900 × share)``
    (docs/exam-rules.md §2; AWS publishes no mapping)."""
    return round(SCALE_LOW + (SCALE_HIGH - SCALE_LOW) * share)


def share_of(score: float) -> float:
    """The share of correct answers a score on the scale stands for (700 → 2/3)."""
    return (score - SCALE_LOW) / (SCALE_HIGH - SCALE_LOW)


def is_complete(key: Answer, answer: Answer | None) -> bool:
    """Does ``answer`` give every part the question asks for: as many options as a
    multiple-response question says to select, a match for every prompt, the whole order?

    A partial answer (one box of a "Select THREE") is saved and graded (wrong, all or
    nothing) but shown as incomplete, as the real exam's review screen does. The key has
    exactly as many parts as a complete answer, for every type.
    """
    return gives_every_part(len(key), answer)


def gives_every_part(parts: int, answer: Answer | None) -> bool:
    """``is_complete`` for a key of ``parts`` parts (``QuestionRevision.part_count``)."""
    return bool(answer) and len(answer) >= parts


def scaled_score(correct: int, total: int) -> int | None:
    """The score estimate of ``correct`` out of ``total`` scored questions; None without any."""
    if total <= 0:
        return None
    return scaled(correct / total)


@dataclass
class DomainResult:
    number: int
    name: str
    correct: int = 0
    total: int = 0

    @property
    def accuracy(self) -> float | None:
        return self.correct / self.total if self.total else None

    @property
    def percent(self) -> int | None:
        return round(100 * self.accuracy) if self.total else None

    @property
    def meets(self) -> bool:
        return self.total > 0 and self.correct / self.total >= COMPETENCY_THRESHOLD


def domain_results(rows, domain_names: Mapping[int, str]) -> list[DomainResult]:
    """Per-domain counts over scored items.

    ``rows`` yields ``(domain_number, scored, is_correct)``; unscored rows are skipped.
    Every domain in ``domain_names`` is listed, in number order, even with no items.
    """
    results = {number: DomainResult(number, name) for number, name in sorted(domain_names.items())}
    for number, scored, correct in rows:
        if not scored:
            continue
        result = results.setdefault(number, DomainResult(number, str(number)))
        result.total += 1
        result.correct += bool(correct)
    return [results[number] for number in sorted(results)]
