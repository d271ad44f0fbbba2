"""Drawing the questions of a mock exam from a blueprint.

The draw works on an index of the drawable bank that each process keeps in memory
(``BankIndex``: id, uid, language, pilot, domain, case study, guide revisions, current
revision), rebuilt only when the bank version changes. A draw then costs two small queries
(the weights, the questions the owner has seen) and a few milliseconds of Python, and the
start needs no question row at all: items point at the revisions the index names.

Rules (docs/exam-rules.md §3):
- per-domain slot counts from the weights, by the largest-remainder method, separately
  for the scored and the unscored slots;
- scored slots take published questions only; unscored slots take pilot questions
  first, then published ones;
- questions the owner has never been shown come first (by uid, so a translation of a
  seen question counts as seen);
- a case study's questions are drawn together, as one unit, and stay adjacent;
- only questions valid for the blueprint's exam guide revision, if it names one;
- everything random comes from the ``random.Random`` passed in, seeded from
  ``Attempt.seed``: the same seed, bank and history give the same exam.
"""

import math
import random
from collections import Counter, defaultdict
from dataclasses import dataclass

from django.db.models import OuterRef, Subquery
from django.utils.translation import gettext as _

from questions.models import Domain, Language, Question
from questions.revisions import Current, bank_version, current_revisions
from quizapp.compiled import CompiledQuery

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


def _weights(blueprint_id: int):
    own = BlueprintDomain.objects.filter(blueprint_id=blueprint_id, domain=OuterRef("pk")).values("weight")
    return Domain.objects.values_list("number", "weight", Subquery(own))


_WEIGHTS = CompiledQuery(_weights)


def blueprint_weights(blueprint: Blueprint) -> dict[int, int]:
    """Domain number → weight: the blueprint's own rows if it has any (domains without a
    row then get none), else the exam guide's weights. One query, compiled once."""
    rows = _WEIGHTS.rows(blueprint.pk)
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


@dataclass(frozen=True, slots=True)
class Entry:
    """What the draw needs to know of one drawable question."""

    pk: int
    uid: str
    language: str
    pilot: bool
    domain: int
    case_study_id: int | None
    guides: frozenset[int]


class BankIndex:
    """The drawable bank (published and pilot questions), held in memory by each process.

    Built in two queries under a bank version (``questions.revisions.bank_version``) and
    replaced when the version changes, which every write to the bank does. The pools of one
    exam language and guide revision are worked out on the first draw that needs them.
    """

    def __init__(self, version: str, entries: list[Entry], current: dict[int, Current]):
        self.version = version
        self.entries = entries
        # question id -> current revision; filled in for questions that had none (a start
        # revises them: see exams.attempts).
        self.current = current
        self._pools: dict[tuple[str, int | None], tuple] = {}

    @classmethod
    def build(cls, version: str) -> "BankIndex":
        drawable = Question.objects.drawable()
        guides = defaultdict(set)
        through = Question.guides.through.objects.filter(question__in=drawable)
        for question_id, guide_id in through.values_list("question_id", "guiderevision_id"):
            guides[question_id].add(guide_id)
        entries, current = [], {}
        rows = drawable.order_by("pk").values_list(
            "pk",
            "uid",
            "language",
            "status",
            "task__domain__number",
            "case_study_id",
            "revision_id",
            "revision__option_count",
            "revision__match_count",
        )
        for pk, uid, language, status, domain, case_id, revision_id, options, matches in rows:
            pilot = status == Question.Status.PILOT
            entries.append(Entry(pk, uid, language, pilot, domain, case_id, frozenset(guides.get(pk, ()))))
            if revision_id is not None:
                current[pk] = Current(revision_id, options, matches)
        return cls(version, entries, current)

    def pools(self, language: str, guide_id: int | None) -> tuple[dict, dict]:
        """The drawable questions of an exam in ``language`` valid for ``guide_id`` (None:
        any): single questions by (domain, pilot), in id order, and case studies by id as
        [domain of their first question, any pilot, [question ids]].

        A uid without a translation into ``language`` takes its English item, as in practice.
        """
        key = (language, guide_id)
        if key not in self._pools:
            translated = {entry.uid for entry in self.entries if entry.language == language}
            singles: dict[tuple[int, bool], list[int]] = defaultdict(list)
            cases: dict[int, list] = {}
            for entry in self.entries:
                if guide_id is not None and guide_id not in entry.guides:
                    continue
                if entry.language != language and (entry.language != Language.EN or entry.uid in translated):
                    continue
                if entry.case_study_id is None:
                    singles[entry.domain, entry.pilot].append(entry.pk)
                    continue
                case = cases.setdefault(entry.case_study_id, [entry.domain, False, []])
                case[1] = case[1] or entry.pilot
                case[2].append(entry.pk)
            self._pools[key] = (dict(singles), cases)
        return self._pools[key]

    def current_revisions(self, question_ids: list[int]) -> dict[int, Current]:
        """The questions' current revisions; the few without one are revised now (and
        remembered here)."""
        missing = [pk for pk in question_ids if pk not in self.current]
        if missing:
            self.current.update(current_revisions(missing))
        return {pk: self.current[pk] for pk in question_ids}


