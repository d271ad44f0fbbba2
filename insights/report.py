"""The weakness report: accuracy per domain, task statement and tag, and readiness.

An owner's settled response log (``insights.log``) is aggregated in the database into one
row per question answered (``by_question``), whatever the number of answers; those rows
are summed into task statements, domains and tags. Definitions, as the page states them:

- *questions*: distinct questions answered; a question and its translations count once
  (grouped by ``Question.uid``). *answers*: every answer, repeats included.
- *accuracy*: correct answers / answers. *last 30 days*: the same over the last 30 days.
- *trend*: accuracy of the last 7 days minus accuracy before them, in percentage points,
  shown when both sides hold at least ``TREND_MIN_ANSWERS`` answers.
- *thin evidence*: fewer than ``THIN_ANSWERS`` answers.
- *weakest first*: by the Agresti–Coull adjusted accuracy of the last 30 days (all time
  when there is nothing recent), which pulls scores with few answers towards 50 %, so
  a single miss does not outrank a well-established weakness.
- Questions are grouped by their current task statement and tags, the same ones
  "Practise this" draws from.

*Readiness* (``readiness``): per domain, the last 30 days' Agresti–Coull estimate
p̃ = (correct + z²/2) / (answers + z²) with variance p̃(1 − p̃) / (answers + z²), z = 1.96;
the domains are combined with the exam guide's weights (p = Σ wᵢp̃ᵢ, SE = √Σ wᵢ²varᵢ, the
domains taken as independent), and p ± 1.96·SE maps to the scaled score as
100 + 900·p. A domain with no recent answers counts as 50 % ± wide, so the range shows
what is unknown instead of hiding it.
"""

import math
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cached_property

from django.db.models import Count, F, Max, Min, Q

from exams.grading import DEFAULT_PASS_MARK, scaled
from exams.models import Attempt, Mode, Response
from questions.models import Question, TaskStatement, tag_display_name

from .log import settled_responses
from .models import ReviewCard
from .review import Queue, review_queue, sync_review_cards

RECENT_DAYS = 30
TREND_DAYS = 7
TREND_MIN_ANSWERS = 5
THIN_ANSWERS = 10
Z = 1.96
MOCK_HISTORY = 12
# The readiness trend (insights.trend) draws this many weeks; with the 30 days before its
# oldest point, that is how far back ``WeaknessReport.history`` reads.
TREND_WEEKS = 26
HISTORY_DAYS = TREND_WEEKS * 7 + RECENT_DAYS
# The report lists this many cards of each review list and counts the rest.
QUEUE_SHOWN = 10


def agresti_coull(correct: int, answers: int) -> tuple[float, float]:
    """The adjusted proportion and its variance (defined for 0 answers too: 0.5, wide)."""
    n = answers + Z * Z
    p = (correct + Z * Z / 2) / n
    return p, p * (1 - p) / n


def _share(correct: int, answers: int) -> float | None:
    return correct / answers if answers else None


@dataclass
class ScopeStats:
    """One row of the report: a domain, a task statement or a tag."""

    kind: str
    value: str
    label: str
    questions: int = 0
    answers: int = 0
    correct: int = 0
    recent_answers: int = 0
    recent_correct: int = 0
    week_answers: int = 0
    week_correct: int = 0

    @property
    def scope(self) -> str:
        """The practice scope of this row, as "Practise this" posts it ("task:3.1")."""
        return f"{self.kind}:{self.value}"

    @property
    def accuracy(self) -> float | None:
        return _share(self.correct, self.answers)

    @property
    def recent_accuracy(self) -> float | None:
        return _share(self.recent_correct, self.recent_answers)

    @property
    def trend(self) -> int | None:
        """Last 7 days' accuracy minus the accuracy before them, in whole points (None: too few answers)."""
        earlier_answers = self.answers - self.week_answers
        if self.week_answers < TREND_MIN_ANSWERS or earlier_answers < TREND_MIN_ANSWERS:
            return None
        earlier = (self.correct - self.week_correct) / earlier_answers
        return round(100 * (self.week_correct / self.week_answers - earlier))

    @property
    def thin(self) -> bool:
        return self.answers < THIN_ANSWERS

    @property
    def weakness_key(self) -> tuple:
        """Sort key, weakest first; scopes never answered go last."""
        if not self.answers:
            return (1, 0.0, self.label)
        if self.recent_answers:
            adjusted, _ = agresti_coull(self.recent_correct, self.recent_answers)
        else:
            adjusted, _ = agresti_coull(self.correct, self.answers)
        return (0, adjusted, self.label)

    def add(self, other: "ScopeStats") -> None:
        for name in COUNTS:
            setattr(self, name, getattr(self, name) + getattr(other, name))


