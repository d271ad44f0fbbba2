"""Time assembling a full mock from a generated 10,000-question bank (run in the bench DB env).

The bank is generated with bulk inserts (published, English, guide 2026, spread over the
14 task statements, 4 options each, every 40th question in a 2-question case study), then
analysed as autovacuum would. Two figures, medians over fresh candidates: the draw alone
(choosing the 65 questions), and the whole ``start_exam`` a "Start mock exam" click runs
(the draw from the process's bank index, and the inserts of the attempt and its 65 items).
"""

import json
import random
import statistics
import sys
import time

import django


def generate(size: int) -> None:
    from django.db import connection

    from questions.models import CaseStudy, GuideRevision, Option, Question, TaskStatement
    from questions.revisions import revise
    from questions.signals import bank_changed

    if Question.objects.count() >= size:
        return
    tasks = list(TaskStatement.objects.all())
    guide = GuideRevision.objects.get(code="2026")
    cases = CaseStudy.objects.bulk_create(
        CaseStudy(uid=f"bench-case-{n}", scenario=f"Scenario {n} of a company with constraints.")
        for n in range(size // 40)
    )
    questions = Question.objects.bulk_create(
        Question(
            uid=f"bench-{n:05d}",
            type="single",
            status="published",
            task=tasks[n % len(tasks)],
            difficulty=1 + n % 3,
            case_study=cases[(n // 40) % len(cases)] if n % 40 in (0, 1) else None,
            stem=f"A company needs outcome {n} under a budget. Which approach is MOST cost-effective?",
            explanation="The principle behind the key.",
            references=["https://docs.aws.amazon.com/bedrock/latest/userguide/what-is-bedrock.html"],
        )
        for n in range(size)
    )
    Question.guides.through.objects.bulk_create(
        Question.guides.through(question_id=question.pk, guiderevision_id=guide.pk) for question in questions
    )
    Option.objects.bulk_create(
        Option(question=question, position=p, text=f"Option {p}", is_correct=p == 0, rationale="Why.")
        for question in questions
        for p in range(4)
    )
    # As an import does: the questions' revisions in bulk, and the bank version changed.
    revise(Question.objects.drawable())
    bank_changed.send(sender=Question)
    # A live database has planner statistics (autovacuum); a bulk-loaded one has none yet.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def main(label: str) -> None:
    django.setup()
    from django.db import connection
    from django.utils import timezone

    from accounts.models import Owner
    from exams.assembly import draw_exam
    from exams.attempts import start_exam
    from exams.models import Blueprint
    from questions.models import Question

    generate(10_000)
    blueprint = Blueprint.objects.get(slug="aif-c01-full")
    bank = Question.objects.count()

    def timed(action) -> list[float]:
        times = []
        for run in range(16):
            owner = Owner.objects.create(guest_token=f"bench-assembly-{run}-{time.time_ns()}")
            start = time.perf_counter()
            action(owner.pk, run)
            if run:  # the first run warms connections and caches
                times.append((time.perf_counter() - start) * 1000)
        return times

    def draw(owner_id: int, run: int) -> None:
        assert len(draw_exam(blueprint, owner_id=owner_id, rng=random.Random(run))) == 65

    def start(owner_id: int, run: int) -> None:
        assert start_exam(owner_id, blueprint, now=timezone.now()).items.count() == 65

    rows = []
    figures = (("draw a 65-question mock", draw), ("start a 65-question mock (draw, inserts)", start))
    for what, action in figures:
        times = timed(action)
        value = statistics.median(times)
        rows.append(
            {
                "name": f"{what} from a {bank:,}-question bank ({label}, {connection.vendor})",
                "value": f"{value:.1f} ms (median of {len(times)})",
                "ms": value,
                "target": "< 50 ms",
            }
        )
    print(json.dumps({"rows": rows}))


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "")
