"""The study plan: days to the exam, today's target, progress and the streak.

How today's target is computed (the dashboard and docs/study-plan.md say the same):

- *reviews*: the questions the review queue has due today (FSRS, ``insights.review``).
- *new*: questions never answered, enough to have answered every published question
  ``REVIEW_DAYS`` days before the exam, so the last days are left for reviews and mocks:
  ceil(unseen / days to go). With fewer than 2 × ``REVIEW_DAYS`` days left, half of
  them are kept for reviews. Without an exam date (or once it has passed) the pace is
  ``DEFAULT_NEW_PER_DAY``.
- The new questions are shared among the task statements that still have unseen
  questions, weighted to the weakest: a task statement's weight is its unseen questions
  × (1 − its Agresti–Coull accuracy), the same adjusted accuracy that orders the
  weakness report (50 % for a task statement never answered).
- *Daily limits* (``StudyPlan.new_cap`` and ``review_cap``, none by default) cap both
  figures. The review limit also caps the sessions "Practise due questions" and "Study
  ahead" start: at most the limit less the reviews already done today (questions answered
  today that were first answered before).
- The target is fixed the first time the dashboard shows it on a day (``StudyPlan.targets``),
  so answering due questions does not shrink it; changing the exam date or the limits sets
  it again.
- *progress*: distinct questions answered today (settled answers, any mode). A day's
  target is *met* when that count reaches it (at least one question). The *streak* counts
  the met days up to yesterday, plus today once it is met. A day on which the dashboard
  was not opened is judged against the last target set before it.
"""

import math
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.core.cache import cache
from django.db.models import F, Max, Min
from django.utils import timezone

from questions.models import Question

from .log import settled_responses
from .models import StudyPlan
from .report import HISTORY_DAYS, ScopeStats, WeaknessReport, agresti_coull

REVIEW_DAYS = 7
DEFAULT_NEW_PER_DAY = 15
# The streak looks back this far (a longer streak shows as this many days).
STREAK_WINDOW = 120
assert STREAK_WINDOW < HISTORY_DAYS, "the streak counts days from the report's history"
# The dashboard names this many task statements in today's share of new questions.
SHARES_SHOWN = 4
# The published bank by task statement changes only when authors publish: cached, and
# forgotten on the same writes as item statistics (insights.apps).
BANK_CACHE_KEY = "insights:bank-by-task"
BANK_CACHE_SECONDS = 600


@dataclass
class TaskShare:
    """A task statement's part of today's new questions."""

    task: ScopeStats
    unseen: int
    new: int = 0

    @property
    def weight(self) -> float:
        answers, correct = (
            (self.task.recent_answers, self.task.recent_correct)
            if self.task.recent_answers
            else (self.task.answers, self.task.correct)
        )
        accuracy, _ = agresti_coull(correct, answers)
        return self.unseen * (1 - accuracy)


def capped(count: int, cap: int | None) -> int:
    return count if cap is None else min(count, cap)


def new_per_day(unseen: int, days_left: int | None) -> int:
    """How many unseen questions a day to see them all in time (see the module docstring)."""
    if days_left is None or days_left <= 0:
        return min(unseen, DEFAULT_NEW_PER_DAY)
    learning_days = days_left - REVIEW_DAYS if days_left >= 2 * REVIEW_DAYS else max(1, math.ceil(days_left / 2))
    return math.ceil(unseen / learning_days)


def share_out(count: int, shares: list[TaskShare]) -> list[TaskShare]:
    """Give ``count`` new questions to the task statements by weight (D'Hondt, capped at
    each one's unseen questions); returns those that got some, most first."""
    for _ in range(count):
        open_shares = [share for share in shares if share.new < share.unseen]
        if not open_shares:
            break
        # A task statement never answered weighs as much as a half-known one.
        best = max(open_shares, key=lambda share: (share.weight / (share.new + 1), share.task.label))
        best.new += 1
    return sorted((share for share in shares if share.new), key=lambda share: (-share.new, share.task.value))


def bank_by_task() -> dict[str, str]:
    """Per question uid of the published bank, its task statement's code (cached; one query when not)."""
    tasks = cache.get(BANK_CACHE_KEY)
    if tasks is None:
        rows = Question.objects.published().order_by("uid", "language").values_list("uid", "task__code")
        tasks = {}
        for uid, code in rows:
            tasks.setdefault(uid, code)
        cache.set(BANK_CACHE_KEY, tasks, BANK_CACHE_SECONDS)
    return tasks