COUNTS = ("questions", "answers", "correct", "recent_answers", "recent_correct", "week_answers", "week_correct")


@dataclass
class DomainStats(ScopeStats):
    weight: int = 0
    tasks: list[ScopeStats] = field(default_factory=list)


@dataclass
class Readiness:
    """Predicted scaled score and its 95 % range (see the module docstring)."""

    score: int
    low: int
    high: int
    recent_answers: int

    @property
    def verdict(self) -> str:
        """ "pass" when even the low end clears 700, "fail" when even the high end does not."""
        if self.low >= DEFAULT_PASS_MARK:
            return "pass"
        if self.high < DEFAULT_PASS_MARK:
            return "fail"
        return "borderline"

    @property
    def thin(self) -> bool:
        return self.recent_answers < 3 * THIN_ANSWERS


def readiness(domains: list[DomainStats]) -> Readiness:
    """Combine the domains' last-30-days results with their exam weights."""
    total_weight = sum(domain.weight for domain in domains)
    share = variance = 0.0
    for domain in domains:
        weight = domain.weight / total_weight
        p, var = agresti_coull(domain.recent_correct, domain.recent_answers)
        share += weight * p
        variance += weight * weight * var
    margin = Z * math.sqrt(variance)
    return Readiness(
        score=scaled(share),
        low=scaled(max(0.0, share - margin)),
        high=scaled(min(1.0, share + margin)),
        recent_answers=sum(domain.recent_answers for domain in domains),
    )


def by_question(owner_id: int, *, now: datetime):
    """One row per question uid the owner answered, with the counts a ScopeStats needs, the
    newest answer (which the review cache compares with) and the first (the study plan
    counts questions new on the day they were first answered), in one query.

    The rows are as many as the questions answered, whatever the number of answers;
    summing them into task statements, domains and tags is left to Python.
    """
    recent = Q(answered_at__gte=now - timedelta(days=RECENT_DAYS))
    week = Q(answered_at__gte=now - timedelta(days=TREND_DAYS))
    right = Q(is_correct=True)
    return (
        settled_responses(owner_id)
        .order_by()
        .values(uid=F("item__question__uid"))
        .annotate(
            answers=Count("pk"),
            correct=Count("pk", filter=right),
            recent_answers=Count("pk", filter=recent),
            recent_correct=Count("pk", filter=recent & right),
            week_answers=Count("pk", filter=week),
            week_correct=Count("pk", filter=week & right),
            newest=Max("answered_at"),
            first=Min("answered_at"),
        )
    )


@dataclass
class Classification:
    """Where a question uid belongs: its task statement and its tags (slug → name)."""

    task_id: int
    tags: dict[str, str] = field(default_factory=dict)


def classify(uids) -> dict[str, Classification]:
    """The current task statement (of the English row when there is one) and the tags of
    every language of each uid, in one query."""
    rows = (
        Question.objects.filter(uid__in=list(uids))
        .order_by("uid", "language")
        .values_list("uid", "task_id", "tags__slug", "tags__name", "tags__name_ja")
    )
    classes: dict[str, Classification] = {}
    for uid, task_id, slug, name, name_ja in rows:
        entry = classes.setdefault(uid, Classification(task_id=task_id))
        if slug:
            entry.tags[slug] = tag_display_name(slug, name, name_ja)
    return classes


