import re
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from exams.attempts import record_answer, start_exam, submit_attempt
from exams.models import Attempt, AttemptItem, Response
from questions.models import Option, Question
from questions.revisions import revise
from tests.answers import item_fields, token
from tests.exams.conftest import make_bank
from tests.factories import BlueprintFactory, make_single_question

pytestmark = pytest.mark.django_db

FULL = {1: 3, 2: 3, 3: 3, 4: 2, 5: 2}
HTMX = {"HTTP_HX_REQUEST": "true"}
TYPES = ("single", "multiple", "ordering", "matching")


def htmx(target):
    return {**HTMX, "HTTP_HX_TARGET": target}


@pytest.fixture
def exam(guest):
    make_bank(FULL, types=TYPES)
    return start_exam(guest.pk, BlueprintFactory(minutes=15), now=timezone.now())


def exam_of_size(owner, size):
    per_domain = {1: 0, 2: 0, 3: 0, 4: 0, 5: 0}
    for index in range(size):
        per_domain[index % 5 + 1] += 1
    make_bank(per_domain, types=TYPES)
    blueprint = BlueprintFactory(question_count=size, unscored_count=0)
    blueprint.domain_weights.create(domain_id=1, weight=per_domain[1])
    for number in (2, 3, 4, 5):
        blueprint.domain_weights.create(domain_id=number, weight=per_domain[number])
    return start_exam(owner.pk, blueprint, now=timezone.now())


def item(attempt, position):
    return attempt.items.select_related("attempt").get(position=position)


def answer_post(target, *, right=True, seq=1, **extra):
    """The POST body that answers attempt item ``target`` right (or wrong), in its tokens."""
    snapshot = target.snapshot
    kind, key = snapshot["type"], snapshot["key"]
    if kind in ("single", "multiple"):
        answer = key if right else [row["id"] for row in snapshot["options"] if not row["correct"]][:1]
    elif kind == "ordering":
        answer = key if right else list(reversed(key))
    else:
        matches = [match["id"] for match in snapshot["matches"]]
        answer = {prompt: match if right else next(m for m in matches if m != match) for prompt, match in key.items()}
    return {"seq": seq, **item_fields(target, answer), **extra}


# --- list and start -----------------------------------------------------------------------


def test_exam_list_shows_blueprints_to_a_new_visitor(client):
    response = client.get("/exams/")

    assert response.status_code == 200
    assert "AIF-C01 full mock" in response.text
    assert "65 questions · 90 minutes · pass mark 700" in response.text
    assert "Start mock exam" in response.text
    assert "No finished mock exams yet." in response.text


def test_exam_list_offers_resume_and_shows_past_attempts(client, exam):
    done = start_exam(exam.owner_id, BlueprintFactory(name="Other mock"), now=timezone.now())
    submit_attempt(done, now=timezone.now())

    response = client.get("/exams/")

    assert f'href="/exams/attempts/{exam.pk}/"' in response.text
    assert "Resume" in response.text
    assert f'href="/exams/attempts/{done.pk}/results/"' in response.text
    assert "Fail" in response.text


def test_start_asks_for_confirmation_before_the_clock_starts(client):
    response = client.get("/exams/aif-c01-full/start/")

    assert "The clock starts now" in response.text
    assert '<form method="post" action="/exams/aif-c01-full/start/"' in response.text
    assert Attempt.objects.count() == 0


def test_a_guest_starts_a_mock_and_lands_on_the_first_question(client):
    make_bank(FULL)
    blueprint = BlueprintFactory()

    response = client.post(f"/exams/{blueprint.slug}/start/")

    attempt = Attempt.objects.get()
    assert response["Location"] == f"/exams/attempts/{attempt.pk}/1/"
    assert client.get(response["Location"]).status_code == 200
    assert attempt.owner.is_guest


def test_starting_twice_resumes_the_same_attempt(client, exam):
    response = client.post(f"/exams/{exam.blueprint.slug}/start/")

    assert response["Location"] == f"/exams/attempts/{exam.pk}/"
    assert Attempt.objects.count() == 1


