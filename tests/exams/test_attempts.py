from datetime import UTC, datetime, timedelta

import pytest
from django.core.management import call_command

from exams.attempts import (
    PRACTICE_BATCH,
    AnswerRefused,
    NotEnoughQuestions,
    extend_practice,
    finalize_expired,
    record_answer,
    set_flag,
    start_exam,
    start_practice,
    submit_attempt,
)
from exams.models import Attempt, AttemptItem, Response
from questions.models import Tag
from questions.revisions import current_revisions
from tests.exams.conftest import make_bank
from tests.factories import (
    AttemptFactory,
    AttemptItemFactory,
    BlueprintFactory,
    BookmarkFactory,
    GuestOwnerFactory,
    OwnerFactory,
    ResponseFactory,
    make_matching_question,
    make_single_question,
)

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 28, 10, 0, tzinfo=UTC)
FULL = {1: 3, 2: 3, 3: 3, 4: 2, 5: 2}


def key_of(item):
    return item.snapshot["key"]


def wrong_of(item):
    return [next(row["id"] for row in item.snapshot["options"] if not row["correct"])]


@pytest.fixture
def exam():
    make_bank(FULL)
    return start_exam(GuestOwnerFactory().pk, BlueprintFactory(minutes=15), now=NOW)


# --- start_exam ---------------------------------------------------------------------------


def test_start_exam_snapshots_every_slot_and_sets_the_deadline(exam):
    items = list(exam.items.order_by("position"))

    assert exam.deadline == NOW + timedelta(minutes=15)
    assert [item.position for item in items] == list(range(1, 11))
    assert sum(not item.scored for item in items) == 2
    assert all(item.snapshot["id"] == item.question_id for item in items)


def test_start_exam_again_resumes_the_open_attempt(exam):
    again = start_exam(exam.owner_id, exam.blueprint, now=NOW + timedelta(minutes=5))

    assert again == exam
    assert Attempt.objects.count() == 1


def test_start_exam_after_the_deadline_finalizes_the_old_one_and_starts_anew(exam):
    later = start_exam(exam.owner_id, exam.blueprint, now=NOW + timedelta(hours=1))

    exam.refresh_from_db()
    assert later != exam
    assert exam.status == Attempt.Status.EXPIRED
    assert later.status == Attempt.Status.IN_PROGRESS


def test_option_order_is_frozen_from_the_seed_so_reloads_render_the_same():
    make_bank(FULL, types=("multiple",))
    owner = GuestOwnerFactory()
    blueprint = BlueprintFactory()

    first = start_exam(owner.pk, blueprint, now=NOW, seed=1234)
    submit_attempt(first, now=NOW)
    second = start_exam(GuestOwnerFactory().pk, blueprint, now=NOW, seed=1234)

    def layout(attempt):
        return [
            (item.question_id, [row["id"] for row in item.snapshot["options"]])
            for item in attempt.items.order_by("position")
        ]

    assert layout(first) == layout(second)


def test_insert_rows_writes_what_bulk_create_writes(django_assert_num_queries):
    # insert_rows' SQL differs per database (a JSON array unpacked by PostgreSQL or SQLite):
    # both must store every column as the ORM would, in the rows' order.
    single, matching = make_single_question(), make_matching_question()
    attempt, other = AttemptFactory(), AttemptFactory()
    revisions = {pk: current.revision_id for pk, current in current_revisions([single.pk, matching.pk]).items()}
    rows = [
        (attempt.pk, single.pk, 1, True, revisions[single.pk], "2,0,3,1"),
        (attempt.pk, matching.pk, 2, False, revisions[matching.pk], "1,0,2;2,1,0"),
        (attempt.pk, single.pk, 3, True, revisions[single.pk], ""),
    ]
    AttemptItem.objects.bulk_create(
        AttemptItem(attempt=other, question_id=q, position=p, scored=s, revision_id=r, order=o)
        for _a, q, p, s, r, o in rows
    )

    with django_assert_num_queries(1):
        AttemptItem.objects.insert_rows(rows)

    columns = ("question_id", "position", "scored", "flagged", "revision_id", "order")
    written = list(AttemptItem.objects.filter(attempt=attempt).order_by("pk").values_list(*columns))
    assert written == list(AttemptItem.objects.filter(attempt=other).order_by("pk").values_list(*columns))
    assert [position for _q, position, *_rest in written] == [1, 2, 3]


