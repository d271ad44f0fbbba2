"""The native bank format (docs/bank-format.md §1): lossless in both directions.

Besides the documented keys, ordering ``items`` may be plain strings or
``{"text", "rationale"}`` objects, matching ``pairs`` carry an optional ``rationale``, and
``extra_matches`` may be strings or ``{"match", "rationale"}`` objects. Unknown keys are
errors, so a typo ("explaination") is reported instead of silently dropped.
"""

import json
from typing import Any

from questions import types as question_types

from .base import CaseStudyData, OptionData, ParseResult, QuestionData

FORMAT_NAME = "quizapp-bank"
VERSION = 1

# Every question's keys; each type adds its own (``json_rows_key``, ``json_extra_keys``).
QUESTION_KEYS = {
    "uid",
    "type",
    "language",
    "domain",
    "task",
    "tags",
    "difficulty",
    "status",
    "guide",
    "case_study",
    "stem",
    "explanation",
    "references",
    "select",
}


class Invalid(Exception):
    """A question of the file is wrong; the message says how (types raise it too)."""


def parse(text: str, *, source: str) -> ParseResult:
    result = ParseResult()
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        result.errors.append(f"{source}: line {error.lineno} column {error.colno}: not valid JSON ({error.msg}).")
        return result
    except RecursionError:
        # A bank file is a few levels deep; thousands of nested brackets are not one.
        result.errors.append(f"{source}: not a quizapp bank file (the JSON is nested too deeply to read).")
        return result
    if not isinstance(document, dict) or document.get("format") != FORMAT_NAME:
        result.errors.append(f'{source}: not a quizapp bank file (expected {{"format": "{FORMAT_NAME}", …}}).')
        return result
    if document.get("version") != VERSION:
        result.errors.append(
            f"{source}: bank format version {document.get('version')!r} is not supported (this app reads {VERSION})."
        )
        return result
    questions = document.get("questions")
    if not isinstance(questions, list):
        result.errors.append(f'{source}: "questions" must be a list.')
        return result
    for number, raw in enumerate(questions, start=1):
        uid = raw.get("uid") if isinstance(raw, dict) else None
        where = f"{source}, question {number}" + (f" ({uid})" if isinstance(uid, str) and uid else "")
        try:
            result.questions.append(_question(raw, where))
        except Invalid as error:
            result.errors.append(f"{where}: {error}")
    return result


def _question(raw: Any, where: str) -> QuestionData:
    if not isinstance(raw, dict):
        raise Invalid("must be an object.")
    known_types = question_types.all()
    rows_keys = {question_type.json_rows_key for question_type in known_types}
    type_keys = {key for other in known_types for key in (other.json_rows_key, *other.json_extra_keys)}
    unknown = sorted(set(raw) - QUESTION_KEYS - type_keys)
    if unknown:
        raise Invalid(f"unknown field(s) {', '.join(map(repr, unknown))}.")
    kind = _string(raw, "type", required=True)
    if kind not in question_types.values():
        raise Invalid(f"unknown question type {kind!r}; use one of: {', '.join(question_types.values())}.")
    question_type = question_types.get(kind)
    for key in rows_keys - {question_type.json_rows_key}:
        if key in raw:
            raise Invalid(f"{key!r} does not belong in a {kind} question (use {question_type.json_rows_key!r}).")
    for other in known_types:
        for key in other.json_extra_keys - question_type.json_extra_keys:
            if key in raw:
                raise Invalid(f"{key!r} belongs only in {other.value} questions.")
    domain = raw.get("domain")
    if domain is not None and not isinstance(domain, str | int):
        raise Invalid("'domain' must be a domain number such as \"3\".")
    difficulty = raw.get("difficulty")
    if difficulty is not None and (not isinstance(difficulty, int) or isinstance(difficulty, bool)):
        raise Invalid(f"'difficulty' must be a whole number 1–3, not {difficulty!r}.")
    select = raw.get("select")
    if select is not None and (not isinstance(select, int) or isinstance(select, bool)):
        raise Invalid(f"'select' must be a whole number, not {select!r}.")
    case_study = None
    if "case_study" in raw:
        case = raw["case_study"]
        if not isinstance(case, dict) or not isinstance(case.get("uid"), str) or set(case) - {"uid", "scenario"}:
            raise Invalid("'case_study' must be an object with a 'uid' and a 'scenario'.")
        scenario = case.get("scenario")
        if scenario is not None and not isinstance(scenario, str):
            raise Invalid("'case_study.scenario' must be text.")
        case_study = CaseStudyData(uid=case["uid"], scenario=scenario)
    return QuestionData(
        uid=_string(raw, "uid", required=True),
        type=kind,
        stem=_string(raw, "stem", required=True),
        language=_string(raw, "language") or "en",
        status=_string(raw, "status"),
        task=_string(raw, "task"),
        domain=None if domain is None else str(domain),
        tags=_strings(raw, "tags"),
        guides=_strings(raw, "guide"),
        difficulty=difficulty,
        case_study=case_study,
        select=select,
        explanation=_string(raw, "explanation") or "",
        references=_strings(raw, "references"),
        options=_options(raw, kind),
        where=where,
    )


