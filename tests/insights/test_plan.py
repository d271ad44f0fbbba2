"""The study plan: exam date, today's target, progress, streak (insights.plan and its views)."""

from datetime import date, timedelta

import pytest
import time_machine
from django.urls import reverse

from accounts.models import Owner
from exams.models import Attempt
from insights.models import StudyPlan
from insights.plan import DEFAULT_NEW_PER_DAY, TaskShare, bank_by_task, new_per_day, share_out
from insights.report import ScopeStats
from tests.factories import (
    AttemptFactory,
    AttemptItemFactory,
    GuestOwnerFactory,
    QuestionFactory,
    ResponseFactory,
    UserFactory,
)

from .helpers import NOW, answer, task_statement

DAY = timedelta(days=1)
HTMX = {"HX-Request": "true"}
TODAY = date(2026, 6, 15)


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def bank():
    """40 published questions: 20 in task 1.1, 20 in task 3.1."""
    return [QuestionFactory(task=task_statement("1.1"), uid=f"a-{i:02}") for i in range(20)] + [
        QuestionFactory(task=task_statement("3.1"), uid=f"c-{i:02}") for i in range(20)
    ]


# Pure rules


def test_new_per_day_leaves_the_last_week_for_reviews():
    assert new_per_day(300, 37) == 10  # 30 learning days
    assert new_per_day(300, 10) == 60  # under two weeks: half the days
    assert new_per_day(300, 1) == 300
    assert new_per_day(300, None) == DEFAULT_NEW_PER_DAY
    assert new_per_day(4, None) == 4
    assert new_per_day(0, 30) == 0


def _share(code, *, unseen, answers=0, correct=0):
    return TaskShare(
        task=ScopeStats(kind="task", value=code, label=code, answers=answers, correct=correct), unseen=unseen
    )


def test_share_out_gives_more_to_the_weakest_task_and_respects_unseen():
    weak = _share("3.1", unseen=20, answers=10, correct=2)
    strong = _share("1.1", unseen=20, answers=10, correct=10)
    tiny = _share("2.1", unseen=1)

    shares = share_out(10, [weak, strong, tiny])

    assert [s.task.value for s in shares][0] == "3.1"
    assert weak.new > strong.new
    assert tiny.new <= 1
    assert sum(s.new for s in shares) == 10


# Dashboard


@pytest.mark.django_db
def test_dashboard_without_a_date_uses_the_default_pace(client, guest, bank):
    answer(bank[0], owner=guest, correct=False, at=NOW - DAY)

    response = client.get(reverse("dashboard"))

    plan = response.context["plan"]
    page = response.content.decode()
    assert plan.exam_date is None and plan.bank == 40 and plan.unseen == 39
    assert plan.reviews == 1 and plan.new == DEFAULT_NEW_PER_DAY
    assert "No exam date set: the plan uses a default pace of 15 new questions a day." in page
    assert "How is this computed?" in page
    assert 'name="scope" value="new"' in page and "Learn 15 new questions" in page
    assert StudyPlan.objects.get(owner=guest).targets == {"2026-06-15": [1, 15]}


@pytest.mark.django_db
def test_setting_an_exam_date_sets_days_left_and_the_target(client, guest, bank):
    answer(bank[0], owner=guest, correct=True, at=NOW - DAY, confidence="sure", ms=5_000)
    client.get(reverse("dashboard"))  # today's target at the default pace

    response = client.post(reverse("insights:plan"), {"exam_date": "2026-07-22"})

    assert response["Location"] == reverse("dashboard")
    assert StudyPlan.objects.get(owner=guest).exam_date == date(2026, 7, 22)
    plan = client.get(reverse("dashboard")).context["plan"]
    assert plan.days_left == 37
    assert plan.new == 2  # 39 unseen over 30 learning days
    assert plan.reviews == 0


@pytest.mark.django_db
def test_setting_the_date_as_htmx_returns_the_plan_card(client, guest, bank):
    answer(bank[0], owner=guest, correct=True, at=NOW - DAY)

    response = client.post(
        reverse("insights:plan"), {"exam_date": "2026-06-25"}, headers={**HTMX, "HX-Target": "study-plan"}
    )

    page = response.content.decode()
    assert page.lstrip().startswith('<section id="study-plan"')
    assert "<nav" not in page
    assert "10 days left until your exam" in page


@pytest.mark.django_db
def test_a_past_date_is_refused_in_the_page(client, guest, bank):
    answer(bank[0], owner=guest, correct=True, at=NOW - DAY)

    response = client.post(
        reverse("insights:plan"), {"exam_date": "2026-06-01"}, headers={**HTMX, "HX-Target": "study-plan"}
    )

    assert "Choose today or a later day." in response.content.decode()
    assert not StudyPlan.objects.filter(exam_date__isnull=False).exists()


@pytest.mark.django_db
def test_a_past_date_without_js_rerenders_the_dashboard(client, guest, bank):
    response = client.post(reverse("insights:plan"), {"exam_date": "2026-06-01"})

    assert response.status_code == 200
    assert "Choose today or a later day." in response.content.decode()


