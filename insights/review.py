"""The review queue: each question's answers replayed through FSRS, cached per owner.

How an answer becomes an FSRS rating (``rating_for``):
- wrong → Again;
- right but marked "unsure" or "guess" → Hard;
- right, marked "sure" and answered in under 30 seconds → Easy;
- any other right answer → Good.

Questions are not flashcards: a candidate meets one again days later, not minutes. The
scheduler therefore has no (re)learning steps, so every answer schedules the next review
in whole days (a wrong answer: tomorrow), and no fuzz, so the same log always gives the
same schedule. A *lapse* is a wrong answer to a question answered before; a question
with ``LEECH_LAPSES`` lapses is a chronic miss ("leech" in Anki's words). Anki's default
is 8 and issue 7 suggests 6, but a question bank is met far less often than a flashcard
deck: at 4 lapses the candidate has missed the question five times, which is chronic.

Answering never calls this module. ``refresh_review_cards`` runs when a page needs the
queue: it compares the log with the cache's watermark and replays only what changed.
"""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.db.models import Count, F, Max, Q, Subquery, Sum
from django.utils import timezone
from fsrs import Card, Rating, Scheduler

from accounts.models import Owner
from exams.models import Response

from .log import settled_responses
from .models import ReviewCard

SCHEDULER = Scheduler(learning_steps=(), relearning_steps=(), enable_fuzzing=False)
FAST_MS = 30_000
LEECH_LAPSES = 4
# The fields a replay needs, in time order; ``uid`` groups a question's languages.
REPLAY_FIELDS = ("uid", "answered_at", "is_correct", "confidence", "time_spent_ms")


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
    """Replay answers (dicts with the REPLAY_FIELDS, oldest first) from a new card."""
    card = Card(card_id=1)  # an explicit id: Card() would sleep a millisecond to make one up
    reviews = lapses = 0
    rating = Rating.Good
    for answer in answers:
        rating = rating_for(
            is_correct=answer["is_correct"],
            confidence=answer["confidence"],
            time_spent_ms=answer["time_spent_ms"],
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


def refresh_review_cards(owner_id: int) -> None:
    """Bring the owner's review cards in line with the response log; cheap when nothing changed.

    One query compares the log with the cache. New answers after the watermark replay
    only their questions; anything else (a finished mock's older answers arriving, a
    deleted attempt) replays the owner's whole log, which also drops cards whose
    answers are gone.
    """
    state = _log_state(owner_id)
    settled, replayed = state["settled"] or 0, state["replayed"] or 0
    if settled == replayed and state["newest"] == state["mark"]:
        return
    responses = settled_responses(owner_id)
    incremental = settled == replayed and state["mark"] is not None
    if incremental:
        changed = responses.filter(answered_at__gt=state["mark"]).values("item__question__uid")
        responses = responses.filter(item__question__uid__in=changed)
    rows = responses.order_by("answered_at", "pk").values(*REPLAY_FIELDS[1:], uid=F("item__question__uid"))
    by_uid: dict[str, list[dict]] = {}
    for row in rows:
        by_uid.setdefault(row["uid"], []).append(row)
    cards = [
        ReviewCard(owner_id=owner_id, question_uid=uid, watermark=answers[-1]["answered_at"], **vars(replay(answers)))
        for uid, answers in by_uid.items()
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
    if not incremental and replayed:  # no cache yet: nothing to drop
        ReviewCard.objects.for_owner(owner_id).exclude(question_uid__in=list(by_uid)).delete()


def _log_state(owner_id: int) -> dict:
    """In one query: the cache's watermark and replay count, and what the log holds.

    ``settled`` counts the settled answers up to the watermark: equal to ``replayed``
    unless answers were deleted or an older answer became settled (a mock was finished).
    """
    cards = ReviewCard.objects.for_owner(owner_id).order_by().values("owner_id")
    mark = cards.annotate(mark=Max("watermark")).values("mark")
    responses = settled_responses(owner_id).order_by().values("item__attempt__owner_id")
    return (
        Owner.objects.filter(pk=owner_id)
        .values(
            mark=Subquery(mark),
            replayed=Subquery(cards.annotate(replayed=Sum("reviews")).values("replayed")),
            newest=Subquery(responses.annotate(newest=Max("answered_at")).values("newest")),
            settled=Subquery(
                responses.annotate(settled=Count("pk", filter=Q(answered_at__lte=Subquery(mark)))).values("settled")
            ),
        )
        .get()
    )


@dataclass
class Queue:
    """What the report and the dashboard show of an owner's review queue."""

    today: list[ReviewCard]
    this_week: list[ReviewCard]
    leeches: list[ReviewCard]

    @property
    def due_uids(self) -> list[str]:
        return [card.question_uid for card in self.today]


def day_bounds(now: datetime) -> tuple[datetime, datetime]:
    """The start of tomorrow and of the day a week from today, in the site's time zone."""
    local = timezone.localtime(now)
    start = local.replace(hour=0, minute=0, second=0, microsecond=0)
    return start + timedelta(days=1), start + timedelta(days=7)


def review_queue(owner_id: int, *, now: datetime) -> Queue:
    """The owner's due cards (today, the rest of the week) and chronic misses, in one query."""
    tomorrow, week_end = day_bounds(now)
    cards = list(
        ReviewCard.objects.for_owner(owner_id)
        .filter(Q(due__lt=week_end) | Q(lapses__gte=LEECH_LAPSES))
        .order_by("due", "question_uid")
    )
    return Queue(
        today=[card for card in cards if card.due < tomorrow],
        this_week=[card for card in cards if tomorrow <= card.due < week_end],
        leeches=sorted((card for card in cards if card.lapses >= LEECH_LAPSES), key=lambda card: -card.lapses),
    )


def due_count(owner_id: int, *, now: datetime) -> int:
    tomorrow, _ = day_bounds(now)
    return ReviewCard.objects.for_owner(owner_id).filter(due__lt=tomorrow).count()
