"""The format-neutral shape of a question that every reader produces and every writer takes.

A reader (``json``, ``gift``, ``moodle``) turns a file into ``QuestionData`` plus the
problems it met; the importer resolves and validates those, and writes them with one
bulk upsert. Exporting goes the other way: ``QuestionData.from_question`` then a writer.

``None`` in a field means "the file does not say": a new question gets the default, an
existing one keeps what it has (GIFT and Moodle XML files from other tools carry no
status, difficulty or guide revision, and re-importing them must not reset those).
"""

import hashlib
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import TYPE_CHECKING

from django.utils.text import slugify

if TYPE_CHECKING:
    from questions.models import Question

TASK_CODE = re.compile(r"^[1-9]\.[1-9]$")
SLUG = re.compile(r"^[-a-zA-Z0-9_]+$")
UID_MAX_LENGTH = 80


@dataclass
class OptionData:
    """One row of answer material; see ``questions.models.Option`` for its meaning per type."""

    text: str = ""
    match: str = ""
    correct: bool = False
    rationale: str = ""


@dataclass
class CaseStudyData:
    uid: str
    # None: the file only refers to the case study; it must exist already.
    scenario: str | None = None


@dataclass
class QuestionData:
    uid: str
    type: str
    stem: str
    language: str = "en"
    status: str | None = None
    task: str | None = None
    domain: str | None = None
    tags: list[str] | None = None
    guides: list[str] | None = None
    difficulty: int | None = None
    case_study: CaseStudyData | None = None
    select: int | None = None
    explanation: str = ""
    references: list[str] | None = None
    options: list[OptionData] = field(default_factory=list)
    # Where the question came from, for messages: "bank.gift, line 12".
    where: str = ""

    @classmethod
    def from_question(cls, question: "Question") -> "QuestionData":
        """Read a saved question; ``options``, ``tags`` and ``guides`` should be prefetched."""
        options = sorted(question.options.all(), key=lambda option: (option.position, option.pk))
        case_study = None
        if question.case_study_id:
            case_study = CaseStudyData(uid=question.case_study.uid, scenario=question.case_study.scenario)
        return cls(
            uid=question.uid,
            type=question.type,
            stem=question.stem,
            language=question.language,
            status=question.status,
            task=question.task.code if question.task_id else None,
            domain=str(question.task.domain.number) if question.task_id else None,
            tags=sorted(tag.slug for tag in question.tags.all()),
            guides=sorted(guide.code for guide in question.guides.all()),
            difficulty=question.difficulty,
            case_study=case_study,
            select=question.select,
            explanation=question.explanation,
            references=list(question.references or []),
            options=[
                OptionData(text=option.text, match=option.match, correct=option.is_correct, rationale=option.rationale)
                for option in options
            ],
            where=str(question),
        )

    @property
    def prompts(self) -> list[OptionData]:
        """Matching: the rows that are prompts (the others are extra distractor matches)."""
        return [option for option in self.options if option.text]

    @property
    def extras(self) -> list[OptionData]:
        return [option for option in self.options if not option.text]


@dataclass
class ParseResult:
    """What a reader found in one file. Messages are complete sentences with their place."""

    questions: list[QuestionData] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def _as_slug(text: str) -> str:
    """``text`` itself when it is a usable uid, else its slug ("" when nothing is left)."""
    if SLUG.match(text) and len(text) <= UID_MAX_LENGTH:
        return text
    return slugify(text)[:UID_MAX_LENGTH].strip("-")


class UidMaker:
    """Stable uids for questions whose file gives no usable id.

    A name that is not a slug is slugified (with a note); a question with no name gets
    a uid from its text and answers, so the same file always yields the same uids and a
    re-import updates instead of duplicating. Repeats get ``-2``, ``-3``… in file order.
    """

    def __init__(self, result: ParseResult, source: str):
        self.result = result
        self.source = source
        self.seen: dict[tuple[str, str], str] = {}

    def make(self, *, identifier: str, name: str, fingerprint: str, where: str, language: str) -> tuple[str, bool]:
        """Return ``(uid, explicit)``; explicit uids must be unique, the others are made unique.

        Translations share a uid, so uniqueness is per language.
        """
        if identifier:
            uid = _as_slug(identifier) or identifier
            if uid != identifier:
                self.result.warnings.append(f"{where}: id {identifier!r} is not a slug; using uid {uid!r}.")
            return uid, True
        uid = ""
        if name:
            uid = _as_slug(name)
            if uid and uid != name:
                self.result.warnings.append(f"{where}: name {name!r} is not a slug; using uid {uid!r}.")
        if not uid:
            digest = hashlib.sha1(fingerprint.encode()).hexdigest()[:8]
            words = slugify(" ".join(fingerprint.split()[:6]))[:40].strip("-")
            uid = f"{words}-{digest}" if words else f"q-{digest}"
        base, number = uid, 1
        while (uid, language) in self.seen:
            number += 1
            uid = f"{base[: UID_MAX_LENGTH - 4]}-{number}"
        if number > 1:
            first = self.seen[(base, language)]
            self.result.warnings.append(f"{where}: uid {base!r} was already used by {first}; using {uid!r}.")
        self.seen[(uid, language)] = where
        return uid, False