# --- record_answer ------------------------------------------------------------------------


def test_record_answer_grades_and_stores_the_answer(exam):
    item = exam.items.select_related("attempt").get(position=1)

    result = record_answer(item, answer=key_of(item), seq=1, now=NOW + timedelta(minutes=1))

    response = Response.objects.get(item=item)
    assert (response.answer, response.is_correct, response.seq) == (key_of(item), True, 1)
    assert result.applied is True


def test_a_newer_save_replaces_the_answer(exam):
    item = exam.items.select_related("attempt").get(position=1)
    record_answer(item, answer=key_of(item), seq=1, now=NOW)

    record_answer(item, answer=wrong_of(item), seq=2, now=NOW + timedelta(seconds=3), time_spent_ms=4000)

    response = Response.objects.get(item=item)
    assert (response.answer, response.is_correct, response.seq, response.time_spent_ms) == (
        wrong_of(item),
        False,
        2,
        4000,
    )


@pytest.mark.parametrize("stale_seq", [1, 2])
def test_a_stale_save_is_ignored_and_returns_the_stored_answer(exam, stale_seq):
    item = exam.items.select_related("attempt").get(position=1)
    record_answer(item, answer=key_of(item), seq=2, now=NOW)

    result = record_answer(item, answer=wrong_of(item), seq=stale_seq, now=NOW + timedelta(seconds=1))

    assert result.applied is False
    assert result.answer == key_of(item)
    assert Response.objects.get(item=item).answer == key_of(item)


def test_out_of_order_saves_leave_exactly_the_newest(exam):
    item = exam.items.select_related("attempt").get(position=1)
    answers = {seq: [row["id"]] for seq, row in enumerate(item.snapshot["options"], start=1)}

    for seq in (2, 4, 1, 3):
        record_answer(item, answer=answers[seq], seq=seq, now=NOW)

    assert Response.objects.filter(item=item).count() == 1
    assert Response.objects.get(item=item).answer == answers[4]


def test_saves_within_the_grace_are_taken_and_later_ones_refused(exam):
    item = exam.items.select_related("attempt").get(position=1)

    record_answer(item, answer=key_of(item), seq=1, now=exam.deadline + timedelta(seconds=4))
    with pytest.raises(AnswerRefused):
        record_answer(item, answer=wrong_of(item), seq=2, now=exam.deadline + timedelta(seconds=6))

    assert Response.objects.get(item=item).answer == key_of(item)


def test_saves_after_submission_are_refused_and_write_nothing(exam):
    item = exam.items.select_related("attempt").get(position=1)
    submit_attempt(exam, now=NOW + timedelta(minutes=2))

    with pytest.raises(AnswerRefused):
        record_answer(item, answer=key_of(item), seq=1, now=NOW + timedelta(minutes=3))

    assert not Response.objects.filter(item=item).exists()


def test_the_database_guard_refuses_a_save_racing_the_submit(exam):
    # The item was loaded while the attempt was open; the submit lands before the save.
    item = exam.items.select_related("attempt").get(position=1)
    Attempt.objects.filter(pk=exam.pk).update(status=Attempt.Status.SUBMITTED)

    with pytest.raises(AnswerRefused):
        record_answer(item, answer=key_of(item), seq=1, now=NOW)

    assert not Response.objects.filter(item=item).exists()


def test_in_practice_the_first_answer_is_final():
    make_bank({1: 2})
    session = start_practice(GuestOwnerFactory().pk, scope={"kind": "all"}, count=2, language="en", now=NOW)
    item = session.items.select_related("attempt").get(position=1)
    record_answer(item, answer=wrong_of(item), seq=1, confidence="guess", now=NOW)

    result = record_answer(item, answer=key_of(item), seq=5, confidence="sure", now=NOW)

    assert (result.applied, result.answer, result.is_correct, result.confidence) == (
        False,
        wrong_of(item),
        False,
        "guess",
    )
    assert Response.objects.get(item=item).confidence == "guess"


# --- flags and submission -----------------------------------------------------------------


def test_set_flag_is_idempotent_and_refused_after_the_deadline(exam):
    item = exam.items.select_related("attempt").get(position=3)

    set_flag(item, flagged=True, now=NOW)
    set_flag(item, flagged=True, now=NOW)
    with pytest.raises(AnswerRefused):
        set_flag(item, flagged=False, now=exam.deadline + timedelta(minutes=1))

    assert AttemptItem.objects.get(pk=item.pk).flagged is True


