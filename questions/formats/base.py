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
from typing import TYPE_CHECKING

from django.utils.text import slugify

from .text import ImageRefused, escape_markdown, html_to_markdown, to_markdown  # noqa: F401 -- re-exported

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
    # Images the text shows, to store with the question (questions.media): name -> bytes.
    images: dict[str, bytes] = field(default_factory=dict)

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


@dataclass(frozen=True)
class Hints:
    """How a message names the options of where the import runs (command line or admin form)."""

    skip_unsupported: str = "use --skip-unsupported to skip them"
    task: str = "use --task"


CLI_HINTS = Hints()


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
    """Uids for questions whose file gives no id of its own.

    Moodle names are not unique ("Q1", "Question title"), so a name alone must never pick
    the question an import replaces. The uid is the name's slug (or the first words of the
    text) plus a hash of the category, the name and the content: unique per import, and the
    same on every re-import of the same file, so that re-importing updates instead of
    duplicating. Only the same content under the same name and category repeats; the
    repeats get ``-2``, ``-3``… in file order. Linear in the number of questions.
    """

    def __init__(self, result: ParseResult, source: str):
        self.result = result
        self.source = source
        self.seen: dict[tuple[str, str], str] = {}
        self.repeats: dict[tuple[str, str], int] = {}

    def make(
        self, *, identifier: str, name: str, fingerprint: str, where: str, language: str, category: str = ""
    ) -> tuple[str, bool]:
        """Return ``(uid, explicit)``; explicit uids must be unique, the others are made unique.

        Translations share a uid, so uniqueness is per language.
        """
        if identifier:
            uid = _as_slug(identifier) or identifier
            if uid != identifier:
                self.result.warnings.append(f"{where}: id {identifier!r} is not a slug; using uid {uid!r}.")
            return uid, True
        digest = hashlib.sha1(f"{category}\0{name}\0{fingerprint}".encode()).hexdigest()[:8]
        words = slugify(name) if name else ""
        if not words:
            words = slugify(" ".join(fingerprint.split()[:6]))
        words = words[: UID_MAX_LENGTH - 16].strip("-") or "q"
        base = f"{words}-{digest}"
        uid = base
        if (base, language) in self.seen:
            number = self.repeats.get((base, language), 1)
            while (uid, language) in self.seen:
                number += 1
                uid = f"{base}-{number}"
            self.repeats[(base, language)] = number
            self.result.warnings.append(
                f"{where}: the same question (name and text) as {self.seen[(base, language)]}; using uid {uid!r}."
            )
        self.seen[(uid, language)] = where
        return uid, False


TRUE, FALSE = "True", "False"


def several_full_credit(options: list[OptionData], where: str, result: ParseResult) -> bool:
    """A single-answer question with several full-credit answers becomes multiple response.

    Moodle accepts it (any one of them earns full marks); here a single-answer question
    has one key, so all of them become the answers to pick, with a warning that says so
    and how to write each form in GIFT.
    """
    correct = sum(option.correct for option in options)
    if correct < 2:
        return False
    result.warnings.append(
        f"{where}: {correct} answers give full credit, which Moodle allows for single choice (any one earns "
        f"full marks); here it becomes multiple response: pick all {correct}. For single choice keep one "
        "'=' answer; for multiple response write the weights, e.g. {~%50%a ~%50%b ~%-100%c}."
    )
    return True


def correct_weight(count: int) -> str:
    """The percentage each of ``count`` correct answers carries, as Moodle writes it (33.33333)."""
    return f"{100 / count:.5f}".rstrip("0").rstrip(".")


def task_from_category(path: str) -> str | None:
    """The task code a GIFT/Moodle category path names in its last segment ("…/3.1")."""
    last = path.strip().rstrip("/").rsplit("/", 1)[-1].strip()
    return last if TASK_CODE.match(last) else None
