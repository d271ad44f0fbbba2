"""The key cannot be read from the page (issue 15 §1).

A "solver" reads only what the candidate's browser receives: every page and fragment of a
mock and of practice sessions (English and Japanese, with "Show original"), for all four
types, parsed as HTML. It tries the known tricks (lowest or highest tokens, document order,
match-N=N, pairing prompts and matches by sorted tokens or shared prefixes) and must do no
better than chance: per trick and type, the number of right answers stays under the bound
that chance alone passes with probability below 10⁻⁶ (Poisson-binomial, exact per item).

Before the fix, option ids were database keys: sorted ids gave every ordering item, match-N=N
every matching item, and the lowest id every single choice the author wrote first.
"""

import math
import random
import re

import pytest
from django.http import QueryDict
from django.utils import timezone

from exams.attempts import start_exam, start_practice
from exams.grading import AnswerError, grade, parse_answer
from exams.models import AttemptItem, Response
from exams.tokens import tokens_for
from tests.exams.conftest import make_bank
from tests.factories import BlueprintFactory, make_matching_question, make_ordering_question, make_single_question
from tests.security.pages import parse

pytestmark = pytest.mark.django_db

TYPES = ("single", "multiple", "ordering", "matching")
HTMX = {"HTTP_HX_REQUEST": "true"}
TOKEN = re.compile(r"[a-z2-7]{8}")


# --- what the browser receives ------------------------------------------------------------


def controls(html: str) -> dict:
    """The answer controls of a question page or fragment, in document order."""
    form = parse(html).find("form", id="answer-form")
    assert form is not None, html[:2000]
    found = {"choices": [], "order": [], "prompts": [], "matches": [], "select": None, "radio": False}
    for element in form.iter():
        name = element.attrs.get("name") or ""
        if element.tag in ("input", "button") and name == "choice":
            found["choices"].append(element.attrs["value"])
            found["radio"] |= element.attrs.get("type") in ("radio", "submit")
        elif element.tag == "input" and name == "order":
            found["order"].append(element.attrs["value"])
        elif element.tag == "select" and name.startswith("match-"):
            found["prompts"].append(name.removeprefix("match-"))
            matches = [option.attrs["value"] for option in element.find_all("option") if option.attrs["value"]]
            assert found["matches"] in ([], matches), "every prompt offers the same matches in the same order"
            found["matches"] = matches
    hint = form.find("p", id="select-hint")
    if hint is not None and (count := re.search(r"Select (\d+) answer", hint.text)):
        found["select"] = int(count.group(1))
    return found


def read_all(client, mode: str, attempt, item) -> dict:
    """Every page and fragment a candidate can load for ``item``; returns its controls (the
    same on each) after checking that nothing names an option by anything but its token."""
    if mode == "exam":
        urls = [f"/exams/attempts/{attempt.pk}/{item.position}/"]
        # The review screen and the confirm step list every question (read once per mock).
        extra = [f"/exams/attempts/{attempt.pk}/review/", f"/exams/attempts/{attempt.pk}/submit/"]
        extra = extra if item.position == 1 else []
    else:
        urls = [f"/practice/{attempt.pk}/{item.position}/"]
        extra = []
        if item.snapshot["language"] != "en":
            extra.append(f"/practice/{attempt.pk}/{item.position}/original/")
    pages = []
    for url in urls:
        pages.append(client.get(url).text)
        pages.append(client.get(url, **HTMX, HTTP_HX_TARGET="question-card").text)
    for url in extra:
        for headers in ({}, {**HTMX, "HTTP_HX_TARGET": "original"}):
            response = client.get(url, **headers)
            assert response.status_code == 200, url
            assert_names_nothing(response.text, item)
    seen = [controls(page) for page in pages]
    assert all(found == seen[0] for found in seen), "the page and its fragment offer the same controls"
    for page in pages:
        assert_names_nothing(page, item)
    return seen[0]


def option_names(html: str):
    """Every value by which a page names an option, an ordering item, a prompt or a match."""
    for element in parse(html).iter():
        attrs = element.attrs
        name = attrs.get("name") or ""
        if element.tag in ("input", "button") and name in ("choice", "order"):
            yield attrs["value"]
        if element.tag == "button" and name == "move":
            yield attrs["value"].rsplit(":", 1)[0]
        if element.tag == "input" and (attrs.get("id") or "").startswith("choice-"):
            yield attrs["id"].removeprefix("choice-")
        if element.tag == "label" and (attrs.get("for") or "").startswith(("choice-", "match-")):
            yield attrs["for"].split("-", 1)[1]
        if element.tag == "li" and "data-id" in attrs:
            yield attrs["data-id"]
        if element.tag == "select" and name.startswith("match-"):
            yield name.removeprefix("match-")
            yield (attrs.get("id") or "").removeprefix("match-")
            yield from (option.attrs["value"] for option in element.find_all("option") if option.attrs.get("value"))


