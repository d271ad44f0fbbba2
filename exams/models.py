"""Attempts (mock exams and practice sessions), their items and the response log.

The response log is the single source of truth for every report. An attempt item
points at the question revision the candidate saw (text, options, key, rationales:
``questions.QuestionRevision``, never changed) and keeps its own option order, so editing
or retiring a question never changes a finished attempt.
"""

import functools
import json
from datetime import datetime, timedelta

from django.db import connections, models
from django.db.models import OuterRef, Subquery
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.models import Owner
from questions.models import Domain, GuideRevision, Language, Question, QuestionRevision
from questions.revisions import arrange

from .grading import DEFAULT_PASS_MARK


class Mode(models.TextChoices):
    EXAM = "exam", _("Mock exam")
    PRACTICE = "practice", _("Practice")


# The seeded blueprints' names (migration 0002 stores them in English), by slug, so that
# pages show them in the interface language; other blueprints show their stored name.
BLUEPRINT_NAMES = {"aif-c01-full": _("AIF-C01 full mock"), "half-mock": _("Half mock")}


class Blueprint(models.Model):
    """What a mock exam (or practice default) draws: counts, time and pass mark."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    mode = models.CharField(_("mode"), max_length=10, choices=Mode.choices, default=Mode.EXAM)
    question_count = models.PositiveSmallIntegerField(_("number of questions"), default=65)
    unscored_count = models.PositiveSmallIntegerField(_("number of unscored questions"), default=15)
    minutes = models.PositiveSmallIntegerField(_("time limit in minutes"), default=90)
    pass_mark = models.PositiveSmallIntegerField(
        _("pass mark"), default=DEFAULT_PASS_MARK, help_text=_("Scaled score, 100–1000.")
    )
    guide = models.ForeignKey(
        GuideRevision, null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("exam guide revision")
    )
    language = models.CharField(_("language"), max_length=2, choices=Language.choices, default=Language.EN)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["-question_count", "name"]
        verbose_name = _("blueprint")
        verbose_name_plural = _("blueprints")

    def __str__(self) -> str:
        return self.display_name

    @functools.cached_property
    def display_name(self) -> str:
        """The name in the interface language (see BLUEPRINT_NAMES). Kept on the instance:
        a page names its exam twice (title and exam bar), each a translation lookup."""
        return str(BLUEPRINT_NAMES.get(self.slug, self.name))


class BlueprintDomain(models.Model):
    """Optional per-domain weight override; without rows the exam guide's weights apply."""

    blueprint = models.ForeignKey(
        Blueprint, on_delete=models.CASCADE, related_name="domain_weights", verbose_name=_("blueprint")
    )
    domain = models.ForeignKey(Domain, on_delete=models.PROTECT, verbose_name=_("domain"))
    weight = models.PositiveSmallIntegerField(_("weight"))

    class Meta:
        verbose_name = _("blueprint domain weight")
        verbose_name_plural = _("blueprint domain weights")
        constraints = [models.UniqueConstraint(fields=["blueprint", "domain"], name="blueprint_domain_once")]

    def __str__(self) -> str:
        return f"{self.blueprint}: {self.domain} {self.weight}%"


# Answers may arrive this long after the deadline (network latency, the browser's own
# submit at 0:00) and still count; anything later is refused.
SAVE_GRACE = timedelta(seconds=5)


def running_exam(path: str = "") -> models.Q:
    """The one rule of what does not count yet: answers in a mock that is still running.

    Every practice answer (its verdict was shown at once) and the answers of finished mocks
    are *settled*; a running mock's are not, or reports and the review queue would reveal
    during the exam whether an answer was right. ``path`` leads from the model queried to
    the attempt's fields ("item__" from a response).
    """
    return models.Q(**{f"{path}attempt__mode": Mode.EXAM, f"{path}attempt__status": Attempt.Status.IN_PROGRESS})