def test_submit_scores_scored_items_only_and_unanswered_as_wrong(exam):
    items = list(exam.items.select_related("attempt").order_by("position"))
    scored = [item for item in items if item.scored]
    unscored = [item for item in items if not item.scored]
    for item in scored[:6]:
        record_answer(item, answer=key_of(item), seq=1, now=NOW)
    record_answer(scored[6], answer=wrong_of(scored[6]), seq=1, now=NOW)
    for item in unscored:
        record_answer(item, answer=key_of(item), seq=1, now=NOW)

    assert submit_attempt(exam, now=NOW + timedelta(minutes=10)) is True

    exam.refresh_from_db()
    # 6 of 8 scored right (one wrong, one unanswered): round(100 + 900 × 6/8) = 775.
    assert (exam.correct_scored, exam.total_scored, exam.scaled_score, exam.passed) == (6, 8, 775, True)
    assert exam.status == Attempt.Status.SUBMITTED
    assert exam.submitted_at == NOW + timedelta(minutes=10)


def test_the_verdict_follows_the_blueprints_own_pass_mark_not_700():
    make_bank(FULL)
    exam = start_exam(GuestOwnerFactory().pk, BlueprintFactory(minutes=15, pass_mark=800), now=NOW)
    scored = [item for item in exam.items.select_related("attempt").order_by("position") if item.scored]
    for item in scored[:6]:
        record_answer(item, answer=key_of(item), seq=1, now=NOW)

    submit_attempt(exam, now=NOW + timedelta(minutes=10))

    exam.refresh_from_db()
    # 6 of 8: 775 clears the usual 700 but not this blueprint's 800.
    assert (exam.scaled_score, exam.pass_mark, exam.passed) == (775, 800, False)


def test_submit_twice_finalizes_once(exam):
    assert submit_attempt(exam, now=NOW + timedelta(minutes=1)) is True

    again = Attempt.objects.get(pk=exam.pk)
    assert submit_attempt(again, now=NOW + timedelta(minutes=2)) is False

    exam.refresh_from_db()
    assert exam.submitted_at == NOW + timedelta(minutes=1)


def test_a_submit_past_the_deadline_is_expired_and_time_used_stops_at_the_limit(exam):
    submit_attempt(exam, now=exam.deadline + timedelta(minutes=30))

    exam.refresh_from_db()
    assert exam.status == Attempt.Status.EXPIRED
    assert exam.time_used == timedelta(minutes=15)
    assert (exam.scaled_score, exam.passed) == (100, False)


def test_finalize_expired_finalizes_only_overdue_mocks(exam):
    fresh = start_exam(GuestOwnerFactory().pk, exam.blueprint, now=NOW + timedelta(minutes=10))

    count = finalize_expired(now=NOW + timedelta(minutes=16))

    exam.refresh_from_db()
    fresh.refresh_from_db()
    assert count == 1
    assert exam.status == Attempt.Status.EXPIRED
    assert exam.scaled_score == 100
    assert fresh.status == Attempt.Status.IN_PROGRESS


def test_finalize_expired_command(exam, capsys):
    Attempt.objects.filter(pk=exam.pk).update(deadline=datetime(2020, 1, 1, tzinfo=UTC))

    call_command("finalize_expired")

    assert Attempt.objects.get(pk=exam.pk).status == Attempt.Status.EXPIRED
    assert "Finalized 1 expired attempt(s)." in capsys.readouterr().out


# --- practice -----------------------------------------------------------------------------


def uids(session):
    return sorted(session.items.values_list("question__uid", flat=True))


def test_practice_by_domain_task_and_tag():
    in_domain = make_bank({3: 2})
    make_bank({1: 2})
    tag = Tag.objects.create(slug="bedrock")
    in_domain[0].tags.add(tag)
    owner = GuestOwnerFactory().pk

    by_domain = start_practice(owner, scope={"kind": "domain", "value": "3"}, count=10, language="en", now=NOW)
    by_task = start_practice(owner, scope={"kind": "task", "value": "3.1"}, count=10, language="en", now=NOW)
    by_tag = start_practice(owner, scope={"kind": "tag", "value": "bedrock"}, count=10, language="en", now=NOW)

    assert uids(by_domain) == uids(by_task) == sorted(q.uid for q in in_domain)
    assert uids(by_tag) == [in_domain[0].uid]
    assert by_domain.target_count == 2


