import csv
import io
import re
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse

from exams.models import Attempt, Response
from insights.models import ReviewCard, SelfGrade
from tests.factories import (
    AttemptFactory,
    AttemptItemFactory,
    GuestOwnerFactory,
    OwnerFactory,
    QuestionFactory,
    TagFactory,
    as_guest,
)

from .helpers import NOW, answer, task_statement

DAY = timedelta(days=1)
HTMX = {"HX-Request": "true"}


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def practised(guest):
    """Task 3.1: 2 of 5 right today; task 1.1: 4 of 4 right; one tagged question."""
    tag = TagFactory(slug="bedrock-knowledge-bases", name="Bedrock Knowledge Bases")
    for index in range(5):
        question = QuestionFactory(task=task_statement("3.1"), uid=f"design-{index}")
        question.tags.add(tag)
        answer(question, owner=guest, correct=index < 2, at=NOW - DAY)
    for _ in range(4):
        answer(QuestionFactory(task=task_statement("1.1")), owner=guest, correct=True, at=NOW - DAY)
    return guest


# Weakness report


@pytest.mark.django_db
def test_report_shows_figures_charts_and_practise_buttons(client, practised):
    response = client.get(reverse("insights:report"))

    page = response.content.decode()
    tasks = response.context["report"].weakest_tasks
    assert [(t.value, t.answers, t.correct) for t in tasks[:2]] == [("3.1", 5, 2), ("1.1", 4, 4)]
    assert [page.count(f'<svg class="chart {name}"') for name in ("gauge", "bars", "heat", "scores")] == [1, 1, 1, 0]
    assert 'Practise this<span class="visually-hidden">: Describe design considerations' in page
    assert "Bedrock Knowledge Bases" in page
    assert "40 %" in page and "100 %" in page
    assert 'name="scope" value="due"' in page  # nine wrong/right answers yesterday → some due today
    assert "No finished mock exam yet." in page


@pytest.mark.django_db
def test_report_tag_table_as_htmx_partial_sorted(client, practised):
    other = QuestionFactory(task=task_statement("1.2"))
    other.tags.add(TagFactory(slug="amazon-q"))
    answer(other, owner=practised, correct=True, at=NOW)

    response = client.get(
        reverse("insights:report"), {"tags": "-accuracy"}, headers={**HTMX, "HX-Target": "tag-table"}
    )

    page = response.content.decode()
    assert page.lstrip().startswith('<div id="tag-table"')
    assert "<nav" not in page and "<html" not in page
    assert page.index("amazon-q") < page.index("Bedrock Knowledge Bases")
    assert 'aria-sort="descending"' in page
    assert response["Vary"].startswith("HX-Request, HX-Target")


@pytest.mark.django_db
def test_report_tag_table_full_request_sorted_weakest_first(client, practised):
    other = QuestionFactory(task=task_statement("1.2"))
    other.tags.add(TagFactory(slug="amazon-q"))
    answer(other, owner=practised, correct=True, at=NOW)

    page = client.get(reverse("insights:report")).content.decode()

    assert "<nav" in page
    assert 'href="?tags=weakest' not in page  # already the order shown
    assert page.index("Bedrock Knowledge Bases") < page.index("amazon-q")


@pytest.mark.django_db
def test_report_rejects_an_unknown_sort_order(client, practised):
    response = client.get(reverse("insights:report"), {"tags": "stem; drop table"})

    assert response.status_code == 400


@pytest.mark.django_db
def test_report_of_a_visitor_invites_to_practise(client):
    response = client.get(reverse("insights:report"))

    page = response.content.decode()
    assert "No answers yet" in page
    assert 'name="scope" value="all"' in page


@pytest.mark.django_db
def test_report_shows_nothing_of_another_owner(client, practised):
    as_guest(client, GuestOwnerFactory())

    response = client.get(reverse("insights:report"))

    assert response.context["report"].answers == 0
    assert "No answers yet" in response.content.decode()


@pytest.mark.django_db
def test_report_lists_due_questions_and_chronic_misses_with_their_explanation(client, guest):
    leech = QuestionFactory(task=task_statement("2.2"), explanation="Hallucinations come from next-token prediction.")
    for days in (30, 20, 12, 6, 2):
        answer(leech, owner=guest, correct=False, at=NOW - days * DAY)

    page = client.get(reverse("insights:report")).content.decode()

    assert "1 question is due for review today." in page
    assert "4 misses" in page
    assert "Hallucinations come from next-token prediction." in page


