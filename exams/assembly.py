"""Drawing the questions of a mock exam from a blueprint.

The draw works on light rows (id, status, task, case study, seen) so a 10,000-question
bank costs three small queries and a few milliseconds of Python; only the chosen
questions are then fetched whole (``for_candidate()``) to be snapshotted.

Rules (docs/exam-rules.md §3):
- per-domain slot counts from the weights, by the largest-remainder method, separately
  for the scored and the unscored slots;
- scored slots take published questions only; unscored slots take pilot questions
  first, then published ones;
- questions the owner has never been shown come first (by uid, so a translation of a
  seen question counts as seen);
- a case study's questions are drawn together, as one unit, and stay adjacent;
- everything random comes from the ``random.Random`` passed in, seeded from
  ``Attempt.seed``: the same seed, bank and history give the same exam.
"""

import math
import random
from collections import Counter, defaultdict
from dataclasses import dataclass

from django.db import connection
from django.db.models import OuterRef, Subquery
from django.utils.translation import gettext as _

from questions.models import Domain, Language, Question, TaskStatement

from .models import AttemptItem, Blueprint, BlueprintDomain


class NotEnoughQuestions(Exception):
    """The bank cannot fill the request; the message says what is missing."""


@dataclass
class Slot:
    question_id: int
    scored: bool


def largest_remainder(total: int, weights: dict[int, int]) -> dict[int, int]:
    """Split ``total`` into whole counts proportional to ``weights`` (Hamilton's method).

    Ties in the remainders go to the heavier weight, then to the lower key, so the
    split is deterministic.
    """
    weight_sum = sum(weights.values())
    if total <= 0 or weight_sum <= 0:
        return dict.fromkeys(weights, 0)
    quotas = {key: total * weight / weight_sum for key, weight in weights.items()}
    counts = {key: math.floor(quota) for key, quota in quotas.items()}
    left = total - sum(counts.values())
    by_remainder = sorted(weights, key=lambda key: (-(quotas[key] - counts[key]), -weights[key], key))
    for key in by_remainder[:left]:
        counts[key] += 1
    return counts


def blueprint_weights(blueprint: Blueprint) -> dict[int, int]:
    """Domain number → weight: the blueprint's own rows if it has any (domains without a
    row then get none), else the exam guide's weights. One query."""
    own = BlueprintDomain.objects.filter(blueprint=blueprint, domain=OuterRef("pk")).values("weight")
    rows = list(Domain.objects.values_list("number", "weight", Subquery(own)))
    if any(override is not None for _number, _weight, override in rows):
        return {number: override or 0 for number, _weight, override in rows}
    return {number: weight for number, weight, _override in rows}


def seen_uids(owner_id: int) -> set[str]:
    """Uids of every question this owner has been shown, in any attempt or language."""
    shown = AttemptItem.objects.filter(attempt__owner_id=owner_id).values_list("question__uid", flat=True)
    return set(shown.distinct())


def seen_question_ids(owner_id: int) -> set[int]:
    """Ids of every question whose uid this owner has been shown, in any language (one query)."""
    shown = AttemptItem.objects.filter(attempt__owner_id=owner_id).values("question__uid")
    return set(Question.objects.filter(uid__in=shown).values_list("pk", flat=True))


# Candidates are ranked by a seeded key, draw_key = (id² × a + id × c + b) mod P, with a, b
# and c drawn from the attempt's random generator (ties, which are rare, go by id). The
# square matters: a linear key maps the ids of a pool, often an arithmetic progression, onto
# a lattice, so a pool's smallest keys would not be a fair sample. A pool's first k
# candidates are the ones with the k smallest keys, so the database needs no sort: it
# returns every candidate whose key is below a threshold set per pool to let about
# ``wanted`` of them through, and Python keeps the k smallest. Plain SQL: Django's Mod() is
# a Python function on SQLite, called per row.
_PRIME = 2_147_483_647
_SAMPLED = """
WITH candidate AS (
  SELECT question.id, question.status = %s AS pilot, question.case_study_id, domain.number AS domain_number,
    ((question.id * question.id) %% {prime} * %s + question.id * %s + %s) %% {prime} AS draw_key
  FROM {question} question
  JOIN {task} task ON task.id = question.task_id
  JOIN {domain} domain ON domain.id = task.domain_id
  {guide_join}
  WHERE question.status IN (%s, %s) AND (question.language = %s {fallback})
), pool AS (
  SELECT domain_number, pilot, COUNT(*) AS size FROM candidate
  WHERE case_study_id IS NULL GROUP BY domain_number, pilot
)
SELECT candidate.id, candidate.pilot, candidate.domain_number, candidate.case_study_id, candidate.draw_key, pool.size
FROM candidate LEFT JOIN pool ON pool.domain_number = candidate.domain_number AND pool.pilot = candidate.pilot
WHERE candidate.case_study_id IS NOT NULL OR candidate.draw_key * pool.size < %s
UNION ALL
SELECT NULL, pilot, domain_number, NULL, NULL, size FROM pool
"""
_FALLBACK = """OR question.language = %s AND NOT EXISTS (
      SELECT 1 FROM {question} translated
      WHERE translated.uid = question.uid AND translated.language = %s AND translated.status IN (%s, %s)
    )"""


