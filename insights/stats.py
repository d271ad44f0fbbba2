"""Item statistics for authors: how each question performs, from first attempts only.

A candidate's later answers to a question they have seen (in any language) are
coloured by having read its explanation, so only each candidate's first settled answer
to a question uid counts. Per question row:

- *answered*: first answers; *facility*: the share of them that are correct;
- *discrimination*: facility among the upper third of candidates minus facility among
  the lower third, candidates ranked by their share of correct first answers over the
  whole bank (ties split by id); None while either third has no answer to the question;
- *most-chosen wrong option* (each type's ``wrong_picks``, ``questions.types``): single → the
  wrong choice picked most; multiple → the
  wrong choice most often included; matching → the wrong pairing made most; ordering →
  the wrong order given most;
- *average time*: mean time on the question, over first answers with a recorded time.

A question is *suspicious* (worth an author's look) with at least ``SUSPICIOUS_MIN``
first answers and a facility under 0.2 or over 0.95, or a negative discrimination.

Ranking candidates needs a window over every first answer, which the ORM cannot join
back to the answers, so the aggregation is one SQL statement (standard SQL that both
SQLite and PostgreSQL run): two queries whatever the number of questions, cached for a
few minutes (``item_statistics``).
"""

import json
from collections import Counter
from dataclasses import dataclass

from django.core.cache import cache
from django.db import connection
from django.db.models import Case, F, When

from exams.models import Response
from questions import types as question_types
from questions.models import Option, Question

SUSPICIOUS_MIN = 10
CACHE_KEY = "insights:item-statistics"
CACHE_SECONDS = 300
# "How others did" (``first_tries``): per question uid, cached beside the figures it sums,
# and shown to candidates only once this many have answered (fewer say little and could
# point at someone).
FIRST_TRIES_KEY = "insights:first-tries"
OTHERS_MIN_CANDIDATES = 20
TOO_HARD = 0.2
TOO_EASY = 0.95


@dataclass
class ItemStats:
    question_id: int
    answered: int = 0
    correct: int = 0
    upper_answered: int = 0
    upper_correct: int = 0
    lower_answered: int = 0
    lower_correct: int = 0
    average_ms: float | None = None
    wrong_choice: str = ""
    wrong_count: int = 0

    @property
    def facility(self) -> float | None:
        return self.correct / self.answered if self.answered else None

    @property
    def discrimination(self) -> float | None:
        if not (self.upper_answered and self.lower_answered):
            return None
        return self.upper_correct / self.upper_answered - self.lower_correct / self.lower_answered

    @property
    def average_seconds(self) -> float | None:
        return None if self.average_ms is None else self.average_ms / 1000

    @property
    def suspicious(self) -> bool:
        if self.answered < SUSPICIOUS_MIN:
            return False
        facility = self.facility
        discrimination = self.discrimination
        return facility < TOO_HARD or facility > TOO_EASY or (discrimination is not None and discrimination < 0)


def _first_answers_sql() -> tuple[str, list]:
    """A WITH clause defining ``firsts``: each candidate's first settled answer per question uid,
    and ``thirds``: each candidate's third (1 lower … 3 upper) by share of correct first answers.

    The window sorts every settled answer, so its rows stay narrow (a uid becomes the
    smallest id among its rows) to keep the sort in memory on a large log.
    """
    # The settled answers come from the ORM, so the rule of what counts is written once.
    settled_sql, settled_params = (
        Response.objects.settled()
        .values("id", "answered_at", owner=F("item__attempt__owner_id"), question=F("item__question_id"))
        .annotate(ms=F("time_spent_ms"), correct=Case(When(is_correct=True, then=1), default=0))
        .order_by()
        .query.sql_with_params()
    )
    question = Question._meta.db_table
    sql = f"""
    WITH canon AS (
        SELECT id, MIN(id) OVER (PARTITION BY uid) AS uid_id FROM {question}
    ), settled AS (
        SELECT s.id AS id, s.owner AS owner_id, s.question AS question_id, c.uid_id AS uid_id,
               s.correct AS correct, s.ms AS ms, s.answered_at AS answered_at
        FROM ({settled_sql}) s
        JOIN canon c ON c.id = s.question
    ), ranked AS (
        SELECT id, owner_id, question_id, correct, ms,
               ROW_NUMBER() OVER (PARTITION BY owner_id, uid_id ORDER BY answered_at, id) AS nth
        FROM settled
    ), firsts AS (
        SELECT id, owner_id, question_id, correct, ms FROM ranked WHERE nth = 1
    ), thirds AS (
        SELECT owner_id, NTILE(3) OVER (ORDER BY AVG(1.0 * correct), owner_id) AS third
        FROM firsts GROUP BY owner_id
    )
    """
    return sql, list(settled_params)