class AttemptQuerySet(models.QuerySet):
    def in_progress(self):
        return self.filter(status=Attempt.Status.IN_PROGRESS)

    def finished(self):
        return self.exclude(status=Attempt.Status.IN_PROGRESS)

    def for_owner(self, owner_id: int | None):
        """An owner's attempts; none for a visitor who owns nothing yet (``None``)."""
        if owner_id is None:
            return self.none()
        return self.filter(owner_id=owner_id)

    def exams(self):
        return self.filter(mode=Mode.EXAM)

    def practice(self):
        return self.filter(mode=Mode.PRACTICE)

    def overdue(self, now: datetime):
        """Open mocks whose deadline (plus the grace) has passed: ``finalize_expired``'s work."""
        return self.in_progress().exams().filter(deadline__lt=now - SAVE_GRACE)

    def with_answered_count(self):
        return self.annotate(answered_count=models.Count("items__response"))


class Attempt(models.Model):
    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", _("In progress")
        SUBMITTED = "submitted", _("Submitted")
        EXPIRED = "expired", _("Expired")

    owner = models.ForeignKey(Owner, on_delete=models.CASCADE, related_name="attempts", verbose_name=_("owner"))
    mode = models.CharField(_("mode"), max_length=10, choices=Mode.choices)
    blueprint = models.ForeignKey(
        Blueprint, null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("blueprint")
    )
    # Practice: what was asked for ({"kind": "task", "value": "3.1"}, ...) and how many
    # (null = endless). Exams: empty.
    scope = models.JSONField(_("scope"), default=dict, blank=True)
    target_count = models.PositiveSmallIntegerField(_("number of questions asked for"), null=True, blank=True)
    language = models.CharField(_("language"), max_length=2, choices=Language.choices, default=Language.EN)
    seed = models.BigIntegerField(
        _("seed"), help_text=_("Drives question and option shuffles, so reloads render the same.")
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.IN_PROGRESS)
    started_at = models.DateTimeField(_("started at"))
    deadline = models.DateTimeField(_("deadline"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    # Filled once at submission; the response rows stay the source of truth.
    correct_scored = models.PositiveSmallIntegerField(_("correct scored answers"), null=True, blank=True)
    total_scored = models.PositiveSmallIntegerField(_("scored questions"), null=True, blank=True)
    scaled_score = models.PositiveSmallIntegerField(_("scaled score"), null=True, blank=True)
    passed = models.BooleanField(_("passed"), null=True, blank=True)
    # A finished mock's per-item outcomes (exams.results.Outcome rows), stored when it is
    # scored: its results page then reads them instead of every item's question JSON.
    # Null for practice, open mocks, and mocks scored before this field (filled on view).
    outcomes = models.JSONField(_("outcomes"), null=True, blank=True, editable=False)

    objects = AttemptQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("attempt")
        verbose_name_plural = _("attempts")
        constraints = [
            # One in-progress mock per owner and blueprint ("Resume", never two clocks).
            models.UniqueConstraint(
                fields=["owner", "blueprint"],
                condition=models.Q(status="in_progress", mode="exam"),
                name="one_open_mock_per_blueprint",
            )
        ]
        indexes = [
            # Dashboard and history: an owner's attempts, newest first.
            models.Index(fields=["owner", "mode", "-started_at"], name="attempt_owner_idx"),
            # finalize_expired: open attempts past their deadline.
            models.Index(fields=["status", "deadline"], name="attempt_open_deadline_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_mode_display()} #{self.pk}"

    def get_absolute_url(self) -> str:
        """Where "Resume" (or, once finished, the results) lives."""
        if self.mode == Mode.EXAM:
            if self.status == self.Status.IN_PROGRESS:
                return reverse("exams:attempt", args=[self.pk])
            return reverse("exams:results", args=[self.pk])
        if self.status == self.Status.IN_PROGRESS:
            return reverse("practice:session", args=[self.pk])
        return reverse("practice:summary", args=[self.pk])

    # merge_owner (Owner.merge_into's hook) is exams.attempts.merge_owner, set by ExamsConfig.ready.

    @property
    def is_exam(self) -> bool:
        return self.mode == Mode.EXAM

    @property
    def pass_mark(self) -> int:
        """The mark this attempt passes at: its blueprint's (the default when it has none)."""
        return self.blueprint.pass_mark if self.blueprint_id else DEFAULT_PASS_MARK

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.IN_PROGRESS

    def is_past_deadline(self, now: datetime) -> bool:
        """True once the deadline and its grace have passed (never for practice)."""
        return self.deadline is not None and now > self.deadline + SAVE_GRACE

    def seconds_left(self, now: datetime) -> int | None:
        """Whole seconds until the deadline (0 once it passed); None without a deadline."""
        if self.deadline is None:
            return None
        return max(0, int((self.deadline - now).total_seconds()))

    @property
    def time_used(self) -> timedelta | None:
        if self.submitted_at is None:
            return None
        return self.submitted_at - self.started_at


class AttemptItemQuerySet(models.QuerySet):
    def settled(self):
        """Items of practice sessions and finished mocks (``running_exam``)."""
        return self.exclude(running_exam())

    def for_answer(
        self, attempt_id: int, owner_id: int, position: int, *, blueprint: bool = False
    ) -> "AttemptItem | None":
        """The owner's item at ``position`` with its attempt, response and revision attached:
        what saving an answer needs, in one query (None for anyone else's or a missing item).
        ``blueprint=True`` attaches the attempt's blueprint too (or None), for a page that
        names the exam: the question page reads all it shows of one item in this one query.

        The same rows as ``select_related("attempt", "response", "revision")`` (and
        ``"attempt__blueprint"``), read with SQL built once per process: on the hottest path
        of the app, compiling that query through the ORM cost more than the rest of the save
        together, and the attempt's ORM read was a sixth of the question page (bench/profile.py).
        """
        sql, readers = _for_answer_plan(self.db, blueprint)
        connection = connections[self.db]
        with connection.cursor() as cursor:
            cursor.execute(sql, [attempt_id, owner_id, position])
            row = cursor.fetchone()
        if row is None:
            return None
        instances, offset = [], 0
        for model, columns in readers:
            values, offset = list(row[offset : offset + len(columns)]), offset + len(columns)
            if values[0] is None:  # no such row: the item has no response yet, the attempt no blueprint
                instances.append(None)
                continue
            for index, (_name, expression, converters) in enumerate(columns):
                for converter in converters:
                    values[index] = converter(values[index], expression, connection)
            instances.append(model.from_db(self.db, [name for name, _e, _c in columns], values))
        item, attempt, response, revision = instances[:4]
        item.attempt, item.revision = attempt, revision
        AttemptItem.response.related.set_cached_value(item, response)
        if blueprint:
            attempt.blueprint = instances[4]
        return item

    def navigator_rows(self, attempt_id: int) -> list[tuple]:
        """``(position, flagged, answer, parts)`` of every item of an attempt, in order: what
        the navigator shows. The answer (None without a response) comes as JSON text, for the
        caller to parse only when there is one; ``parts`` is the revision's ``part_count``.

        SQL compiled by the ORM once per process, as ``for_answer``'s: building and compiling
        this query cost about 1,500 Python calls on every question page, more than the rest
        of the navigator together."""
        sql, params, at = _navigator_plan(self.db)
        params = list(params)
        params[at] = attempt_id
        with connections[self.db].cursor() as cursor:
            cursor.execute(sql, params)
            return [(position, bool(flagged), answer, parts) for position, flagged, answer, parts in cursor.fetchall()]

    def insert_rows(self, rows: list[tuple]) -> None:
        """Insert items given as ``(attempt id, question id, position, scored, revision id,
        order)`` rows (not flagged) in one statement: what ``bulk_create`` writes, without an
        instance per row.

        The rows travel as one JSON parameter that the database unpacks itself
        (``_insert_sql``). Starting a 65-question mock through ``bulk_create`` cost 18,000
        Python calls (an instance per row, then each field of each prepared by the compiler),
        half of the whole start request; 455 parameters in a multi-row VALUES still cost
        psycopg 6,000 (it parses a statement of more than 50 parameters anew on every call).
        """
        with connections[self.db].cursor() as cursor:
            cursor.execute(_insert_sql(self.db), [False, json.dumps(rows)])


@functools.cache
def _insert_sql(alias: str) -> str:
    """``insert_rows``' statement for the database ``alias``: each element of the JSON array
    parameter is one row, read by position (``json_array_elements`` on PostgreSQL, cast to
    each column's type; ``json_each`` on SQLite)."""
    connection = connections[alias]
    quote = connection.ops.quote_name
    names = ("attempt", "question", "position", "scored", "revision", "order")
    fields = [AttemptItem._meta.get_field(name) for name in names]
    if connection.vendor == "postgresql":
        source = "json_array_elements(%s::json) AS r"
        values = [f"(r.value->>{index})::{field.cast_db_type(connection)}" for index, field in enumerate(fields)]
    else:
        source = "json_each(%s) AS r"
        values = [f"json_extract(r.value, '$[{index}]')" for index in range(len(fields))]
    columns = [quote(field.column) for field in fields] + [quote(AttemptItem._meta.get_field("flagged").column)]
    return (
        f"INSERT INTO {quote(AttemptItem._meta.db_table)} ({', '.join(columns)})"
        f" SELECT {', '.join(values)}, %s FROM {source}"
    )


class AttemptItemManager(models.Manager.from_queryset(AttemptItemQuerySet)):
    def get_queryset(self):
        # Whatever shows or grades an item reads its snapshot, made of the revision's content.
        return super().get_queryset().select_related("revision")


@functools.cache
def _for_answer_plan(alias: str, blueprint: bool = False):
    """The SQL of ``for_answer`` and, per model, each column's attname and the converters
    the ORM's compiler would apply to it (JSON decoded, datetimes made aware on SQLite)."""
    connection = connections[alias]
    quote = connection.ops.quote_name
    readers, selected = [], []
    tables = [(AttemptItem, "item"), (Attempt, "attempt"), (Response, "response"), (QuestionRevision, "revision")]
    if blueprint:
        tables.append((Blueprint, "blueprint"))
    for model, table in tables:
        columns = []
        for field in model._meta.concrete_fields:
            expression = field.get_col(table)
            converters = connection.ops.get_db_converters(expression) + field.get_db_converters(connection)
            columns.append((field.attname, expression, converters))
            selected.append(f"{table}.{quote(field.column)}")
        readers.append((model, columns))
    join_blueprint = (
        f" LEFT JOIN {Blueprint._meta.db_table} blueprint ON blueprint.id = attempt.blueprint_id" if blueprint else ""
    )
    sql = (
        f"SELECT {', '.join(selected)} FROM {AttemptItem._meta.db_table} item"
        f" JOIN {Attempt._meta.db_table} attempt ON attempt.id = item.attempt_id"
        f" LEFT JOIN {Response._meta.db_table} response ON response.item_id = item.id"
        f" JOIN {QuestionRevision._meta.db_table} revision ON revision.id = item.revision_id{join_blueprint}"
        " WHERE item.attempt_id = %s AND attempt.owner_id = %s AND item.position = %s"
    )
    return sql, readers


# An attempt id no row has: marks the attempt's parameter in the navigator's compiled SQL.
_ANY_ATTEMPT = -7_340_033


@functools.cache
def _navigator_plan(alias: str) -> tuple[str, tuple, int]:
    """The SQL and parameters of ``navigator_rows`` as the ORM compiles them for the database
    ``alias`` (JSON extraction differs between PostgreSQL and SQLite), and the index of the
    attempt id among the parameters.

    The answer and the part count are looked up per item (the response's unique item index,
    the revision's primary key) rather than joined: a join leaves the plan to the tables'
    statistics, and with stale ones (on exam day the responses grow from none to tens of
    thousands within the hour, between two autovacuum analyzes) PostgreSQL hashed the whole
    response table for every question page (the load test: 13 ms a page at 65,000 rows)."""
    answer = Response.objects.filter(item=OuterRef("pk")).values(text=Cast("answer", models.TextField()))
    parts = QuestionRevision.objects.filter(pk=OuterRef("revision_id")).values("part_count")
    query = (
        AttemptItem.objects.using(alias)
        .filter(attempt_id=_ANY_ATTEMPT)
        .order_by("position")
        .annotate(answer_json=Subquery(answer), parts=Subquery(parts))
        .values_list("position", "flagged", "answer_json", "parts")
        .query
    )
    sql, params = query.get_compiler(alias).as_sql()
    if list(params).count(_ANY_ATTEMPT) != 1:
        raise RuntimeError("navigator_rows: the attempt's parameter is not in the compiled SQL exactly once")
    return sql, tuple(params), list(params).index(_ANY_ATTEMPT)


class AttemptItem(models.Model):
    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="items", verbose_name=_("attempt"))
    question = models.ForeignKey(
        Question, on_delete=models.PROTECT, related_name="attempt_items", verbose_name=_("question")
    )
    position = models.PositiveSmallIntegerField(_("position"))
    scored = models.BooleanField(_("scored"), default=True)
    flagged = models.BooleanField(_("flagged"), default=False)
    # What the candidate saw and what counted as correct: the question as it was at the start.
    revision = models.ForeignKey(
        QuestionRevision, on_delete=models.PROTECT, related_name="+", verbose_name=_("question revision")
    )
    # The revision's options in the order this candidate saw them (questions.revisions.arrange).
    order = models.TextField(_("option order"), blank=True)

    objects = AttemptItemManager()

    class Meta:
        ordering = ["attempt", "position"]
        verbose_name = _("attempt item")
        verbose_name_plural = _("attempt items")
        constraints = [models.UniqueConstraint(fields=["attempt", "position"], name="attempt_item_position")]

    def __str__(self) -> str:
        return f"{self.attempt} #{self.position}"

    @functools.cached_property
    def snapshot(self) -> dict:
        """The question as this candidate saw it: ``take_snapshot``'s dict, its options (and
        matches) in this item's order. What pages, grading and the tokens read."""
        return arrange(self.revision.content, self.order)


class ResponseQuerySet(models.QuerySet):
    def settled(self):
        """Practice answers and the answers of finished mocks (``running_exam``)."""
        return self.exclude(running_exam("item__"))


class Response(models.Model):
    """The candidate's answer to one attempt item: one row, upserted on every save.

    ``seq`` is the client's save counter for this item; a save whose seq is not newer
    than the stored one is stale (it lost a race on a slow network) and is ignored.
    """

    class Confidence(models.TextChoices):
        SURE = "sure", _("Sure")
        UNSURE = "unsure", _("Unsure")
        GUESS = "guess", _("Guess")

    item = models.OneToOneField(
        AttemptItem, on_delete=models.CASCADE, related_name="response", verbose_name=_("attempt item")
    )
    answer = models.JSONField(_("answer"))
    is_correct = models.BooleanField(_("correct"))
    confidence = models.CharField(_("confidence"), max_length=6, choices=Confidence.choices, blank=True)
    seq = models.PositiveIntegerField(_("save counter"), default=0)
    answered_at = models.DateTimeField(_("answered at"))
    time_spent_ms = models.PositiveIntegerField(_("time spent (ms)"), default=0)

    objects = ResponseQuerySet.as_manager()

    class Meta:
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        indexes = [models.Index(fields=["answered_at"], name="response_answered_idx")]

    def __str__(self) -> str:
        return _("response to %(item)s") % {"item": self.item}


class Bookmark(models.Model):
    owner = models.ForeignKey(Owner, on_delete=models.CASCADE, related_name="bookmarks", verbose_name=_("owner"))
    question_uid = models.SlugField(_("question uid"), max_length=80)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("bookmark")
        verbose_name_plural = _("bookmarks")
        constraints = [models.UniqueConstraint(fields=["owner", "question_uid"], name="bookmark_once")]

    def __str__(self) -> str:
        return f"{self.owner} ♥ {self.question_uid}"

    @classmethod
    def merge_owner(cls, source: Owner, target: Owner) -> None:
        """Move a guest's bookmarks to the account, skipping those it already has."""
        have = cls.objects.filter(owner=target).values("question_uid")
        cls.objects.filter(owner=source, question_uid__in=have).delete()
        cls.objects.filter(owner=source).update(owner=target)