def _string(raw: dict, key: str, *, required: bool = False) -> str | None:
    value = raw.get(key)
    if value is None:
        if required:
            raise Invalid(f"{key!r} is missing.")
        return None
    if not isinstance(value, str):
        raise Invalid(f"{key!r} must be text, not {type(value).__name__}.")
    return value


def _strings(raw: dict, key: str) -> list[str] | None:
    value = raw.get(key)
    if value is None:
        return None
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise Invalid(f"{key!r} must be a list of strings.")
    return value


def _options(raw: dict, kind: str) -> list[OptionData]:
    question_type = question_types.get(kind)
    key = question_type.json_rows_key
    rows = raw.get(key, [])
    if not isinstance(rows, list):
        raise Invalid(f"{key!r} must be a list.")
    options = [question_type.read_json_row(row, f"{key}[{number}]") for number, row in enumerate(rows, start=1)]
    return options + question_type.read_json_extras(raw)


def expect_keys(row: Any, allowed: set[str], label: str, *, required: set[str]) -> None:
    if not isinstance(row, dict):
        raise Invalid(f"{label} must be an object with {', '.join(sorted(required))}.")
    unknown = sorted(set(row) - allowed)
    if unknown:
        raise Invalid(f"{label} has unknown field(s) {', '.join(map(repr, unknown))}.")
    missing = sorted(required - set(row))
    if missing:
        raise Invalid(f"{label} is missing {', '.join(map(repr, missing))}.")


def field_text(row: dict, key: str, label: str) -> str:
    value = row.get(key, "")
    if not isinstance(value, str):
        raise Invalid(f"{label}.{key} must be text, not {type(value).__name__}.")
    return value


def dump(questions: list[QuestionData]) -> str:
    return (
        json.dumps(
            {"format": FORMAT_NAME, "version": VERSION, "questions": [_dump_question(data) for data in questions]},
            ensure_ascii=False,
            indent=2,
        )
        + "\n"
    )


def _dump_question(data: QuestionData) -> dict[str, Any]:
    out: dict[str, Any] = {
        "uid": data.uid,
        "type": data.type,
        "language": data.language,
        "domain": data.domain,
        "task": data.task,
        "tags": data.tags or [],
        "difficulty": data.difficulty,
        "status": data.status,
        "guide": data.guides or [],
    }
    if data.case_study:
        out["case_study"] = {"uid": data.case_study.uid, "scenario": data.case_study.scenario}
    out["stem"] = data.stem
    out.update(question_types.get(data.type).dump_json(data))
    out["explanation"] = data.explanation
    out["references"] = data.references or []
    return out
