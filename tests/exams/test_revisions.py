"""Attempt items point at question revisions: what a start stores, reads and costs."""

import itertools
import json
import math
import random
from collections import Counter

import pytest
from django.db import connection
from django.utils import timezone

from exams.attempts import start_exam, start_practice
from exams.models import AttemptItem, BlueprintDomain
from questions.models import Domain, Option, Question, QuestionRevision
from questions.revisions import Current, draw_order, revise
from questions.snapshots import take_snapshot
from tests.exams.conftest import make_bank
from tests.factories import BlueprintFactory, GuestOwnerFactory

pytestmark = pytest.mark.django_db

FULL_MOCK = {1: 13, 2: 16, 3: 18, 4: 9, 5: 9}


@pytest.fixture
def full_bank():
    """A bank that fills the seeded 65-question mock (15 unscored), every type, revised as
    load_bank leaves it."""
    from exams.models import Blueprint

    blueprint = Blueprint.objects.get(slug="aif-c01-full")
    kinds = ("single", "multiple", "ordering", "matching")
    questions = make_bank(FULL_MOCK, types=kinds, guide=blueprint.guide)
    revise(question.pk for question in questions)
    return blueprint


def stored_bytes(items) -> int:
    """What the item rows take: PostgreSQL's own size of each row, else the length of every
    column's value as text."""
    pks = [item.pk for item in items]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT SUM(pg_column_size(item.*)) FROM {AttemptItem._meta.db_table} item WHERE id = ANY(%s)", [pks]
            )
            return cursor.fetchone()[0]
    fields = [field.attname for field in AttemptItem._meta.concrete_fields]
    return sum(len(str(value)) for row in AttemptItem.objects.filter(pk__in=pks).values_list(*fields) for value in row)


def test_a_65_question_mock_stores_at_most_8_kb_of_items(full_bank):
    attempt = start_exam(GuestOwnerFactory().pk, full_bank, now=timezone.now())
    items = list(attempt.items.all())

    assert len(items) == 65
    assert stored_bytes(items) <= 8 * 1024
    # A copy of every snapshot in the rows, as before, took ten times that (with these short
    # test texts; about 143 KB with the bundled bank's).
    assert sum(len(json.dumps(item.snapshot)) for item in items) > 10 * stored_bytes(items)


def test_starting_a_mock_costs_a_fixed_number_of_queries(full_bank, django_assert_num_queries):
    start_exam(GuestOwnerFactory().pk, full_bank, now=timezone.now())  # the process's index is built
    owner = GuestOwnerFactory()

    # The open mock to resume, the bank version, the weights, the questions seen, then in a
    # transaction (its savepoint here) the attempt and one insert of its 65 items.
    with django_assert_num_queries(8):
        attempt = start_exam(owner.pk, full_bank, now=timezone.now())

    assert attempt.items.count() == 65


def test_a_new_owners_start_reads_no_history(full_bank, django_assert_num_queries):
    start_exam(GuestOwnerFactory().pk, full_bank, now=timezone.now())  # the process's index is built
    owner = GuestOwnerFactory()

    # The bank version, the weights, then (in a savepoint here) the attempt and its items.
    with django_assert_num_queries(6):
        attempt = start_exam(owner.pk, full_bank, now=timezone.now(), new_owner=True)

    assert attempt.items.count() == 65


def test_the_first_start_after_a_bank_write_builds_the_index_in_two_more(full_bank, django_assert_num_queries):
    owner = GuestOwnerFactory()

    with django_assert_num_queries(10):
        start_exam(owner.pk, full_bank, now=timezone.now())


def test_an_item_shows_the_snapshot_it_always_did(full_bank):
    attempt = start_exam(GuestOwnerFactory().pk, full_bank, now=timezone.now(), seed=11)

    for item in attempt.items.select_related("question"):
        question = Question.objects.for_candidate().prefetch_related("tags").get(pk=item.question_id)
        authored = take_snapshot(question)
        snapshot = item.snapshot
        assert {name: value for name, value in snapshot.items() if name not in ("options", "matches")} == {
            name: value for name, value in authored.items() if name not in ("options", "matches")
        }
        assert sorted(snapshot["options"], key=lambda row: row["id"]) == sorted(
            authored["options"], key=lambda row: row["id"]
        )
        if "matches" in authored:
            assert sorted(row["id"] for row in snapshot["matches"]) == sorted(row["id"] for row in authored["matches"])


