"""The native bank format (docs/bank-format.md §1): lossless in both directions.

Besides the documented keys, ordering ``items`` may be plain strings or
``{"text", "rationale"}`` objects, matching ``pairs`` carry an optional ``rationale``, and
``extra_matches`` may be strings or ``{"match", "rationale"}`` objects. Unknown keys are
errors, so a typo ("explaination") is reported instead of silently dropped.
"""

import json
from typing import Any

from .base import CaseStudyData, OptionData, ParseResult, QuestionData

FORMAT_NAME = "quizapp-bank"
VERSION = 1

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
    "choices",
    "select",
    "items",
    "pairs",
    "extra_matches",
}
ROWS_KEY = {"single": "choices", "multiple": "choices", "ordering": "items", "matching": "pairs"}


class _Invalid(Exception):
    pass


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
        except _Invalid as error:
            result.errors.append(f"{where}: {error}")
    return result


def _question(raw: Any, where: str) -> QuestionData:
    if not isinstance(raw, dict):
        raise _Invalid("must be an object.")
    unknown = sorted(set(raw) - QUESTION_KEYS)
    if unknown:
        raise _Invalid(f"unknown field(s) {', '.join(map(repr, unknown))}.")
    kind = _string(raw, "type", required=True)
    if kind not in ROWS_KEY:
        raise _Invalid(f"unknown question type {kind!r}; use one of: {', '.join(ROWS_KEY)}.")
    for key in set(ROWS_KEY.values()) - {ROWS_KEY[kind]}:
        if key in raw:
            raise _Invalid(f"{key!r} does not belong in a {kind} question (use {ROWS_KEY[kind]!r}).")
    if "extra_matches" in raw and kind != "matching":
        raise _Invalid("'extra_matches' belongs only in matching questions.")
    domain = raw.get("domain")
    if domain is not None and not isinstance(domain, str | int):
        raise _Invalid("'domain' must be a domain number such as \"3\".")
    difficulty = raw.get("difficulty")
    if difficulty is not None and (not isinstance(difficulty, int) or isinstance(difficulty, bool)):
        raise _Invalid(f"'difficulty' must be a whole number 1–3, not {difficulty!r}.")
    select = raw.get("select")
    if select is not None and (not isinstance(select, int) or isinstance(select, bool)):
        raise _Invalid(f"'select' must be a whole number, not {select!r}.")
    case_study = None
    if "case_study" in raw:
        case = raw["case_study"]
        if not isinstance(case, dict) or not isinstance(case.get("uid"), str) or set(case) - {"uid", "scenario"}:
            raise _Invalid("'case_study' must be an object with a 'uid' and a 'scenario'.")
        scenario = case.get("scenario")
        if scenario is not None and not isinstance(scenario, str):
            raise _Invalid("'case_study.scenario' must be text.")
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
            raise _Invalid(f"{key!r} is missing.")
        return None
    if not isinstance(value, str):
        raise _Invalid(f"{key!r} must be text, not {type(value).__name__}.")
    return value


def _strings(raw: dict, key: str) -> list[str] | None:
    value = raw.get(key)
    if value is None:
        return None
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise _Invalid(f"{key!r} must be a list of strings.")
    return value


def _options(raw: dict, kind: str) -> list[OptionData]:
    key = ROWS_KEY[kind]
    rows = raw.get(key, [])
    if not isinstance(rows, list):
        raise _Invalid(f"{key!r} must be a list.")
    options = []
    for number, row in enumerate(rows, start=1):
        label = f"{key}[{number}]"
        if kind in ("single", "multiple"):
            _keys(row, {"text", "correct", "rationale"}, label, required={"text"})
            correct = row.get("correct", False)
            if not isinstance(correct, bool):
                raise _Invalid(f"{label}.correct must be true or false, not {correct!r}.")
            options.append(
                OptionData(text=_text(row, "text", label), correct=correct, rationale=_text(row, "rationale", label))
            )
        elif kind == "ordering":
            if isinstance(row, str):
                options.append(OptionData(text=row))
            else:
                _keys(row, {"text", "rationale"}, label, required={"text"})
                options.append(OptionData(text=_text(row, "text", label), rationale=_text(row, "rationale", label)))
        else:
            _keys(row, {"prompt", "match", "rationale"}, label, required={"prompt", "match"})
            prompt = _text(row, "prompt", label)
            if not prompt.strip():
                raise _Invalid(f"{label}.prompt is empty; put distractor answers in 'extra_matches'.")
            options.append(
                OptionData(text=prompt, match=_text(row, "match", label), rationale=_text(row, "rationale", label))
            )
    if kind == "matching":
        extras = raw.get("extra_matches", [])
        if not isinstance(extras, list):
            raise _Invalid("'extra_matches' must be a list.")
        for number, extra in enumerate(extras, start=1):
            label = f"extra_matches[{number}]"
            if isinstance(extra, str):
                options.append(OptionData(match=extra))
            else:
                _keys(extra, {"match", "rationale"}, label, required={"match"})
                options.append(
                    OptionData(match=_text(extra, "match", label), rationale=_text(extra, "rationale", label))
                )
    return options


def _keys(row: Any, allowed: set[str], label: str, *, required: set[str]) -> None:
    if not isinstance(row, dict):
        raise _Invalid(f"{label} must be an object with {', '.join(sorted(required))}.")
    unknown = sorted(set(row) - allowed)
    if unknown:
        raise _Invalid(f"{label} has unknown field(s) {', '.join(map(repr, unknown))}.")
    missing = sorted(required - set(row))
    if missing:
        raise _Invalid(f"{label} is missing {', '.join(map(repr, missing))}.")


def _text(row: dict, key: str, label: str) -> str:
    value = row.get(key, "")
    if not isinstance(value, str):
        raise _Invalid(f"{label}.{key} must be text, not {type(value).__name__}.")
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
    if data.type in ("single", "multiple"):
        out["choices"] = [
            {"text": option.text, "correct": option.correct, "rationale": option.rationale} for option in data.options
        ]
        if data.type == "multiple":
            out["select"] = data.select
    elif data.type == "ordering":
        out["items"] = [{"text": option.text, "rationale": option.rationale} for option in data.options]
    else:
        out["pairs"] = [
            {"prompt": option.text, "match": option.match, "rationale": option.rationale} for option in data.prompts
        ]
        out["extra_matches"] = [
            {"match": option.match, "rationale": option.rationale} if option.rationale else option.match
            for option in data.extras
        ]
    out["explanation"] = data.explanation
    out["references"] = data.references or []
    return out