@pytest.mark.django_db
def test_clear_exam_date(client, guest, bank):
    StudyPlan.objects.create(owner=guest, exam_date=date(2026, 8, 1))

    client.post(reverse("insights:plan"), {"exam_date": "2026-08-01", "clear": "1"})

    assert StudyPlan.objects.get(owner=guest).exam_date is None


@pytest.mark.django_db
def test_a_newcomer_sets_a_date_and_becomes_a_guest_with_a_plan(client, bank):
    page = client.get(reverse("dashboard")).content.decode()
    assert "Plan to my exam date" in page

    client.post(reverse("insights:plan"), {"exam_date": "2026-07-01"})

    response = client.get(reverse("dashboard"))
    assert response.context["returning"]
    assert "16 days left until your exam" in response.content.decode()


@pytest.mark.django_db
def test_the_plan_is_per_owner(client, guest, bank):
    """No owner sees or changes another's plan: the plan has no address, only the session's owner."""
    someone = GuestOwnerFactory()
    StudyPlan.objects.create(owner=someone, exam_date=date(2026, 9, 1))

    client.post(reverse("insights:plan"), {"exam_date": "2026-07-01"})

    assert StudyPlan.objects.get(owner=someone).exam_date == date(2026, 9, 1)
    assert client.get(reverse("dashboard")).context["plan"].exam_date == date(2026, 7, 1)


@pytest.mark.django_db
def test_plan_refuses_get(client, guest):
    assert client.get(reverse("insights:plan")).status_code == 405


@pytest.mark.django_db
def test_progress_counts_distinct_questions_answered_today_against_the_fixed_target(client, guest, bank):
    answer(bank[0], owner=guest, correct=False, at=NOW - DAY)
    first = client.get(reverse("dashboard")).context["plan"]
    assert (first.reviews, first.new, first.done) == (1, 15, 0)

    answer(bank[0], owner=guest, correct=True, at=NOW)  # the due review
    answer(bank[1], owner=guest, correct=True, at=NOW)  # a new question
    answer(bank[1], owner=guest, correct=True, at=NOW)  # again: one question

    plan = client.get(reverse("dashboard")).context["plan"]
    assert (plan.target, plan.done, plan.new_left, plan.left_today) == (16, 2, 14, 14)
    assert plan.progress_percent == 12


@pytest.mark.django_db
def test_streak_counts_met_days_up_to_today(client, guest, bank):
    targets = {(TODAY - days_ago * DAY).isoformat(): [0, 2] for days_ago in (1, 2, 3)}
    StudyPlan.objects.create(owner=guest, targets=targets)
    for days_ago, count in ((3, 1), (2, 2), (1, 2)):
        for index in range(count):
            answer(bank[10 * days_ago + index], owner=guest, correct=True, at=NOW - days_ago * DAY)

    plan = client.get(reverse("dashboard")).context["plan"]
    assert plan.streak == 2  # three days ago one of two: not met
    assert "Streak: 2 days" in client.get(reverse("dashboard")).content.decode()


@pytest.mark.django_db
def test_a_running_mock_does_not_count_towards_progress(client, guest, bank):
    mock = AttemptFactory(owner=guest, mode="exam", started_at=NOW, deadline=NOW + timedelta(minutes=90))
    answer(bank[0], owner=guest, correct=True, at=NOW, attempt=mock)

    assert client.get(reverse("dashboard")).context["plan"].done == 0


@pytest.mark.django_db
def test_learn_new_questions_starts_practice_on_the_planned_unseen_questions(client, guest, bank):
    for question in bank[20:25]:  # task 3.1: five wrong
        answer(question, owner=guest, correct=False, at=NOW - DAY)
    for question in bank[:5]:  # task 1.1: five right
        answer(question, owner=guest, correct=True, at=NOW - DAY)
    client.get(reverse("dashboard"))

    response = client.post(reverse("insights:practise"), {"scope": "new"})

    attempt = Attempt.objects.filter(owner=guest, status="in_progress").get()
    assert response["Location"] == attempt.get_absolute_url()
    uids = list(attempt.items.values_list("question__uid", flat=True))
    assert len(uids) == DEFAULT_NEW_PER_DAY
    assert not set(uids) & {q.uid for q in bank[:5] + bank[20:25]}
    assert sum(uid.startswith("c-") for uid in uids) > sum(uid.startswith("a-") for uid in uids)


@pytest.mark.django_db
def test_learn_new_questions_as_htmx_redirects_the_browser(client, guest, bank):
    response = client.post(reverse("insights:practise"), {"scope": "new"}, headers=HTMX)

    assert response["HX-Redirect"].startswith("/practice/")


@pytest.mark.django_db
def test_learn_new_with_nothing_unseen_says_so(client, guest):
    question = QuestionFactory()
    answer(question, owner=guest, correct=True, at=NOW - DAY)

    response = client.post(reverse("insights:practise"), {"scope": "new", "next": "/"})

    assert response["Location"] == "/"
    assert [str(m) for m in response.wsgi_request._messages] == ["No new questions are left for today."]