def item_statistics(question_ids=None) -> dict[int, ItemStats]:
    """Statistics of the given question rows (all answered questions when None), by question id.

    Questions nobody has answered are absent. Ranking the candidates reads the whole log
    whatever the questions asked for (about a second per 100,000 answers on PostgreSQL),
    so the figures of every question are computed at most once every ``CACHE_SECONDS``
    and kept in the cache that all app processes share; authors do not need them to
    the minute. A computation is two queries, whatever the number of questions.
    """
    every = cache.get(CACHE_KEY)
    if every is None:
        every = compute_item_statistics()
        cache.set(CACHE_KEY, every, CACHE_SECONDS)
    if question_ids is None:
        return every
    return {pk: every[pk] for pk in question_ids if pk in every}


def forget_item_statistics() -> None:
    """Drop the cached figures (``insights.apps`` calls it on edits and deletions)."""
    cache.delete_many([CACHE_KEY, FIRST_TRIES_KEY])


def first_tries() -> dict[str, tuple[int, int]]:
    """Per question uid: (candidates who answered it, those right on their first try).

    The item statistics' first answers summed over the uid's languages: a candidate's first
    answer counts once, in the language they gave it. Cached as the statistics are (a
    candidate's own newest answer may be missing for a few minutes), in a map small enough
    to read on every feedback; one query besides the statistics when it is not.
    """
    tries = cache.get(FIRST_TRIES_KEY)
    if tries is None:
        every = item_statistics()
        tries = {}
        for pk, uid in Question.objects.order_by().values_list("pk", "uid"):
            if pk in every:
                answered, correct = tries.get(uid, (0, 0))
                tries[uid] = (answered + every[pk].answered, correct + every[pk].correct)
        cache.set(FIRST_TRIES_KEY, tries, CACHE_SECONDS)
    return tries


def compute_item_statistics() -> dict[int, ItemStats]:
    """``item_statistics`` straight from the log, without the cache: one statement for
    the figures and the wrong answers, one query for the options' texts."""
    with_sql, with_params = _first_answers_sql()
    response, question = Response._meta.db_table, Question._meta.db_table
    # Two result shapes in one statement, so the window runs once: the figures per
    # question (kind 1), then each distinct wrong answer and how often it was given (kind 2).
    sql = f"""{with_sql}
        SELECT 1, f.question_id, COUNT(*), SUM(f.correct),
               SUM(CASE WHEN t.third = 3 THEN 1 ELSE 0 END), SUM(CASE WHEN t.third = 3 THEN f.correct ELSE 0 END),
               SUM(CASE WHEN t.third = 1 THEN 1 ELSE 0 END), SUM(CASE WHEN t.third = 1 THEN f.correct ELSE 0 END),
               AVG(CASE WHEN f.ms > 0 THEN 1.0 * f.ms END), NULL, NULL
        FROM firsts f JOIN thirds t ON t.owner_id = f.owner_id
        GROUP BY f.question_id
        UNION ALL
        SELECT 2, f.question_id, COUNT(*), NULL, NULL, NULL, NULL, NULL, NULL, q.type, r.answer
        FROM firsts f JOIN {response} r ON r.id = f.id JOIN {question} q ON q.id = f.question_id
        WHERE f.correct = 0
        GROUP BY f.question_id, q.type, r.answer"""
    stats: dict[int, ItemStats] = {}
    wrong_answers = []
    with connection.cursor() as cursor:
        cursor.execute(sql, with_params)
        for kind, question_id, count, *figures, average_ms, question_type, answer in cursor.fetchall():
            if kind == 1:
                stats[question_id] = ItemStats(question_id, int(count), *(int(figure) for figure in figures))
                stats[question_id].average_ms = None if average_ms is None else float(average_ms)
            else:
                wrong_answers.append((question_id, question_type, answer, int(count)))
    _attach_wrong_choices(stats, wrong_answers)
    return stats


def _attach_wrong_choices(stats: dict[int, ItemStats], wrong_answers) -> None:
    """Name each question's most-chosen wrong option (one query for the options).

    ``wrong_answers`` holds (question id, type, answer, count) per distinct wrong answer.
    """
    if not wrong_answers:
        return
    ids = {question_id for question_id, *_ in wrong_answers}
    options: dict[int, dict[int, Option]] = {}
    for option in Option.objects.filter(question_id__in=ids):
        options.setdefault(option.question_id, {})[option.pk] = option
    tallies: dict[int, Counter] = {}
    for question_id, kind, answer, count in wrong_answers:
        if isinstance(answer, str):  # SQLite hands JSON back as text, PostgreSQL as objects
            answer = json.loads(answer)
        picks = _wrong_picks(kind, answer, options.get(question_id, {}))
        tally = tallies.setdefault(question_id, Counter())
        for pick in picks:
            tally[pick] += count
    for question_id, tally in tallies.items():
        if tally and question_id in stats:
            (label, count), *_ = sorted(tally.items(), key=lambda pair: (-pair[1], pair[0]))
            stats[question_id].wrong_choice, stats[question_id].wrong_count = label, count


def _wrong_picks(kind: str, answer, options: dict[int, Option]) -> list[str]:
    """The wrong things one wrong answer chose, as labels an author recognises."""

    def text(option_id) -> str:
        option = options.get(option_id) if isinstance(option_id, int) else None
        return option.text if option is not None else "?"

    try:
        question_type = question_types.get(kind)
    except question_types.UnknownType:
        return []
    return question_type.wrong_picks(answer, options, text)
