from datetime import timedelta

import pytest
from django.core.cache import cache

from insights.history import delete_history
from insights.stats import CACHE_KEY, ItemStats, compute_item_statistics, item_statistics
from questions.models import Question
from questions.signals import bank_changed
from tests.factories import (
    AttemptFactory,
    GuestOwnerFactory,
    QuestionFactory,
    make_matching_question,
    make_multiple_question,
    make_ordering_question,
    make_single_question,
)

from .helpers import NOW, answer

DAY = timedelta(days=1)


@pytest.fixture
def bank():
    """Six candidates answer four fillers and one target question Q (single, key: choice 0).

    share of correct first answers → thirds (ties by id):
      A 5/5 = 1.0 upper · B 4/5 = .8 middle · C 4/5 = .8 upper
      D 2/5 = .4 middle · E 1/5 = .2 lower · F 1/5 = .2 lower
    """
    target = make_single_question(uid="target", correct_index=0)
    options = list(target.options.order_by("position"))
    fillers = [QuestionFactory() for _ in range(4)]
    plan = [  # fillers right, Q right, Q's wrong choice, ms on Q
        (4, True, None, 10_000),
        (4, False, 2, 20_000),
        (3, True, None, 0),
        (2, False, 2, 30_000),
        (1, False, 3, 40_000),
        (0, True, None, 50_000),
    ]
    owners = []
    for fillers_right, target_right, wrong_choice, ms in plan:
        owner = GuestOwnerFactory()
        owners.append(owner)
        for index, filler in enumerate(fillers):
            answer(filler, owner=owner, correct=index < fillers_right, at=NOW - 2 * DAY)
        choice = options[0] if target_right else options[wrong_choice]
        answer(target, owner=owner, correct=target_right, at=NOW - DAY, ms=ms, answer_value=[choice.pk])
    return target, owners


@pytest.mark.django_db
def test_item_statistics_facility_discrimination_wrong_option_and_time(bank):
    target, _ = bank

    stats = item_statistics([target.pk])[target.pk]

    assert (stats.answered, stats.correct) == (6, 3)
    assert stats.facility == 0.5
    # upper third (A, C) both right = 1.0; lower third (E, F) one right = 0.5
    assert (stats.upper_answered, stats.upper_correct, stats.lower_answered, stats.lower_correct) == (2, 2, 2, 1)
    assert stats.discrimination == 0.5
    assert (stats.wrong_choice, stats.wrong_count) == ("Choice 2", 2)
    # times 10 + 20 + 30 + 40 + 50 s over the five answers that recorded one
    assert stats.average_seconds == 30.0


@pytest.mark.django_db
def test_item_statistics_count_first_answers_only_across_languages(bank):
    target, owners = bank
    japanese = make_single_question(uid="target", language="ja")
    answer(target, owner=owners[0], correct=False, at=NOW)
    answer(japanese, owner=owners[1], correct=True, at=NOW)

    stats = item_statistics([target.pk, japanese.pk])

    assert (stats[target.pk].answered, stats[target.pk].correct) == (6, 3)
    assert japanese.pk not in stats


@pytest.mark.django_db
def test_item_statistics_leave_out_running_mocks():
    question = make_single_question()
    owner = GuestOwnerFactory()
    mock = AttemptFactory(owner=owner, mode="exam", status="in_progress", started_at=NOW)
    answer(question, owner=owner, correct=True, at=NOW, attempt=mock)

    assert item_statistics([question.pk]) == {}


@pytest.mark.django_db
@pytest.mark.parametrize("questions", [1, 50])
def test_item_statistics_run_two_queries_whatever_the_number_of_questions(questions, django_assert_num_queries):
    owner = GuestOwnerFactory()
    for _ in range(questions):
        answer(QuestionFactory(), owner=owner, correct=False, at=NOW)

    with django_assert_num_queries(2):
        stats = compute_item_statistics()

    assert len(stats) == questions


