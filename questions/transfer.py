"""Moving the bank in and out: import (commands, admin page, ``load_bank``) and export.

``import_sources`` reads every file, resolves what the files name (task statements,
guide revisions, case studies), validates every question with the same rules as the
admin, and writes all of it in one transaction, or nothing when there is any error.
``save_questions`` is the one bulk upsert, keyed by (uid, language): it updates changed
rows, removes options no longer present, and never duplicates.
"""

import codecs
import os
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from . import media
from .formats import base, gift, moodle
from .formats import json as json_format
from .formats.base import CLI_HINTS, Hints, QuestionData
from .models import CaseStudy, GuideRevision, Option, Question, Tag, TaskStatement
from .revisions import DRAWABLE, revise
from .signals import bank_changed
from .tag_names import TAG_NAMES
from .validation import validate_question

FORMATS = {".json": "json", ".gift": "gift", ".txt": "gift", ".xml": "xml"}
TAG_MAX_LENGTH = Tag._meta.get_field("slug").max_length
_url = URLValidator(schemes=["http", "https"])


@dataclass
class Source:
    """One file to import; ``data`` is None when it was too big to read."""

    name: str
    data: bytes | None
    size: int

    @classmethod
    def from_path(cls, path: str | Path) -> "Source":
        path = Path(path)
        size = os.path.getsize(path)
        data = path.read_bytes() if size <= settings.QUESTION_IMPORT_MAX_BYTES else None
        return cls(name=str(path), data=data, size=size)


@dataclass
class ImportResult:
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    dry_run: bool = False
    # The questions already in the bank that this import changes (or would, in a dry run):
    # "uid (language): where in the file".
    updates: list[str] = field(default_factory=list)
    updated_uids: list[str] = field(default_factory=list)
    # New questions that arrive as drafts (GIFT and Moodle XML carry no status).
    new_drafts: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        if self.errors:
            return f"Nothing imported: {len(self.errors)} error(s)."
        counts = f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged"
        if self.updated_uids:
            shown = ", ".join(self.updated_uids[:10]) + (", …" if len(self.updated_uids) > 10 else "")
            counts += f" (updated: {shown})"
        drafts = ""
        if self.new_drafts:
            drafts = f" The {self.new_drafts} new question(s) are drafts: candidates see them once published."
        if self.dry_run:
            return f"Dry run, nothing written: {counts}.{drafts}"
        return f"Imported: {counts}.{drafts}"


