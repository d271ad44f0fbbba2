"""Fill the database with a realistic response log, fast, for benchmarks and demos.

Candidates (guest owners) of varied ability take practice sessions (10–20 questions of
one task statement) and full mocks (65 questions, scored), spread over the last
``--days`` days; each answer is right with a probability set by ability, question
difficulty and a little learning over time. Rows go in with bulk inserts. Items point at
the questions' current revisions, in the author's option order.

    manage.py generate_responses --responses 100000 --owners 100
"""

import math
import random
from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from accounts.models import Owner
from exams.grading import scaled_score
from exams.models import Attempt, AttemptItem, Blueprint, Mode, Response
from questions import types as question_types
from questions.models import Question, QuestionRevision
from questions.revisions import current_revisions

BATCH = 5000


class Command(BaseCommand):
    help = "Generate candidates, attempts and answers in bulk (for benchmarks and demos)."

    def add_arguments(self, parser):
        parser.add_argument("--responses", type=int, default=100_000, help="Answers to create in all (100000).")
        parser.add_argument("--owners", type=int, default=100, help="Candidates sharing them (100).")
        parser.add_argument("--days", type=int, default=60, help="Spread the history over this many days (60).")
        parser.add_argument("--seed", type=int, default=7)

    def handle(self, *args, responses: int, owners: int, days: int, seed: int, **options):
        if responses < 1 or owners < 1 or days < 1:
            raise CommandError("--responses, --owners and --days must be positive.")
        questions = list(
            Question.objects.published()
            .in_language("en")
            .select_related("task__domain", "case_study")
            .prefetch_related("options", "tags")
        )
        if len(questions) < 65:
            raise CommandError(f"Only {len(questions)} published English questions: run load_bank first.")
        rng = random.Random(seed)
        now = timezone.now()
        revisions = current_revisions(question.pk for question in questions)
        contents = QuestionRevision.objects.in_bulk([current.revision_id for current in revisions.values()])
        snapshots = {
            pk: (current.revision_id, contents[current.revision_id].content) for pk, current in revisions.items()
        }
        blueprint = Blueprint.objects.filter(mode=Mode.EXAM).order_by("-question_count").first()
        with transaction.atomic():
            created = [
                Owner(guest_token=f"generated-{seed}-{index}-{rng.getrandbits(64):x}") for index in range(owners)
            ]
            Owner.objects.bulk_create(created)
            plan = _plan(created, questions, responses=responses, days=days, now=now, rng=rng)
            total = _insert(plan, snapshots, blueprint, rng)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")  # fresh statistics, or the planner guesses from empty tables
        self.stdout.write(
            f"Created {owners} candidates, {len(plan)} attempts and {total} answers "
            f"(owner ids {created[0].pk}–{created[-1].pk})."
        )


def _plan(owners, questions, *, responses: int, days: int, now, rng: random.Random):
    """Attempts as (Attempt, [(question, answered_at, is_correct, ms)]) until ``responses`` answers."""
    by_task: dict[int, list[Question]] = {}
    for question in questions:
        by_task.setdefault(question.task_id, []).append(question)
    tasks = list(by_task)
    per_owner = math.ceil(responses / len(owners))
    plan, left = [], responses
    for owner in owners:
        ability = rng.uniform(-0.4, 1.6)  # logit of the chance to answer a medium question right
        quota = min(per_owner, left)
        left -= quota
        while quota > 0:
            start = now - timedelta(hours=2) - timedelta(days=days) * rng.random()  # ends before now
            mock = rng.random() < 0.15 and quota >= 65
            drawn = rng.sample(questions, 65) if mock else _practice_draw(by_task[rng.choice(tasks)], rng)
            drawn = drawn[:quota]
            quota -= len(drawn)
            progress = 1 - (now - start).days / days  # a little learning over time
            answers = []
            for position, question in enumerate(drawn):
                logit = ability + 0.6 * progress - 0.5 * (question.difficulty - 2)
                correct = rng.random() < 1 / (1 + math.exp(-logit))
                answers.append(
                    (question, start + timedelta(seconds=80 * position), correct, rng.randint(9, 160) * 1000)
                )
            plan.append((_attempt(owner, mock, start, len(drawn), answers, rng), answers))
    return plan


def _practice_draw(pool, rng):
    return rng.sample(pool, min(len(pool), rng.randint(10, 20)))


def _attempt(owner, mock: bool, start, count: int, answers, rng) -> Attempt:
    attempt = Attempt(
        owner=owner,
        mode=Mode.EXAM if mock else Mode.PRACTICE,
        language="en",
        seed=rng.getrandbits(48),
        status=Attempt.Status.SUBMITTED,
        started_at=start,
        submitted_at=start + timedelta(seconds=80 * count),
        target_count=count,
    )
    if mock:
        correct = sum(1 for *_, right, _ms in answers if right)
        attempt.deadline = start + timedelta(minutes=90)
        attempt.correct_scored, attempt.total_scored = correct, count
        attempt.scaled_score = scaled_score(correct, count)
        attempt.passed = attempt.scaled_score >= attempt.pass_mark
    return attempt


def _insert(plan, snapshots, blueprint, rng) -> int:
    for attempt, _ in plan:
        if attempt.mode == Mode.EXAM:
            attempt.blueprint = blueprint
    Attempt.objects.bulk_create([attempt for attempt, _ in plan], batch_size=BATCH)
    items, rows = [], []
    for attempt, answers in plan:
        for position, (question, answered_at, correct, ms) in enumerate(answers, start=1):
            revision_id, snapshot = snapshots[question.pk]
            items.append(AttemptItem(attempt=attempt, question=question, position=position, revision_id=revision_id))
            rows.append((answered_at, correct, ms, _answer(snapshot, correct, rng)))
    AttemptItem.objects.bulk_create(items, batch_size=BATCH)
    Response.objects.bulk_create(
        [
            Response(item=item, answer=answer, is_correct=correct, answered_at=at, time_spent_ms=ms, seq=1)
            for item, (at, correct, ms, answer) in zip(items, rows, strict=True)
        ],
        batch_size=BATCH,
    )
    return len(rows)


def _answer(snapshot: dict, correct: bool, rng):
    """An answer of the snapshot's shape: the key when right, a plausible mistake otherwise."""
    return question_types.get(snapshot["type"]).sample_answer(snapshot, correct, rng)