def _eligible_rows(
    blueprint: Blueprint, *, per_pool: int, rng: random.Random, language: str | None = None
) -> list[tuple]:
    """``(pk, pilot, domain number, case_study_id)`` of the candidates worth drawing from.

    A domain never takes more than ``per_pool`` questions from one pool (pilot or not), so
    only each pool's first ``per_pool`` single questions in the seeded order come back,
    plus every case-study question: a 10,000-question bank sends a few hundred rows and
    sorts none. (Seen or not is sorted out afterwards: ranking by it in SQL meant hashing
    every candidate's uid, which cost as much as the rest.)
    """
    language = language or blueprint.language
    guides = Question.guides.through._meta
    guide_join = ""
    params: list = [Question.Status.PILOT, rng.randrange(1, 1 << 31), rng.randrange(1 << 31), rng.randrange(1 << 31)]
    if blueprint.guide_id:
        guide_join = f"JOIN {guides.db_table} guide ON guide.question_id = question.id AND guide.guiderevision_id = %s"
        params.append(blueprint.guide_id)
    drawable = [Question.Status.PUBLISHED, Question.Status.PILOT]
    params += [*drawable, language]
    fallback = ""
    if language != Language.EN:
        # A uid without a translation into the exam's language takes its English item.
        fallback = _FALLBACK.format(question=Question._meta.db_table)
        params += [Language.EN, language, *drawable]
    sql = _SAMPLED.format(
        prime=_PRIME,
        question=Question._meta.db_table,
        task=TaskStatement._meta.db_table,
        domain=Domain._meta.db_table,
        guide_join=guide_join,
        fallback=fallback,
    )
    # Let about twice what is needed through, so that a pool falls short of per_pool only
    # rarely; then it is asked again with every candidate let through.
    wanted = 2 * per_pool + 20
    while True:
        with connection.cursor() as cursor:
            # draw_key < P × wanted / size, kept in integers
            cursor.execute(sql, [*params, wanted * _PRIME])
            rows = cursor.fetchall()
        pools: dict[tuple, list] = {}  # (domain, pilot, single questions in the pool) → [(key, pk)]
        cases = []
        for pk, pilot, domain, case_id, key, size in rows:
            if case_id is not None:
                cases.append((pk, pilot, domain, case_id))
                continue
            found = pools.setdefault((domain, bool(pilot), size), [])
            if pk is not None:  # else the pool's own row, there even when none of it passed
                found.append((key, pk))
        everything = wanted >= max((size for _d, _p, size in pools), default=0)
        if everything or all(len(found) >= min(per_pool, size) for (_d, _p, size), found in pools.items()):
            break
        wanted = max(size for _d, _p, size in pools)
    singles = [
        (pk, pilot, domain, None)
        for (domain, pilot, _size), found in pools.items()
        for _key, pk in sorted(found)[:per_pool]
    ]
    # A stable order before the draw's own shuffle: the database returns rows in any order.
    return sorted(singles + cases)


def _lazy_shuffle(keys: list[int], rng: random.Random):
    """Yield ``keys`` in random order, paying only for the ones consumed (Fisher–Yates)."""
    keys = list(keys)
    for index in range(len(keys)):
        swap = rng.randrange(index, len(keys))
        keys[index], keys[swap] = keys[swap], keys[index]
        yield keys[index]