def forget_bank() -> None:
    cache.delete(BANK_CACHE_KEY)


@dataclass
class Day:
    day: date
    target: int
    done: int

    @property
    def met(self) -> bool:
        return self.done >= max(self.target, 1)


@dataclass
class StudyPlanView:
    """Everything the dashboard's study plan card shows."""

    exam_date: date | None
    today: date
    reviews: int
    new: int
    done: int
    new_done: int
    unseen: int
    bank: int
    streak: int
    new_cap: int | None = None
    review_cap: int | None = None
    shares: list[TaskShare] = field(default_factory=list)

    @property
    def days_left(self) -> int | None:
        return (self.exam_date - self.today).days if self.exam_date else None

    @property
    def date_passed(self) -> bool:
        return self.exam_date is not None and self.exam_date < self.today

    @property
    def target(self) -> int:
        return self.reviews + self.new

    @property
    def met(self) -> bool:
        return Day(self.today, self.target, self.done).met

    @property
    def left_today(self) -> int:
        return max(0, self.target - self.done)

    @property
    def new_left(self) -> int:
        """New questions still to answer today (what "Learn new questions" starts)."""
        return max(0, min(self.new - self.new_done, self.unseen))

    @property
    def reviews_done(self) -> int:
        """Questions answered today that had been answered before today."""
        return self.done - self.new_done

    @property
    def reviews_left(self) -> int | None:
        """Reviews the daily limit still allows today (None: no limit)."""
        return None if self.review_cap is None else max(0, self.review_cap - self.reviews_done)

    @property
    def progress_percent(self) -> int:
        return 100 if not self.target else min(100, round(100 * self.done / self.target))

    @property
    def seen(self) -> int:
        return self.bank - self.unseen


class StudyPlanner:
    """Builds the study plan card for one owner from the weakness report's rows."""

    def __init__(self, owner_id: int, report: WeaknessReport, *, now: datetime):
        self.owner_id = owner_id
        self.report = report
        self.now = now
        self.today = timezone.localdate(now)

    def stored(self) -> StudyPlan:
        """The owner's plan row (unsaved and empty when there is none yet)."""
        return StudyPlan.objects.filter(owner_id=self.owner_id).first() or StudyPlan(owner_id=self.owner_id)

    def unseen_shares(self) -> tuple[int, int, list[TaskShare]]:
        """The bank's size, its questions never answered, and a TaskShare per task statement with some."""
        bank = bank_by_task()
        answered = {row["uid"] for row in self.report.log}
        unseen_by_task: dict[str, int] = {}
        for uid, code in bank.items():
            if uid not in answered:
                unseen_by_task[code] = unseen_by_task.get(code, 0) + 1
        tasks = {task.value: task for task in self.report.tasks}
        shares = [TaskShare(task=tasks[code], unseen=count) for code, count in unseen_by_task.items() if code in tasks]
        return len(bank), sum(unseen_by_task.values()), shares

    def build(self) -> StudyPlanView:
        stored = self.stored()
        exam_date = stored.exam_date
        bank, unseen, shares = self.unseen_shares()
        days_left = (exam_date - self.today).days if exam_date else None
        start = timezone.make_aware(datetime.combine(self.today, datetime.min.time()))
        done = sum(1 for row in self.report.log if row["newest"] >= start)
        new_done = sum(1 for row in self.report.log if row["first"] >= start)
        first = self.today - timedelta(days=STREAK_WINDOW)
        targets = {date.fromisoformat(key): value for key, value in stored.targets.items()}
        if self.today not in targets:
            # The morning's figures: what is left unseen now plus what was already learnt today.
            targets[self.today] = [
                capped(self.report.due_today + (done - new_done), stored.review_cap),
                capped(new_per_day(unseen + new_done, days_left), stored.new_cap),
            ]
            stored.targets = {day.isoformat(): value for day, value in sorted(targets.items()) if day >= first}
            # One upsert, whether the row exists or not (two tabs write the same figures).
            StudyPlan.objects.bulk_create(
                [stored], update_conflicts=True, unique_fields=["owner"], update_fields=["targets"]
            )
        reviews, new = targets[self.today]
        plan = StudyPlanView(
            exam_date=exam_date,
            today=self.today,
            reviews=reviews,
            new=new,
            done=done,
            new_done=new_done,
            unseen=unseen,
            bank=bank,
            streak=self.streak(targets, done_today=done),
            new_cap=stored.new_cap,
            review_cap=stored.review_cap,
        )
        plan.shares = share_out(plan.new_left, shares)[:SHARES_SHOWN]
        return plan

    def streak(self, targets: dict[date, list[int]], *, done_today: int) -> int:
        """Met days in a row, ending yesterday (or today once today's target is met)."""
        first = self.today - timedelta(days=STREAK_WINDOW)
        start = timezone.make_aware(datetime.combine(first, datetime.min.time()))
        # The report's answers by time reach further back than the window (HISTORY_DAYS), and
        # the readiness trend reads them too: no query of the streak's own.
        questions_by_day: dict[date, set[str]] = {}
        for answered_at, uid, _correct in self.report.history:
            if answered_at >= start:
                questions_by_day.setdefault(timezone.localdate(answered_at), set()).add(uid)
        done = {day: len(uids) for day, uids in questions_by_day.items()}
        done[self.today] = done_today
        days: list[Day] = []
        target = DEFAULT_NEW_PER_DAY
        for offset in range(STREAK_WINDOW + 1):
            day = first + timedelta(days=offset)
            if day in targets:
                target = sum(targets[day])
            days.append(Day(day, target, done.get(day, 0)))
        streak = 1 if days[-1].met else 0
        for past in reversed(days[:-1]):
            if not past.met:
                break
            streak += 1
        return streak