def assert_names_nothing(html: str, item) -> None:
    """Options are named only by tokens, and by none of ``item``'s option ids."""
    snapshot = item.snapshot
    ids = {str(row["id"]) for row in snapshot["options"]} | {str(row["id"]) for row in snapshot.get("matches", [])}
    for value in option_names(html):
        assert TOKEN.fullmatch(value) and value not in ids, f"an option is named {value!r}"


# --- the tricks -----------------------------------------------------------------------------


def strategies(found: dict, kind: str) -> dict[str, dict[str, list[str]]]:
    """Each trick's answer, as form fields, from the controls alone."""
    if kind in ("single", "multiple"):
        names, k = found["choices"], (found["select"] or 1) if kind == "multiple" else 1
        return {
            "lowest tokens": {"choice": sorted(names)[:k]},
            "highest tokens": {"choice": sorted(names)[-k:]},
            "first in the page": {"choice": names[:k]},
            "last in the page": {"choice": names[-k:]},
        }
    if kind == "ordering":
        names = found["order"]
        return {
            "sorted tokens": {"order": sorted(names)},
            "tokens sorted backwards": {"order": sorted(names, reverse=True)},
            "as shown": {"order": list(names)},
            "as shown, reversed": {"order": list(reversed(names))},
        }
    prompts, matches = found["prompts"], found["matches"]

    def pairs(choose) -> dict[str, list[str]]:
        return {f"match-{prompt}": [choose(index, prompt)] for index, prompt in enumerate(prompts)}

    def shared_prefix(prompt: str) -> str:
        return max(matches, key=lambda match: (len(_prefix(prompt, match)), match))

    by_sorted = dict(zip(sorted(prompts), sorted(matches), strict=False))
    return {
        "match-N=N (nearest token)": pairs(
            lambda index, prompt: min(
                matches, key=lambda match: (match != prompt, abs(_number(match) - _number(prompt)))
            )
        ),
        "same place in the page": pairs(lambda index, prompt: matches[index % len(matches)]),
        "sorted prompts to sorted matches": pairs(lambda index, prompt: by_sorted[prompt]),
        "longest shared prefix": pairs(lambda index, prompt: shared_prefix(prompt)),
    }


def _prefix(a: str, b: str) -> str:
    length = 0
    while length < min(len(a), len(b)) and a[length] == b[length]:
        length += 1
    return a[:length]


def _number(token: str) -> int:
    return int(token, 36)


def chance(snapshot: dict) -> float:
    """The chance of one fixed guess when the page tells nothing: 1 / the number of keys
    the page allows (the count to select and the number of options are public)."""
    n = len(snapshot["options"])
    kind = snapshot["type"]
    if kind == "single":
        return 1 / n
    if kind == "multiple":
        return 1 / math.comb(n, len(snapshot["key"]))
    if kind == "ordering":
        return 1 / math.factorial(n)
    matches = len(snapshot["matches"])
    return math.factorial(matches - n) / math.factorial(matches)


def chance_bound(probabilities: list[float], alpha: float = 1e-6) -> int:
    """The smallest t with P(X ≥ t) < alpha for X a sum of Bernoulli(p_i) (exact DP)."""
    distribution = [1.0]
    for p in probabilities:
        nxt = [0.0] * (len(distribution) + 1)
        for hits, mass in enumerate(distribution):
            nxt[hits] += mass * (1 - p)
            nxt[hits + 1] += mass * p
        distribution = nxt
    tail = 0.0
    for threshold in range(len(distribution) - 1, -1, -1):
        tail += distribution[threshold]
        if tail >= alpha:
            return threshold + 1
    return 0


def judge(item, fields: dict[str, list[str]]) -> bool:
    """Whether the server would grade these fields right (the judge may know the key)."""
    data = QueryDict(mutable=True)
    for name, values in fields.items():
        data.setlist(name, values)
    try:
        return grade(item.snapshot, parse_answer(item.snapshot, data, tokens_for(item)))
    except AnswerError:
        return False


# --- the test ---------------------------------------------------------------------------------


