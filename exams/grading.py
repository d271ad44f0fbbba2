"""Reading answers from a post, grading them against a snapshot, and scoring attempts.

Answer shapes follow ``questions.snapshots``: single ``[id]``, multiple ``[id, ...]``
(sorted here), ordering ``[id, ...]`` in the chosen order, matching
``{str(prompt_id): match_id}``. An empty answer (``[]`` or ``{}``) means "not answered".

Grading is all-or-nothing for every type, as on the real exam, and unanswered is wrong.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

# A domain "meets competencies" when at least this share of its scored questions is
# right. AWS publishes no per-domain cut; 70% mirrors the overall 700/1000 pass mark.
COMPETENCY_THRESHOLD = 0.7

Answer = list[int] | dict[str, int]


class AnswerError(ValueError):
    """The posted answer does not fit the question: unknown ids, wrong shape, duplicates.

    Only a forged or broken post gets here (the page offers no way to build one), so
    the view answers 400 with this message and writes nothing.
    """


def _as_id(value: str) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise AnswerError(_("“%(value)s” is not an option of this question.") % {"value": str(value)[:40]}) from None
    if number <= 0:
        raise AnswerError(_("“%(value)s” is not an option of this question.") % {"value": str(value)[:40]})
    return number


def parse_answer(snapshot: Mapping[str, Any], data) -> Answer:
    """Read the answer to ``snapshot``'s question from a QueryDict (or a dict of lists).

    Fields: ``choice`` (single, multiple; repeated), ``order`` (ordering; every item once,
    in the chosen order), ``match-<prompt id>`` (matching; one per prompt, empty = unset).
    Raises AnswerError for ids that are not this question's (another question's option
    included), duplicates and partial orders.
    """
    kind = snapshot["type"]
    option_ids = {row["id"] for row in snapshot["options"]}
    getlist = data.getlist if hasattr(data, "getlist") else lambda name: list(data.get(name, []))

    if kind in ("single", "multiple"):
        chosen = [_as_id(value) for value in getlist("choice") if value != ""]
        if any(choice not in option_ids for choice in chosen):
            raise AnswerError(_("The answer names an option that is not part of this question."))
        if len(set(chosen)) != len(chosen):
            raise AnswerError(_("The answer names the same option twice."))
        if kind == "single" and len(chosen) > 1:
            raise AnswerError(_("This question takes one answer."))
        return sorted(chosen)

    if kind == "ordering":
        order = [_as_id(value) for value in getlist("order") if value != ""]
        if not order:
            return []
        if sorted(order) != sorted(option_ids) or len(set(order)) != len(order):
            raise AnswerError(_("The order must list every item of this question exactly once."))
        return order

    if kind == "matching":
        match_ids = {row["id"] for row in snapshot["matches"]}
        keys = data.keys() if hasattr(data, "keys") else []
        answer: dict[str, int] = {}
        for name in keys:
            if not name.startswith("match-"):
                continue
            prompt = _as_id(name.removeprefix("match-"))
            if prompt not in option_ids:
                raise AnswerError(_("The answer names a prompt that is not part of this question."))
            values = getlist(name)
            if len(values) != 1:
                raise AnswerError(_("Each prompt takes one match."))
            if values[0] == "":
                continue
            match = _as_id(values[0])
            if match not in match_ids:
                raise AnswerError(_("The answer names a match that is not part of this question."))
            answer[str(prompt)] = match
        return answer

    raise AnswerError(_("Unknown question type."))


def grade(snapshot: Mapping[str, Any], answer: Answer | None) -> bool:
    """True when ``answer`` is entirely right (all-or-nothing); unanswered is wrong."""
    if not answer:
        return False
    key = snapshot["key"]
    kind = snapshot["type"]
    if kind == "multiple":
        return sorted(answer) == sorted(key)
    if kind == "matching":
        return isinstance(answer, dict) and {str(k): v for k, v in answer.items()} == key
    return list(answer) == list(key)


def is_answered(answer: Answer | None) -> bool:
    return bool(answer)


def is_complete(key: Answer, answer: Answer | None) -> bool:
    """Does ``answer`` give every part the question asks for: as many options as a
    multiple-response question says to select, a match for every prompt, the whole order?

    A partial answer (one box of a "Select THREE") is saved and graded (wrong, all or
    nothing) but shown as incomplete, as the real exam's review screen does. The key has
    exactly as many parts as a complete answer, for every type.
    """
    return bool(answer) and len(answer) >= len(key)


def scaled_score(correct: int, total: int) -> int | None:
    """The DESIGN §2 estimate: ``round(100 + 900 × correct / total)``; None without scored items."""
    if total <= 0:
        return None
    return round(100 + 900 * correct / total)


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