_BOMS = [(codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")]
_XML_ENCODING = re.compile(rb"""^<\?xml[^>]*\bencoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")


def _encoding(data: bytes) -> str:
    """The file's encoding: from its byte-order mark, else its XML declaration, else UTF-8."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return encoding
    if match := _XML_ENCODING.match(data[:200]):
        return match.group(1).decode("ascii")
    return "utf-8"


def decode(source: Source) -> tuple[str | None, str | None]:
    """The file's text (BOM removed, line ends normalized) or an error message."""
    limit = settings.QUESTION_IMPORT_MAX_BYTES
    if source.data is None or source.size > limit or len(source.data) > limit:
        return None, (
            f"{source.name}: the file is {source.size:,} bytes; files over {limit:,} bytes "
            "(QUESTION_IMPORT_MAX_BYTES) are refused."
        )
    encoding = _encoding(source.data)
    try:
        text = source.data.decode(encoding)
    except LookupError:
        return None, f"{source.name}: the file declares the encoding {encoding!r}, which is not known here."
    except UnicodeDecodeError as error:
        line = source.data.count(b"\n", 0, error.start) + 1
        column = error.start - (source.data.rfind(b"\n", 0, error.start) + 1) + 1
        name = "UTF-8" if encoding.startswith("utf-8") else encoding
        return None, (
            f"{source.name}: line {line} column {column}: not {name} text (byte 0x{source.data[error.start]:02x}); "
            f"save the file as UTF-8 (or declare its encoding) and import it again."
        )
    # The text is Unicode now: the XML declaration must no longer name a byte encoding.
    text = text.removeprefix("\ufeff")
    return text.replace("\r\n", "\n").replace("\r", "\n"), None


def _looks_like_xml(text: str) -> bool:
    return text.lstrip().startswith(("<?xml", "<quiz"))


def parse_source(source: Source, *, skip_unsupported: bool = False, hints: Hints = CLI_HINTS) -> base.ParseResult:
    kind = FORMATS.get(Path(source.name).suffix.lower())
    if kind is None:
        result = base.ParseResult()
        result.errors.append(
            f"{source.name}: unknown file type; use .json (native), .gift (or .txt) or .xml (Moodle)."
        )
        return result
    text, error = decode(source)
    if error:
        result = base.ParseResult()
        result.errors.append(error)
        return result
    if kind == "gift" and _looks_like_xml(text):
        # A Moodle XML export saved as .txt: read it as what it is, and say so.
        result = moodle.parse(text, source=source.name, skip_unsupported=skip_unsupported, hints=hints)
        result.warnings.insert(0, f"{source.name}: the file is Moodle XML, not GIFT; read as Moodle XML.")
    elif kind == "json":
        result = json_format.parse(text, source=source.name)
    elif kind == "gift":
        result = gift.parse(text, source=source.name, skip_unsupported=skip_unsupported, hints=hints)
    else:
        result = moodle.parse(text, source=source.name, skip_unsupported=skip_unsupported, hints=hints)
    if not (result.questions or result.errors or result.skipped):
        what = "the file is empty" if not text.strip() else "no question found in the file"
        result.errors.append(f"{source.name}: {what}; nothing to import.")
    return result


def import_sources(
    sources: list[Source],
    *,
    dry_run: bool = False,
    task: str | None = None,
    skip_unsupported: bool = False,
    skip_invalid: bool = False,
    hints: Hints = CLI_HINTS,
) -> ImportResult:
    """Import ``sources`` all or nothing.

    ``task`` is the task code for questions whose file names none. ``skip_invalid``
    (``--skip-invalid``, ``load_bank``) leaves out the questions with errors, each listed
    as skipped with its reason, and imports the rest; a file that cannot be read at all
    stays an error. ``hints`` names the options as the caller offers them.
    """
    result = ImportResult(dry_run=dry_run)
    questions: list[QuestionData] = []
    for source in sources:
        parsed = parse_source(source, skip_unsupported=skip_unsupported, hints=hints)
        unreadable = not (parsed.questions or parsed.skipped)
        if skip_invalid and not unreadable:
            result.skipped += [f"{message} Skipped." for message in parsed.errors]
        else:
            result.errors += parsed.errors
        result.warnings += parsed.warnings
        result.skipped += parsed.skipped
        questions += parsed.questions
    problems = _resolve(questions, default_task=task, warnings=result.warnings, hints=hints)
    if skip_invalid:
        result.skipped += [f"{message} Skipped." for messages in problems.values() for message in messages]
        questions = [data for data in questions if id(data) not in problems]
    else:
        result.errors += [message for messages in problems.values() for message in messages]
    if result.errors:
        return result
    with transaction.atomic():
        saved = save_questions(questions)
        result.created, result.updated, result.unchanged = saved.created, len(saved.updated), saved.unchanged
        result.new_drafts = saved.new_drafts
        result.updated_uids = [f"{data.uid} ({data.language})" for data in saved.updated]
        result.updates = [f"{data.uid} ({data.language}) from {data.where}" for data in saved.updated]
        if dry_run:
            transaction.set_rollback(True)
    if not dry_run:
        media.save({name: data for question in questions for name, data in question.images.items()})
        if result.created or result.updated:
            bank_changed.send(sender=Question)
    return result


def _resolve(
    questions: list[QuestionData], *, default_task: str | None, warnings: list[str], hints: Hints = CLI_HINTS
) -> dict[int, list[str]]:
    """Check what the questions name against the database and validate each one.

    Fills in the task (``default_task``), slugifies tags (with a warning) and the
    scenarios of case studies named by uid only. Returns the error messages per
    question, keyed by ``id(data)``.
    """
    problems: dict[int, list[str]] = defaultdict(list)
    tasks = {task.code: task for task in TaskStatement.objects.select_related("domain")}
    guides = set(GuideRevision.objects.values_list("code", flat=True))
    existing = {
        (uid, language): status
        for uid, language, status in Question.objects.filter(uid__in={data.uid for data in questions}).values_list(
            "uid", "language", "status"
        )
    }
    first_seen: dict[tuple[str, str], QuestionData] = {}
    scenarios: dict[tuple[str, str], tuple[str, QuestionData]] = {}
    needed_cases: dict[tuple[str, str], QuestionData] = {}
    for data in questions:
        report = problems[id(data)].append
        where = data.where
        key = (data.uid, data.language)
        if key in first_seen:
            report(f"{where}: uid {data.uid!r} ({data.language}) is also used by {first_seen[key].where}.")
        else:
            first_seen[key] = data
        data.task = data.task or default_task
        if not data.task:
            report(
                f'{where}: no task statement; give one (JSON "task", a category path ending in a task code '
                f"such as …/3.1) or {hints.task}."
            )
        elif data.task not in tasks:
            report(f"{where}: unknown task statement {data.task!r} (known: {', '.join(sorted(tasks))}).")
        elif data.domain and data.domain != str(tasks[data.task].domain.number):
            report(f"{where}: task {data.task} belongs to domain {tasks[data.task].domain.number}, not {data.domain}.")
        for code in data.guides or []:
            if code not in guides:
                report(f"{where}: unknown exam guide revision {code!r} (known: {', '.join(sorted(guides))}).")
        tags = []
        for tag in data.tags or []:
            slug = slugify(tag)[:TAG_MAX_LENGTH].strip("-")
            if not slug:
                report(f"{where}: tag {tag!r} has no letters or digits to make a slug from.")
            else:
                if slug != tag:
                    warnings.append(f"{where}: tag {tag!r} is not a slug; using {slug!r}.")
                tags.append(slug)
        if data.tags is not None:
            data.tags = sorted(set(tags))
        for url in data.references or []:
            try:
                _url(url)
            except ValidationError:
                report(f"{where}: reference {url!r} is not an http(s) URL.")
        if data.case_study:
            case_key = (data.case_study.uid, data.language)
            if data.case_study.scenario is None:
                needed_cases.setdefault(case_key, data)
            elif case_key in scenarios and scenarios[case_key][0] != data.case_study.scenario:
                report(
                    f"{where}: case study {data.case_study.uid!r} has a different scenario in "
                    f"{scenarios[case_key][1].where}; a case study has one scenario."
                )
            else:
                scenarios.setdefault(case_key, (data.case_study.scenario, data))
        status = data.status or existing.get(key) or Question.Status.DRAFT
        for problem in validate_question(data, status=status):
            report(f"{where}: {problem.message}")
    missing = set(needed_cases) - set(scenarios)
    if missing:
        known = set(CaseStudy.objects.filter(uid__in={uid for uid, _ in missing}).values_list("uid", "language"))
        for case_key in sorted(missing - known):
            data = needed_cases[case_key]
            problems[id(data)].append(
                f"{data.where}: case study {case_key[0]!r} has no scenario in the file and does not exist yet."
            )
    for data in questions:
        if (
            data.case_study
            and data.case_study.scenario is None
            and (key := (data.case_study.uid, data.language)) in scenarios
        ):
            data.case_study.scenario = scenarios[key][0]
    return {key: messages for key, messages in problems.items() if messages}


QUESTION_FIELDS = [
    "type",
    "status",
    "task_id",
    "difficulty",
    "case_study_id",
    "stem",
    "select",
    "explanation",
    "references",
]
OPTION_FIELDS = ["position", "text", "match", "is_correct", "rationale"]


@dataclass
class Saved:
    created: int
    updated: list[QuestionData]
    unchanged: int
    new_drafts: int


def save_questions(questions: list[QuestionData]) -> Saved:
    """Upsert ``questions`` by (uid, language) with bulk queries; say what was created and updated.

    Expects resolved data (``_resolve``): known task codes and guide revisions, slug tags.
    A field the file leaves as None keeps its stored value (or the default for a new row).
    Options are matched to the stored rows by their text, then by position, so unchanged
    rows keep their ids; rows no longer present are deleted.
    """
    now = timezone.now()
    task_ids = dict(TaskStatement.objects.values_list("code", "pk"))
    guide_ids = dict(GuideRevision.objects.values_list("code", "pk"))
    tag_ids = _ensure_tags({slug for data in questions for slug in data.tags or []})
    case_ids, changed_cases = _save_case_studies(questions)
    stored = {
        (question.uid, question.language): question
        for question in Question.objects.filter(uid__in={data.uid for data in questions}).prefetch_related("options")
    }
    TagLink, GuideLink = Question.tags.through, Question.guides.through
    stored_ids = [question.pk for question in stored.values()]
    # question id -> {tag or guide id: id of the link row}
    tags_now: dict[int, dict[int, int]] = defaultdict(dict)
    for link_id, question_id, tag_id in TagLink.objects.filter(question_id__in=stored_ids).values_list(
        "pk", "question_id", "tag_id"
    ):
        tags_now[question_id][tag_id] = link_id
    guides_now: dict[int, dict[int, int]] = defaultdict(dict)
    for link_id, question_id, guide_id in GuideLink.objects.filter(question_id__in=stored_ids).values_list(
        "pk", "question_id", "guiderevision_id"
    ):
        guides_now[question_id][guide_id] = link_id

    pairs: list[tuple[Question, QuestionData, bool]] = []
    new_questions, changed_questions = [], []
    for data in questions:
        question = stored.get((data.uid, data.language))
        is_new = question is None
        if is_new:
            question = Question(uid=data.uid, language=data.language, created_at=now)
        values = {
            "type": data.type,
            "status": data.status or question.status or Question.Status.DRAFT,
            "task_id": task_ids[data.task],
            "difficulty": data.difficulty if data.difficulty is not None else (question.difficulty or 2),
            "case_study_id": case_ids.get((data.case_study.uid, data.language)) if data.case_study else None,
            "stem": data.stem,
            "select": data.select,
            "explanation": data.explanation,
            "references": data.references if data.references is not None else list(question.references or []),
        }
        changed = is_new or any(getattr(question, name) != value for name, value in values.items())
        for name, value in values.items():
            setattr(question, name, value)
        question.updated_at = now if changed else question.updated_at
        if is_new:
            new_questions.append(question)
        elif changed:
            changed_questions.append(question)
        pairs.append((question, data, changed))
    Question.objects.bulk_create(new_questions)
    Question.objects.bulk_update(changed_questions, [*QUESTION_FIELDS, "updated_at"])
    new_ids = {question.pk for question in new_questions}

    option_creates, option_updates, option_deletes = [], [], []
    tag_adds, link_removes, guide_adds, guide_removes = [], [], [], []
    touched: set[int] = set()
    for question, data, _changed in pairs:
        old = [] if question.pk in new_ids else sorted(question.options.all(), key=lambda o: (o.position, o.pk))
        creates, updates, deletes = _diff_options(question, old, data)
        option_creates += creates
        option_updates += updates
        option_deletes += deletes
        if creates or updates or deletes:
            touched.add(question.pk)
        if data.tags is not None:
            want = {tag_ids[slug] for slug in data.tags}
            have = tags_now.get(question.pk, {})
            tag_adds += [TagLink(question_id=question.pk, tag_id=tag_id) for tag_id in want - have.keys()]
            link_removes += [link_id for tag_id, link_id in have.items() if tag_id not in want]
            if want != have.keys():
                touched.add(question.pk)
        if data.guides is not None:
            want = {guide_ids[code] for code in data.guides}
            have = guides_now.get(question.pk, {})
            guide_adds += [
                GuideLink(question_id=question.pk, guiderevision_id=guide_id) for guide_id in want - have.keys()
            ]
            guide_removes += [link_id for guide_id, link_id in have.items() if guide_id not in want]
            if want != have.keys():
                touched.add(question.pk)
    Option.objects.filter(pk__in=[option.pk for option in option_deletes]).delete()
    Option.objects.bulk_create(option_creates)
    Option.objects.bulk_update(option_updates, OPTION_FIELDS)
    TagLink.objects.bulk_create(tag_adds)
    GuideLink.objects.bulk_create(guide_adds)
    TagLink.objects.filter(pk__in=link_removes).delete()
    GuideLink.objects.filter(pk__in=guide_removes).delete()
    # A change only below the question (options, tags) still marks it as updated.
    late = [question for question, _data, changed in pairs if not changed and question.pk in touched]
    for question in late:
        question.updated_at = now
    Question.objects.bulk_update(late, ["updated_at"])
    # New content gets its revision now, in bulk (a start then finds every drawable question
    # ready); a question that left the drawable bank loses its revision.
    stale = {
        question.pk
        for question, _data, changed in pairs
        if (changed or question.pk in touched or question.revision_id is None)
        and (question.status in DRAWABLE or question.revision_id is not None)
    }
    stale.update(Question.objects.filter(case_study__in=changed_cases).values_list("pk", flat=True))
    revise(stale)

    created = len(new_questions)
    updated = [
        data for question, data, changed in pairs if question.pk not in new_ids and (changed or question.pk in touched)
    ]
    drafts = sum(question.status == Question.Status.DRAFT for question in new_questions)
    return Saved(created, updated, len(pairs) - created - len(updated), drafts)


def _ensure_tags(slugs: set[str]) -> dict[str, int]:
    tag_ids = dict(Tag.objects.filter(slug__in=slugs).values_list("slug", "pk"))
    missing = slugs - tag_ids.keys()
    if missing:
        # A bundled tag comes with its names (questions.tag_names); an author's new one gets
        # its names in the admin.
        named = [
            Tag(slug=slug, name=TAG_NAMES.get(slug, ("", ""))[0], name_ja=TAG_NAMES.get(slug, ("", ""))[1])
            for slug in sorted(missing)
        ]
        Tag.objects.bulk_create(named, ignore_conflicts=True)
        tag_ids = dict(Tag.objects.filter(slug__in=slugs).values_list("slug", "pk"))
    return tag_ids


def _save_case_studies(questions: list[QuestionData]) -> tuple[dict[tuple[str, str], int], list[int]]:
    """Create and update the questions' case studies; return their ids by (uid, language)
    and the ids of those whose scenario changed."""
    wanted: dict[tuple[str, str], str | None] = {}
    for data in questions:
        if data.case_study:
            key = (data.case_study.uid, data.language)
            if wanted.get(key) is None:
                wanted[key] = data.case_study.scenario
    if not wanted:
        return {}, []
    stored = {(case.uid, case.language): case for case in CaseStudy.objects.filter(uid__in={uid for uid, _ in wanted})}
    creates, updates = [], []
    for (uid, language), scenario in wanted.items():
        case = stored.get((uid, language))
        if case is None:
            creates.append(CaseStudy(uid=uid, language=language, scenario=scenario or ""))
        elif scenario is not None and case.scenario != scenario:
            case.scenario = scenario
            updates.append(case)
    CaseStudy.objects.bulk_create(creates)
    CaseStudy.objects.bulk_update(updates, ["scenario"])
    ids = {(case.uid, case.language): case.pk for case in [*stored.values(), *creates]}
    return {key: ids[key] for key in wanted}, [case.pk for case in updates]


def _diff_options(question: Question, old: list[Option], data: QuestionData):
    """Options to create, update and delete so that ``question`` has exactly ``data.options``."""
    by_content: dict[tuple[str, str], list[Option]] = defaultdict(list)
    for option in old:
        by_content[(option.text, option.match)].append(option)
    assigned: list[Option | None] = []
    for row in data.options:
        matches = by_content.get((row.text, row.match))
        assigned.append(matches.pop(0) if matches else None)
    taken = {option.pk for option in assigned if option is not None}
    spare = [option for option in old if option.pk not in taken]
    creates, updates = [], []
    for position, (row, option) in enumerate(zip(data.options, assigned, strict=True), start=1):
        if option is None and spare:
            option = spare.pop(0)
        values = {
            "position": position,
            "text": row.text,
            "match": row.match,
            "is_correct": row.correct,
            "rationale": row.rationale,
        }
        if option is None:
            creates.append(Option(question=question, **values))
        elif any(getattr(option, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(option, name, value)
            updates.append(option)
    return creates, updates, spare


def export_questions(queryset, fmt: str) -> str:
    """The questions of ``queryset`` as a ``json``, ``gift`` or ``xml`` document."""
    questions = [
        QuestionData.from_question(question)
        for question in queryset.select_related("task__domain", "case_study")
        .prefetch_related("options", "tags", "guides")
        .order_by("task__code", "uid", "language")
    ]
    if fmt == "json":
        return json_format.dump(questions)
    categories = {
        task.code: f"$course$/top/AIF-C01/Domain {task.domain.number}/{task.code}"
        for task in TaskStatement.objects.select_related("domain")
    }
    if fmt == "gift":
        return gift.dump(questions, categories=categories)
    if fmt == "xml":
        return moodle.dump(questions, categories=categories)
    raise ValueError(f"unknown export format {fmt!r}")


BANK_DIR = Path(__file__).resolve().parent / "data"


def load_bank(directory: Path = BANK_DIR, *, strict: bool = False) -> ImportResult:
    """Load every ``*.json`` bank file in ``directory`` (the bundled bank) idempotently."""
    sources = [Source.from_path(path) for path in sorted(directory.glob("*.json"))]
    result = import_sources(sources, skip_invalid=not strict)
    # Drawable questions from elsewhere (an earlier import, a shell) that still have no
    # revision get theirs too: after a deploy's migrate and load_bank, a start revises none.
    if revise(Question.objects.drawable().filter(revision__isnull=True)):
        bank_changed.send(sender=Question)
    return result
