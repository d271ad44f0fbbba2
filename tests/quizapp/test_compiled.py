from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.sessions.models import Session
from django.db import IntegrityError, models, transaction
from django.db.models import OuterRef, Subquery
from django.db.models.functions import Now
from django.test.utils import isolate_apps

from accounts.models import Owner
from exams.models import Attempt, Blueprint, BlueprintDomain, Mode
from questions.models import Domain
from quizapp.compiled import Compiled, insert
from tests.factories import BlueprintFactory, GuestOwnerFactory

pytestmark = pytest.mark.django_db

ANY_SLUG = "\x00any slug"
ANY_ID = -7_340_041


def by_slug(slug):
    return Blueprint.objects.filter(slug=slug, is_active=True, mode=Mode.EXAM)


def weights(blueprint_id):
    own = BlueprintDomain.objects.filter(blueprint_id=blueprint_id, domain=OuterRef("pk")).values("weight")
    return Domain.objects.values_list("number", "weight", Subquery(own))


def test_an_instance_is_the_one_the_orm_reads_converters_included():
    blueprint = BlueprintFactory(language="ja")
    compiled = Compiled(by_slug, ANY_SLUG)

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
    compiled = Compiled(weights, ANY_ID)

    for pk in (blueprint.pk, BlueprintFactory().pk):
        assert compiled.rows(pk) == list(weights(pk))
    assert (2, Domain.objects.get(number=2).weight, 7) in compiled.rows(blueprint.pk)


def test_a_marker_the_query_does_not_pass_once_is_refused():
    with pytest.raises(RuntimeError):
        Compiled(lambda slug: Blueprint.objects.filter(slug=slug, name=slug), ANY_SLUG).rows("x")
    with pytest.raises(RuntimeError):
        Compiled(lambda slug: Blueprint.objects.all(), ANY_SLUG).rows("x")


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
