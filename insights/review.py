"""The review queue: each question's answers replayed through FSRS, cached per owner.

How an answer becomes an FSRS rating (``rating_for``):
- wrong → Again;
- right but marked "unsure" or "guess" → Hard;
- right, marked "sure" and answered in under 30 seconds → Easy;
- any other right answer → Good.

After a practice answer's feedback the candidate may grade it themselves (``SelfGrade``:
Again, Hard, Good or Easy); that grade replaces the inferred one for that answer, in
every replay from then on.

Questions are not flashcards: a candidate meets one again days later, not minutes. The
scheduler therefore has no (re)learning steps, so every answer schedules the next review
in whole days (a wrong answer: tomorrow), and no fuzz, so the same log always gives the
same schedule. A *lapse* is a wrong answer to a question answered before; a question
with ``LEECH_LAPSES`` lapses is a chronic miss ("leech" in Anki's words). Anki's default
is 8 and issue 7 suggests 6, but a question bank is met far less often than a flashcard
deck: at 4 lapses the candidate has missed the question five times, which is chronic.

Answering never calls this module. A page that needs the queue compares each question's
answer count and newest answer in the log with its card (``sync_review_cards``) and
replays only the questions that changed; a self-grade, which changes neither, replays
its question itself (``grade_answer``).

The candidate controls the queue beyond that: a suspended card (``suspend``) leaves the
due lists, the forecast and today's target; "study ahead" offers the cards due in the
next days when nothing is due today; the daily limits are the study plan's
(``insights.plan``).
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from django.db.models import Count, F, Max
from django.utils import timezone
from fsrs import Card, Rating, Scheduler

from exams.models import Response

from .log import settled_responses
from .models import ReviewCard, SelfGrade

SCHEDULER = Scheduler(learning_steps=(), relearning_steps=(), enable_fuzzing=False)
FAST_MS = 30_000
LEECH_LAPSES = 4
# The forecast's days after today; "study ahead" offers the cards due within them.
FORECAST_DAYS = 7
# The fields a replay needs, in time order; ``uid`` groups a question's languages.
REPLAY_FIELDS = ("uid", "answered_at", "is_correct", "confidence", "time_spent_ms", "grade")


def rating_for(*, is_correct: bool, confidence: str, time_spent_ms: int) -> Rating:
    """The FSRS rating of one answer (see the module docstring). A time of 0 means unknown, not fast."""
    if not is_correct:
        return Rating.Again
    if confidence in (Response.Confidence.UNSURE, Response.Confidence.GUESS):
        return Rating.Hard
    if confidence == Response.Confidence.SURE and 0 < time_spent_ms < FAST_MS:
        return Rating.Easy
    return Rating.Good


@dataclass
class Replay:
    """The schedule one question's answers lead to."""

    due: datetime
    stability: float
    difficulty: float
    last_review: datetime
    last_rating: int
    reviews: int
    lapses: int


def replay(answers) -> Replay:
    """Replay answers (dicts with the REPLAY_FIELDS, ``grade`` optional, oldest first) from a new card."""
    card = Card(card_id=1)  # an explicit id: Card() would sleep a millisecond to make one up
    reviews = lapses = 0
    rating = Rating.Good
    for answer in answers:
        override = answer.get("grade")  # the candidate's own grade (SelfGrade), if any
        rating = (
            Rating(override)
            if override
            else rating_for(
                is_correct=answer["is_correct"],
                confidence=answer["confidence"],
                time_spent_ms=answer["time_spent_ms"],
            )
        )
        if rating == Rating.Again and reviews:
            lapses += 1
        card, _ = SCHEDULER.review_card(card, rating, answer["answered_at"].astimezone(UTC))
        reviews += 1
    return Replay(
        due=card.due,
        stability=card.stability,
        difficulty=card.difficulty,
        last_review=card.last_review,
        last_rating=int(rating),
        reviews=reviews,
        lapses=lapses,
    )


def log_summary(owner_id: int):
    """Per question uid: how many settled answers the owner gave and when the newest was.

    The report's own per-question aggregation carries the same two figures, so pages
    that show it check the cache without a second pass over the log.
    """
    return (
        settled_responses(owner_id)
        .order_by()
        .values(uid=F("item__question__uid"))
        .annotate(answers=Count("pk"), newest=Max("answered_at"))
    )


def refresh_review_cards(owner_id: int) -> list[ReviewCard]:
    """The owner's review cards, brought in line with the response log first (two queries when fresh)."""
    cards = list(ReviewCard.objects.for_owner(owner_id))
    return sync_review_cards(owner_id, log=list(log_summary(owner_id)), cards=cards)