@pytest.mark.django_db
def test_the_score_chart_shows_each_mocks_stored_verdict_not_a_comparison_with_700(client, guest):
    # A blueprint with a pass mark of 800: 750 is a fail there, though it clears 700.
    AttemptFactory(
        owner=guest,
        mode="exam",
        status="submitted",
        started_at=NOW - DAY,
        submitted_at=NOW - DAY,
        scaled_score=750,
        passed=False,
    )
    answer(QuestionFactory(), owner=guest, correct=True, at=NOW)

    page = client.get(reverse("insights:report")).content.decode()

    assert page.count('class="score-point') == 1
    assert 'class="score-point passed"' not in page


@pytest.mark.django_db
def test_report_mock_history_chart_and_table(client, guest):
    # Each mock's stored verdict, one of them not what a comparison with 700 would say (a
    # blueprint that passes at 650): the chart and the table show the stored one.
    for days, score, passed in ((6, 612, False), (4, 680, True), (2, 736, True)):
        AttemptFactory(
            owner=guest,
            mode="exam",
            status="submitted",
            started_at=NOW - days * DAY,
            submitted_at=NOW - days * DAY,
            scaled_score=score,
            passed=passed,
        )
    answer(QuestionFactory(), owner=guest, correct=True, at=NOW)

    page = client.get(reverse("insights:report")).content.decode()

    points = re.findall(r'<circle class="score-point( passed)?"[^>]*>\s*<title>[^<]*: (\d+)</title>', page)
    assert [(int(score), bool(passed)) for passed, score in points] == [(612, False), (680, True), (736, True)]
    verdicts = r'<td class="num">(\d+)</td>\s*<td>\s*<span class="mark[^"]*"><span aria-hidden="true">.</span> (\w+)'
    rows = re.findall(verdicts, page)
    assert sorted(rows) == [("612", "Fail"), ("680", "Pass"), ("736", "Pass")]


def _many_attempts(owner, count):
    questions = [QuestionFactory(task=task_statement(code)) for code in ("1.1", "2.1", "3.2", "4.1", "5.1")]
    for index in range(count):
        attempt = AttemptFactory(owner=owner, started_at=NOW - index * timedelta(hours=3))
        answer(
            questions[index % 5],
            owner=owner,
            correct=index % 3 == 0,
            at=NOW - index * timedelta(hours=3),
            attempt=attempt,
        )
    AttemptFactory(owner=owner, mode="exam", status="submitted", started_at=NOW, submitted_at=NOW, scaled_score=650)


@pytest.mark.django_db
@pytest.mark.parametrize("attempts", [1, 200])
def test_report_queries_stay_within_twelve_for_any_history(client, django_assert_max_num_queries, attempts):
    user = OwnerFactory().user
    client.force_login(user)
    client.get(reverse("dashboard"))  # claims the account's owner into the session
    _many_attempts(user.owner, attempts)

    with django_assert_max_num_queries(12):  # cold: the review cache is built in this request
        cold = client.get(reverse("insights:report"))
    with django_assert_max_num_queries(10):
        warm = client.get(reverse("insights:report"))

    assert cold.context["report"].answers == warm.context["report"].answers == attempts


# "Practise this"


@pytest.mark.django_db
def test_practise_this_starts_practice_on_the_task_and_opens_it(client, guest):
    for _ in range(3):
        QuestionFactory(task=task_statement("3.1"))
    QuestionFactory(task=task_statement("1.1"))

    response = client.post(reverse("insights:practise"), {"scope": "task:3.1"})

    attempt = Attempt.objects.get(owner=guest, mode="practice")
    assert response.status_code == 302
    assert response["Location"] == attempt.get_absolute_url()
    assert attempt.scope == {"kind": "task", "value": "3.1"}
    assert sorted(attempt.items.values_list("question__task__code", flat=True)) == ["3.1", "3.1", "3.1"]


