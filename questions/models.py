from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from . import types as question_types
from .markup import render_inline, render_markdown
from .names import domain_name, task_name


class Domain(models.Model):
    number = models.PositiveSmallIntegerField(_("number"), unique=True)
    name = models.CharField(_("name"), max_length=120)
    weight = models.PositiveSmallIntegerField(_("weight"), help_text=_("Share of the scored questions, in percent."))

    class Meta:
        ordering = ["number"]
        verbose_name = _("domain")
        verbose_name_plural = _("domains")

    def __str__(self) -> str:
        return f"{self.number}. {self.display_name}"

    @property
    def display_name(self) -> str:
        """The name in the interface language (see questions.names)."""
        return domain_name(self.number, self.name)


class TaskStatement(models.Model):
    code = models.CharField(_("code"), max_length=8, unique=True)
    domain = models.ForeignKey(Domain, on_delete=models.PROTECT, related_name="tasks", verbose_name=_("domain"))
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        ordering = ["code"]
        verbose_name = _("task statement")
        verbose_name_plural = _("task statements")

    def __str__(self) -> str:
        return f"{self.code} {self.display_name}"

    @property
    def display_name(self) -> str:
        """The name in the interface language (see questions.names)."""
        return task_name(self.code, self.name)


class Tag(models.Model):
    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=100, blank=True, help_text=_("What candidates read (English)."))
    name_ja = models.CharField(_("name in Japanese"), max_length=100, blank=True)

    class Meta:
        ordering = ["slug"]
        verbose_name = _("tag")
        verbose_name_plural = _("tags")

    def __str__(self) -> str:
        return self.slug

    @property
    def display_name(self) -> str:
        """The name in the interface language: Japanese when it has one, else English, else the slug."""
        return tag_display_name(self.slug, self.name, self.name_ja)


def tag_display_name(slug: str, name: str, name_ja: str = "") -> str:
    """A tag's name in the interface language, from its stored names (see ``Tag.display_name``)."""
    if name_ja and interface_language() == Language.JA:
        return name_ja
    return name or slug


class GuideRevision(models.Model):
    """A revision of the AIF-C01 exam guide ("2024", "2026") an item is valid for."""

    code = models.CharField(_("code"), max_length=8, unique=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("exam guide revision")
        verbose_name_plural = _("exam guide revisions")

    def __str__(self) -> str:
        return self.code


class Language(models.TextChoices):
    EN = "en", _("English")
    JA = "ja", _("Japanese")


def interface_language() -> str:
    """The page's language when the bank has it, else English (the bank's first language)."""
    language = (get_language() or Language.EN)[:2]
    return language if language in Language.values else Language.EN


class CaseStudy(models.Model):
    """A scenario shared by several questions, drawn together and scored one by one."""

    uid = models.SlugField(_("uid"), max_length=80)
    language = models.CharField(_("language"), max_length=2, choices=Language.choices, default=Language.EN)
    scenario = models.TextField(_("scenario"))

    class Meta:
        verbose_name = _("case study")
        verbose_name_plural = _("case studies")
        constraints = [models.UniqueConstraint(fields=["uid", "language"], name="case_study_uid_language")]

    def __str__(self) -> str:
        return self.uid

    @property
    def scenario_html(self):
        return render_markdown(self.scenario)


class QuestionQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Question.Status.PUBLISHED)

    def drawable(self):
        """Questions a mock or practice may draw: published, or pilot (unscored)."""
        return self.filter(status__in=[Question.Status.PUBLISHED, Question.Status.PILOT])

    def in_language(self, language: str):
        """Questions in ``language``, plus the English item of every uid that has no
        published or pilot translation into it (pages mark those as English)."""
        if language == Language.EN:
            return self.filter(language=language)
        translated = Question.objects.drawable().filter(uid=models.OuterRef("uid"), language=language)
        return self.filter(models.Q(language=language) | models.Q(language=Language.EN) & ~models.Exists(translated))

    def for_guide(self, code: str):
        return self.filter(guides__code=code)

    def for_candidate(self):
        """What rendering a question to a candidate needs, in two queries."""
        return self.select_related("task__domain", "case_study").prefetch_related("options")

    def with_open_reports(self):
        """Annotate ``open_reports``: how many problem reports on each question are open."""
        count = (
            ProblemReport.objects.open()
            .filter(question=models.OuterRef("pk"))
            .order_by()
            .values("question")
            .annotate(count=models.Count("pk"))
            .values("count")
        )
        return self.annotate(open_reports=Coalesce(models.Subquery(count), 0))