def plan_for(owner_id: int, report: WeaknessReport, *, now: datetime) -> StudyPlanView:
    return StudyPlanner(owner_id, report, now=now).build()


def set_exam_date(owner_id: int, exam_date: date | None, *, now: datetime) -> None:
    """Set (or clear) the exam date; today's target is set again from it on the next view."""
    plan = StudyPlan.objects.filter(owner_id=owner_id).first() or StudyPlan(owner_id=owner_id)
    plan.exam_date, plan.date_set_at = exam_date, now
    plan.targets.pop(timezone.localdate(now).isoformat(), None)
    plan.save()


def set_daily_limits(owner_id: int, *, new_cap: int | None, review_cap: int | None, now: datetime) -> None:
    """Set (or clear, with None) the daily limits; today's target is set again from them on the next view."""
    plan = StudyPlan.objects.filter(owner_id=owner_id).first() or StudyPlan(owner_id=owner_id)
    plan.new_cap, plan.review_cap, plan.limits_set_at = new_cap, review_cap, now
    plan.targets.pop(timezone.localdate(now).isoformat(), None)
    plan.save()


def reviews_left_today(owner_id: int, *, now: datetime) -> int | None:
    """How many reviews the daily limit still allows today (None: no limit); two queries at most."""
    cap = StudyPlan.objects.filter(owner_id=owner_id).values_list("review_cap", flat=True).first()
    if cap is None:
        return None
    start = timezone.make_aware(datetime.combine(timezone.localdate(now), datetime.min.time()))
    done = (
        settled_responses(owner_id)
        .order_by()
        .values(uid=F("item__question__uid"))
        .annotate(first=Min("answered_at"), newest=Max("answered_at"))
        .filter(newest__gte=start, first__lt=start)
        .count()
    )
    return max(0, cap - done)


def new_question_ids(owner_id: int, report: WeaknessReport, *, now: datetime, language: str) -> list[int]:
    """Today's remaining new questions, drawn by the plan's weighted shares, as question ids."""
    import random

    plan = plan_for(owner_id, report, now=now)
    _bank, _unseen, shares = StudyPlanner(owner_id, report, now=now).unseen_shares()
    chosen = share_out(plan.new_left, shares)
    answered = {row["uid"] for row in report.log}
    wanted = {share.task.value: share.new for share in chosen}
    rows = (
        Question.objects.published()
        .in_language(language)
        .filter(task__code__in=list(wanted))
        .exclude(uid__in=answered)
        .values_list("pk", "task__code")
    )
    by_task: dict[str, list[int]] = {}
    for pk, code in rows:
        by_task.setdefault(code, []).append(pk)
    rng = random.Random()
    ids: list[int] = []
    for code, count in wanted.items():
        pool = by_task.get(code, [])
        ids.extend(rng.sample(pool, min(count, len(pool))))
    rng.shuffle(ids)
    return ids