def test_a_returning_guest_is_given_the_questions_not_yet_seen(client):
    # A new guest's start skips the history reads (it has none); a returning one's must not.
    make_bank({1: 10})
    blueprint = BlueprintFactory(question_count=5, unscored_count=0)
    blueprint.domain_weights.create(domain_id=1, weight=1)

    client.post(f"/exams/{blueprint.slug}/start/")
    first = Attempt.objects.get()
    submit_attempt(first, now=timezone.now())
    client.post(f"/exams/{blueprint.slug}/start/")

    second = Attempt.objects.exclude(pk=first.pk).get()
    assert second.owner_id == first.owner_id
    assert not set(first.items.values_list("question_id", flat=True)) & set(
        second.items.values_list("question_id", flat=True)
    )


def statements(captured) -> list[str]:
    """Each query as its verb and the first table it names ("SELECT exams_blueprint");
    savepoints, which the tests' enclosing transaction makes of atomic blocks, left out."""
    shown = []
    for query in captured:
        verb, table = query["sql"].split()[0], re.search(r'(?:FROM|INTO|UPDATE) "(\w+)"', query["sql"])
        if verb not in ("SAVEPOINT", "RELEASE"):
            shown.append(f"{verb} {table[1] if table else ''}")
    return shown


def test_a_new_guests_start_reads_no_history(client, django_assert_max_num_queries):
    make_bank(FULL)
    revise(Question.objects.all())
    blueprint = BlueprintFactory()
    client.post(f"/exams/{blueprint.slug}/start/")  # the bank index is built
    client.cookies.clear()

    with django_assert_max_num_queries(20) as captured:
        response = client.post(f"/exams/{blueprint.slug}/start/")

    assert response.status_code == 302
    # No open mock and no seen question are looked for: a new guest has none.
    assert statements(captured) == [
        "SELECT exams_blueprint",
        "INSERT accounts_owner",
        "SELECT questions_bankversion",
        "SELECT exams_blueprintdomain",  # the weights
        "INSERT exams_attempt",
        "INSERT exams_attemptitem",
        "INSERT django_session",
    ]


def test_a_bank_too_small_says_so_and_starts_nothing(client):
    response = client.post("/exams/aif-c01-full/start/", follow=True)

    assert "The question bank cannot fill “AIF-C01 full mock” yet" in response.text
    assert Attempt.objects.count() == 0


def test_resume_goes_to_the_first_unanswered_question(client, exam):
    first = item(exam, 1)
    record_answer(first, **{"answer": first.snapshot["key"], "seq": 1}, now=timezone.now())

    response = client.get(f"/exams/attempts/{exam.pk}/")

    assert response["Location"] == f"/exams/attempts/{exam.pk}/2/"


# --- question page ------------------------------------------------------------------------


def test_question_page_shows_the_question_navigator_and_timer(client, exam):
    first = item(exam, 1)

    response = client.get(f"/exams/attempts/{exam.pk}/1/")

    assert response.status_code == 200
    assert first.snapshot["stem"] in response.text
    assert 'id="question-card"' in response.text
    assert response.text.count('class="nav-cell') == 10
    assert 'data-remaining-ms="' in response.text
    assert "Flag for review" in response.text
    assert "<header" in response.text


def test_question_page_as_htmx_renders_only_the_card(client, exam):
    response = client.get(f"/exams/attempts/{exam.pk}/2/", **htmx("question-card"))

    assert response.text.lstrip().startswith('<section id="question-card"')
    assert "<header" not in response.text
    assert response["Vary"].startswith("HX-Request, HX-Target")


