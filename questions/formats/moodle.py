"""Moodle XML, as Moodle's qformat_xml and the ordering plugin write it.

Read: ``category`` pseudo-questions (the last path segment names our task statement),
``multichoice`` (``<single>``; an answer's ``fraction`` in percent, decimals allowed),
``truefalse``, ``matching`` (a subquestion without text is an extra distractor match),
``ordering`` (an answer's ``fraction`` is its position), ``description`` (a case-study
scenario when a question names it), ``name``, ``idnumber`` → uid, ``generalfeedback`` →
explanation, per-answer ``feedback`` → rationale, ``tags``; text formats html, markdown,
plain_text and moodle_auto_format. The parser refuses entity declarations and external
references (defusedxml), so a hostile file cannot expand or fetch anything.

This module reads and writes what every question shares; each type's answer elements are
its own (``read_moodle``/``moodle_answers`` in ``questions.types``, which lists the Moodle
question types it reads in ``moodle_reads``). What Moodle XML has no element for travels
in elements Moodle ignores: a ``<quizapp>`` element per question (language, status,
difficulty, case, guide revisions, references) and a ``<feedback>`` inside a matching
``<subquestion>`` (the pair's rationale).
"""

import xml.etree.ElementTree as ET

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser

from questions import types as question_types

from .base import (
    CLI_HINTS,
    CaseStudyData,
    Hints,
    ImageRefused,
    ParseResult,
    QuestionData,
    UidMaker,
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


class Invalid(Exception):
    """A question of the file is wrong; the message says how (types raise it too)."""


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
        if kind in UNSUPPORTED or (kind != "description" and question_types.moodle_reader(kind) is None):
            label = UNSUPPORTED.get(kind, repr(kind))
            message = f"{where}: {label} questions are not supported"
            if skip_unsupported:
                result.skipped.append(f"{message}; skipped.")
            else:
                readable = [name for question_type in question_types.all() for name in question_type.moodle_reads]
                only = ", ".join(readable[:-1]) + " and " + readable[-1]
                result.errors.append(f"{message} (only {only}); {hints.skip_unsupported}.")
            continue
        try:
            if kind == "description":
                extension = element.find("quizapp")
                language = extension.get("language", "en") if extension is not None else "en"
                name = (element.findtext("idnumber") or element.findtext("name/text") or "").strip()
                descriptions[(name, language)] = (rich(element, "questiontext"), where)
                continue
            with collecting_images(_embedded_files(element)) as images:
                question = _question(
                    element, kind, where=where, task=task, category=category, uids=uids, result=result
                )
            question.images = images
            result.questions.append(question)
        except (Invalid, ImageRefused) as error:
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


def rich(element, path: str, default_format: str = "moodle_auto_format") -> str:
    node = element.find(path)
    if node is None:
        return ""
    return to_markdown(node.findtext("text") or "", node.get("format", default_format))


def fraction(answer, where_number: int) -> float:
    raw = answer.get("fraction", "0")
    try:
        return float(raw)
    except ValueError:
        raise Invalid(f"answer {where_number} has fraction {raw!r}, which is not a number.") from None


def _question(
    element, kind: str, *, where: str, task, category: str, uids: UidMaker, result: ParseResult
) -> QuestionData:
    questiontext = element.find("questiontext")
    if questiontext is None:
        raise Invalid("has no <questiontext>.")
    text_format = questiontext.get("format", "html")
    stem = rich(element, "questiontext", text_format)
    if image := _old_image(element):
        stem = f"{stem}\n\n{image}" if stem else image
    extension = element.find("quizapp")
    meta = extension if extension is not None else ET.Element("quizapp")
    reader = question_types.moodle_reader(kind)
    question_type, options, select = reader.read_moodle(
        element, kind, text_format=text_format, meta=meta, where=where, result=result
    )

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
        raise Invalid(f'<quizapp difficulty="{difficulty}"> must be a whole number.')
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
        explanation=rich(element, "generalfeedback", text_format),
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
