"""Lay a candidate's answer onto a question for the shared includes.

``{% answer_controls question answer as controls %}`` feeds
``includes/question_form.html`` from ``public_view(snapshot, tokens)`` only (options named
by opaque tokens, the answer in tokens too), so the answer controls cannot show what they
were never given. ``{% review_rows snapshot answer as
review %}`` feeds ``includes/question_review.html`` (after submission, in practice
feedback and in the admin preview, where ``answer`` is None).
"""

from typing import Any

from django import template

from exams.grading import grade
from questions.markup import plain_text
from questions.validation import stem_states_count

register = template.Library()

LETTERS = "ABCDEFG"


def _key_hint(index: int) -> str:
    """The shortcut shown on the n-th option (1-based): its letter, for the first seven."""
    return LETTERS[index - 1] if index <= len(LETTERS) else ""


@register.simple_tag
def answer_controls(question: dict[str, Any], answer=None) -> dict[str, Any]:
    """The options of a public question view, in display order, marked with ``answer``
    (tokens, as ``ItemTokens.public_answer`` gives it).

    single / multiple: ``options`` with ``checked``. ordering: ``options`` in the
    candidate's order when there is one (the shuffled order otherwise). matching:
    ``options`` are the prompts, each with its ``selected`` match token, and ``matches``.
    Every option has ``index`` (1-based, for the keyboard), ``letter`` and ``plain`` (its
    text for attributes: a plain str that the template escapes once). ``select_hint``:
    show "Select N answers." under a multiple-response stem that does not say it already.
    """
    kind = question["type"]
    rows = [dict(row) for row in question["options"]]
    if kind == "ordering" and answer:
        by_token = {row.get("token"): row for row in rows}
        if sorted(by_token) == sorted(answer):
            rows = [by_token[token] for token in answer]
    chosen = set(answer) if isinstance(answer, list) else set()
    matched = answer if isinstance(answer, dict) else {}
    for index, row in enumerate(rows, start=1):
        row["index"] = index
        row["letter"] = _key_hint(index)
        row["plain"] = plain_text(row["text"])
        row["checked"] = row.get("token") in chosen
        row["selected"] = matched.get(row.get("token"))
    matches = [
        {"token": match.get("token"), "plain": plain_text(match["text"])} for match in question.get("matches", [])
    ]
    select = question.get("select")
    select_hint = kind == "multiple" and not (select and stem_states_count(plain_text(question["stem"]), select))
    return {"type": kind, "options": rows, "matches": matches, "count": len(rows), "select_hint": select_hint}


@register.simple_tag
def review_rows(snapshot: dict[str, Any], answer=None) -> dict[str, Any]:
    """Every option with the key, the candidate's choice and its rationale.

    single / multiple: ``rows`` in display order with ``correct`` (part of the key) and
    ``chosen``. ordering: ``rows`` in the correct order with ``position`` (correct, 1-based)
    and ``chosen_position`` (the candidate's, or None). matching: ``rows`` per prompt with
    ``match`` (correct text), ``chosen_match`` (the candidate's text) and ``right``.
    ``answered`` / ``correct`` summarise the whole answer.
    """
    kind = snapshot["type"]
    answered = bool(answer)
    options = snapshot["options"]
    rows: list[dict[str, Any]] = []
    if kind in ("single", "multiple"):
        chosen = set(answer or [])
        for index, row in enumerate(options, start=1):
            rows.append(
                {
                    **row,
                    "letter": _key_hint(index),
                    "chosen": row["id"] in chosen,
                    "right": row["correct"] == (row["id"] in chosen),
                }
            )
    elif kind == "ordering":
        by_id = {row["id"]: row for row in options}
        given = list(answer or [])
        for place, pk in enumerate(snapshot["key"], start=1):
            chosen_position = given.index(pk) + 1 if pk in given else None
            rows.append(
                {**by_id[pk], "position": place, "chosen_position": chosen_position, "right": chosen_position == place}
            )
    else:
        match_text = {match["id"]: match["text"] for match in snapshot.get("matches", [])}
        given = answer if isinstance(answer, dict) else {}
        for index, row in enumerate(options, start=1):
            correct_id = snapshot["key"][str(row["id"])]
            chosen_id = given.get(str(row["id"]))
            rows.append(
                {
                    **row,
                    "letter": _key_hint(index),
                    "match": match_text.get(correct_id, ""),
                    "chosen_match": match_text.get(chosen_id) if chosen_id else None,
                    "right": chosen_id == correct_id,
                }
            )
    return {
        "type": kind,
        "rows": rows,
        "answered": answered,
        "correct": grade(snapshot, answer) if answered else False,
        "show_answer": answer is not None,
        # Only web links: a reference is author input and must not become a script URL.
        "references": [url for url in snapshot.get("references", []) if str(url).startswith(("https://", "http://"))],
    }


@register.filter
def clock(seconds) -> str:
    """Seconds as a countdown reads: ``1:29:59``, ``29:59``, ``0:05``."""
    try:
        seconds = max(0, int(seconds))
    except (TypeError, ValueError):
        return ""
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"