def test_question_page_restores_the_saved_answer_and_flag(client, exam):
    first = item(exam, 1)
    choice = token(first, first.snapshot["options"][2]["id"])
    client.post(f"/exams/attempts/{exam.pk}/1/answer/", answer_post(first) | {"choice": [choice]})
    client.post(f"/exams/attempts/{exam.pk}/1/flag/", {"state": "1"})
    kind = first.snapshot["type"]

    response = client.get(f"/exams/attempts/{exam.pk}/1/")

    if kind in ("single", "multiple"):
        assert f'value="{choice}" id="choice-{choice}" checked' in response.text
    assert 'aria-pressed="true"' in response.text
    # One box of a multiple-response question is a partial answer (the others are whole).
    state = "is-incomplete" if kind == "multiple" else "is-answered"
    assert f'class="nav-cell {state} is-flagged is-current"' in response.text


@pytest.mark.parametrize("url", ["/exams/attempts/{pk}/1/", "/exams/attempts/{pk}/review/", "/exams/attempts/{pk}/"])
def test_another_owner_gets_404(other_client, exam, url):
    assert other_client.get(url.format(pk=exam.pk)).status_code == 404


def test_a_visitor_without_an_owner_gets_404(client, exam):
    client.cookies.clear()

    assert client.get(f"/exams/attempts/{exam.pk}/1/").status_code == 404


def test_a_position_out_of_range_is_404(client, exam):
    assert client.get(f"/exams/attempts/{exam.pk}/11/").status_code == 404


@pytest.mark.parametrize("size", [10, 65])
def test_question_page_queries_do_not_grow_with_the_exam(client, guest, size, django_assert_num_queries):
    attempt = exam_of_size(guest, size)

    # the current item with its attempt, blueprint, response and revision, then the
    # navigator's light rows (no snapshots); the session comes from the cache
    with django_assert_num_queries(2):
        response = client.get(f"/exams/attempts/{attempt.pk}/{size}/")

    assert response.text.count('class="nav-cell') == size


@pytest.mark.parametrize("size", [10, 65])
def test_the_next_question_fragment_is_one_query(client, guest, size, django_assert_num_queries):
    attempt = exam_of_size(guest, size)

    # the item with its attempt, response and revision: the card has no navigator, and no
    # exam name (so no blueprint)
    with django_assert_num_queries(1) as queries:
        response = client.get(f"/exams/attempts/{attempt.pk}/2/", **htmx("question-card"))

    assert f'Question 2 <span class="muted">of {size}</span>' in response.text
    assert 'class="nav-cell' not in response.text
    assert "blueprint" not in queries.captured_queries[0]["sql"].split("FROM")[1]


# --- answering ----------------------------------------------------------------------------


def test_htmx_save_confirms_with_the_status_and_the_navigator_cell(client, exam):
    snapshot = item(exam, 3)

    response = client.post(f"/exams/attempts/{exam.pk}/3/answer/", answer_post(snapshot, seq=4), **htmx("save-status"))

    assert response.status_code == 200
    assert '<p id="save-status" class="save-status" data-save-status data-seq="4">' in response.text
    assert 'id="nav-3" class="nav-cell is-answered is-current" data-nav-cell="3" hx-swap-oob="true"' in response.text
    assert "<header" not in response.text
    assert Response.objects.get(item__attempt=exam, item__position=3).seq == 4


@pytest.mark.parametrize(("go", "target"), [("next", "/4/"), ("prev", "/2/"), ("review", "/review/"), ("", "/3/")])
def test_plain_save_redirects_where_the_button_said(client, exam, go, target):
    snapshot = item(exam, 3)

    response = client.post(f"/exams/attempts/{exam.pk}/3/answer/", answer_post(snapshot, go=go))

    assert response["Location"] == f"/exams/attempts/{exam.pk}{target}"
    assert Response.objects.filter(item__attempt=exam, item__position=3).exists()


def test_next_on_the_last_question_goes_to_the_review(client, exam):
    snapshot = item(exam, 10)

    response = client.post(f"/exams/attempts/{exam.pk}/10/answer/", answer_post(snapshot, go="next"))

    assert response["Location"] == f"/exams/attempts/{exam.pk}/review/"


