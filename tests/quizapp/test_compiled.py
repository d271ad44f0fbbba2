"""Queries compiled once per process (quizapp.compiled): the rows are the ORM's rows, converted
as the ORM converts them, whatever parameters and list lengths each run brings."""

from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.sessions.models import Session
from django.db import IntegrityError, models, transaction
from django.db.models import OuterRef, Subquery
from django.db.models.functions import Now
from django.http import Http404
from django.test import RequestFactory
from django.test.utils import isolate_apps
from django.utils import timezone

from accounts.models import Owner
from exams.attempts import record_answer, submit_attempt
from exams.models import Attempt, AttemptItem, Blueprint, BlueprintDomain, Mode, Response
from exams.views.access import get_attempt
from questions.models import Domain
from quizapp import compiled as compiled_module
from quizapp.compiled import CompiledQuery, compiled, insert
from tests.exams.test_views_exam import exam_of_size
from tests.factories import AttemptFactory, BlueprintFactory, GuestOwnerFactory

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


# Whole rows as instances, and inserts of one row


def by_slug(slug):
    return Blueprint.objects.filter(slug=slug, is_active=True, mode=Mode.EXAM)


def weights(blueprint_id):
    own = BlueprintDomain.objects.filter(blueprint_id=blueprint_id, domain=OuterRef("pk")).values("weight")
    return Domain.objects.values_list("number", "weight", Subquery(own))


def test_an_instance_is_the_one_the_orm_reads_converters_included():
    blueprint = BlueprintFactory(language="ja")
    compiled = CompiledQuery(by_slug)

    found = compiled.instance(blueprint.slug)

    assert found == by_slug(blueprint.slug).get()
    assert {field.attname: getattr(found, field.attname) for field in Blueprint._meta.concrete_fields} == {
        field.attname: getattr(blueprint, field.attname) for field in Blueprint._meta.concrete_fields
    }
    assert found.is_active is True  # a boolean on SQLite too, where the column holds 1
    assert not found._state.adding
    assert compiled.instance("no-such-slug") is None


def test_rows_are_the_querysets_rows_for_each_value():
    blueprint = BlueprintFactory()
    blueprint.domain_weights.create(domain_id=Domain.objects.get(number=2).pk, weight=7)
    compiled = CompiledQuery(weights)

    for pk in (blueprint.pk, BlueprintFactory().pk):
        assert compiled.rows(pk) == list(weights(pk))
    assert (2, Domain.objects.get(number=2).weight, 7) in compiled.rows(blueprint.pk)


def columns(obj) -> dict:
    return {field.attname: getattr(obj, field.attname) for field in type(obj)._meta.concrete_fields}


def test_insert_writes_the_row_save_writes():
    now = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)
    owner, blueprint = GuestOwnerFactory(), BlueprintFactory()
    values = {"owner": owner, "mode": Mode.EXAM, "blueprint": blueprint, "language": "ja", "seed": 2**61}
    values |= {"target_count": 65, "started_at": now, "deadline": now + timedelta(minutes=90), "passed": False}
    values |= {"status": Attempt.Status.SUBMITTED}  # two open mocks of one blueprint: refused
    saved, inserted = Attempt(**values, scope={"kind": "x"}), Attempt(**values, scope={"kind": "x"})
    saved.save(force_insert=True)

    insert(inserted)

    assert inserted.pk is not None and not inserted._state.adding
    fresh = Attempt.objects.get(pk=inserted.pk)
    assert columns(fresh) | {"id": 0} == columns(Attempt.objects.get(pk=saved.pk)) | {"id": 0}
    assert fresh.scope == {"kind": "x"}
    inserted.status = Attempt.Status.EXPIRED
    inserted.save()  # an update of the inserted row, not a second insert
    assert Attempt.objects.filter(owner=owner).count() == 2


def test_insert_fills_what_save_fills_in():
    guest = Owner(guest_token="t" * 40)

    insert(guest)

    stored = Owner.objects.get(pk=guest.pk)
    assert stored.created_at is not None and stored.created_at == guest.created_at
    assert columns(stored) == columns(guest)


def test_insert_takes_a_key_the_model_sets_itself_once():
    session = Session(session_key="k" * 32, session_data="{}", expire_date=datetime(2027, 1, 1, tzinfo=UTC))

    insert(session)

    assert Session.objects.get(pk="k" * 32).expire_date == session.expire_date
    with pytest.raises(IntegrityError), transaction.atomic():
        insert(Session(session_key="k" * 32, session_data="{}", expire_date=session.expire_date))


@isolate_apps("accounts")
def test_insert_refuses_a_model_whose_row_the_database_completes():
    class Stamped(models.Model):
        at = models.DateTimeField(db_default=Now())

        class Meta:
            app_label = "accounts"

        def __str__(self) -> str:
            return str(self.at)

    with pytest.raises(TypeError):
        insert(Stamped())