@pytest.mark.django_db
def test_practise_this_as_htmx_redirects_the_browser(client, guest):
    QuestionFactory(task=task_statement("2.1"))

    response = client.post(reverse("insights:practise"), {"scope": "domain:2"}, headers=HTMX)

    attempt = Attempt.objects.get(owner=guest)
    assert response["HX-Redirect"] == attempt.get_absolute_url()
    assert attempt.scope == {"kind": "domain", "value": "2"}


@pytest.mark.django_db
def test_start_practice_makes_a_newcomer_a_guest_one_click_from_the_first_question(client):
    QuestionFactory()

    response = client.post(reverse("insights:practise"), {"scope": "all"})

    attempt = Attempt.objects.get()
    assert response["Location"] == attempt.get_absolute_url()
    assert attempt.owner.is_guest
    assert attempt.scope == {"kind": "all"}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "data",
    [
        {"scope": "task:9.9"},
        {"scope": "domain:x"},
        {"scope": "domain:²"},
        {"scope": "tag:"},
        {"scope": "everything"},
        {"scope": "all:x"},
        {},
        {"scope": "task:3.1", "count": "1000"},
    ],
)
def test_practise_this_rejects_bad_scopes_in_the_page_it_came_from(client, guest, data):
    response = client.post(reverse("insights:practise"), {**data, "next": "/practice/"})

    # Never a bare error page: back where the form was, with the error said there.
    assert response.status_code == 302
    assert response["Location"] == "/practice/"
    assert [m.level_tag for m in response.wsgi_request._messages] == ["error"]
    assert not Attempt.objects.exists()


@pytest.mark.django_db
def test_practise_this_rejects_bad_scopes_for_htmx_with_a_client_redirect(client, guest):
    response = client.post(reverse("insights:practise"), {"scope": "task:9.9"}, headers=HTMX)

    assert response["HX-Redirect"] == reverse("insights:report")
    assert [str(m) for m in response.wsgi_request._messages] == ["There is no such domain, task statement or tag."]


@pytest.mark.django_db
def test_the_practice_pickers_due_button_posts_what_the_form_reads(client, guest):
    """The picker's "Practise what is due for review" form once posted kind=due, which the
    form does not read: the candidate got a bare "This field is required."."""
    overdue = QuestionFactory(uid="overdue")
    answer(overdue, owner=guest, correct=False, at=NOW - 3 * DAY)
    page = client.get(reverse("practice:picker")).content.decode()
    form = page[page.index(f'action="{reverse("insights:practise")}"') :]
    form = form[: form.index("</form>")]
    assert 'name="scope" value="due"' in form

    response = client.post(reverse("insights:practise"), {"scope": "due", "next": reverse("practice:picker")})

    session = Attempt.objects.get(owner=guest, scope__kind="due")
    assert response["Location"] == session.get_absolute_url()


@pytest.mark.django_db
def test_practise_this_with_no_questions_says_so_and_goes_back(client, guest):
    response = client.post(reverse("insights:practise"), {"scope": "task:4.2", "next": "/insights/"})

    assert response["Location"] == "/insights/"
    assert not Attempt.objects.exists()
    messages = [str(m) for m in response.wsgi_request._messages]
    assert messages == ["No published questions match this choice yet."]


@pytest.mark.django_db
def test_practise_this_never_goes_back_to_another_site(client, guest):
    response = client.post(reverse("insights:practise"), {"scope": "task:4.2", "next": "https://evil.example/"})

    assert response["Location"] == reverse("insights:report")


@pytest.mark.django_db
def test_practise_due_questions_starts_with_the_due_ones_most_overdue_first(client, guest):
    overdue = QuestionFactory(uid="overdue")
    due = QuestionFactory(uid="due-today")
    fine = QuestionFactory(uid="not-due")
    answer(overdue, owner=guest, correct=False, at=NOW - 3 * DAY)
    answer(due, owner=guest, correct=False, at=NOW - DAY)
    answer(fine, owner=guest, correct=True, at=NOW, confidence="sure", ms=5_000)

    client.post(reverse("insights:practise"), {"scope": "due"})

    attempt = Attempt.objects.filter(owner=guest, scope__kind="due").get()
    assert list(attempt.items.order_by("position").values_list("question__uid", flat=True)) == ["overdue", "due-today"]