class Question(models.Model):
    class Type(models.TextChoices):
        """The built-in types, for code that names one; ``questions.types`` is the list of every type."""

        SINGLE = "single", _("Multiple choice")
        MULTIPLE = "multiple", _("Multiple response")
        ORDERING = "ordering", _("Ordering")
        MATCHING = "matching", _("Matching")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PILOT = "pilot", _("Pilot (unscored)")
        PUBLISHED = "published", _("Published")
        RETIRED = "retired", _("Retired")

    uid = models.SlugField(
        _("uid"), max_length=80, help_text=_("Stable id shared by all translations of this question.")
    )
    language = models.CharField(_("language"), max_length=2, choices=Language.choices, default=Language.EN)
    type = models.CharField(_("type"), max_length=10, choices=question_types.choices, default=Type.SINGLE)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    task = models.ForeignKey(
        TaskStatement, on_delete=models.PROTECT, related_name="questions", verbose_name=_("task statement")
    )
    tags = models.ManyToManyField(Tag, blank=True, related_name="questions", verbose_name=_("tags"))
    guides = models.ManyToManyField(
        GuideRevision, blank=True, related_name="questions", verbose_name=_("exam guide revisions")
    )
    difficulty = models.PositiveSmallIntegerField(
        _("difficulty"),
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(3)],
        help_text=_("1 easy, 2 medium, 3 hard."),
    )
    case_study = models.ForeignKey(
        CaseStudy,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="questions",
        verbose_name=_("case study"),
    )
    stem = models.TextField(_("stem"), help_text=_("Scenario and question. Markdown: **bold**, lists, `code`, links."))
    select = models.PositiveSmallIntegerField(
        _("select"), null=True, blank=True, help_text=_("Multiple response: how many options to select.")
    )
    explanation = models.TextField(_("explanation"), blank=True)
    references = models.JSONField(
        _("references"), default=list, blank=True, help_text=_("Documentation URLs that support the key.")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    # The revision a new attempt item points at: kept current for drawable questions by
    # questions.revisions; null for drafts and after a write that changed the content.
    revision = models.ForeignKey(
        "QuestionRevision",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("current revision"),
    )

    objects = QuestionQuerySet.as_manager()

    class Meta:
        ordering = ["uid", "language"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        constraints = [models.UniqueConstraint(fields=["uid", "language"], name="question_uid_language")]
        indexes = [
            # Drawing a mock or a practice set: eligible questions of a language per task.
            models.Index(fields=["status", "language", "task"], name="question_draw_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.uid} ({self.language})"

    def get_absolute_url(self) -> str:
        return reverse("admin:questions_question_preview", args=[self.pk])

    @property
    def domain(self) -> Domain:
        return self.task.domain

    @property
    def stem_html(self):
        return render_markdown(self.stem)

    @property
    def explanation_html(self):
        return render_markdown(self.explanation)


class Option(models.Model):
    """One row of a question's answer material; its meaning depends on the question type.

    - single / multiple: ``text`` is the choice, ``is_correct`` marks the key.
    - ordering: ``text`` is an item; ``position`` is its place in the correct order.
    - matching: ``text`` is a prompt and ``match`` its correct answer; a row with an
      empty ``text`` is an extra distractor answer that matches no prompt.
    Every row carries its own rationale (why it is right or wrong, or why it goes there).
    """

    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, related_name="options", verbose_name=_("question")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    text = models.TextField(_("text"), blank=True)
    match = models.CharField(_("match"), max_length=300, blank=True)
    is_correct = models.BooleanField(_("correct"), default=False)
    rationale = models.TextField(_("rationale"), blank=True)

    class Meta:
        ordering = ["question", "position", "pk"]
        verbose_name = _("option")
        verbose_name_plural = _("options")

    def __str__(self) -> str:
        return self.text[:60] or _("(extra match) %(match)s") % {"match": self.match[:50]}

    @property
    def text_html(self):
        return render_inline(self.text)

    @property
    def rationale_html(self):
        return render_markdown(self.rationale)


class QuestionRevision(models.Model):
    """A question's published content as candidates see it, stored once and never changed.

    ``content`` is ``take_snapshot(question)`` in the author's order (rendered stem, options,
    key, rationales, explanation); ``digest`` is the SHA-256 of its canonical JSON, so the
    same content is one row however often it is published, imported or loaded. An attempt
    item points at a revision and keeps only its own option order (``exams.AttemptItem``).
    """

    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, related_name="revisions", verbose_name=_("question")
    )
    digest = models.CharField(_("digest"), max_length=64, unique=True)
    content = models.JSONField(_("content"))
    # How many options and matches ``content`` lists: an item's order is a permutation of
    # them, drawn without reading the content (exams.assembly keeps these in its index).
    option_count = models.PositiveSmallIntegerField(_("number of options"))
    match_count = models.PositiveSmallIntegerField(_("number of matches"), default=0)
    # How many parts a complete answer gives (the key's length): the navigator tells complete
    # answers from partial ones for 65 items per page without reading 65 contents.
    part_count = models.PositiveSmallIntegerField(_("number of parts of an answer"), default=1)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("question revision")
        verbose_name_plural = _("question revisions")

    def __str__(self) -> str:
        return f"{self.question_id} @{self.digest[:12]}"


class BankVersion(models.Model):
    """One row: a token that every write to the bank replaces in the writer's transaction.

    Processes keep an index of the drawable bank in memory (``exams.assembly``) and rebuild it
    when this token changes. In the database, not the cache, so that every process sees the
    change exactly when the write commits, with or without a shared cache (``make run`` and a
    ``load_bank`` beside it are two processes on one SQLite file). A random token, not a
    counter: a rolled-back write must not leave a number that the next write hands out again.
    """

    token = models.CharField(_("token"), max_length=32)

    class Meta:
        verbose_name = _("bank version")
        verbose_name_plural = _("bank versions")

    def __str__(self) -> str:
        return self.token


class ProblemReportQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status=ProblemReport.Status.OPEN)


class ProblemReport(models.Model):
    """A candidate's "Report a problem" on a question, triaged by authors in the admin.

    One open report per owner and question (a constraint); a guest's reports move to the
    account on log-in through ``merge_owner``. The owner is kept as null when a guest is
    purged, so authors do not lose the report.
    """

    class Reason(models.TextChoices):
        WRONG_ANSWER = "wrong_answer", _("Wrong answer")
        UNCLEAR = "unclear", _("Unclear wording")
        OUTDATED = "outdated", _("Outdated service name")
        TYPO = "typo", _("Typo")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        FIXED = "fixed", _("Fixed")
        REJECTED = "rejected", _("Rejected")

    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, related_name="reports", verbose_name=_("question")
    )
    owner = models.ForeignKey(
        "accounts.Owner",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="problem_reports",
        verbose_name=_("reporter"),
    )
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)
    comment = models.TextField(_("comment"), max_length=1000, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    resolution = models.TextField(_("resolution"), blank=True, help_text=_("What was done, for the record."))
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("resolved by"),
    )

    objects = ProblemReportQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("problem report")
        verbose_name_plural = _("problem reports")
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "question"],
                condition=models.Q(status="open"),
                name="problem_report_one_open_per_owner",
            )
        ]
        indexes = [
            # The question changelist counts open reports per question.
            models.Index(fields=["question"], condition=models.Q(status="open"), name="problem_report_open_idx"),
        ]

    def __str__(self) -> str:
        return _("%(reason)s on question %(id)s") % {"reason": self.get_reason_display(), "id": self.question_id}

    @classmethod
    def merge_owner(cls, source, target) -> None:
        """Move a guest's reports to the account without breaking "one open report per question".

        Where both have an open report on the same question, the account's stays and the
        guest's comment is appended to it; the guest's duplicate is deleted.
        """
        open_reports = cls.objects.open()
        guest_questions = open_reports.filter(owner=source).values("question_id")
        kept = {
            report.question_id: report for report in open_reports.filter(owner=target, question_id__in=guest_questions)
        }
        for duplicate in open_reports.filter(owner=source, question_id__in=list(kept)):
            report = kept[duplicate.question_id]
            if duplicate.comment and duplicate.comment not in report.comment:
                report.comment = f"{report.comment}\n\n{duplicate.comment}".strip()[:1000]
                report.save(update_fields=["comment"])
            duplicate.delete()
        cls.objects.filter(owner=source).update(owner=target)