TRUE, FALSE = "True", "False"


def is_true_false(data: QuestionData) -> bool:
    """A single-answer question with the options True, False: written as GIFT/Moodle true/false."""
    return (
        data.type == "single"
        and [option.text for option in data.options] == [TRUE, FALSE]
        and sum(option.correct for option in data.options) == 1
    )


def correct_weight(count: int) -> str:
    """The percentage each of ``count`` correct answers carries, as Moodle writes it (33.33333)."""
    return f"{100 / count:.5f}".rstrip("0").rstrip(".")


def task_from_category(path: str) -> str | None:
    """The task code a GIFT/Moodle category path names in its last segment ("…/3.1")."""
    last = path.strip().rstrip("/").rsplit("/", 1)[-1].strip()
    return last if TASK_CODE.match(last) else None


_MARKDOWN_SPECIALS = re.compile(r"([\\`*_\[\]<>])")


def escape_markdown(text: str) -> str:
    """Plain text → Markdown that renders as the same text."""
    return _MARKDOWN_SPECIALS.sub(r"\\\1", text)


_HTML_HINT = re.compile(r"<(p|br|b|strong|i|em|ul|ol|li|code|pre|a|div|span|sub|sup|img|table)\b", re.IGNORECASE)


def looks_like_html(text: str) -> bool:
    return bool(_HTML_HINT.search(text))


class _HtmlToMarkdown(HTMLParser):
    """Reduce HTML from other tools to our Markdown subset (bold, italics, code, lists, links)."""

    INLINE = {"strong": "**", "b": "**", "em": "*", "i": "*", "code": "`", "tt": "`"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.lists: list[list] = []  # [kind, counter]
        self.href: list[str | None] = []
        self.pre = 0
        self.code = 0
        self.skip = 0

    def _block(self):
        self.out.append("\n\n")

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self.skip += 1
        elif tag in self.INLINE:
            self.out.append(self.INLINE[tag])
            if tag in ("code", "tt"):
                self.code += 1
        elif tag in ("p", "div", "table", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6"):
            self._block()
        elif tag == "br":
            self.out.append("\\\n")
        elif tag == "tr":
            self.out.append("\n")
        elif tag in ("ul", "ol"):
            self.lists.append([tag, 0])
            self._block()
        elif tag == "li":
            kind = self.lists[-1] if self.lists else ["ul", 0]
            kind[1] += 1
            bullet = f"{kind[1]}. " if kind[0] == "ol" else "- "
            self.out.append("\n" + "   " * max(len(self.lists) - 1, 0) + bullet)
        elif tag == "pre":
            self.pre += 1
            self.out.append("\n\n```\n")
        elif tag == "a":
            self.href.append(dict(attrs).get("href"))
            self.out.append("[")
        elif tag == "img":
            alt = dict(attrs).get("alt") or ""
            if alt:
                self.out.append(escape_markdown(alt))

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self.skip = max(self.skip - 1, 0)
        elif tag in self.INLINE:
            self.out.append(self.INLINE[tag])
            if tag in ("code", "tt"):
                self.code = max(self.code - 1, 0)
        elif tag in ("p", "div", "table", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6"):
            self._block()
        elif tag in ("ul", "ol"):
            if self.lists:
                self.lists.pop()
            self._block()
        elif tag == "pre":
            self.pre = max(self.pre - 1, 0)
            self.out.append("\n```\n\n")
        elif tag == "a":
            href = self.href.pop() if self.href else None
            self.out.append(f"]({href})" if href else "]")
        elif tag in ("td", "th"):
            self.out.append(" ")

    def handle_data(self, data):
        if self.skip:
            return
        if self.pre:
            self.out.append(data)
        elif self.code:
            self.out.append(re.sub(r"\s+", " ", data))
        else:
            self.out.append(escape_markdown(re.sub(r"\s+", " ", data)))

    def markdown(self) -> str:
        text = "".join(self.out)
        lines = [line.strip() if not line.startswith("   ") else line.rstrip() for line in text.split("\n")]
        text = "\n".join(lines)
        return re.sub(r"\n{3,}", "\n\n", text).strip()


def html_to_markdown(html: str) -> str:
    parser = _HtmlToMarkdown()
    parser.feed(html)
    parser.close()
    return parser.markdown()


def to_markdown(text: str, text_format: str) -> str:
    """Convert question text in a Moodle text format to the Markdown we store."""
    text_format = (text_format or "").lower()
    if text_format == "markdown":
        return text.strip()
    if text_format == "html":
        return html_to_markdown(text)
    if text_format in ("plain", "plain_text"):
        return escape_markdown(text.strip())
    # moodle / moodle_auto_format: plain text that may contain HTML.
    return html_to_markdown(text) if looks_like_html(text) else text.strip()