# Moving to an account, deleting history


@pytest.mark.django_db
def test_a_guests_plan_and_targets_move_to_the_account():
    guest, account = GuestOwnerFactory(), Owner.objects.create(user=UserFactory())
    StudyPlan.objects.create(
        owner=account, exam_date=date(2026, 9, 1), date_set_at=NOW - DAY, targets={"2026-06-15": [0, 9]}
    )
    StudyPlan.objects.create(  # set later: its date wins
        owner=guest, exam_date=date(2026, 7, 1), date_set_at=NOW, targets={"2026-06-15": [1, 2], "2026-06-14": [0, 5]}
    )

    guest.merge_into(account)

    plan = StudyPlan.objects.get()
    assert plan.owner == account
    assert plan.exam_date == date(2026, 7, 1)
    assert plan.targets == {"2026-06-14": [0, 5], "2026-06-15": [0, 9]}


@pytest.mark.django_db
def test_a_guest_keeps_the_exam_date_and_todays_target_on_sign_up(client, bank):
    client.post(reverse("insights:plan"), {"exam_date": "2026-07-01"})
    answer(bank[0], owner=Owner.objects.get(), correct=True, at=NOW)
    target = client.get(reverse("dashboard")).context["plan"].target

    password = "a-long-unusual-passphrase"
    client.post(reverse("accounts:signup"), {"username": "planner", "password1": password, "password2": password})

    plan = client.get(reverse("dashboard")).context["plan"]
    assert StudyPlan.objects.get().owner.user.username == "planner"
    assert (plan.exam_date, plan.target, plan.done) == (date(2026, 7, 1), target, 1)


@pytest.mark.django_db
def test_a_guests_plan_moves_to_an_account_without_one():
    guest, account = GuestOwnerFactory(), Owner.objects.create(user=UserFactory())
    StudyPlan.objects.create(owner=guest, exam_date=date(2026, 7, 1), date_set_at=NOW)

    guest.merge_into(account)

    assert StudyPlan.objects.get().owner == account


@pytest.mark.django_db
def test_an_accounts_later_date_survives_a_merge():
    guest, account = GuestOwnerFactory(), Owner.objects.create(user=UserFactory())
    StudyPlan.objects.create(owner=account, exam_date=date(2026, 9, 1), date_set_at=NOW)
    StudyPlan.objects.create(owner=guest, exam_date=date(2026, 7, 1), date_set_at=NOW - DAY)

    guest.merge_into(account)

    assert StudyPlan.objects.get().exam_date == date(2026, 9, 1)


@pytest.mark.django_db
def test_deleting_history_deletes_targets_and_keeps_the_exam_date(client, guest, bank):
    StudyPlan.objects.create(owner=guest, exam_date=date(2026, 9, 1))
    answer(bank[0], owner=guest, correct=True, at=NOW - DAY)
    client.get(reverse("dashboard"))

    client.post(reverse("insights:delete_history"), {"confirm": "on"})

    plan = StudyPlan.objects.get(owner=guest)
    assert plan.targets == {}
    assert plan.exam_date == date(2026, 9, 1)


# Query budget


def _attempts(owner, questions, count):
    for index in range(count):
        at = NOW - (index % 20) * DAY
        attempt = AttemptFactory(owner=owner, started_at=at, status="submitted", submitted_at=NOW)
        question = questions[index % len(questions)]
        item = AttemptItemFactory(attempt=attempt, question=question, position=1)
        ResponseFactory(item=item, is_correct=index % 3 == 0, answered_at=at)


@pytest.mark.django_db
@pytest.mark.parametrize("attempts", [1, 200])
def test_dashboard_with_a_plan_stays_within_twelve_queries(
    client, guest, bank, django_assert_max_num_queries, attempts
):
    StudyPlan.objects.create(owner=guest, exam_date=date(2026, 8, 1))
    _attempts(guest, bank, attempts)
    AttemptFactory(owner=guest, mode="exam", status="submitted", submitted_at=NOW - DAY, scaled_score=650)
    bank_by_task()  # the bank by task statement is in the shared cache (one more query when it is not)

    # First view of the day with a stale review cache: the cards and today's target are written.
    with django_assert_max_num_queries(12):
        response = client.get(reverse("dashboard"))
    assert response.context["plan"].days_left == 47
    # Later views: session, open attempts, plan, log, classification, task statements,
    # review cards, streak, mocks.
    with django_assert_max_num_queries(9):
        client.get(reverse("dashboard"))


@pytest.mark.django_db
def test_publishing_a_question_refreshes_the_cached_bank(client, guest, bank):
    assert client.get(reverse("dashboard")).context["plan"].bank == 40

    QuestionFactory(task=task_statement("2.1"))

    assert client.get(reverse("dashboard")).context["plan"].bank == 41
