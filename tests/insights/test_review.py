from datetime import timedelta

import pytest
from fsrs import Rating

from insights.models import ReviewCard
from insights.review import rating_for, refresh_review_cards, replay, review_queue
from tests.factories import AttemptFactory, GuestOwnerFactory, OwnerFactory, QuestionFactory

from .helpers import NOW, answer

DAY = timedelta(days=1)


def _answer(correct, at, confidence="", ms=0):
    return {"is_correct": correct, "answered_at": at, "confidence": confidence, "time_spent_ms": ms}


@pytest.mark.parametrize(
    ("correct", "confidence", "ms", "rating"),
    [
        (False, "sure", 5_000, Rating.Again),
        (False, "", 0, Rating.Again),
        (True, "unsure", 5_000, Rating.Hard),
        (True, "guess", 5_000, Rating.Hard),
        (True, "", 5_000, Rating.Good),
        (True, "sure", 30_000, Rating.Good),
        (True, "sure", 0, Rating.Good),
        (True, "sure", 29_999, Rating.Easy),
    ],
)
def test_rating_for_maps_verdict_confidence_and_speed(correct, confidence, ms, rating):
    assert rating_for(is_correct=correct, confidence=confidence, time_spent_ms=ms) == rating


# A new card's stability is the FSRS-6 default weight w0..w3 for the first rating; with
# desired retention 0.9 the interval in days equals the stability, rounded, at least 1.
@pytest.mark.parametrize(
    ("answer", "stability", "days"),
    [
        (_answer(False, NOW), 0.212, 1),
        (_answer(True, NOW, "unsure"), 1.2931, 1),
        (_answer(True, NOW), 2.3065, 2),
        (_answer(True, NOW, "sure", 10_000), 8.2956, 8),
    ],
)
def test_replay_schedules_a_first_answer_by_its_rating(answer, stability, days):
    result = replay([answer])

    assert result.stability == pytest.approx(stability)
    assert result.due == NOW + timedelta(days=days)
    assert (result.reviews, result.lapses) == (1, 0)


def test_replay_wrong_after_right_is_a_lapse_due_next_day():
    result = replay([_answer(True, NOW - 3 * DAY), _answer(False, NOW)])

    assert result.due == NOW + DAY
    assert result.last_rating == Rating.Again
    assert (result.reviews, result.lapses) == (2, 1)
    # Forgetting shrinks stability below the 2.3065 a first "Good" gave.
    assert result.stability < 2.3065


def test_replay_first_wrong_answer_is_not_a_lapse():
    result = replay([_answer(False, NOW - 4 * DAY), _answer(False, NOW - 2 * DAY), _answer(False, NOW)])

    assert result.lapses == 2


@pytest.mark.django_db
def test_refresh_replays_each_question_once_across_languages():
    owner = GuestOwnerFactory()
    english = QuestionFactory(uid="bedrock-01", language="en")
    japanese = QuestionFactory(uid="bedrock-01", language="ja")
    answer(english, owner=owner, correct=True, at=NOW - 3 * DAY)
    answer(japanese, owner=owner, correct=False, at=NOW)

    refresh_review_cards(owner.pk)

    card = ReviewCard.objects.get()
    assert (card.question_uid, card.reviews, card.lapses) == ("bedrock-01", 2, 1)
    assert (card.due, card.watermark) == (NOW + DAY, NOW)


@pytest.mark.django_db
def test_refresh_of_a_fresh_cache_reads_and_writes_nothing_more(django_assert_num_queries):
    owner = GuestOwnerFactory()
    answer(QuestionFactory(), owner=owner, correct=True, at=NOW)
    refresh_review_cards(owner.pk)

    with django_assert_num_queries(2):  # the cards, the log per question
        cards = refresh_review_cards(owner.pk)

    assert [card.reviews for card in cards] == [1]