_index: BankIndex | None = None


def bank_index() -> BankIndex:
    """This process's index of the drawable bank, rebuilt if the bank changed since."""
    global _index
    version = bank_version()
    index = _index
    if index is None or index.version != version:
        index = _index = BankIndex.build(version)
    return index


def _lazy_shuffle(keys: list[int], rng: random.Random):
    """Yield ``keys`` in random order, paying only for the ones consumed (Fisher–Yates)."""
    keys = list(keys)
    for index in range(len(keys)):
        swap = rng.randrange(index, len(keys))
        keys[index], keys[swap] = keys[swap], keys[index]
        yield keys[index]


def draw_exam(
    blueprint: Blueprint,
    *,
    owner_id: int,
    rng: random.Random,
    language: str | None = None,
    index: BankIndex | None = None,
    seen: set[int] | None = None,
) -> list[Slot]:
    """Choose and order the questions of one mock exam; raise NotEnoughQuestions if short.

    ``language`` is the exam's language (default: the blueprint's); a question without a
    translation into it comes in English, as in practice. ``index`` is the bank's
    (default: ``bank_index()``). ``seen`` is ``seen_question_ids(owner_id)`` when the caller
    knows it already (a new owner: none), read here otherwise.

    Returns the slots in exam order, each with its question id and whether it is scored.
    Two queries (the weights, the questions already seen), and two more to rebuild the
    index after a bank write.
    """
    total = blueprint.question_count
    unscored = min(blueprint.unscored_count, total)
    weights = blueprint_weights(blueprint)
    scored_counts = largest_remainder(total - unscored, weights)
    unscored_counts = largest_remainder(unscored, weights)
    if seen is None:
        seen = seen_question_ids(owner_id)
    singles, cases = (index or bank_index()).pools(language or blueprint.language, blueprint.guide_id)

    # A unit is a question id (> 0) or a case study (its id negated, all its questions).
    # pools[(domain, pilot, seen)] lists the units in id order.
    pools: dict[tuple[int, bool, bool], list[int]] = {}
    eligible: Counter = Counter()
    for (domain, pilot), members in singles.items():
        eligible[domain, pilot] += len(members)
        pools[domain, pilot, False] = [pk for pk in members if pk not in seen]
        pools[domain, pilot, True] = [pk for pk in members if pk in seen]
    for case_id, (domain, pilot, members) in cases.items():
        eligible[domain, pilot] += len(members)
        pools.setdefault((domain, pilot, any(pk in seen for pk in members)), []).append(-case_id)

    def size(unit: int) -> int:
        return 1 if unit > 0 else len(cases[-unit][2])

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
        members = [unit] if unit > 0 else cases[-unit][2]
        slots += [Slot(question_id, scored) for question_id in members]
    return slots
