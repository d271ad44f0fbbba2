"""AttemptItem.objects.for_answer: the answer save's one hand-written read must give exactly
what select_related("attempt", "response") gives, and nothing of anyone else's."""

import pytest
from django.utils import timezone

from exams.attempts import record_answer, start_exam
from exams.models import AttemptItem
from tests.exams.conftest import make_bank
from tests.factories import BlueprintFactory, GuestOwnerFactory

pytestmark = pytest.mark.django_db


def values(instance):
    return {field.attname: getattr(instance, field.attname) for field in type(instance)._meta.concrete_fields}


@pytest.fixture
def exam():
    make_bank({1: 2, 2: 2, 3: 2, 4: 1, 5: 1}, types=("single", "matching"))
    return start_exam(GuestOwnerFactory().pk, BlueprintFactory(question_count=8, unscored_count=0), now=timezone.now())


def test_it_reads_the_item_its_attempt_and_its_response_as_the_orm_does(exam, django_assert_num_queries):
    answered = exam.items.select_related("attempt").get(position=2)
    record_answer(answered, answer=answered.snapshot["key"], seq=3, confidence="sure", now=timezone.now())

    for position in (1, 2):
        expected = AttemptItem.objects.select_related("attempt", "response").get(attempt=exam, position=position)
        with django_assert_num_queries(1):
            item = AttemptItem.objects.for_answer(exam.pk, exam.owner_id, position)
            # Both relations come with it: reading them costs nothing more.
            has_response = hasattr(item, "response")
            attempt = item.attempt

        assert values(item) == values(expected)
        assert values(attempt) == values(expected.attempt)
        assert attempt.deadline.tzinfo is not None
        assert isinstance(item.snapshot, dict)
        assert has_response == (position == 2)
        if has_response:
            assert values(item.response) == values(expected.response)


def test_it_finds_nothing_for_another_owner_or_a_missing_position(exam):
    assert AttemptItem.objects.for_answer(exam.pk, GuestOwnerFactory().pk, 1) is None
    assert AttemptItem.objects.for_answer(exam.pk, exam.owner_id, 99) is None
    assert AttemptItem.objects.for_answer(exam.pk + 1, exam.owner_id, 1) is None


def test_with_the_blueprint_it_reads_what_the_question_page_names_in_the_same_query(exam, django_assert_num_queries):
    expected = AttemptItem.objects.select_related("attempt__blueprint", "response").get(attempt=exam, position=1)

    with django_assert_num_queries(1):
        item = AttemptItem.objects.for_answer(exam.pk, exam.owner_id, 1, blueprint=True)
        blueprint = item.attempt.blueprint
        assert blueprint.display_name

    assert values(item) == values(expected)
    assert values(item.attempt) == values(expected.attempt)
    assert values(blueprint) == values(expected.attempt.blueprint)
    assert AttemptItem.objects.for_answer(exam.pk, GuestOwnerFactory().pk, 1, blueprint=True) is None


def test_an_attempt_without_a_blueprint_reads_none(exam, django_assert_num_queries):
    exam.blueprint = None
    exam.save(update_fields=["blueprint"])

    with django_assert_num_queries(1):
        item = AttemptItem.objects.for_answer(exam.pk, exam.owner_id, 1, blueprint=True)
        assert item.attempt.blueprint is None