@pytest.mark.django_db
def test_refresh_replays_only_questions_with_newer_answers(django_assert_num_queries):
    owner = GuestOwnerFactory()
    old, new = QuestionFactory(uid="old"), QuestionFactory(uid="new")
    answer(old, owner=owner, correct=True, at=NOW - 5 * DAY)
    answer(new, owner=owner, correct=True, at=NOW - 5 * DAY)
    refresh_review_cards(owner.pk)
    ReviewCard.objects.filter(question_uid="old").update(stability=99)  # marks the untouched row
    answer(new, owner=owner, correct=False, at=NOW)

    with django_assert_num_queries(4):  # cards, log, the changed question's answers, upsert
        refresh_review_cards(owner.pk)

    cards = {card.question_uid: card for card in ReviewCard.objects.all()}
    assert cards["old"].stability == 99
    assert (cards["new"].reviews, cards["new"].lapses, cards["new"].due) == (2, 1, NOW + DAY)


@pytest.mark.django_db
def test_refresh_leaves_out_a_running_mock_until_it_is_finished():
    owner = GuestOwnerFactory()
    question = QuestionFactory()
    mock = AttemptFactory(owner=owner, mode="exam", status="in_progress", started_at=NOW - 2 * DAY)
    answer(question, owner=owner, correct=False, at=NOW - 2 * DAY, attempt=mock)
    answer(QuestionFactory(), owner=owner, correct=True, at=NOW - DAY)
    refresh_review_cards(owner.pk)
    assert not ReviewCard.objects.filter(question_uid=question.uid).exists()

    mock.status = "submitted"
    mock.save()
    refresh_review_cards(owner.pk)

    card = ReviewCard.objects.get(question_uid=question.uid)
    assert (card.reviews, card.due) == (1, NOW - DAY)


@pytest.mark.django_db
def test_refresh_drops_cards_whose_answers_are_gone():
    owner = GuestOwnerFactory()
    kept, gone = QuestionFactory(), QuestionFactory()
    answer(kept, owner=owner, correct=True, at=NOW - DAY)
    response = answer(gone, owner=owner, correct=True, at=NOW)
    refresh_review_cards(owner.pk)

    response.item.attempt.delete()
    refresh_review_cards(owner.pk)

    assert list(ReviewCard.objects.values_list("question_uid", flat=True)) == [kept.uid]


@pytest.mark.django_db
def test_merging_a_guest_into_an_account_rebuilds_one_card_from_both_histories():
    guest, account = GuestOwnerFactory(), OwnerFactory()
    question = QuestionFactory()
    answer(question, owner=account, correct=True, at=NOW - 3 * DAY)
    answer(question, owner=guest, correct=False, at=NOW)
    refresh_review_cards(guest.pk)
    refresh_review_cards(account.pk)

    guest.merge_into(account)
    refresh_review_cards(account.pk)

    card = ReviewCard.objects.get()
    assert (card.owner_id, card.reviews, card.lapses, card.due) == (account.pk, 2, 1, NOW + DAY)


@pytest.mark.django_db
def test_review_queue_splits_today_this_week_and_chronic_misses():
    owner = GuestOwnerFactory()
    today = QuestionFactory(uid="due-today")
    week = QuestionFactory(uid="due-in-two-days")
    later = QuestionFactory(uid="due-in-eight-days")
    leech = QuestionFactory(uid="chronic")
    answer(today, owner=owner, correct=False, at=NOW - DAY)
    answer(week, owner=owner, correct=True, at=NOW)
    answer(later, owner=owner, correct=True, at=NOW, confidence="sure", ms=9_000)
    for days in (40, 30, 20, 10, 5):
        answer(leech, owner=owner, correct=False, at=NOW - days * DAY)
    queue = review_queue(refresh_review_cards(owner.pk), now=NOW)

    assert [card.question_uid for card in queue.today] == ["chronic", "due-today"]
    assert [card.question_uid for card in queue.this_week] == ["due-in-two-days"]
    assert [(card.question_uid, card.lapses) for card in queue.leeches] == [("chronic", 4)]
