import pytest
from django.db.models import OuterRef, Subquery

from exams.models import Blueprint, BlueprintDomain, Mode
from questions.models import Domain
from quizapp.compiled import Compiled
from tests.factories import BlueprintFactory

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
