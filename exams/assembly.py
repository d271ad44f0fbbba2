"""Drawing the questions of a mock exam from a blueprint.

The draw works on light rows (id, uid, status, domain, case study) so a 10,000-question
bank costs two small queries and a few milliseconds of Python; only the chosen
questions are then fetched whole (``for_candidate()``) to be snapshotted.

Rules (DESIGN §5 "Mock exam"):
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
from collections import defaultdict
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from questions.models import Domain, Question

from .models import AttemptItem, Blueprint


class NotEnoughQuestions(Exception):
    """The bank cannot fill the request; the message says what is missing."""


@dataclass
class Unit:
    """One drawable thing: a single question, or all questions of a case study."""

    domain: int
    question_ids: list[int] = field(default_factory=list)
    uids: list[str] = field(default_factory=list)
    pilot: bool = False
    seen: bool = False

    @property
    def size(self) -> int:
        return len(self.question_ids)


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
    """Domain number → weight: the blueprint's own rows, or the exam guide's weights."""
    rows = list(blueprint.domain_weights.values_list("domain__number", "weight"))
    if rows:
        return dict(rows)
    return dict(Domain.objects.values_list("number", "weight"))


def seen_uids(owner_id: int) -> set[str]:
    """Uids of every question this owner has been shown, in any attempt or language."""
    return set(
        AttemptItem.objects.filter(attempt__owner_id=owner_id).values_list("question__uid", flat=True).distinct()
    )


def eligible_units(blueprint: Blueprint, *, seen: set[str]) -> list[Unit]:
    """The drawable questions for ``blueprint``, grouped into units, in id order."""
    questions = Question.objects.drawable().in_language(blueprint.language)
    if blueprint.guide_id:
        questions = questions.filter(guides=blueprint.guide_id)
    rows = questions.order_by("pk").values_list("pk", "uid", "status", "task__domain__number", "case_study_id")
    units: list[Unit] = []
    cases: dict[int, Unit] = {}
    for pk, uid, status, domain, case_id in rows:
        if case_id is None:
            unit = Unit(domain=domain)
            units.append(unit)
        elif case_id in cases:
            unit = cases[case_id]
        else:
            # A case study counts toward the domain of its first question.
            unit = cases[case_id] = Unit(domain=domain)
            units.append(unit)
        unit.question_ids.append(pk)
        unit.uids.append(uid)
        unit.pilot = unit.pilot or status == Question.Status.PILOT
        unit.seen = unit.seen or uid in seen
    return units


def _fill(candidates: list[Unit], capacity: int, taken: set[int]) -> list[Unit]:
    """Take units in order while they fit; skip a case study too big for what is left."""
    chosen = []
    for unit in candidates:
        if capacity == 0:
            break
        if id(unit) in taken or unit.size > capacity:
            continue
        chosen.append(unit)
        taken.add(id(unit))
        capacity -= unit.size
    return chosen


def draw_exam(blueprint: Blueprint, *, owner_id: int, rng: random.Random) -> list[Slot]:
    """Choose and order the questions of one mock exam; raise NotEnoughQuestions if short.

    Returns the slots in exam order, each with its question id and whether it is scored.
    """
    total = blueprint.question_count
    unscored = min(blueprint.unscored_count, total)
    weights = blueprint_weights(blueprint)
    scored_counts = largest_remainder(total - unscored, weights)
    unscored_counts = largest_remainder(unscored, weights)

    units = eligible_units(blueprint, seen=seen_uids(owner_id))
    # Shuffle first, then a stable sort on "seen": unseen first, random within each.
    rng.shuffle(units)
    units.sort(key=lambda unit: unit.seen)
    by_domain: dict[int, list[Unit]] = defaultdict(list)
    for unit in units:
        by_domain[unit.domain].append(unit)

    picked: list[tuple[Unit, bool]] = []
    shortages = []
    for domain in sorted(weights):
        pool = by_domain.get(domain, [])
        taken: set[int] = set()
        pilots = [unit for unit in pool if unit.pilot]
        published = [unit for unit in pool if not unit.pilot]
        unscored_units = _fill(pilots + published, unscored_counts[domain], taken)
        scored_units = _fill(published, scored_counts[domain], taken)
        got = sum(unit.size for unit in unscored_units) + sum(unit.size for unit in scored_units)
        need = unscored_counts[domain] + scored_counts[domain]
        if got < need:
            shortages.append((domain, need, len({q for unit in pool for q in unit.question_ids})))
        picked += [(unit, False) for unit in unscored_units] + [(unit, True) for unit in scored_units]

    if shortages:
        detail = "; ".join(
            _("domain %(domain)s needs %(need)s questions, %(have)s are eligible")
            % {"domain": domain, "need": need, "have": have}
            for domain, need, have in shortages
        )
        raise NotEnoughQuestions(
            _("The question bank cannot fill “%(name)s” yet: %(detail)s.") % {"name": blueprint.name, "detail": detail}
        )

    rng.shuffle(picked)
    return [Slot(question_id, scored) for unit, scored in picked for question_id in unit.question_ids]