class WeaknessReport:
    """Everything the report shows for one owner, each part computed on first use.

    ``owner_id`` None is a visitor who owns nothing yet: every part is empty and runs no
    query, except the list of domains and task statements. The owner's log is read
    once, grouped by question (``log``); tasks, domains, tags and the review cache's
    freshness all come from those rows.
    """

    def __init__(self, owner_id: int | None, *, now: datetime, tag_order: str = "weakest"):
        self.owner_id = owner_id
        self.now = now
        self.tag_order = tag_order

    @cached_property
    def log(self) -> list[dict]:
        if self.owner_id is None:
            return []
        return list(by_question(self.owner_id, now=self.now))

    @cached_property
    def history(self) -> list[tuple[datetime, str, bool]]:
        """The settled answers of the last ``HISTORY_DAYS`` days as (answered_at, question uid,
        is_correct), oldest first, in one query of narrow rows: the readiness trend and the
        study plan's streak both read them."""
        if self.owner_id is None:
            return []
        rows = (
            settled_responses(self.owner_id)
            .filter(answered_at__gte=self.now - timedelta(days=HISTORY_DAYS))
            .order_by()
            .values_list("answered_at", "item__question__uid", "is_correct")
        )
        return sorted(rows, key=lambda row: row[0])

    @cached_property
    def classes(self) -> dict[str, Classification]:
        return classify(row["uid"] for row in self.log) if self.log else {}

    def _scopes(self, key) -> dict:
        """Sum the per-question rows into ScopeStats counts by ``key(uid)`` (one key or several)."""
        totals: dict = {}
        for row in self.log:
            keys = key(row["uid"])
            for scope in keys if isinstance(keys, list | tuple) else [keys]:
                counts = totals.setdefault(scope, dict.fromkeys(COUNTS, 0))
                counts["questions"] += 1
                for name in COUNTS[1:]:
                    counts[name] += row[name]
        return totals

    @cached_property
    def domains(self) -> list[DomainStats]:
        """Domains in exam order, each with its task statements (in code order)."""
        unknown = Classification(task_id=0)
        by_task = self._scopes(lambda uid: self.classes.get(uid, unknown).task_id)
        domains: dict[int, DomainStats] = {}
        self._domain_of_task: dict[int, str] = {}
        for task in TaskStatement.objects.select_related("domain").order_by("domain__number", "code"):
            self._domain_of_task[task.pk] = str(task.domain.number)
            domain = domains.get(task.domain.number)
            if domain is None:
                domain = domains[task.domain.number] = DomainStats(
                    kind="domain",
                    value=str(task.domain.number),
                    label=task.domain.display_name,
                    weight=task.domain.weight,
                )
            stats = ScopeStats(kind="task", value=task.code, label=task.display_name, **by_task.get(task.pk, {}))
            domain.tasks.append(stats)
            domain.add(stats)
        return list(domains.values())

    @property
    def domain_of_task(self) -> dict[int, str]:
        """Task statement id → its domain's number (``DomainStats.value``), read with the domains."""
        _ = self.domains  # building the domains fills the map
        return self._domain_of_task

    @property
    def tasks(self) -> list[ScopeStats]:
        return [task for domain in self.domains for task in domain.tasks]

    @property
    def weakest_domains(self) -> list[DomainStats]:
        return sorted(self.domains, key=lambda stats: stats.weakness_key)

    @property
    def weakest_tasks(self) -> list[ScopeStats]:
        return sorted(self.tasks, key=lambda stats: stats.weakness_key)

    @property
    def answers(self) -> int:
        return sum(row["answers"] for row in self.log)

    @cached_property
    def readiness(self) -> Readiness | None:
        """None until there is at least one answer in the last 30 days."""
        if not any(domain.recent_answers for domain in self.domains):
            return None
        return readiness(self.domains)

    @cached_property
    def tags(self) -> list[ScopeStats]:
        """Tags (services and concepts), ordered by ``tag_order`` (see TAG_ORDERS)."""
        names = {slug: name for entry in self.classes.values() for slug, name in entry.tags.items()}
        by_tag = self._scopes(lambda uid: list(self.classes[uid].tags) if uid in self.classes else [])
        stats = [
            ScopeStats(kind="tag", value=slug, label=names[slug] or slug, **counts) for slug, counts in by_tag.items()
        ]
        return sort_tags(stats, self.tag_order)

    @cached_property
    def mocks(self) -> list[Attempt]:
        """The last finished mock exams with a score, oldest first. An abandoned mock (its time
        ran out while the candidate was away, status "expired") says nothing of their level
        and stays out of the trend."""
        if self.owner_id is None:
            return []
        attempts = (
            Attempt.objects.filter(owner_id=self.owner_id, mode=Mode.EXAM, scaled_score__isnull=False)
            .exclude(status=Attempt.Status.EXPIRED)
            .select_related("blueprint")
            .order_by("-submitted_at", "-pk")[:MOCK_HISTORY]
        )
        return list(reversed(attempts))

    @cached_property
    def cards(self) -> list[ReviewCard]:
        """The owner's review cards, refreshed from the log where it changed."""
        if self.owner_id is None:
            return []
        cached = list(ReviewCard.objects.for_owner(self.owner_id))
        return sync_review_cards(self.owner_id, log=self.log, cards=cached)

    @cached_property
    def queue(self) -> Queue:
        """Due today, due in the next days, chronic misses and suspended questions; the first
        QUEUE_SHOWN of each list carry their question."""
        queue = review_queue(self.cards, now=self.now)
        lists = (queue.today, queue.this_week, queue.leeches, queue.suspended)
        shown = [card for cards in lists for card in cards[:QUEUE_SHOWN]]
        attach_questions(shown, owner_id=self.owner_id)
        return queue

    @property
    def due_today(self) -> int:
        """The dashboard's "due for review" count."""
        return len(review_queue(self.cards, now=self.now).today)