def test_moving_on_without_an_answer_writes_nothing(client, exam):
    response = client.post(f"/exams/attempts/{exam.pk}/1/answer/", {"seq": 1, "go": "next"})

    assert response["Location"] == f"/exams/attempts/{exam.pk}/2/"
    assert not Response.objects.exists()


def test_a_plain_ordering_move_saves_the_new_order(client, guest):
    make_bank(FULL, types=("ordering",))
    attempt = start_exam(guest.pk, BlueprintFactory(), now=timezone.now())
    first = item(attempt, 1)
    shown = [row["id"] for row in first.snapshot["options"]]

    client.post(
        f"/exams/attempts/{attempt.pk}/1/answer/",
        {"seq": 1, **item_fields(first, shown), "move": f"{token(first, shown[1])}:up"},
    )

    assert Response.objects.get().answer == [shown[1], shown[0], *shown[2:]]


def test_a_stale_save_is_ignored_and_the_page_reloads_to_the_stored_answer(client, exam):
    snapshot = item(exam, 1)
    client.post(f"/exams/attempts/{exam.pk}/1/answer/", answer_post(snapshot, seq=5))

    response = client.post(f"/exams/attempts/{exam.pk}/1/answer/", answer_post(snapshot, right=False, seq=3), **HTMX)

    assert response["HX-Refresh"] == "true"
    stored = Response.objects.get()
    assert (stored.seq, stored.is_correct) == (5, True)


def test_an_option_of_another_question_is_a_400_and_writes_nothing(client, exam):
    other = make_single_question()
    foreign = Option.objects.filter(question=other).first().pk
    target = next(position for position in range(1, 11) if item(exam, position).snapshot["type"] == "single")

    response = client.post(f"/exams/attempts/{exam.pk}/{target}/answer/", {"seq": 1, "choice": foreign}, **HTMX)

    assert response.status_code == 400
    assert "not part of this question" in response.text
    assert not Response.objects.exists()


@pytest.mark.parametrize("seq", ["", "-1", "abc", str(2**40)])
def test_a_malformed_seq_is_a_400(client, exam, seq):
    snapshot = item(exam, 1)

    response = client.post(f"/exams/attempts/{exam.pk}/1/answer/", answer_post(snapshot) | {"seq": seq})

    assert response.status_code == 400
    assert not Response.objects.exists()


def test_another_owner_cannot_answer(other_client, exam):
    snapshot = item(exam, 1)

    response = other_client.post(f"/exams/attempts/{exam.pk}/1/answer/", answer_post(snapshot))

    assert response.status_code == 404
    assert not Response.objects.exists()


def test_a_save_after_the_deadline_is_refused_and_the_exam_finalized(client, exam):
    snapshot = item(exam, 1)

    with time_machine.travel(exam.deadline + timedelta(seconds=10)):
        response = client.post(f"/exams/attempts/{exam.pk}/1/answer/", answer_post(snapshot), **HTMX)

    assert response.status_code == 409
    assert response["HX-Redirect"] == f"/exams/attempts/{exam.pk}/results/"
    assert not Response.objects.exists()
    assert Attempt.objects.get().status == Attempt.Status.EXPIRED


def test_a_plain_save_after_the_deadline_lands_on_the_results_with_a_message(client, exam):
    snapshot = item(exam, 1)

    with time_machine.travel(exam.deadline + timedelta(seconds=10)):
        response = client.post(f"/exams/attempts/{exam.pk}/1/answer/", answer_post(snapshot), follow=True)

    assert response.redirect_chain[0][0] == f"/exams/attempts/{exam.pk}/results/"
    assert "Time is up: answers sent after the deadline are not saved." in response.text


def test_a_save_within_the_grace_counts(client, exam):
    snapshot = item(exam, 1)

    with time_machine.travel(exam.deadline + timedelta(seconds=3)):
        response = client.post(f"/exams/attempts/{exam.pk}/1/answer/", answer_post(snapshot), **HTMX)

    assert response.status_code == 200
    assert Response.objects.get().is_correct is True