def test_options_are_shuffled_per_item_and_the_order_is_stored_compactly(full_bank):
    attempt = start_exam(GuestOwnerFactory().pk, full_bank, now=timezone.now(), seed=3)
    items = list(attempt.items.all())

    # Some item shows its options in another order than the author's.
    assert any(item.order and item.snapshot["options"] != item.revision.content["options"] for item in items)
    assert all(len(item.order) < 40 for item in items)


def test_the_same_content_is_one_revision_however_many_attempts_show_it(full_bank):
    start_exam(GuestOwnerFactory().pk, full_bank, now=timezone.now())
    start_exam(GuestOwnerFactory().pk, full_bank, now=timezone.now())

    # The bank has exactly 65 questions: both attempts show all of them.
    assert QuestionRevision.objects.count() == 65
    assert AttemptItem.objects.count() == 130
    assert AttemptItem.objects.values("revision").distinct().count() == 65


def test_editing_a_question_never_changes_an_item_already_started():
    make_bank({3: 1})
    blueprint = BlueprintFactory(question_count=1, unscored_count=0)
    BlueprintDomain.objects.create(blueprint=blueprint, domain=Domain.objects.get(number=3), weight=1)
    first = start_exam(GuestOwnerFactory().pk, blueprint, now=timezone.now()).items.get()
    before = first.snapshot

    option = Option.objects.filter(question_id=first.question_id).first()
    option.text = "Edited after the start"
    option.save()
    second = start_exam(GuestOwnerFactory().pk, blueprint, now=timezone.now()).items.get()

    assert AttemptItem.objects.get(pk=first.pk).snapshot == before
    assert "Edited after the start" not in json.dumps(before)
    assert "Edited after the start" in json.dumps(second.snapshot)
    assert second.revision_id != first.revision_id


def test_a_question_without_a_revision_gets_one_at_the_start():
    questions = make_bank({3: 1})
    assert Question.objects.get(pk=questions[0].pk).revision_id is None  # made through the ORM
    blueprint = BlueprintFactory(question_count=1, unscored_count=0)
    BlueprintDomain.objects.create(blueprint=blueprint, domain=Domain.objects.get(number=3), weight=1)

    item = start_exam(GuestOwnerFactory().pk, blueprint, now=timezone.now()).items.get()

    assert Question.objects.get(pk=questions[0].pk).revision_id == item.revision_id


def test_practice_items_point_at_revisions_too():
    make_bank({2: 3}, types=("matching",))

    session = start_practice(GuestOwnerFactory().pk, scope={"kind": "all"}, count=3, language="en", now=timezone.now())

    items = list(session.items.all())
    assert len(items) == 3
    assert all(len(item.snapshot["matches"]) == item.revision.match_count for item in items)


def test_for_answer_reads_the_item_with_its_revision_in_one_query(full_bank, django_assert_num_queries):
    attempt = start_exam(GuestOwnerFactory().pk, full_bank, now=timezone.now())

    with django_assert_num_queries(1):
        item = AttemptItem.objects.for_answer(attempt.pk, attempt.owner_id, 1)
        assert item.snapshot["key"]


def test_the_order_survives_a_reload_exactly():
    make_bank({3: 2}, types=("matching",))
    session = start_practice(GuestOwnerFactory().pk, scope={"kind": "all"}, count=2, language="en", now=timezone.now())
    shown = {item.pk: item.snapshot for item in session.items.all()}

    assert {item.pk: item.snapshot for item in AttemptItem.objects.filter(attempt=session)} == shown


@pytest.mark.parametrize("count", [1, 2, 4, 6, 9])
def test_every_order_of_a_list_is_drawn_and_about_equally_often(count):
    rng = random.Random(5)
    draws = (200 if count <= 4 else 10) * min(math.factorial(count), 720)
    drawn = Counter(draw_order(Current(1, count, 0), rng) for _ in range(draws))

    assert all(sorted(map(int, order.split(","))) == list(range(count)) for order in drawn)
    if count <= 6:  # every order turns up
        assert len(drawn) == math.factorial(count)
    if count <= 4:  # each expected 200 times
        assert max(drawn.values()) < 1.5 * min(drawn.values())
    if count == 9:  # nearly all distinct, drawn from 362,880 orders
        assert len(drawn) > 0.95 * draws


def test_a_matching_order_draws_the_options_and_the_matches():
    orders = {draw_order(Current(1, 3, 5), random.Random(seed)) for seed in range(200)}

    options, matches = zip(*(order.split(";") for order in orders), strict=True)
    assert set(options) == {",".join(map(str, order)) for order in itertools.permutations(range(3))}
    assert len(set(matches)) > 50
    assert draw_order(Current(1, 3, 5), random.Random(7)) == draw_order(Current(1, 3, 5), random.Random(7))