@pytest.mark.django_db
def test_item_statistics_are_computed_once_for_every_question_then_cached(bank, django_assert_num_queries):
    target, owners = bank
    # A new answer is left for the next computation (a new question would reset the cache).
    newcomer = QuestionFactory()
    cache.clear()
    first = item_statistics([target.pk])
    answer(newcomer, owner=owners[0], correct=True, at=NOW)

    with django_assert_num_queries(0):
        again = item_statistics([target.pk])
        everything = item_statistics()

    assert again == first
    assert len(everything) == 5  # the target and the four fillers
    cache.clear()
    assert len(item_statistics()) == 6


@pytest.mark.django_db
def test_most_chosen_wrong_option_of_a_multiple_response_question():
    question = make_multiple_question(correct=(0, 1))
    choice = {option.position: option.pk for option in question.options.all()}
    for picks in ([0, 2], [1, 2], [2, 3]):
        answer(question, owner=GuestOwnerFactory(), correct=False, at=NOW, answer_value=[choice[p] for p in picks])

    stats = item_statistics([question.pk])[question.pk]

    assert (stats.wrong_choice, stats.wrong_count) == ("Choice 2", 3)


@pytest.mark.django_db
def test_most_chosen_wrong_pairing_of_a_matching_question():
    question = make_matching_question(n_pairs=3)
    prompt = {option.position: option.pk for option in question.options.all()}
    swapped = {str(prompt[0]): prompt[1], str(prompt[1]): prompt[0], str(prompt[2]): prompt[2]}
    answer(question, owner=GuestOwnerFactory(), correct=False, at=NOW, answer_value=swapped)

    stats = item_statistics([question.pk])[question.pk]

    assert (stats.wrong_choice, stats.wrong_count) == ("Prompt 0 → Match 1", 1)


@pytest.mark.django_db
def test_most_given_wrong_order_of_an_ordering_question():
    question = make_ordering_question(n_items=3)
    step = {option.position: option.pk for option in question.options.all()}
    for _ in range(2):
        answer(question, owner=GuestOwnerFactory(), correct=False, at=NOW, answer_value=[step[2], step[1], step[3]])

    stats = item_statistics([question.pk])[question.pk]

    assert (stats.wrong_choice, stats.wrong_count) == ("Step 2 → Step 1 → Step 3", 2)


@pytest.mark.parametrize(
    ("stats", "suspicious"),
    [
        (ItemStats(1, answered=10, correct=1), True),  # facility .1 < .2
        (ItemStats(1, answered=20, correct=20), True),  # facility 1.0 > .95
        (ItemStats(1, answered=20, correct=19), False),  # facility .95 is not above .95
        (
            ItemStats(1, answered=10, correct=5, upper_answered=3, upper_correct=1, lower_answered=3, lower_correct=2),
            True,
        ),
        (
            ItemStats(1, answered=10, correct=5, upper_answered=3, upper_correct=2, lower_answered=3, lower_correct=1),
            False,
        ),
        (ItemStats(1, answered=9, correct=0), False),  # too few answers to tell
    ],
)
def test_suspicious_items(stats, suspicious):
    assert stats.suspicious is suspicious


@pytest.mark.django_db
def test_cached_statistics_are_forgotten_when_a_history_is_deleted(bank):
    target, owners = bank
    before = item_statistics([target.pk])[target.pk].answered

    delete_history(owners[0].pk)

    assert item_statistics([target.pk])[target.pk].answered == before - 1


@pytest.mark.django_db
def test_cached_statistics_are_forgotten_when_guests_are_purged(bank):
    target, owners = bank
    before = item_statistics([target.pk])[target.pk].answered

    owners[0].delete()

    assert item_statistics([target.pk])[target.pk].answered == before - 1


@pytest.mark.django_db
def test_cached_statistics_are_forgotten_when_a_question_is_edited(bank):
    target, _owners = bank
    assert item_statistics([target.pk])[target.pk].wrong_choice == "Choice 2"
    picked = target.options.get(position=2)

    picked.text = "Renamed distractor"
    picked.save()
    target.save()  # the admin's change form saves the question with its inline options

    assert item_statistics([target.pk])[target.pk].wrong_choice == "Renamed distractor"


@pytest.mark.django_db
def test_cached_statistics_are_forgotten_after_an_import_or_a_bulk_action(bank):
    target, _owners = bank
    item_statistics()
    assert cache.get(CACHE_KEY) is not None

    bank_changed.send(sender=Question)

    assert cache.get(CACHE_KEY) is None