@pytest.mark.parametrize("size", [10, 65])
def test_answer_save_takes_three_queries_whatever_the_exam_size(client, guest, size, django_assert_num_queries):
    attempt = exam_of_size(guest, size)
    snapshot = item(attempt, size)

    # item with attempt and response, the upsert (the session comes from the cache)
    with django_assert_num_queries(2):
        client.post(f"/exams/attempts/{attempt.pk}/{size}/answer/", answer_post(snapshot), **htmx("save-status"))

    assert Response.objects.count() == 1


# --- flags --------------------------------------------------------------------------------


def test_htmx_flag_returns_the_pressed_toggle_and_its_navigator_cell(client, exam):
    response = client.post(f"/exams/attempts/{exam.pk}/2/flag/", {"state": "1", "seq": "7"}, **htmx("flag-form"))

    assert 'aria-pressed="true"' in response.text
    assert 'data-seq="7"' in response.text
    assert 'name="state" value="0"' in response.text
    assert 'id="nav-2" class="nav-cell is-flagged is-current"' in response.text
    assert AttemptItem.objects.get(attempt=exam, position=2).flagged is True


def test_flag_posts_are_idempotent_and_plain_posts_redirect(client, exam):
    for _ in range(2):
        response = client.post(f"/exams/attempts/{exam.pk}/2/flag/", {"state": "1"})

    assert response["Location"] == f"/exams/attempts/{exam.pk}/2/"
    assert AttemptItem.objects.get(attempt=exam, position=2).flagged is True


def test_a_bad_flag_state_is_a_400(client, exam):
    assert client.post(f"/exams/attempts/{exam.pk}/2/flag/", {"state": "maybe"}).status_code == 400


def test_another_owner_cannot_flag(other_client, exam):
    assert other_client.post(f"/exams/attempts/{exam.pk}/2/flag/", {"state": "1"}).status_code == 404
    assert not AttemptItem.objects.filter(flagged=True).exists()


# --- review and submit --------------------------------------------------------------------


def test_review_lists_unanswered_and_flagged_questions(client, exam):
    first = item(exam, 1)
    record_answer(first, answer=first.snapshot["key"], seq=1, now=timezone.now())
    AttemptItem.objects.filter(attempt=exam, position__in=[1, 4]).update(flagged=True)

    response = client.get(f"/exams/attempts/{exam.pk}/review/")

    assert "You have answered 1 of 10 questions." in response.text
    assert "9 unanswered" in response.text
    assert "2 flagged" in response.text
    assert f'<a href="/exams/attempts/{exam.pk}/4/">Question 4</a> <span class="badge badge-warn">' in response.text
    assert "9 questions are unanswered and will count as wrong." in response.text
    assert 'data-open-dialog="submit-dialog"' in response.text


def test_submit_confirm_page_without_js_repeats_the_unanswered_count(client, exam):
    response = client.get(f"/exams/attempts/{exam.pk}/submit/")

    assert "Submit exam?" in response.text
    assert "10 questions are unanswered and will count as wrong." in response.text
    assert Attempt.objects.get().status == Attempt.Status.IN_PROGRESS


def test_submit_scores_and_shows_the_results(client, exam):
    for position in range(1, 11):
        current = item(exam, position)
        record_answer(current, answer=current.snapshot["key"], seq=1, now=timezone.now())

    response = client.post(f"/exams/attempts/{exam.pk}/submit/", follow=True)

    exam.refresh_from_db()
    assert (exam.status, exam.scaled_score, exam.passed) == ("submitted", 1000, True)
    assert response.redirect_chain == [(f"/exams/attempts/{exam.pk}/results/", 302)]
    assert "1000" in response.text
    assert "Pass (pass mark 700)" in response.text