def draw_exam(blueprint: Blueprint, *, owner_id: int, rng: random.Random, language: str | None = None) -> list[Slot]:
    """Choose and order the questions of one mock exam; raise NotEnoughQuestions if short.

    ``language`` is the exam's language (default: the blueprint's); a question without a
    translation into it comes in English, as in practice.

    Returns the slots in exam order, each with its question id and whether it is scored.
    Three queries: the weights, the questions already seen, the eligible rows.
    """
    total = blueprint.question_count
    unscored = min(blueprint.unscored_count, total)
    weights = blueprint_weights(blueprint)
    scored_counts = largest_remainder(total - unscored, weights)
    unscored_counts = largest_remainder(unscored, weights)
    seen = seen_question_ids(owner_id)

    # A unit is a question id (> 0) or a case study (its id negated, all its questions).
    # pools[(domain, pilot, seen)] lists the units in the database's seeded order.
    pools: dict[tuple[int, bool, bool], list[int]] = defaultdict(list)
    cases: dict[int, list] = {}
    eligible: Counter = Counter()
    per_pool = max([0, *scored_counts.values()]) + max([0, *unscored_counts.values()])
    # Ranked without regard to seen, the first per_pool + len(seen) of a pool hold its first
    # per_pool unseen questions, or else the whole pool.
    for pk, pilot, domain, case_id in _eligible_rows(
        blueprint, per_pool=per_pool + len(seen), rng=rng, language=language or blueprint.language
    ):
        pilot, was_seen = bool(pilot), pk in seen
        eligible[domain, pilot] += 1
        if case_id is None:
            pools[domain, pilot, was_seen].append(pk)
            continue
        # A case study counts toward the domain of its first question.
        case = cases.setdefault(case_id, [domain, False, False, []])
        case[1] = case[1] or pilot
        case[2] = case[2] or was_seen
        case[3].append(pk)
    for case_id, (domain, pilot, seen, _members) in cases.items():
        pools[domain, pilot, seen].append(-case_id)

    def size(unit: int) -> int:
        return 1 if unit > 0 else len(cases[-unit][3])

    def fill(pool_keys, capacity: int, taken: set[int]) -> list[int]:
        """Take units pool by pool in random order while they fit; skip a case study too
        big for what is left."""
        chosen = []
        for key in pool_keys:
            for unit in _lazy_shuffle(pools.get(key, []), rng):
                if capacity == 0:
                    return chosen
                if unit in taken or size(unit) > capacity:
                    continue
                taken.add(unit)
                chosen.append(unit)
                capacity -= size(unit)
        return chosen

    picked: list[tuple[int, bool]] = []
    shortages = []
    for domain in sorted(weights):
        taken: set[int] = set()
        # Unscored slots: pilot questions first, then published; unseen before seen.
        unscored_keys = [(domain, True, False), (domain, True, True), (domain, False, False), (domain, False, True)]
        unscored_units = fill(unscored_keys, unscored_counts[domain], taken)
        scored_units = fill([(domain, False, False), (domain, False, True)], scored_counts[domain], taken)
        got = sum(map(size, unscored_units)) + sum(map(size, scored_units))
        need = unscored_counts[domain] + scored_counts[domain]
        if got < need:
            shortages.append((domain, need, eligible[domain, False], eligible[domain, True]))
        picked += [(unit, False) for unit in unscored_units] + [(unit, True) for unit in scored_units]

    if shortages:
        detail = "; ".join(
            _("domain %(domain)s needs %(need)s questions, %(have)s are eligible (%(pilot)s more are pilots)")
            % {"domain": domain, "need": need, "have": have, "pilot": pilot}
            if pilot
            else _("domain %(domain)s needs %(need)s questions, %(have)s are eligible")
            % {"domain": domain, "need": need, "have": have}
            for domain, need, have, pilot in shortages
        )
        raise NotEnoughQuestions(
            _("The question bank cannot fill “%(name)s” yet: %(detail)s.")
            % {"name": blueprint.display_name, "detail": detail}
        )

    rng.shuffle(picked)
    slots = []
    for unit, scored in picked:
        members = [unit] if unit > 0 else cases[-unit][3]
        slots += [Slot(question_id, scored) for question_id in members]
    return slots
