"""GIFT, as Moodle reads and writes it (question/format/gift), plus the ordering plugin's ``{>N …}``.

Reading follows Moodle: questions are separated by blank lines; ``//`` lines are comments;
``$CATEGORY:`` switches the category (its last segment, "…/3.1", names our task statement);
``::name::``; ``[html]``/``[markdown]``/``[plain]``/``[moodle]`` text formats; backslash
escapes for ``~ = # { } :`` and ``\\n``; ``=``/``~`` answers with ``%weight%`` and ``#feedback``;
``####`` general feedback; ``{T}``/``{F}``; ``=prompt -> match``; text after the braces
makes a "missing word" question. Essay, numerical and short-answer questions are not
supported here.

What GIFT cannot say is kept in comment lines Moodle ignores, in the ``// [key:value]``
style Moodle itself uses for ``[id:…]`` and ``[tag:…]``: ``language``, ``status``,
``difficulty``, ``guide``, ``reference``, ``case`` (a case study, whose scenario is a
description item named by its uid), ``select``/``type`` for unfinished drafts, and
``rationale:N:…`` for the items of ordering and matching questions, which have no
per-answer feedback in GIFT.
"""

import re

from questions import types as question_types

from .base import (
    CLI_HINTS,
    FALSE,
    TRUE,
    CaseStudyData,
    Hints,
    ImageRefused,
    OptionData,
    ParseResult,
    QuestionData,
    UidMaker,
    several_full_credit,
    task_from_category,
    to_markdown,
)
from .text import collecting_images

# Escaped characters become private-use placeholders while the structure is parsed.
_PLACEHOLDERS = {
    "\\": "\ue000",
    ":": "\ue001",
    "#": "\ue002",
    "=": "\ue003",
    "{": "\ue004",
    "}": "\ue005",
    "~": "\ue006",
}
_NEWLINE = "\ue007"
_RESTORE = {value: key for key, value in _PLACEHOLDERS.items()} | {_NEWLINE: "\n"}
_PLACEHOLDER = re.compile("[\ue000-\ue007]")
_ESCAPE = re.compile(r"\\(.)")
# One ``[key:value]`` at a given place of a comment line; matched from left to right only
# (never searched for), so that a line of unclosed "[k:" costs linear time, not quadratic.
_META = re.compile(r"\s*\[([a-z]+):((?:\\.|[^\]\\\n])*)\]")
_WEIGHT = re.compile(r"^%(-?\d+(?:\.\d+)?)%")
_FORMAT = re.compile(r"^\[(html|moodle|plain|markdown)\]", re.IGNORECASE)
_ORDERING_WORDS = {
    "ALL", "EXACT", "RANDOM", "REL", "CONTIGUOUS", "CONTIG",
    "HORIZONTAL", "HORI", "H", "VERTICAL", "VERT", "V",
    "ALL_OR_NOTHING", "ABSOLUTE_POSITION", "ABSOLUTE", "ABS", "RELATIVE_NEXT_EXCLUDE_LAST",
    "RELATIVE_NEXT_INCLUDE_LAST", "RELATIVE_ONE_PREVIOUS_AND_NEXT", "RELATIVE_ALL_PREVIOUS_AND_NEXT",
    "RELATIVE_TO_CORRECT", "RELATIVE", "LONGEST_ORDERED_SUBSET", "LONGEST_CONTIGUOUS_SUBSET",
    "SHOW", "TRUE", "YES", "HIDE", "FALSE", "NO",
}  # fmt: skip
_GRADING_WORDS = {word for word in _ORDERING_WORDS if word.startswith(("ABS", "REL", "LONGEST"))}
# The blank of a "missing word" question; replaced after the Markdown conversion so that
# no text format escapes it twice.
_BLANK_MARK = "\ue010"


def _protect(text: str) -> str:
    def replace(match: re.Match) -> str:
        char = match.group(1)
        if char == "n":
            return _NEWLINE
        return _PLACEHOLDERS.get(char, match.group(0))

    return _ESCAPE.sub(replace, text)


