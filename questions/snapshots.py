"""What a candidate sees of a question, frozen as plain data.

``take_snapshot(question)`` is a question's content as candidates see it: the rendered
(sanitized) HTML of the stem, options and explanation, and the key. It is stored once per
content as a ``QuestionRevision`` (``questions.revisions``); an attempt item points at one and
keeps its own option order, and ``AttemptItem.snapshot`` gives back this dict with the options
in that order. Pages render from the snapshot, so editing or retiring a question later never
changes an attempt, and a page needs no query for the options.

Every text is a plain ``str`` (never a SafeString): templates show it only through the
``markup`` filters (``author_html`` cleans it again and marks it safe, ``author_text`` gives
its text for attributes and ``<option>``), so author text is escaped exactly once.

Before an attempt is submitted, templates get only ``public_view(snapshot, tokens)``, which
has no key, no rationale, no explanation and no option id (options are named by the attempt
item's opaque tokens, ``exams.tokens``): nothing there can leak the answer.

Answer shapes (what ``key`` holds and responses store; a page posts the same in the
attempt item's tokens, which ``exams.grading.parse_answer`` reads back); each type's
module in ``questions.types`` builds its key and any extra part (matching's ``matches``):
- single:   ``[option_id]``
- multiple: ``[option_id, ...]`` (order irrelevant)
- ordering: ``[option_id, ...]`` in the chosen order
- matching: ``{str(prompt_option_id): match_option_id}``; a prompt's correct match is the
  option row itself, extra distractor matches are rows without prompt text.
"""

import random
from typing import Any, Protocol

from . import types as question_types
from .markup import render_inline, render_markdown
from .models import Language, Option, Question

SNAPSHOT_VERSION = 1


def _html(safe) -> str:
    """Rendered HTML as a plain str: a SafeString's str() is itself, and a snapshot must not
    carry "safe" into a template (strip_tags returned it unchanged, unescaped, in aria-label)."""
    return str.__str__(safe)


def take_snapshot(question: Question, rng: random.Random | None = None) -> dict[str, Any]:
    """Freeze ``question`` (with ``options`` and ``tags`` prefetched) for one attempt.

    ``rng`` shuffles the options (and matching answers); None keeps the author's order,
    as the admin preview does.
    """
    options = sorted(question.options.all(), key=lambda option: (option.position, option.pk))
    kind = question.type
    question_type = question_types.get(kind)
    rows = [
        {
            "id": option.pk,
            "text": _html(render_inline(option.text)),
            "rationale": _html(render_markdown(option.rationale)),
            "correct": option.is_correct,
        }
        for option in options
        if question_type.keeps_row(option)
    ]
    snapshot: dict[str, Any] = {
        "v": SNAPSHOT_VERSION,
        "id": question.pk,
        "uid": question.uid,
        "language": question.language,
        "type": kind,
        "select": question.select,
        "difficulty": question.difficulty,
        "domain": question.task.domain.number,
        "task": question.task.code,
        "tags": sorted(tag.slug for tag in question.tags.all()),
        "stem": _html(render_markdown(question.stem)),
        "explanation": _html(render_markdown(question.explanation)),
        "references": list(question.references),
        "case_study": None,
    }
    if question.case_study_id:
        snapshot["case_study"] = {
            "uid": question.case_study.uid,
            "scenario": _html(render_markdown(question.case_study.scenario)),
        }
    snapshot["key"] = question_type.key(rows)
    question_type.add_to_snapshot(snapshot, options, rng)
    if rng is not None:
        rng.shuffle(rows)
    snapshot["options"] = rows
    return snapshot


class Tokens(Protocol):
    def token_for(self, option_id: Any, role: str = ...) -> str: ...


def public_view(snapshot: dict[str, Any], tokens: Tokens | None = None) -> dict[str, Any]:
    """The snapshot without anything that reveals the answer: no key, rationale,
    explanation, or option id. Options and matches are named by ``tokens`` (an attempt
    item's ``exams.tokens.ItemTokens``: opaque, unique to the item, in no order); without
    tokens (the admin preview, which shows the key anyway) by their display position.
    """
    hidden = {"key", "explanation", "references", "id", "options", "matches"}
    view = {name: value for name, value in snapshot.items() if name not in hidden}

    def name(option_id: Any, role: str, index: int) -> str:
        return tokens.token_for(option_id, role) if tokens is not None else f"{role}{index}"

    view["options"] = [
        {"token": name(row["id"], "o", index), "text": row["text"]}
        for index, row in enumerate(snapshot["options"], start=1)
    ]
    if "matches" in snapshot:
        view["matches"] = [
            {"token": name(row["id"], "m", index), "text": row["text"]}
            for index, row in enumerate(snapshot["matches"], start=1)
        ]
    return view


def original_view(snapshot: dict[str, Any], language: str = Language.EN) -> dict[str, Any] | None:
    """The question of ``snapshot`` as written in ``language`` (its original), without the
    key or any option id, its options in the snapshot's display order; None if the uid has
    no such item.

    Translations keep their options' positions, so an option's position matches it with
    its original. Three queries.
    """
    original = (
        Question.objects.filter(uid=snapshot["uid"], language=language)
        .select_related("case_study")
        .prefetch_related("options")
        .first()
    )
    if original is None:
        return None
    shown = [row["id"] for row in snapshot["options"]] + [row["id"] for row in snapshot.get("matches", [])]
    positions = dict(Option.objects.filter(pk__in=shown).values_list("pk", "position"))
    by_position = {option.position: option for option in original.options.all()}

    def text(option_id: int, field: str = "text") -> str:
        option = by_position.get(positions.get(option_id))
        return _html(render_inline(getattr(option, field))) if option else ""

    view = {
        "uid": original.uid,
        "language": original.language,
        "type": snapshot["type"],
        "stem": _html(render_markdown(original.stem)),
        "case_study": None,
        "options": [{"text": text(row["id"])} for row in snapshot["options"]],
    }
    if original.case_study_id:
        view["case_study"] = {"scenario": _html(render_markdown(original.case_study.scenario))}
    if "matches" in snapshot:
        view["matches"] = [{"text": text(row["id"], "match")} for row in snapshot["matches"]]
    return view
