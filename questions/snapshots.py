"""What a candidate sees of a question, frozen as plain data.

An attempt stores ``take_snapshot(question, rng)`` for each of its items: the rendered
(sanitized) HTML of the stem, options and explanation, the display order of the options
for this attempt, and the key. Pages render from the snapshot, so editing or retiring a
question later never changes an attempt, and a page needs no query for the options.

Before an attempt is submitted, templates get only ``public_view(snapshot)``, which has
no key, no rationale and no explanation: nothing there can leak the answer.

Answer shapes (what the browser posts, what ``key`` holds):
- single:   ``[option_id]``
- multiple: ``[option_id, ...]`` (order irrelevant)
- ordering: ``[option_id, ...]`` in the chosen order
- matching: ``{str(prompt_option_id): match_option_id}``; a prompt's correct match is the
  option row itself, extra distractor matches are rows without prompt text.
"""

import random
from typing import Any

from .markup import render_inline, render_markdown
from .models import Language, Option, Question

SNAPSHOT_VERSION = 1


def take_snapshot(question: Question, rng: random.Random | None = None) -> dict[str, Any]:
    """Freeze ``question`` (with ``options`` and ``tags`` prefetched) for one attempt.

    ``rng`` shuffles the options (and matching answers); None keeps the author's order,
    as the admin preview does.
    """
    options = sorted(question.options.all(), key=lambda option: (option.position, option.pk))
    kind = question.type
    rows = [
        {
            "id": option.pk,
            "text": render_inline(option.text),
            "rationale": str(render_markdown(option.rationale)),
            "correct": option.is_correct,
        }
        for option in options
        if kind != Question.Type.MATCHING or option.text
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
        "stem": str(render_markdown(question.stem)),
        "explanation": str(render_markdown(question.explanation)),
        "references": list(question.references),
        "case_study": None,
    }
    if question.case_study_id:
        snapshot["case_study"] = {
            "uid": question.case_study.uid,
            "scenario": str(render_markdown(question.case_study.scenario)),
        }
    if kind == Question.Type.SINGLE:
        snapshot["key"] = [row["id"] for row in rows if row["correct"]]
    elif kind == Question.Type.MULTIPLE:
        snapshot["key"] = sorted(row["id"] for row in rows if row["correct"])
    elif kind == Question.Type.ORDERING:
        snapshot["key"] = [row["id"] for row in rows]
    else:
        snapshot["key"] = {str(row["id"]): row["id"] for row in rows}
        matches = [{"id": option.pk, "text": render_inline(option.match)} for option in options]
        if rng is not None:
            rng.shuffle(matches)
        snapshot["matches"] = [{"id": match["id"], "text": str(match["text"])} for match in matches]
    for row in rows:
        row["text"] = str(row["text"])
    if rng is not None:
        rng.shuffle(rows)
    snapshot["options"] = rows
    return snapshot


def public_view(snapshot: dict[str, Any]) -> dict[str, Any]:
    """The snapshot without anything that reveals the answer (key, rationales, explanation)."""
    hidden = {"key", "explanation", "references"}
    view = {name: value for name, value in snapshot.items() if name not in hidden}
    view["options"] = [{"id": row["id"], "text": row["text"]} for row in snapshot["options"]]
    return view


def original_view(snapshot: dict[str, Any], language: str = Language.EN) -> dict[str, Any] | None:
    """The question of ``snapshot`` as written in ``language`` (its original), without the
    key, its options in the snapshot's display order; None if the uid has no such item.

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
        return str(render_inline(getattr(option, field))) if option else ""

    view = {
        "uid": original.uid,
        "language": original.language,
        "type": snapshot["type"],
        "stem": str(render_markdown(original.stem)),
        "case_study": None,
        "options": [{"id": row["id"], "text": text(row["id"])} for row in snapshot["options"]],
    }
    if original.case_study_id:
        view["case_study"] = {"scenario": str(render_markdown(original.case_study.scenario))}
    if "matches" in snapshot:
        view["matches"] = [{"id": row["id"], "text": text(row["id"], "match")} for row in snapshot["matches"]]
    return view