def _restore(text: str) -> str:
    return _PLACEHOLDER.sub(lambda match: _RESTORE[match.group()], text)


def _unescape_meta(value: str) -> str:
    return re.sub(r"\\(.)", lambda m: "\n" if m.group(1) == "n" else m.group(1), value)


class _Block:
    def __init__(self, line: int):
        self.line = line
        self.lines: list[str] = []
        self.numbers: list[int] = []
        self.meta: list[tuple[str, str]] = []


def _comment_meta(line: str) -> list[tuple[str, str]]:
    """The ``[key:value]`` pairs at the start of a ``//`` comment line ("// [tag:x] [tag:y]")."""
    pairs, at = [], 2
    while match := _META.match(line, at):
        pairs.append((match.group(1), _restore(_unescape_meta(match.group(2)))))
        at = match.end()
    return pairs


def _blocks(text: str) -> list[_Block]:
    """Split into blank-line separated blocks, keeping each block's first line number."""
    blocks: list[_Block] = []
    current: _Block | None = None
    for number, line in enumerate(text.split("\n"), start=1):
        stripped = line.strip()
        if not stripped:
            current = None
            continue
        if current is None:
            current = _Block(number)
            blocks.append(current)
        if stripped.startswith("//"):
            current.meta.extend(_comment_meta(stripped))
            continue
        if not current.lines:
            current.line = number
        current.lines.append(line)
        current.numbers.append(number)
    return [block for block in blocks if block.lines or block.meta]


def parse(text: str, *, source: str, skip_unsupported: bool = False, hints: Hints = CLI_HINTS) -> ParseResult:
    result = ParseResult()
    uids = UidMaker(result, source)
    task: str | None = None
    category = ""
    cases: list[tuple[QuestionData, str]] = []
    descriptions: dict[tuple[str, str], tuple[str, str]] = {}
    for block in _blocks(_protect(text)):
        if not block.lines:
            continue
        if block.lines[0].strip().startswith("$CATEGORY:"):
            # A category line may be followed directly by a question (no blank line between).
            category = _restore(block.lines[0].strip()[len("$CATEGORY:") :]).strip()
            task = task_from_category(category)
            block.lines, block.numbers = block.lines[1:], block.numbers[1:]
            if not block.lines:
                continue
            block.line = block.numbers[0]
        where = f"{source}, line {block.line}"
        try:
            _check_one_question(block)
            with collecting_images() as images:
                parsed = _question(
                    "\n".join(block.lines).strip(), block, where=where, task=task, category=category, uids=uids,
                    result=result,
                )  # fmt: skip
        except _Unsupported as unsupported:
            message = f"{where}: {unsupported} questions are not supported"
            if skip_unsupported:
                result.skipped.append(f"{message}; skipped.")
            else:
                result.errors.append(
                    f"{message} (only multiple choice, multiple response, true/false, matching "
                    f"and ordering); {hints.skip_unsupported}."
                )
            continue
        except (_Invalid, ImageRefused) as error:
            result.errors.append(f"{where}: {error}")
            continue
        if isinstance(parsed, tuple):  # a description: maybe a case-study scenario
            name, language, scenario = parsed
            descriptions[(name, language)] = (scenario, where)
            continue
        parsed.images = images
        result.questions.append(parsed)
        if parsed.case_study:
            cases.append((parsed, parsed.case_study.uid))
    used = set()
    for question, uid in cases:
        if (uid, question.language) in descriptions:
            question.case_study = CaseStudyData(uid=uid, scenario=descriptions[(uid, question.language)][0])
            used.add((uid, question.language))
    for key in sorted(set(descriptions) - used):
        result.skipped.append(
            f"{descriptions[key][1]}: description {key[0]!r} is not the case-study scenario of any question; skipped."
        )
    return result