def test_my_mistakes_are_the_questions_answered_wrong_last_time():
    fixed, still_wrong, right = (make_single_question() for _ in range(3))
    owner = GuestOwnerFactory()
    old = AttemptFactory(owner=owner, started_at=NOW - timedelta(days=2))
    new = AttemptFactory(owner=owner, started_at=NOW - timedelta(days=1))
    for question, first, last in ((fixed, False, True), (still_wrong, True, False), (right, True, True)):
        ResponseFactory(
            item=AttemptItemFactory(attempt=old, question=question),
            is_correct=first,
            answered_at=NOW - timedelta(days=2),
        )
        ResponseFactory(
            item=AttemptItemFactory(attempt=new, question=question),
            is_correct=last,
            answered_at=NOW - timedelta(days=1),
        )

    session = start_practice(owner.pk, scope={"kind": "mistakes"}, count=10, language="en", now=NOW)

    assert uids(session) == [still_wrong.uid]


def test_answers_in_a_running_mock_are_not_mistakes_yet():
    question = make_single_question()
    owner = GuestOwnerFactory()
    running = AttemptFactory(owner=owner, mode="exam", deadline=NOW + timedelta(hours=1))
    ResponseFactory(item=AttemptItemFactory(attempt=running, question=question), is_correct=False)

    with pytest.raises(NotEnoughQuestions):
        start_practice(owner.pk, scope={"kind": "mistakes"}, count=10, language="en", now=NOW)


def test_bookmarked_and_unseen_scopes():
    seen, bookmarked, fresh = (make_single_question() for _ in range(3))
    owner = GuestOwnerFactory()
    AttemptItemFactory(attempt=AttemptFactory(owner=owner), question=seen)
    BookmarkFactory(owner=owner, question_uid=bookmarked.uid)
    BookmarkFactory(question_uid=fresh.uid)  # someone else's

    by_bookmark = start_practice(owner.pk, scope={"kind": "bookmarked"}, count=10, language="en", now=NOW)
    unseen = start_practice(owner.pk, scope={"kind": "unseen"}, count=10, language="en", now=NOW)

    assert uids(by_bookmark) == [bookmarked.uid]
    # The bookmarked session has just shown "bookmarked", so only "fresh" is unseen now.
    assert uids(unseen) == [fresh.uid]


def test_due_keeps_the_given_questions_in_their_order():
    questions = make_bank({2: 4})
    wanted = [questions[2].pk, questions[0].pk, questions[3].pk]

    session = start_practice(
        GuestOwnerFactory().pk,
        scope={"kind": "due"},
        count=len(wanted),
        language="en",
        question_ids=wanted,
        now=NOW,
    )

    assert list(session.items.order_by("position").values_list("question_id", flat=True)) == wanted
    assert session.scope == {"kind": "due", "question_ids": wanted}


def test_question_ids_pick_the_translation_in_the_session_language():
    english = make_single_question(uid="same-uid")
    japanese = make_single_question(uid="same-uid", language="ja")

    session = start_practice(
        GuestOwnerFactory().pk, scope={"kind": "due"}, count=1, language="ja", question_ids=[english.pk], now=NOW
    )

    assert list(session.items.values_list("question_id", flat=True)) == [japanese.pk]


def test_a_japanese_session_uses_the_english_item_of_an_untranslated_uid():
    translated = make_single_question(uid="translated")
    japanese = make_single_question(uid="translated", language="ja")
    untranslated = make_single_question(uid="english-only")

    session = start_practice(GuestOwnerFactory().pk, scope={"kind": "all"}, count=5, language="ja", now=NOW)

    assert sorted(session.items.values_list("question_id", flat=True)) == sorted([japanese.pk, untranslated.pk])
    assert translated.pk not in session.items.values_list("question_id", flat=True)


def test_practice_prefers_unseen_questions():
    questions = make_bank({1: 6})
    owner = GuestOwnerFactory()
    for question in questions[:3]:
        AttemptItemFactory(attempt=AttemptFactory(owner=owner), question=question)

    session = start_practice(owner.pk, scope={"kind": "all"}, count=3, language="en", now=NOW)

    assert uids(session) == sorted(q.uid for q in questions[3:])


