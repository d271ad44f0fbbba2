"""Moodle XML, as Moodle's qformat_xml and the ordering plugin write it.

Read: ``category`` pseudo-questions (the last path segment names our task statement),
``multichoice`` (``<single>``; an answer's ``fraction`` in percent, decimals allowed),
``truefalse``, ``matching`` (a subquestion without text is an extra distractor match),
``ordering`` (an answer's ``fraction`` is its position), ``description`` (a case-study
scenario when a question names it), ``name``, ``idnumber`` → uid, ``generalfeedback`` →
explanation, per-answer ``feedback`` → rationale, ``tags``; text formats html, markdown,
plain_text and moodle_auto_format. The parser refuses entity declarations and external
references (defusedxml), so a hostile file cannot expand or fetch anything.

What Moodle XML has no element for travels in elements Moodle ignores: a ``<quizapp>``
element per question (language, status, difficulty, case, guide revisions, references)
and a ``<feedback>`` inside a matching ``<subquestion>`` (the pair's rationale).
"""

import xml.etree.ElementTree as ET

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser

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
from .text import collecting_images, decode_file, image_markdown

UNSUPPORTED = {
    "essay": "essay",
    "shortanswer": "short answer",
    "numerical": "numerical",
    "multianswer": "cloze",
    "calculated": "calculated",
    "calculatedsimple": "simple calculated",
    "calculatedmulti": "calculated multichoice",
    "randomsamatch": "random short-answer matching",
    "ddwtos": "drag and drop into text",
    "gapselect": "select missing words",
    "ddimageortext": "drag and drop onto image",
    "ddmarker": "drag and drop markers",
    "random": "random",
}


class _Element(ET.Element):
    """An element that remembers its line, for error messages."""

    sourceline = 0


class _LineTreeBuilder(ET.TreeBuilder):
    def __init__(self):
        super().__init__(element_factory=_Element)
        self.parser: DefusedXMLParser | None = None

    def start(self, tag, attrs):
        element = super().start(tag, attrs)
        element.sourceline = self.parser.parser.CurrentLineNumber
        return element


class _Invalid(Exception):
    pass