def _check_one_question(block: _Block) -> None:
    """Two questions without a blank line between them read as one: say so at the second."""
    for line, number in zip(block.lines[1:], block.numbers[1:], strict=True):
        stripped = line.strip()
        if stripped.startswith("::") or stripped.startswith("$CATEGORY:"):
            raise _Invalid(
                f"line {number} starts a new question or category inside this one; "
                "separate questions with a blank line."
            )


class _Invalid(Exception):
    pass


class _Unsupported(Exception):
    pass


def _question(body: str, block: _Block, *, where: str, task, category: str, uids: UidMaker, result: ParseResult):
    name = ""
    if body.startswith("::"):
        end = body.find("::", 2)
        if end < 0:
            raise _Invalid("the question name starts with '::' but is not closed with '::'.")
        name = _restore(body[2:end]).strip()
        body = body[end + 2 :].strip()
    text_format = "moodle"
    if marker := _FORMAT.match(body):
        text_format = marker.group(1).lower()
        body = body[marker.end() :]
    meta = _Meta(block.meta, where)
    start, finish = body.find("{"), body.find("}")
    if start < 0 and finish < 0:
        if not (meta.one("id") or name):
            raise _Invalid(
                f"no answer block {{…}}, so this is not a question ({_restore(body)[:40]!r}…). Put the answers "
                "in braces: What is 2+2? {=4 ~5}. (A text without braces is a Moodle description; "
                "it needs a ::name::.)"
            )
        language = meta.one("language") or "en"
        return (meta.one("id") or name, language, to_markdown(_restore(body), text_format))
    if start < 0 or finish < start:
        raise _Invalid("unbalanced braces: an answer block needs '{' before '}' (escape literal braces as \\{ \\}).")
    answers = body[start + 1 : finish]
    after = body[finish + 1 :]
    if "{" in after or "}" in after:
        raise _Invalid("more than one answer block {…}; GIFT allows one per question.")
    stem_raw = body[:start] + (_BLANK_MARK + after if after.strip() else "")
    explanation = ""
    if (feedback_at := answers.rfind("####")) >= 0:
        explanation = _text(answers[feedback_at + 4 :], text_format)
        answers = answers[:feedback_at]
    answers = answers.strip()
    stem = to_markdown(_restore(stem_raw), text_format).replace(_BLANK_MARK, r"\_\_\_\_\_")

    if not answers:
        raise _Unsupported("essay")
    if answers.startswith("#"):
        raise _Unsupported("numerical")
    if answers.startswith(">"):
        kind, options = _ordering(answers, text_format, where, result)
    elif "~" in answers:
        kind, options = _choices(answers, text_format, where, result, forced=meta.one("type"))
    elif "=" in answers and "->" in answers:
        kind, options = "matching", _pairs(answers, text_format)
    elif answers.split("#", 1)[0].strip().upper() in ("T", "TRUE", "F", "FALSE"):
        kind, options = "single", _true_false(answers, text_format)
    else:
        raise _Unsupported("short answer")

    for number, rationale in meta.rationales():
        if not 1 <= number <= len(options):
            raise _Invalid(f"[rationale:{number}:…] names row {number}, but the question has {len(options)} rows.")
        options[number - 1].rationale = rationale
    fingerprint = stem + "\n" + "\n".join(f"{option.text}\t{option.match}" for option in options)
    language = meta.one("language") or "en"
    # A file this app wrote ("// [language:…]" is ours) names each question by its uid.
    identifier = meta.one("id") or (name if meta.one("language") else "")
    uid, _explicit = uids.make(
        identifier=identifier, name=name, fingerprint=fingerprint, where=where, language=language, category=category
    )
    select = meta.integer("select")
    if kind == "multiple" and select is None:
        select = sum(option.correct for option in options)
    case = meta.one("case")
    return QuestionData(
        uid=uid,
        type=kind,
        stem=stem,
        language=language,
        status=meta.one("status"),
        task=task,
        tags=meta.many("tag") or None,
        guides=meta.many("guide") or None,
        difficulty=meta.integer("difficulty"),
        case_study=CaseStudyData(uid=case) if case else None,
        select=select,
        explanation=explanation,
        references=meta.many("reference") or None,
        options=options,
        where=where + (f" ({name})" if name else ""),
    )