def sync_review_cards(owner_id: int, *, log, cards: list[ReviewCard]) -> list[ReviewCard]:
    """Replay the questions whose answers changed since their card was built; return every card.

    ``log`` holds a row per answered question uid (``uid``, ``answers``, ``newest``, as
    ``log_summary``); ``cards`` are the owner's cached cards. A card is stale when its
    question has more or fewer answers than it replayed (a new answer, a mock finished
    with older answers, a deleted attempt) or a newer one; cards of questions with no
    answers left are dropped. Concurrent refreshes write the same rows, so the upsert
    needs no lock.
    """
    by_uid = {card.question_uid: card for card in cards}
    suspended = {card.question_uid for card in cards if card.suspended}
    stale = [
        row["uid"]
        for row in log
        if (card := by_uid.get(row["uid"])) is None
        or (card.reviews, card.watermark) != (row["answers"], row["newest"])
    ]
    gone = set(by_uid) - {row["uid"] for row in log}
    if stale:
        for card in _replay_questions(owner_id, stale):
            card.suspended = card.question_uid in suspended  # the upsert left the stored flag as it was
            by_uid[card.question_uid] = card
    if gone:
        ReviewCard.objects.for_owner(owner_id).filter(question_uid__in=gone).delete()
    return [card for uid, card in by_uid.items() if uid not in gone]


def _replay_questions(owner_id: int, uids: list[str]) -> list[ReviewCard]:
    """Replay these questions' answers and upsert their cards (two queries)."""
    rows = (
        settled_responses(owner_id)
        .filter(item__question__uid__in=uids)
        .order_by("answered_at", "pk")
        .values(*REPLAY_FIELDS[1:-1], uid=F("item__question__uid"), grade=F("self_grade__rating"))
    )
    answers_by_uid: dict[str, list[dict]] = {}
    for row in rows:
        answers_by_uid.setdefault(row["uid"], []).append(row)
    # Rows in uid order: two processes refreshing the same owner lock them in the same order.
    cards = [
        ReviewCard(owner_id=owner_id, question_uid=uid, watermark=answers[-1]["answered_at"], **vars(replay(answers)))
        for uid, answers in sorted(answers_by_uid.items())
    ]
    ReviewCard.objects.bulk_create(
        cards,
        update_conflicts=True,
        unique_fields=["owner", "question_uid"],
        update_fields=[
            "due",
            "stability",
            "difficulty",
            "last_review",
            "last_rating",
            "reviews",
            "lapses",
            "watermark",
        ],
    )
    return cards


@dataclass
class ForecastDay:
    day: date
    reviews: int


@dataclass
class Queue:
    """What the report and the dashboard show of an owner's review queue (suspended cards
    only in ``suspended``)."""

    today: list[ReviewCard]
    this_week: list[ReviewCard]
    leeches: list[ReviewCard]
    suspended: list[ReviewCard]
    forecast: list[ForecastDay]

    @property
    def due_uids(self) -> list[str]:
        return [card.question_uid for card in self.today]

    @property
    def ahead_uids(self) -> list[str]:
        """Study ahead: the cards due in the next FORECAST_DAYS days, soonest first."""
        return [card.question_uid for card in self.this_week]

    @property
    def forecast_peak(self) -> int:
        return max((day.reviews for day in self.forecast), default=0)


def day_bounds(now: datetime) -> tuple[datetime, datetime]:
    """The start of tomorrow and of the day FORECAST_DAYS after it, in the site's time zone."""
    local = timezone.localtime(now)
    start = local.replace(hour=0, minute=0, second=0, microsecond=0)
    return start + timedelta(days=1), start + timedelta(days=FORECAST_DAYS + 1)


def review_queue(cards: list[ReviewCard], *, now: datetime) -> Queue:
    """Due today (overdue included), due in the next FORECAST_DAYS days, chronic misses (most
    lapses first), the suspended cards, and the forecast of reviews due each day from today."""
    tomorrow, horizon = day_bounds(now)
    cards = sorted(cards, key=lambda card: (card.due, card.question_uid))
    active = [card for card in cards if not card.suspended]
    today = timezone.localdate(now)
    counts = [0] * (FORECAST_DAYS + 1)
    for card in active:
        if card.due < horizon:
            counts[0 if card.due < tomorrow else (timezone.localdate(card.due) - today).days] += 1
    by_lapses = sorted((card for card in cards if card.lapses >= LEECH_LAPSES), key=lambda card: -card.lapses)
    return Queue(
        today=[card for card in active if card.due < tomorrow],
        this_week=[card for card in active if tomorrow <= card.due < horizon],
        leeches=[card for card in by_lapses if not card.suspended],
        suspended=[card for card in cards if card.suspended],
        forecast=[ForecastDay(today + timedelta(days=offset), count) for offset, count in enumerate(counts)],
    )


def suspend(owner_id: int, question_uid: str, *, suspended: bool) -> bool:
    """Suspend a question's card (it leaves the queue) or resume it; False when the owner has no card for it."""
    return bool(ReviewCard.objects.for_owner(owner_id).filter(question_uid=question_uid).update(suspended=suspended))


def grade_answer(response, rating: int | None, *, now: datetime) -> ReviewCard:
    """Record (or, with None, withdraw) the candidate's own grade of a practice answer and
    reschedule its question; returns the question's new card.

    ``response`` is a settled Response loaded with ``item__attempt`` and ``item__question``.
    """
    if rating is None:
        SelfGrade.objects.filter(response=response).delete()
    else:
        SelfGrade.objects.update_or_create(response=response, defaults={"rating": rating, "graded_at": now})
    owner_id, uid = response.item.attempt.owner_id, response.item.question.uid
    (card,) = _replay_questions(owner_id, [uid])
    return card