def test_submitting_twice_lands_on_the_same_results(client, exam):
    first = client.post(f"/exams/attempts/{exam.pk}/submit/")
    submitted_at = Attempt.objects.get().submitted_at

    second = client.post(f"/exams/attempts/{exam.pk}/submit/")

    assert first["Location"] == second["Location"] == f"/exams/attempts/{exam.pk}/results/"
    assert Attempt.objects.get().submitted_at == submitted_at


def test_another_owner_cannot_submit(other_client, exam):
    assert other_client.post(f"/exams/attempts/{exam.pk}/submit/").status_code == 404
    assert Attempt.objects.get().status == Attempt.Status.IN_PROGRESS


@pytest.mark.parametrize("size", [10, 65])
def test_submit_and_score_take_the_same_queries_for_any_size(client, guest, size, django_assert_num_queries):
    attempt = exam_of_size(guest, size)

    # attempt, conditional update, totals, score update, and the transaction's savepoint and
    # release (a BEGIN on SQLite outside tests, nothing on PostgreSQL); the session is cached
    with django_assert_num_queries(6):
        client.post(f"/exams/attempts/{attempt.pk}/submit/")

    assert Attempt.objects.get().status == Attempt.Status.SUBMITTED


# --- results ------------------------------------------------------------------------------


def test_results_before_submission_send_back_to_the_exam(client, exam):
    response = client.get(f"/exams/attempts/{exam.pk}/results/")

    assert response["Location"] == f"/exams/attempts/{exam.pk}/"


DOMAIN_ROW = re.compile(
    r'<th scope="row">(\d)\. [^<]*</th>\s*<td class="num">(\d+) / (\d+)</td>\s*<td>\s*'
    r'(?:<span class="mark mark-\w+"><span aria-hidden="true">.</span> ([^<]+)</span>'
    r'|<span class="muted">([^<]+)</span>)'
)


def domain_rows(page: str) -> list[tuple[int, int, int, str]]:
    """The results' domain table as (domain, correct, total, verdict) rows."""
    return [
        (int(number), int(correct), int(total), verdict or empty)
        for number, correct, total, verdict, empty in DOMAIN_ROW.findall(page)
    ]


def expected_domain_rows(items, *, right) -> list[tuple[int, int, int, str]]:
    """Each domain's scored items, those answered right, and its verdict at 70 %."""
    rows = []
    for number in range(1, 6):
        scored = [item for item in items if item.scored and item.snapshot["domain"] == number]
        correct = sum(item in right for item in scored)
        if not scored:
            verdict = "No scored questions"
        else:
            verdict = "Meets competencies" if correct >= 0.7 * len(scored) else "Needs improvement"
        rows.append((number, correct, len(scored), verdict))
    return rows


def test_results_show_score_domains_time_and_every_question(client, exam):
    items = list(exam.items.select_related("attempt").order_by("position"))
    for current in items[:5]:
        record_answer(current, answer=current.snapshot["key"], seq=1, time_spent_ms=90_000, now=timezone.now())
    AttemptItem.objects.filter(attempt=exam, position=2).update(flagged=True)
    with time_machine.travel(exam.started_at + timedelta(minutes=12)):
        submit_attempt(exam, now=timezone.now())

    response = client.get(f"/exams/attempts/{exam.pk}/results/")

    exam.refresh_from_db()
    assert f'<span class="score-value">{exam.scaled_score}</span>' in response.text
    assert "estimate" in response.text
    assert domain_rows(response.text) == expected_domain_rows(items, right=items[:5])
    assert "Time used: 12 min of 15 min." in response.text
    assert "That is 72 s per question against a budget of about 83 s." in response.text
    assert response.text.count('class="review-item"') == 10
    assert response.text.count("Not answered") == 5
    assert items[0].snapshot["explanation"] in response.text
    # Each reviewed question names its task statement in words, not as a bare number.
    assert f'<span class="badge">Task {items[0].snapshot["task"]}</span>' in response.text