@pytest.fixture
def sittings(client, guest):
    """A 40-question mock, a 40-question practice session and a Japanese session whose
    questions have their English original, all of one guest, over a bank of all four types."""
    rng = random.Random(15)
    make_bank({1: 12, 2: 12, 3: 12, 4: 12, 5: 12}, types=TYPES)
    # Some questions with more options, so that no count is special.
    for _ in range(4):
        make_single_question(correct_index=rng.randrange(6), n_options=6)
        make_ordering_question(n_items=5)
        make_matching_question(n_pairs=4, extras=("Extra A", "Extra B"))
    for kind, maker in (
        ("single", make_single_question),
        ("ordering", make_ordering_question),
        ("matching", make_matching_question),
    ):
        for index in range(4):
            english = maker(uid=f"pair-{kind}-{index}")
            maker(uid=english.uid, language="ja", task=english.task, stem="日本語の問題文です。")
    blueprint = BlueprintFactory(question_count=40, unscored_count=5, minutes=90)
    exam = start_exam(guest.pk, blueprint, now=timezone.now(), seed=rng.randrange(2**62))
    practice = start_practice(guest.pk, scope={"kind": "all"}, count=40, language="en", now=timezone.now())
    japanese = start_practice(guest.pk, scope={"kind": "all"}, count=30, language="ja", now=timezone.now())
    return [("exam", exam), ("practice", practice), ("practice", japanese)]


def test_a_solver_reading_every_page_does_no_better_than_chance(client, sittings, settings):
    # 110 saves in a few seconds, faster than anyone answers: the save limit is not on trial.
    settings.SAVE_RATE = (0, 10)
    hits: dict[tuple[str, str], int] = {}
    odds: dict[tuple[str, str], list[float]] = {}
    seen_tokens: set[str] = set()
    shared = 0
    for mode, attempt in sittings:
        for item in attempt.items.order_by("position"):
            kind = item.snapshot["type"]
            found = read_all(client, mode, attempt, item)
            names = found["choices"] + found["order"] + found["prompts"] + found["matches"]
            assert all(TOKEN.fullmatch(name) for name in names), names
            shared += len(seen_tokens & set(names))
            seen_tokens |= set(names)
            tricks = strategies(found, kind)
            for trick, fields in tricks.items():
                hits[kind, trick] = hits.get((kind, trick), 0) + judge(item, fields)
                odds.setdefault((kind, trick), []).append(chance(item.snapshot))
            # One trick goes through the real answer path, to prove the fields are what the
            # server reads (a mock takes it as a save; practice grades it at once).
            fields = next(iter(tricks.values()))
            response = client.post(f"/exams/attempts/{attempt.pk}/{item.position}/answer/", {"seq": 1, **fields})
            assert response.status_code == 302, response.content[:300]
            stored = Response.objects.get(item=item)
            assert stored.is_correct == judge(item, fields)
            if mode == "exam":
                after = client.get(f"/exams/attempts/{attempt.pk}/{item.position}/")
                assert_names_nothing(after.text, item)
    assert {kind for kind, _trick in hits} == set(TYPES)
    for (kind, trick), count in sorted(hits.items()):
        bound = chance_bound(odds[kind, trick])
        assert len(odds[kind, trick]) >= 15, (kind, len(odds[kind, trick]))
        assert count < bound, (
            f"{kind}, {trick}: {count} of {len(odds[kind, trick])} right (chance stays under {bound})"
        )
    assert shared == 0, "tokens are unique to an attempt item"


def test_the_chance_bound_is_the_poisson_binomial_tail():
    assert chance_bound([0.5] * 20, alpha=0.05) == 15  # P(X ≥ 15) = 0.021, P(X ≥ 14) = 0.058
    assert chance_bound([1 / 24] * 30) > 3
    assert chance_bound([1.0] * 5) == 6


def test_ordering_items_start_shuffled_not_in_the_authors_order(guest):
    """The author's order is the key: the first order shown is a uniform shuffle, so the
    items start in the key's order about once in n! (4 items: 1/24), not always."""
    make_bank({1: 30}, types=("ordering",))
    practice = start_practice(guest.pk, scope={"kind": "all"}, count=30, language="en", now=timezone.now())
    items = list(practice.items.all())

    in_key_order = sum([row["id"] for row in item.snapshot["options"]] == item.snapshot["key"] for item in items)

    assert in_key_order < chance_bound([1 / 24] * len(items))
    starts = {tuple(item.snapshot["key"].index(row["id"]) for row in item.snapshot["options"]) for item in items}
    assert len(starts) > 10, "the first order shown varies"


def test_the_same_question_in_two_attempts_has_unrelated_tokens(client, guest):
    make_bank({1: 1}, types=("matching",))
    first = start_practice(guest.pk, scope={"kind": "all"}, count=1, language="en", now=timezone.now())
    second = start_practice(guest.pk, scope={"kind": "all"}, count=1, language="en", now=timezone.now())
    a, b = (AttemptItem.objects.get(attempt=attempt) for attempt in (first, second))
    assert a.question_id == b.question_id

    shown = [controls(client.get(f"/practice/{attempt.pk}/1/").text) for attempt in (first, second)]

    assert not set(shown[0]["prompts"] + shown[0]["matches"]) & set(shown[1]["prompts"] + shown[1]["matches"])
    assert not set(shown[0]["prompts"]) & set(shown[0]["matches"]), "a prompt and its match have unrelated tokens"
