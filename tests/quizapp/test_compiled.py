"""Queries compiled once per process (quizapp.compiled): the rows are the ORM's rows, converted
as the ORM converts them, whatever parameters and list lengths each run brings."""

import pytest
from django.db.models import OuterRef, Subquery
from django.http import Http404
from django.test import RequestFactory
from django.utils import timezone

from exams.attempts import record_answer, submit_attempt
from exams.models import Attempt, AttemptItem, Mode, Response
from exams.views.access import get_attempt
from quizapp import compiled as compiled_module
from quizapp.compiled import CompiledQuery, compiled
from tests.exams.test_views_exam import exam_of_size
from tests.factories import AttemptFactory, GuestOwnerFactory

pytestmark = pytest.mark.django_db


def _items(attempt_id, positions):
    answer = Subquery(Response.objects.filter(item=OuterRef("pk")).values("answer"))
    return (
        AttemptItem.objects.filter(attempt_id=attempt_id, position__in=positions)
        .order_by("position")
        .annotate(answer=answer)
        .values_list("position", "flagged", "revision__content", "answer", "attempt__started_at")
    )


@pytest.fixture
def answered(guest):
    attempt = exam_of_size(guest, 5)
    for item in attempt.items.select_related("attempt").order_by("position")[:3]:
        record_answer(item, answer=item.snapshot["key"], seq=1, time_spent_ms=1000, now=timezone.now())
    AttemptItem.objects.filter(attempt=attempt, position=2).update(flagged=True)
    return attempt


@pytest.mark.parametrize("positions", [[1], [2, 4], [5, 1, 3], [1, 2, 3, 4, 5]])
def test_the_rows_are_the_orms_rows_converted_alike(answered, positions):
    query = CompiledQuery(_items)
    other = exam_of_size(GuestOwnerFactory(), 5)

    rows = query.rows(answered.pk, positions)

    assert rows == list(_items(answered.pk, positions))
    assert isinstance(rows[0][2], dict) and rows[0][4].tzinfo is not None  # JSON decoded, datetimes aware
    assert query.rows(other.pk, positions) == list(_items(other.pk, positions))
    assert query.rows(answered.pk, [6, 7]) == []


def test_each_length_of_a_list_is_compiled_once(answered):
    query = CompiledQuery(_items)

    for positions in ([1], [2], [1, 2], [3, 4], [5]):
        query.rows(answered.pk, positions)

    assert sorted(shape for _using, shape in query._plans) == [(None, 1), (None, 2)]


def test_the_plans_kept_are_bounded(answered, monkeypatch):
    monkeypatch.setattr(compiled_module, "MAX_PLANS", 2)
    query = CompiledQuery(_items)

    for size in (1, 2, 3, 4):
        assert len(query.rows(answered.pk, list(range(1, size + 1)))) == size

    assert len(query._plans) <= 2


def test_a_text_parameter_takes_its_place():
    practice = AttemptFactory(mode=Mode.PRACTICE)
    query = compiled(lambda pk, mode: Attempt.objects.filter(pk=pk, mode=mode).values_list("pk"))

    assert query.rows(practice.pk, "practice") == [(practice.pk,)]
    assert query.rows(practice.pk, "exam") == []


def test_a_parameter_the_sql_holds_twice_or_not_at_all_is_refused():
    twice = CompiledQuery(lambda pk: Attempt.objects.filter(pk=pk, owner_id=pk).values_list("pk"))
    unused = CompiledQuery(lambda pk: Attempt.objects.values_list("pk"))

    with pytest.raises(RuntimeError, match="twice"):
        twice.rows(1)
    with pytest.raises(RuntimeError, match="not every parameter"):
        unused.rows(1)


@pytest.mark.parametrize("with_blueprint", [True, False])
def test_get_attempt_reads_what_select_related_reads(guest, with_blueprint):
    attempt = exam_of_size(guest, 3)
    submit_attempt(attempt, now=timezone.now())
    if not with_blueprint:
        Attempt.objects.filter(pk=attempt.pk).update(blueprint=None)
    request = RequestFactory().get("/")
    request.session = {"owner": [guest.pk, None]}  # as accounts.owners keeps a guest
    expected = Attempt.objects.select_related("blueprint").get(pk=attempt.pk)

    got = get_attempt(request, attempt.pk, mode=Mode.EXAM)

    fields = [field.attname for field in Attempt._meta.concrete_fields]
    assert [getattr(got, name) for name in fields] == [getattr(expected, name) for name in fields]
    assert got.outcomes == expected.outcomes and got.outcomes is not None
    assert got._state.adding is False and got._state.db == expected._state.db
    if with_blueprint:
        blueprint_fields = [field.attname for field in type(expected.blueprint)._meta.concrete_fields]
        assert [getattr(got.blueprint, name) for name in blueprint_fields] == [
            getattr(expected.blueprint, name) for name in blueprint_fields
        ]
    else:
        assert got.blueprint is None


def test_get_attempt_finds_nobody_elses_attempt_nor_another_mode(guest):
    attempt = exam_of_size(guest, 1)
    mine, theirs = RequestFactory().get("/"), RequestFactory().get("/")
    mine.session, theirs.session = {"owner": [guest.pk, None]}, {"owner": [GuestOwnerFactory().pk, None]}

    assert get_attempt(mine, attempt.pk, mode=Mode.EXAM).pk == attempt.pk
    for request, mode in ((theirs, Mode.EXAM), (mine, Mode.PRACTICE)):
        with pytest.raises(Http404):
            get_attempt(request, attempt.pk, mode=mode)