class _Meta:
    def __init__(self, pairs: list[tuple[str, str]], where: str):
        self.pairs = pairs
        self.where = where

    def one(self, key: str) -> str | None:
        values = self.many(key)
        return values[-1] if values else None

    def many(self, key: str) -> list[str]:
        return [value.strip() for name, value in self.pairs if name == key and value.strip()]

    def integer(self, key: str) -> int | None:
        value = self.one(key)
        if value is None:
            return None
        try:
            return int(value)
        except ValueError:
            raise _Invalid(f"[{key}:{value}] must be a whole number.") from None

    def rationales(self) -> list[tuple[int, str]]:
        found = []
        for value in (value for name, value in self.pairs if name == "rationale"):
            number, _, text = value.partition(":")
            if not number.strip().isdecimal():
                raise _Invalid(f"[rationale:{value[:20]}…] must start with a row number: [rationale:2:why…].")
            found.append((int(number), text.strip()))
        return found


def _text(raw: str, default_format: str) -> str:
    raw = raw.strip()
    text_format = default_format
    if marker := _FORMAT.match(raw):
        text_format = marker.group(1).lower()
        raw = raw[marker.end() :]
    return to_markdown(_restore(raw), text_format)


def _choices(answers: str, text_format: str, where: str, result: ParseResult, *, forced: str | None):
    single = "=" in answers
    if forced in ("single", "multiple"):
        single = forced == "single"
    options = []
    for number, part in enumerate((part.strip() for part in re.split(r"(?=[=~])", answers) if part.strip()), 1):
        if part[0] not in "=~":
            raise _Invalid(f"text {part[:30]!r} before the first answer; each answer starts with '=' or '~'.")
        weight = 0.0
        if part.startswith("="):
            weight, part = 100.0, part[1:]
        else:
            part = part[1:]
            if match := _WEIGHT.match(part):
                weight = float(match.group(1))
                part = part[match.end() :]
        if not -100 <= weight <= 100:
            raise _Invalid(f"answer {number} has weight {weight:g}%, outside -100…100%.")
        text, _, feedback = part.partition("#")
        option = OptionData(text=_text(text, text_format), rationale=_text(feedback, text_format))
        if single:
            option.correct = weight == 100
            if 0 < weight < 100:
                result.warnings.append(
                    f"{where}: answer {number} ({option.text[:40]!r}) has partial credit {weight:g}%; "
                    "questions here are scored all-or-nothing, so it counts as wrong and only the full-credit "
                    "answer is correct."
                )
        else:
            option.correct = weight > 0
        options.append(option)
    if single and forced != "single" and several_full_credit(options, where, result):
        single = False
    return ("single" if single else "multiple"), options


def _pairs(answers: str, text_format: str) -> list[OptionData]:
    options = []
    for number, part in enumerate((part.strip() for part in answers.split("=") if part.strip()), 1):
        if "->" not in part:
            raise _Invalid(f"matching pair {number} has no '->' between prompt and match.")
        prompt, _, match = part.partition("->")
        options.append(OptionData(text=_text(prompt, text_format), match=_restore(match).strip()))
    return options


def _true_false(answers: str, text_format: str) -> list[OptionData]:
    key, _, feedback = answers.partition("#")
    wrong_feedback, _, right_feedback = feedback.partition("#")
    is_true = key.strip().upper() in ("T", "TRUE")
    right, wrong = _text(right_feedback, text_format), _text(wrong_feedback, text_format)
    return [
        OptionData(text=TRUE, correct=is_true, rationale=right if is_true else wrong),
        OptionData(text=FALSE, correct=not is_true, rationale=wrong if is_true else right),
    ]