def test_practice_with_nothing_to_draw_raises_and_writes_nothing():
    with pytest.raises(NotEnoughQuestions):
        start_practice(GuestOwnerFactory().pk, scope={"kind": "all"}, count=10, language="en", now=NOW)

    assert Attempt.objects.count() == 0


@pytest.mark.parametrize("scope", [{"kind": "weird"}, {"kind": "due"}, {"kind": "domain", "value": "x"}])
def test_practice_refuses_a_bad_scope(scope):
    make_bank({1: 1})

    with pytest.raises(ValueError):
        start_practice(GuestOwnerFactory().pk, scope=scope, count=10, language="en", now=NOW)


def test_endless_practice_draws_in_batches_until_the_scope_runs_out():
    make_bank({1: PRACTICE_BATCH + 5})
    session = start_practice(GuestOwnerFactory().pk, scope={"kind": "all"}, count=None, language="en", now=NOW)

    assert session.target_count is None
    assert session.items.count() == PRACTICE_BATCH
    assert extend_practice(session, now=NOW) == 5
    assert extend_practice(session, now=NOW) == 0
    assert sorted(session.items.values_list("position", flat=True)) == list(range(1, PRACTICE_BATCH + 6))
    assert session.items.values("question").distinct().count() == PRACTICE_BATCH + 5


def test_submitting_practice_scores_the_answered_questions():
    make_bank({1: 3})
    session = start_practice(GuestOwnerFactory().pk, scope={"kind": "all"}, count=3, language="en", now=NOW)
    first, second = session.items.select_related("attempt").order_by("position")[:2]
    record_answer(first, answer=key_of(first), seq=1, now=NOW)
    record_answer(second, answer=wrong_of(second), seq=1, now=NOW)

    submit_attempt(session, now=NOW)

    session.refresh_from_db()
    assert (session.correct_scored, session.total_scored, session.scaled_score) == (1, 2, None)


# --- ownership queries and guest merge ----------------------------------------------------


def test_open_practice_sessions_with_their_answered_counts_are_one_query(django_assert_num_queries):
    """The picker's "Carry on" list (``practice_picker``, the same chain): this owner's open
    practice sessions, each with how many questions it has answered, in one query."""
    owner = GuestOwnerFactory()
    busy, fresh = AttemptFactory(owner=owner), AttemptFactory(owner=owner)
    for position in (1, 2):
        ResponseFactory(item=AttemptItemFactory(attempt=busy, position=position))
    AttemptItemFactory(attempt=busy, position=3)
    AttemptFactory(owner=owner, status="submitted")
    AttemptFactory(owner=owner, mode="exam")
    AttemptFactory()

    with django_assert_num_queries(1):
        found = {
            session.pk: session.answered_count
            for session in Attempt.objects.for_owner(owner.pk).practice().in_progress().with_answered_count()
        }

    assert found == {busy.pk: 2, fresh.pk: 0}
    assert list(Attempt.objects.for_owner(None)) == []


def test_merging_a_guest_finalizes_the_older_of_two_open_mocks():
    make_bank(FULL)
    blueprint = BlueprintFactory()
    guest, account = GuestOwnerFactory(), OwnerFactory()
    older = start_exam(account.pk, blueprint, now=NOW - timedelta(minutes=5))
    newer = start_exam(guest.pk, blueprint, now=NOW)
    item = newer.items.select_related("attempt").get(position=1)
    record_answer(item, answer=key_of(item), seq=1, now=NOW)

    guest.merge_into(account)

    older.refresh_from_db()
    newer.refresh_from_db()
    assert (older.status, older.scaled_score, older.owner_id) == (Attempt.Status.EXPIRED, 100, account.pk)
    assert (newer.status, newer.owner_id) == (Attempt.Status.IN_PROGRESS, account.pk)
    assert Response.objects.get(item=item).item.attempt.owner_id == account.pk


def test_merging_a_guest_without_clashes_moves_everything_as_it_is():
    make_bank(FULL)
    guest, account = GuestOwnerFactory(), OwnerFactory()
    mock = start_exam(guest.pk, BlueprintFactory(), now=NOW)
    session = AttemptFactory(owner=guest)

    guest.merge_into(account)

    assert set(Attempt.objects.filter(owner=account).values_list("pk", "status")) == {
        (mock.pk, "in_progress"),
        (session.pk, "in_progress"),
    }