def attach_questions(cards, *, owner_id: int | None = None) -> None:
    """Give each card the question it schedules as ``card.question``: in the language the
    owner last answered it in (a Japanese mock's question stays Japanese), else English
    when there is one. Two queries."""
    uids = {card.question_uid for card in cards}
    if not uids:
        return
    taken_in: dict[str, str] = {}
    if owner_id is not None:
        answered = (
            Response.objects.filter(item__attempt__owner_id=owner_id, item__question__uid__in=uids)
            .order_by("answered_at", "pk")
            .values_list("item__question__uid", "item__question__language")
        )
        taken_in = dict(answered)  # the newest answer wins
    questions: dict[str, Question] = {}
    questions_with_text = (
        Question.objects.filter(uid__in=uids)
        .select_related("task")
        .only("uid", "language", "stem", "explanation", "task__code")
        .order_by("uid", "language")
    )
    for question in questions_with_text:
        if question.language == taken_in.get(question.uid):
            questions[question.uid] = question
        else:
            questions.setdefault(question.uid, question)
    for card in cards:
        card.question = questions.get(card.question_uid)


# The tag table's orders (query string ``tags=``): weakest first (as the other tables),
# plain accuracy either way, most answered, name.
TAG_ORDERS = {
    "weakest": lambda stats: stats.weakness_key,
    "accuracy": lambda stats: (stats.accuracy, -stats.answers, stats.label),
    "-accuracy": lambda stats: (-stats.accuracy, -stats.answers, stats.label),
    "answers": lambda stats: (-stats.answers, stats.label),
    "tag": lambda stats: stats.label,
}


def sort_tags(stats: list[ScopeStats], order: str) -> list[ScopeStats]:
    return sorted(stats, key=TAG_ORDERS[order])