def _ordering(answers: str, text_format: str, where: str, result: ParseResult):
    header = re.match(r">\s*(\d+)", answers)
    if not header:
        raise _Invalid(
            "an ordering answer block starts with '>N' (N = number of items shown), e.g. {>4 ALL_OR_NOTHING."
        )
    rest = answers[header.end() :]
    words = []
    while (word := re.match(r"[ \t]*([A-Z_]+)\b[ \t]*", rest)) and word.group(1) in _ORDERING_WORDS:
        words.append(word.group(1))
        rest = rest[word.end() :]
    items = [line.strip() for line in rest.split("\n") if line.strip()]
    grading = [word for word in words if word in _GRADING_WORDS]
    if grading:
        result.warnings.append(f"{where}: grading {grading[0]} becomes all-or-nothing here.")
    shown = int(header.group(1))
    if items and 0 < shown < len(items):
        result.warnings.append(f"{where}: '>{shown}' shows a subset in Moodle; all {len(items)} items are shown here.")
    return "ordering", [OptionData(text=_text(item, text_format)) for item in items]


# --- writing ---------------------------------------------------------------------------


def escape(text: str) -> str:
    text = text.replace("\\", "\\\\")
    for char in ":#=~{}":
        text = text.replace(char, "\\" + char)
    return text.replace("\r", "").replace("\n", "\\n")


def escape_meta(text: str) -> str:
    return text.replace("\\", "\\\\").replace("]", "\\]").replace("\r", "").replace("\n", "\\n")


def dump(questions: list[QuestionData], *, categories: dict[str, str]) -> str:
    """GIFT for ``questions``; ``categories`` maps a task code to its category path."""
    out = [f"// quizapp question bank export: {len(questions)} questions. Comments in [key:value] form",
           "// carry what GIFT cannot express; Moodle ignores them.", ""]  # fmt: skip
    task = object()
    described: set[tuple[str, str]] = set()
    for data in questions:
        if data.task != task:
            task = data.task
            if data.task:
                out += [f"$CATEGORY: {categories.get(data.task, data.task)}", ""]
        case = data.case_study
        if case and case.scenario is not None and (case.uid, data.language) not in described:
            described.add((case.uid, data.language))
            if data.language != "en":
                out.append(f"// [language:{data.language}]")
            out += [f"::{escape(case.uid)}::[markdown]{escape(case.scenario)}", ""]
        out += _question_lines(data) + [""]
    return "\n".join(out)


def _question_lines(data: QuestionData) -> list[str]:
    lines = [f"// [language:{data.language}]"]
    if data.status:
        lines.append(f"// [status:{data.status}]")
    if data.difficulty is not None:
        lines.append(f"// [difficulty:{data.difficulty}]")
    lines += [f"// [guide:{escape_meta(code)}]" for code in data.guides or []]
    lines += [f"// [tag:{escape_meta(slug)}]" for slug in data.tags or []]
    lines += [f"// [reference:{escape_meta(url)}]" for url in data.references or []]
    if data.case_study:
        lines.append(f"// [case:{escape_meta(data.case_study.uid)}]")
    question_type = question_types.get(data.type)
    lines += question_type.gift_comments(data)
    head = f"::{escape(data.uid)}::[markdown]{escape(data.stem)}"
    explanation = f"\t####{escape(data.explanation)}" if data.explanation else None
    question = question_type.gift_lines(data, head, explanation)
    if question is None:
        return lines + [f"// [skipped:{escape_meta(data.uid)}] {question_type.label} questions have no GIFT form."]
    return lines + question


def rationale_comments(data: QuestionData) -> list[str]:
    """``// [rationale:N:…]`` lines: the rationales of rows that GIFT has no feedback for."""
    return [
        f"// [rationale:{number}:{escape_meta(option.rationale)}]"
        for number, option in enumerate(data.options, start=1)
        if option.rationale
    ]