@pytest.mark.parametrize(("show", "count"), [("wrong", 5), ("flagged", 1), ("unscored", 2), ("all", 10)])
def test_review_filter_as_htmx_returns_only_the_list(client, exam, show, count):
    for current in exam.items.select_related("attempt").order_by("position")[:5]:
        record_answer(current, answer=current.snapshot["key"], seq=1, now=timezone.now())
    AttemptItem.objects.filter(attempt=exam, position=2).update(flagged=True)
    submit_attempt(exam, now=timezone.now())

    response = client.get(f"/exams/attempts/{exam.pk}/results/?show={show}", **htmx("review-list"))

    assert response.text.lstrip().startswith('<div id="review-list"')
    assert response.text.count('class="review-item"') == count
    assert "<header" not in response.text


def test_an_unknown_review_filter_is_a_400(client, exam):
    submit_attempt(exam, now=timezone.now())

    assert client.get(f"/exams/attempts/{exam.pk}/results/?show=secret").status_code == 400


def test_another_owner_cannot_read_results(other_client, exam):
    submit_attempt(exam, now=timezone.now())

    assert other_client.get(f"/exams/attempts/{exam.pk}/results/").status_code == 404


@pytest.mark.parametrize("size", [10, 65])
def test_results_take_the_same_queries_for_any_size(client, guest, size, django_assert_num_queries):
    attempt = exam_of_size(guest, size)
    submit_attempt(attempt, now=timezone.now())

    # attempt (with its stored outcomes), domain names, the ten shown items with their
    # responses, their revisions' contents (none read by this process yet), the owner's
    # notes (the session is cached)
    with django_assert_num_queries(5):
        response = client.get(f"/exams/attempts/{attempt.pk}/results/")

    assert response.text.count('class="review-item"') == 10
    assert ("Show the next 10 questions" in response.text) == (size > 10)


def test_the_review_comes_ten_questions_at_a_time(client, guest):
    attempt = exam_of_size(guest, 25)
    submit_attempt(attempt, now=timezone.now())
    results = f"/exams/attempts/{attempt.pk}/results/"

    first = client.get(results).text
    more = client.get(f"{results}?show=all&page=2", **htmx("review-more")).text
    last = client.get(f"{results}?show=all&page=3", **htmx("review-more")).text
    without_js = client.get(f"{results}?show=all&page=2").text

    assert re.findall(r'id="q(\d+)"', first) == [str(n) for n in range(1, 11)]
    assert 'href="?show=all&amp;page=2#q11" hx-get="?show=all&amp;page=2" hx-target="#review-more"' in first
    # "Show more" gets the next ten and a new button, never the page around them.
    assert re.findall(r'id="q(\d+)"', more) == [str(n) for n in range(11, 21)]
    assert "<header" not in more
    assert 'hx-get="?show=all&amp;page=3"' in more
    assert re.findall(r'id="q(\d+)"', last) == [str(n) for n in range(21, 26)]
    assert "review-more" not in last
    # Without JS, page 2 is the whole page with the first twenty.
    assert re.findall(r'id="q(\d+)"', without_js) == [str(n) for n in range(1, 21)]
    assert "Show the next 5 questions" in without_js


# Not "page": that name is pytest-playwright's browser page fixture.
@pytest.mark.parametrize("number", ["0", "-1", "two", "", "²"])
def test_an_unknown_review_page_is_a_400(client, exam, number):
    submit_attempt(exam, now=timezone.now())

    assert client.get(f"/exams/attempts/{exam.pk}/results/?page={number}").status_code == 400


# --- time ---------------------------------------------------------------------------------


def test_an_overdue_attempt_is_finalized_on_its_next_access(client, exam):
    with time_machine.travel(exam.deadline + timedelta(minutes=1)):
        response = client.get(f"/exams/attempts/{exam.pk}/3/")

    assert response["Location"] == f"/exams/attempts/{exam.pk}/results/"
    assert Attempt.objects.get().status == Attempt.Status.EXPIRED