def _parse_xml(text: str):
    builder = _LineTreeBuilder()
    # Entity declarations and external references are refused (billion laughs, XXE).
    parser = DefusedXMLParser(target=builder, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    builder.parser = parser
    parser.feed(text)
    return parser.close()


def parse(text: str, *, source: str, skip_unsupported: bool = False, hints: Hints = CLI_HINTS) -> ParseResult:
    result = ParseResult()
    try:
        root = _parse_xml(text)
    except DefusedXmlException as error:
        result.errors.append(
            f"{source}: the file declares XML entities or external references ({type(error).__name__}); "
            "they are refused so that a file cannot expand or fetch anything."
        )
        return result
    except ET.ParseError as error:
        line, column = error.position
        reason = str(error).split(":")[0]
        result.errors.append(f"{source}: line {line} column {column + 1}: not well-formed XML ({reason}).")
        return result
    if root.tag != "quiz":
        result.errors.append(
            f"{source}: not a Moodle XML question file (the root element is <{root.tag}>, not <quiz>)."
        )
        return result
    uids = UidMaker(result, source)
    task = None
    category = ""
    descriptions: dict[tuple[str, str], tuple[str, str]] = {}
    for number, element in enumerate(root.findall("question"), start=1):
        kind = element.get("type", "")
        where = f"{source}, question {number} (line {element.sourceline})"
        if kind == "category":
            category = (element.findtext("category/text") or "").strip()
            task = task_from_category(category)
            continue
        if kind in UNSUPPORTED or kind not in ("multichoice", "truefalse", "matching", "ordering", "description"):
            label = UNSUPPORTED.get(kind, repr(kind))
            message = f"{where}: {label} questions are not supported"
            if skip_unsupported:
                result.skipped.append(f"{message}; skipped.")
            else:
                result.errors.append(
                    f"{message} (only multichoice, truefalse, matching and ordering); {hints.skip_unsupported}."
                )
            continue
        try:
            if kind == "description":
                extension = element.find("quizapp")
                language = extension.get("language", "en") if extension is not None else "en"
                name = (element.findtext("idnumber") or element.findtext("name/text") or "").strip()
                descriptions[(name, language)] = (_rich(element, "questiontext"), where)
                continue
            with collecting_images(_embedded_files(element)) as images:
                question = _question(
                    element, kind, where=where, task=task, category=category, uids=uids, result=result
                )
            question.images = images
            result.questions.append(question)
        except (_Invalid, ImageRefused) as error:
            result.errors.append(f"{where}: {error}")
    used = set()
    for question in result.questions:
        case = question.case_study
        if case and (case.uid, question.language) in descriptions:
            case.scenario = descriptions[(case.uid, question.language)][0]
            used.add((case.uid, question.language))
    for key in sorted(set(descriptions) - used):
        result.skipped.append(
            f"{descriptions[key][1]}: description {key[0]!r} is not the case-study scenario of any question; skipped."
        )
    return result


def _embedded_files(element) -> dict[str, bytes]:
    """Moodle's ``<file name="…" encoding="base64">`` elements of one question, by name."""
    return {
        node.get("name", ""): decode_file(node.text or "", node.get("name", ""))
        for node in element.iter("file")
        if node.get("encoding", "base64") == "base64"
    }


def _old_image(element) -> str:
    """Moodle 1.9 kept a question's picture in ``<image>`` (and ``<image_base64>``): Markdown for it."""
    path = (element.findtext("image") or "").strip()
    if not path:
        return ""
    payload = (element.findtext("image_base64") or "").strip()
    if not payload:
        raise ImageRefused(f"image {path!r} is not in the file (no <image_base64>); it is not imported.")
    return image_markdown("data:image;base64," + payload, "")


def _rich(element, path: str, default_format: str = "moodle_auto_format") -> str:
    node = element.find(path)
    if node is None:
        return ""
    return to_markdown(node.findtext("text") or "", node.get("format", default_format))


def _fraction(answer, where_number: int) -> float:
    raw = answer.get("fraction", "0")
    try:
        return float(raw)
    except ValueError:
        raise _Invalid(f"answer {where_number} has fraction {raw!r}, which is not a number.") from None


# The ordering plugin writes its settings as words or, in older versions, as numbers.
_GRADING_CODES = {
    "-1": "ALL_OR_NOTHING", "0": "ABSOLUTE_POSITION", "1": "RELATIVE_NEXT_EXCLUDE_LAST",
    "2": "RELATIVE_NEXT_INCLUDE_LAST", "3": "RELATIVE_ONE_PREVIOUS_AND_NEXT", "4": "RELATIVE_ALL_PREVIOUS_AND_NEXT",
    "5": "LONGEST_ORDERED_SUBSET", "6": "LONGEST_CONTIGUOUS_SUBSET", "7": "RELATIVE_TO_CORRECT",
}  # fmt: skip
_SELECT_CODES = {"0": "ALL", "1": "RANDOM", "2": "CONTIGUOUS"}


def _ordering_warnings(element, count: int, where: str, result: ParseResult) -> None:
    """What an ordering question loses here: partial-credit grading, a subset of the items."""
    grading = (element.findtext("gradingtype") or "").strip().upper()
    grading = _GRADING_CODES.get(grading, grading)
    if grading and grading != "ALL_OR_NOTHING":
        result.warnings.append(f"{where}: grading {grading} becomes all-or-nothing here.")
    select = (element.findtext("selecttype") or "").strip().upper()
    select = _SELECT_CODES.get(select, select)
    shown = (element.findtext("selectcount") or "").strip()
    if select not in ("", "ALL") and shown.isdecimal() and 0 < int(shown) < count:
        result.warnings.append(
            f"{where}: Moodle shows a {select.lower()} subset of {shown} of the {count} items; all {count} are "
            "shown here."
        )


def _question(
    element, kind: str, *, where: str, task, category: str, uids: UidMaker, result: ParseResult
) -> QuestionData:
    questiontext = element.find("questiontext")
    if questiontext is None:
        raise _Invalid("has no <questiontext>.")
    text_format = questiontext.get("format", "html")
    stem = _rich(element, "questiontext", text_format)
    if image := _old_image(element):
        stem = f"{stem}\n\n{image}" if stem else image
    extension = element.find("quizapp")
    meta = extension if extension is not None else ET.Element("quizapp")
    select = None
    if kind == "multichoice":
        single = (element.findtext("single") or "true").strip().lower() in ("true", "1")
        options = []
        for number, answer in enumerate(element.findall("answer"), start=1):
            fraction = _fraction(answer, number)
            if not -100 <= fraction <= 100:
                raise _Invalid(f"answer {number} has fraction {fraction:g}, outside -100…100.")
            option = OptionData(text=_rich(answer, ".", text_format), rationale=_rich(answer, "feedback"))
            if single:
                option.correct = fraction >= 100
                if 0 < fraction < 100:
                    result.warnings.append(
                        f"{where}: answer {number} ({option.text[:40]!r}) has partial credit {fraction:g}%; "
                        "questions here are scored all-or-nothing, so it counts as wrong and only the full-credit "
                        "answer is correct."
                    )
            else:
                option.correct = fraction > 0
            options.append(option)
        if single and several_full_credit(options, where, result):
            single = False
        question_type = "single" if single else "multiple"
        if not single:
            select = (
                int(meta.get("select")) if (meta.get("select") or "").isdecimal() else sum(o.correct for o in options)
            )
    elif kind == "truefalse":
        by_text = {}
        for number, answer in enumerate(element.findall("answer"), start=1):
            value = (answer.findtext("text") or "").strip().lower()
            if value not in ("true", "false"):
                raise _Invalid(f"a true/false answer must be 'true' or 'false', not {value!r}.")
            by_text[value] = (_fraction(answer, number) >= 100, _rich(answer, "feedback"))
        if set(by_text) != {"true", "false"}:
            raise _Invalid("a true/false question needs one 'true' and one 'false' answer.")
        options = [
            OptionData(text=TRUE, correct=by_text["true"][0], rationale=by_text["true"][1]),
            OptionData(text=FALSE, correct=by_text["false"][0], rationale=by_text["false"][1]),
        ]
        question_type = "single"
    elif kind == "matching":
        options = []
        for sub in element.findall("subquestion"):
            prompt = to_markdown(sub.findtext("text") or "", sub.get("format", text_format))
            match = (sub.findtext("answer/text") or "").strip()
            options.append(OptionData(text=prompt, match=match, rationale=_rich(sub, "feedback")))
        question_type = "matching"
    else:  # ordering
        answers = []
        for number, answer in enumerate(element.findall("answer"), start=1):
            position = _fraction(answer, number)
            option = OptionData(text=_rich(answer, ".", text_format), rationale=_rich(answer, "feedback"))
            answers.append((position, number, option))
        positions = [position for position, _number, _option in answers]
        if len(set(positions)) != len(positions):
            result.warnings.append(f"{where}: answer fractions repeat, so the items keep their order in the file.")
            answers.sort(key=lambda row: row[1])
        else:
            answers.sort(key=lambda row: (row[0], row[1]))
        options = [option for _position, _number, option in answers]
        _ordering_warnings(element, len(options), where, result)
        question_type = "ordering"

    name = (element.findtext("name/text") or "").strip()
    fingerprint = stem + "\n" + "\n".join(f"{option.text}\t{option.match}" for option in options)
    language = meta.get("language") or "en"
    uid, _explicit = uids.make(
        identifier=(element.findtext("idnumber") or "").strip(),
        name=name,
        fingerprint=fingerprint,
        where=where,
        language=language,
        category=category,
    )
    tags = [
        text.strip() for text in (tag.findtext("text") or "" for tag in element.findall("tags/tag")) if text.strip()
    ]
    difficulty = meta.get("difficulty")
    if difficulty is not None and not difficulty.strip().isdecimal():
        raise _Invalid(f'<quizapp difficulty="{difficulty}"> must be a whole number.')
    case = meta.get("case")
    return QuestionData(
        uid=uid,
        type=question_type,
        stem=stem,
        language=language,
        status=meta.get("status"),
        task=task,
        tags=tags or None,
        guides=[node.text.strip() for node in meta.findall("guide") if node.text and node.text.strip()] or None,
        difficulty=int(difficulty) if difficulty is not None else None,
        case_study=CaseStudyData(uid=case) if case else None,
        select=select,
        explanation=_rich(element, "generalfeedback", text_format),
        references=[node.text.strip() for node in meta.findall("reference") if node.text and node.text.strip()]
        or None,
        options=options,
        where=where + (f" ({name})" if name else ""),
    )


# --- writing ---------------------------------------------------------------------------


def text_node(parent, tag: str, text: str, *, text_format: str | None = "markdown"):
    node = ET.SubElement(parent, tag, {"format": text_format} if text_format else {})
    ET.SubElement(node, "text").text = text
    return node


def dump(questions: list[QuestionData], *, categories: dict[str, str]) -> str:
    """Moodle XML for ``questions``; ``categories`` maps a task code to its category path."""
    quiz = ET.Element("quiz")
    task = object()
    described: set[tuple[str, str]] = set()
    for data in questions:
        if data.task != task:
            task = data.task
            if data.task:
                category = ET.SubElement(quiz, "question", {"type": "category"})
                text_node(category, "category", categories.get(data.task, data.task), text_format=None)
        case = data.case_study
        if case and case.scenario is not None and (case.uid, data.language) not in described:
            described.add((case.uid, data.language))
            description = ET.SubElement(quiz, "question", {"type": "description"})
            text_node(description, "name", case.uid, text_format=None)
            text_node(description, "questiontext", case.scenario)
            ET.SubElement(description, "idnumber").text = case.uid
            ET.SubElement(description, "quizapp", {"language": data.language})
        _question_element(quiz, data)
    ET.indent(quiz)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(quiz, encoding="unicode") + "\n"


def _question_element(quiz, data: QuestionData) -> None:
    question_type = question_types.get(data.type)
    kind = question_type.moodle_type(data)
    if kind is None:
        quiz.append(ET.Comment(f" {data.uid}: {question_type.label} questions have no Moodle XML form. "))
        return
    question = ET.SubElement(quiz, "question", {"type": kind})
    text_node(question, "name", data.uid, text_format=None)
    text_node(question, "questiontext", data.stem)
    text_node(question, "generalfeedback", data.explanation)
    ET.SubElement(question, "defaultgrade").text = "1"
    ET.SubElement(question, "hidden").text = "0"
    ET.SubElement(question, "idnumber").text = data.uid
    question_type.moodle_answers(question, data)
    if data.tags:
        tags = ET.SubElement(question, "tags")
        for slug in data.tags:
            text_node(tags, "tag", slug, text_format=None)
    attributes = {"language": data.language}
    if data.status:
        attributes["status"] = data.status
    if data.difficulty is not None:
        attributes["difficulty"] = str(data.difficulty)
    if data.case_study:
        attributes["case"] = data.case_study.uid
    attributes.update(question_type.moodle_attributes(data))
    extension = ET.SubElement(question, "quizapp", attributes)
    for code in data.guides or []:
        ET.SubElement(extension, "guide").text = code
    for url in data.references or []:
        ET.SubElement(extension, "reference").text = url