@pytest.mark.django_db
def test_practise_due_questions_with_nothing_due(client, guest):
    answer(QuestionFactory(), owner=guest, correct=True, at=NOW)

    response = client.post(reverse("insights:practise"), {"scope": "due"})

    assert response["Location"] == reverse("insights:report")
    assert [str(m) for m in response.wsgi_request._messages] == ["Nothing is due for review today."]


# Dashboard


@pytest.mark.django_db
def test_dashboard_for_a_newcomer_explains_and_offers_both_starts(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get(reverse("dashboard"))

    page = response.content.decode()
    assert "Prepare for AWS Certified AI Practitioner" in page
    assert 'name="scope" value="all"' in page and "Start practice" in page
    assert "Start mock exam" in page
    assert "Signing up keeps your history" in page


@pytest.mark.django_db
def test_dashboard_for_a_returning_candidate(client, practised):
    practice = AttemptFactory(owner=practised, started_at=NOW - DAY, target_count=3)
    answer(QuestionFactory(task=task_statement("3.1")), owner=practised, correct=True, at=NOW - DAY, attempt=practice)
    answer(QuestionFactory(task=task_statement("3.1")), owner=practised, correct=False, at=NOW - DAY, attempt=practice)
    AttemptItemFactory(attempt=practice, position=3)
    mock = AttemptFactory(
        owner=practised, mode="exam", started_at=NOW - timedelta(minutes=20), deadline=NOW + timedelta(minutes=70)
    )
    AttemptFactory(
        owner=practised,
        mode="exam",
        status="submitted",
        started_at=NOW - 2 * DAY,
        submitted_at=NOW - 2 * DAY,
        scaled_score=688,
    )

    response = client.get(reverse("dashboard"))

    page = response.content.decode()
    assert [a.pk for a in response.context["open_attempts"]] == [mock.pk, practice.pk]
    assert "1 h 10 min left" in page
    assert "2 / 3 answered" in page
    assert page.count(">Resume<") == 2
    readiness = response.context["report"].readiness
    assert f'<span class="readiness-score">{readiness.score}</span>' in page
    assert [t.value for t in response.context["weakest"]] == ["3.1", "1.1"]
    assert 'name="scope" value="task:3.1"' in page
    assert response.context["report"].due_today == 4  # yesterday's misses: three on 3.1, one in the open session
    assert 'class="chart scores"' in page and "688" in page


@pytest.mark.django_db
def test_dashboard_does_not_resume_a_mock_whose_time_is_up(client, practised):
    AttemptFactory(owner=practised, mode="exam", started_at=NOW - 2 * DAY, deadline=NOW - DAY)

    response = client.get(reverse("dashboard"))

    assert response.context["open_attempts"] == []


@pytest.mark.django_db
def test_dashboard_shows_nothing_of_another_owner(client, practised):
    as_guest(client, GuestOwnerFactory())

    response = client.get(reverse("dashboard"))

    assert not response.context["returning"]


# Export and deletion


def _csv(response):
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


@pytest.mark.django_db
def test_export_streams_the_owners_answers_as_csv(client, guest):
    question = QuestionFactory(uid="rag-chunking", task=task_statement("3.1"))
    question.tags.add(TagFactory(slug="rag"))
    answer(question, owner=guest, correct=True, at=NOW - DAY, confidence="sure", ms=12_345)
    answer(QuestionFactory(), owner=GuestOwnerFactory(), correct=False, at=NOW)

    response = client.get(reverse("insights:export"))

    rows = _csv(response)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="quizapp-results-2026-06-15.csv"'
    assert rows[0][:5] == ["answered_at", "mode", "attempt", "attempt_status", "question_uid"]
    assert len(rows) == 2
    attempt_id = Attempt.objects.get(owner=guest).pk
    assert rows[1] == [
        "2026-06-14T12:00:00+00:00",
        "practice",
        str(attempt_id),
        "submitted",
        "rag-chunking",
        "en",
        "single",
        "3",
        "3.1",
        "rag",
        "yes",
        "sure",
        "",  # no self-grade
        "12.3",
        "",
        "",  # no note on the question
    ]


@pytest.mark.django_db
def test_export_has_the_grade_the_candidate_gave_themselves(client, guest):
    graded = answer(QuestionFactory(uid="graded"), owner=guest, correct=True, at=NOW - DAY)
    SelfGrade.objects.create(response=graded, rating=SelfGrade.Rating.HARD, graded_at=NOW)
    answer(QuestionFactory(uid="inferred"), owner=guest, correct=False, at=NOW)

    rows = _csv(client.get(reverse("insights:export")))

    column = rows[0].index("self_grade")
    assert [(row[4], row[column]) for row in rows[1:]] == [("graded", "hard"), ("inferred", "")]


@pytest.mark.django_db
def test_export_leaves_out_a_running_mock(client, guest):
    mock = AttemptFactory(owner=guest, mode="exam", started_at=NOW, deadline=NOW + timedelta(minutes=90))
    answer(QuestionFactory(), owner=guest, correct=True, at=NOW, attempt=mock)

    rows = _csv(client.get(reverse("insights:export")))

    assert len(rows) == 1


@pytest.mark.django_db
def test_export_of_a_visitor_is_just_the_header(client):
    rows = _csv(client.get(reverse("insights:export")))

    assert len(rows) == 1


@pytest.mark.django_db
def test_delete_history_asks_first(client, practised):
    response = client.get(reverse("insights:delete_history"))

    page = response.content.decode()
    assert "with their 9 answers" in page
    assert 'name="confirm"' in page
    assert Response.objects.count() == 9


@pytest.mark.django_db
def test_delete_history_without_the_tick_deletes_nothing(client, practised):
    response = client.post(reverse("insights:delete_history"), {})

    assert response.status_code == 200
    assert "Tick the box to confirm" in response.content.decode()
    assert Response.objects.count() == 9


@pytest.mark.django_db
def test_delete_history_without_the_tick_as_htmx_rerenders_the_form(client, practised):
    response = client.post(reverse("insights:delete_history"), {}, headers={**HTMX, "HX-Target": "delete-form"})

    page = response.content.decode()
    assert page.lstrip().startswith('<form id="delete-form"')
    assert "<nav" not in page
    assert "Tick the box to confirm" in page


@pytest.mark.django_db
def test_delete_history_removes_the_owners_attempts_answers_and_review_cache_only(client, practised):
    client.get(reverse("insights:report"))  # builds the review cache
    someone = GuestOwnerFactory()
    answer(QuestionFactory(), owner=someone, correct=True, at=NOW)

    response = client.post(reverse("insights:delete_history"), {"confirm": "on"})

    assert response["Location"] == reverse("insights:report")
    assert not Attempt.objects.filter(owner=practised).exists()
    assert not ReviewCard.objects.filter(owner=practised).exists()
    assert Response.objects.filter(item__attempt__owner=someone).count() == 1
    practised.refresh_from_db()  # the guest itself stays
    assert client.get(reverse("insights:report")).context["report"].answers == 0


@pytest.mark.django_db
def test_delete_history_as_htmx_redirects_the_browser(client, practised):
    response = client.post(reverse("insights:delete_history"), {"confirm": "on"}, headers=HTMX)

    assert response["HX-Redirect"] == reverse("insights:report")
    assert not Response.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("open_sessions", [1, 3])
def test_dashboard_queries_do_not_grow_with_open_sessions(client, practised, django_assert_num_queries, open_sessions):
    for index in range(open_sessions):
        session = AttemptFactory(owner=practised, started_at=NOW - index * DAY, target_count=2)
        AttemptItemFactory(attempt=session, position=1)
    client.get(reverse("dashboard"))  # builds the review cache

    # open attempts, the study plan, the log by question, its classification, task
    # statements, review cards, the streak's days, mocks (the session comes from the cache)
    with django_assert_num_queries(8):
        response = client.get(reverse("dashboard"))

    assert len(response.context["open_attempts"]) == open_sessions


@pytest.mark.django_db
def test_the_review_queue_shows_a_question_in_the_language_it_was_taken_in(client, guest):
    english = QuestionFactory(uid="both-languages", stem="The English stem")
    japanese = QuestionFactory(uid="both-languages", language="ja", task=english.task, stem="日本語の問題文")
    answer(japanese, owner=guest, correct=False, at=NOW - 3 * DAY)

    page = client.get(reverse("insights:report")).content.decode()

    assert "日本語の問題文" in page
    assert "The English stem" not in page