def test_the_timer_shows_the_true_time_left_after_a_reload(client, exam):
    with time_machine.travel(exam.started_at + timedelta(minutes=5, seconds=30), tick=False):
        response = client.get(f"/exams/attempts/{exam.pk}/1/")

    assert 'data-remaining-ms="570000"' in response.text
    assert '<span class="timer-value" data-timer-value>9:30</span>' in response.text


# --- nothing reveals the answer before submission -----------------------------------------


def test_no_exam_page_or_fragment_reveals_answers_before_submission(client, guest):
    for question in make_bank(FULL, types=TYPES):
        Question.objects.filter(pk=question.pk).update(explanation="SECRET-EXPLANATION")
        Option.objects.filter(question=question).update(rationale="SECRET-RATIONALE")
    attempt = start_exam(guest.pk, BlueprintFactory(), now=timezone.now())
    responses = [client.get("/exams/"), client.get(f"/exams/attempts/{attempt.pk}/review/")]
    responses.append(client.get(f"/exams/attempts/{attempt.pk}/submit/"))
    for position in range(1, 11):
        snapshot = item(attempt, position)
        url = f"/exams/attempts/{attempt.pk}/{position}/"
        responses.append(client.get(url))
        responses.append(client.get(url, **htmx("question-card")))
        responses.append(client.post(f"{url}answer/", answer_post(snapshot, right=False), **htmx("save-status")))
        responses.append(client.post(f"{url}answer/", answer_post(snapshot, seq=2), **htmx("save-status")))
        responses.append(client.post(f"{url}flag/", {"state": "1"}, **htmx("flag-form")))
    early_results = client.get(f"/exams/attempts/{attempt.pk}/results/")

    # Every page and fragment is the real thing (an error page would reveal nothing either);
    # the results, asked for early, are not shown at all but send back to the exam.
    assert [response.status_code for response in responses] == [200] * len(responses)
    assert early_results["Location"] == f"/exams/attempts/{attempt.pk}/"
    for response in responses:
        body = response.text
        assert "SECRET" not in body
        assert "Correct answer" not in body
        assert "Incorrect" not in body
        assert "docs.aws.amazon.com" not in body
        assert "is-key" not in body
        assert '"correct"' not in body
    # The same checks find all of it once the exam is submitted: they can fail.
    submit_attempt(attempt, now=timezone.now())
    after = client.get(f"/exams/attempts/{attempt.pk}/results/").text
    for revealed in ("SECRET-EXPLANATION", "SECRET-RATIONALE", "Correct answer", "is-key"):
        assert revealed in after


def test_the_results_do_reveal_the_key_after_submission(client, exam):
    Option.objects.update(rationale="RATIONALE-NOW-VISIBLE")
    submit_attempt(exam, now=timezone.now())

    response = client.get(f"/exams/attempts/{exam.pk}/results/")

    assert "Correct answer" in response.text
    assert "is-key" in response.text
    # Snapshots froze the rationales at assembly, so later edits do not change the review.
    assert "RATIONALE-NOW-VISIBLE" not in response.text


def test_a_japanese_mock_marks_the_questions_it_takes_in_english(client, guest):
    english = make_bank(FULL)
    for question in english[:6]:
        make_single_question(uid=question.uid, language="ja", task=question.task, stem="日本語の問題文です。")
    attempt = start_exam(guest.pk, BlueprintFactory(minutes=15, language="ja"), now=timezone.now())
    items = list(attempt.items.order_by("position"))
    japanese = next(item for item in items if item.snapshot["language"] == "ja")
    fallback = next(item for item in items if item.snapshot["language"] == "en")

    marked = client.get(f"/exams/attempts/{attempt.pk}/{fallback.position}/").text
    translated = client.get(f"/exams/attempts/{attempt.pk}/{japanese.position}/").text

    assert "This question has no Japanese translation yet, so it is shown in English." in marked
    assert '<div class="stem" id="question-stem" lang="en" hx-disable>' in marked
    assert "no Japanese translation" not in translated
    assert '<div class="stem" id="question-stem" lang="ja" hx-disable>' in translated
