import re

import pytest
from django.utils import timezone

from exams.attempts import PRACTICE_BATCH, record_answer, start_practice
from exams.models import Attempt, AttemptItem, Bookmark, Response
from questions.models import Option, Question, Tag
from tests.answers import item_fields, token
from tests.exams.conftest import make_bank
from tests.exams.test_views_exam import answer_post, htmx
from tests.factories import BookmarkFactory, make_matching_question, make_single_question

pytestmark = pytest.mark.django_db

TYPES = ("single", "multiple", "ordering", "matching")


@pytest.fixture
def session(guest):
    make_bank({1: 2, 2: 2, 3: 2, 4: 2, 5: 2}, types=TYPES)
    return start_practice(guest.pk, scope={"kind": "all"}, count=10, language="en", now=timezone.now())


def item(attempt, position):
    return attempt.items.select_related("attempt").get(position=position)


def first_of_type(attempt, kind):
    return next(i for i in attempt.items.select_related("attempt").order_by("position") if i.snapshot["type"] == kind)


# --- picker and start ---------------------------------------------------------------------


def test_picker_shows_how_many_questions_each_scope_has(client, guest):
    questions = make_bank({1: 2, 3: 3})
    questions[0].tags.add(Tag.objects.create(slug="sagemaker"))
    make_bank({2: 4}, language="ja")
    BookmarkFactory(owner=guest, question_uid=questions[1].uid)

    response = client.get("/practice/")

    assert '<option value="all" selected>Everything (5)</option>' in response.text
    assert '<option value="domain:3">3. Applications of Foundation Models (3)</option>' in response.text
    assert '<option value="task:1.1">1.1 Explain basic AI concepts and terminologies (2)</option>' in response.text
    assert '<option value="tag:sagemaker">sagemaker (1)</option>' in response.text
    assert '<option value="bookmarked">Bookmarked (1)</option>' in response.text
    assert '<option value="unseen">Never seen (5)</option>' in response.text
    assert '<option value="mistakes">My mistakes (0)</option>' in response.text


def test_picker_counts_the_chosen_language(client):
    make_bank({1: 2})
    make_bank({2: 4}, language="ja")

    response = client.get("/practice/?language=ja&scope=domain:2")

    # The two English questions have no translation, so a Japanese session uses them as they are.
    assert '<option value="all">Everything (6)</option>' in response.text
    assert '<option value="domain:1">1. Fundamentals of AI and ML (2)</option>' in response.text
    assert '<option value="domain:2" selected>' in response.text
    assert '<input type="hidden" name="language" value="ja">' in response.text


def test_picker_refuses_an_unknown_language(client):
    assert client.get("/practice/?language=xx").status_code == 400


def test_picker_lists_open_sessions_with_resume(client, session):
    response = client.get("/practice/")

    assert f'href="/practice/{session.pk}/">Resume</a>' in response.text
    assert "0 / 10 answered" in response.text


def test_a_guest_starts_practice_in_one_post(client):
    make_bank({3: 3})

    response = client.post("/practice/start/", {"scope": "domain:3", "count": "20", "language": "en"}, follow=True)

    attempt = Attempt.objects.get()
    assert response.redirect_chain == [(f"/practice/{attempt.pk}/1/", 302)]
    assert (attempt.scope, attempt.target_count) == ({"kind": "domain", "value": "3"}, 3)
    assert "Only 3 questions match this choice, so this session has 3." in response.text
    assert attempt.owner.is_guest


def test_endless_practice_has_no_target(client):
    make_bank({3: 3})

    client.post("/practice/start/", {"scope": "all", "count": "endless", "language": "en"})

    assert Attempt.objects.get().target_count is None


@pytest.mark.parametrize("scope", ["bogus", "domain", "task:", "due", ""])
def test_a_bad_scope_goes_back_with_a_message(client, scope):
    make_bank({3: 3})

    response = client.post("/practice/start/", {"scope": scope, "count": "10", "language": "en"}, follow=True)

    assert "Choose what to practise from the list." in response.text
    assert Attempt.objects.count() == 0


def test_an_empty_scope_says_so(client):
    make_bank({3: 3})

    response = client.post("/practice/start/", {"scope": "mistakes", "count": "10", "language": "en"}, follow=True)

    assert "No published questions match this choice yet." in response.text
    assert Attempt.objects.count() == 0


# --- answering ----------------------------------------------------------------------------


def test_question_page_shows_the_form_and_nothing_of_the_answer(client, session):
    for question in Question.objects.all():
        question.explanation = "SECRET-EXPLANATION"
        question.save()
    Option.objects.update(rationale="SECRET-RATIONALE")
    fresh = start_practice(session.owner_id, scope={"kind": "all"}, count=10, language="en", now=timezone.now())

    for position in range(1, 11):
        response = client.get(f"/practice/{fresh.pk}/{position}/")

        assert "SECRET" not in response.text
        assert "Correct answer" not in response.text
    assert 'id="answer-form"' in response.text


def test_a_single_choice_is_a_row_of_one_click_buttons(client, session):
    single = first_of_type(session, "single")

    response = client.get(f"/practice/{session.pk}/{single.position}/")

    assert response.text.count('<button type="submit" name="choice"') == 4
    assert "data-check" not in response.text


@pytest.mark.parametrize("kind", TYPES)
@pytest.mark.parametrize("right", [True, False])
def test_htmx_answer_brings_the_verdict_key_rationales_and_explanation(client, session, kind, right):
    current = first_of_type(session, kind)
    # Every row its own rationale (the factory gives them all the same one), in the revision
    # the item points at.
    revision = current.revision
    for index, row in enumerate(revision.content["options"]):
        row["rationale"] = f"Rationale of row {index}."
    revision.save(update_fields=["content"])
    current = AttemptItem.objects.get(pk=current.pk)

    response = client.post(
        f"/exams/attempts/{session.pk}/{current.position}/answer/",
        answer_post(current, right=right, seq=3, confidence="unsure"),
        **htmx("question-card"),
    )

    text = response.text
    verdict = "Correct" if right else "Incorrect"
    assert f'data-announce="{verdict}"' in text
    assert "autofocus" in text
    assert current.snapshot["explanation"] in text
    rationales = [row["rationale"] for row in current.snapshot["options"]]
    assert len(rationales) >= 3
    assert [text.count(rationale) for rationale in rationales] == [1] * len(rationales)
    assert "https://docs.aws.amazon.com/bedrock/latest/userguide/what-is-bedrock.html" in text
    assert "you said: Unsure" in text
    assert 'data-seq="3"' in text
    assert '<p id="progress" class="progress-line" data-progress hx-swap-oob="true">' in text
    assert "<header" not in text
    stored = Response.objects.get(item=current)
    assert (stored.is_correct, stored.confidence) == (right, "unsure")


def test_a_plain_answer_redirects_to_the_feedback_page(client, session):
    current = item(session, 1)

    response = client.post(f"/exams/attempts/{session.pk}/1/answer/", answer_post(current), follow=True)

    assert response.redirect_chain == [(f"/practice/{session.pk}/1/", 302)]
    assert 'data-announce="Correct"' in response.text
    assert f'href="/practice/{session.pk}/2/"' in response.text


@pytest.mark.parametrize("kind", TYPES)
def test_the_feedback_page_marks_the_stored_answer(client, session, kind):
    """The page (not only the htmx fragment) marks what was chosen: the stored answer is in
    option ids, the form's in tokens, and the review must get the former."""
    current = first_of_type(session, kind)
    client.post(f"/exams/attempts/{session.pk}/{current.position}/answer/", answer_post(current, right=False))

    page = client.get(f"/practice/{session.pk}/{current.position}/").text

    marks = {
        "single": "Your answer (wrong)",
        "multiple": "Your answer (wrong)",
        "ordering": "You put it at 1",
        "matching": "You chose:",
    }
    assert marks[kind] in page
    assert "You left this empty" not in page


def test_the_first_answer_is_final(client, session):
    current = item(session, 1)
    client.post(f"/exams/attempts/{session.pk}/1/answer/", answer_post(current, right=False))

    response = client.post(
        f"/exams/attempts/{session.pk}/1/answer/", answer_post(current, seq=9), **htmx("question-card")
    )

    assert 'data-announce="Incorrect"' in response.text
    assert Response.objects.get().is_correct is False


def test_check_answer_without_a_choice_asks_for_one(client, session):
    current = first_of_type(session, "multiple")

    response = client.post(
        f"/exams/attempts/{session.pk}/{current.position}/answer/", {"seq": 1}, **htmx("question-card")
    )

    assert "Choose an answer first." in response.text
    assert 'id="answer-form"' in response.text
    assert not Response.objects.exists()


def test_a_plain_ordering_move_rearranges_the_proposal_without_answering(client, session):
    current = first_of_type(session, "ordering")
    shown = [row["id"] for row in current.snapshot["options"]]
    url = f"/practice/{session.pk}/{current.position}/"

    response = client.post(
        f"/exams/attempts/{session.pk}/{current.position}/answer/",
        {"seq": 1, **item_fields(current, shown), "move": f"{token(current, shown[2])}:up"},
    )

    proposal = [token(current, pk) for pk in [shown[0], shown[2], shown[1], *shown[3:]]]
    assert response["Location"] == f"{url}?order={','.join(proposal)}"
    page = client.get(response["Location"]).text
    assert [part.split('"')[0] for part in page.split('name="order" value="')[1:]] == proposal
    assert not Response.objects.exists()


def test_a_forged_option_is_a_400(client, session):
    current = first_of_type(session, "single")
    foreign = Option.objects.filter(question=make_single_question()).first().pk

    response = client.post(f"/exams/attempts/{session.pk}/{current.position}/answer/", {"seq": 1, "choice": foreign})

    assert response.status_code == 400
    assert not Response.objects.exists()


def test_another_owner_cannot_see_or_answer(other_client, session):
    current = item(session, 1)

    assert other_client.get(f"/practice/{session.pk}/1/").status_code == 404
    assert other_client.get(f"/practice/{session.pk}/summary/").status_code == 404
    assert other_client.post(f"/practice/{session.pk}/finish/").status_code == 404
    response = other_client.post(f"/exams/attempts/{session.pk}/1/answer/", answer_post(current))
    assert response.status_code == 404
    assert not Response.objects.exists()


@pytest.mark.parametrize("count", [10, 65])
def test_answer_save_takes_four_queries_whatever_the_session_size(client, guest, count, django_assert_num_queries):
    make_bank({1: count})
    attempt = start_practice(guest.pk, scope={"kind": "all"}, count=count, language="en", now=timezone.now())
    current = item(attempt, count)

    # item with attempt and response, the upsert, the progress count, the owner's notes (the
    # session is cached)
    with django_assert_num_queries(4):
        response = client.post(
            f"/exams/attempts/{attempt.pk}/{count}/answer/", answer_post(current), **htmx("question-card")
        )

    assert 'data-announce="Correct"' in response.text


def test_question_page_as_htmx_renders_only_the_card(client, session):
    response = client.get(f"/practice/{session.pk}/2/", **htmx("question-card"))

    assert response.text.lstrip().startswith('<section id="question-card"')
    assert "<header" not in response.text


# --- sessions -----------------------------------------------------------------------------


def test_resume_goes_to_the_first_unanswered_question(client, session):
    current = item(session, 1)
    record_answer(current, answer=current.snapshot["key"], seq=1, now=timezone.now())

    assert client.get(f"/practice/{session.pk}/")["Location"] == f"/practice/{session.pk}/2/"


def test_the_last_feedback_leads_to_the_summary(client, session):
    for position in range(1, 11):
        current = item(session, position)
        record_answer(current, answer=current.snapshot["key"], seq=1, now=timezone.now())

    page = client.get(f"/practice/{session.pk}/10/")
    response = client.post(f"/practice/{session.pk}/finish/", follow=True)

    assert "See summary" in page.text
    assert response.redirect_chain == [(f"/practice/{session.pk}/summary/", 302)]
    assert "10 / 10" in response.text
    assert Attempt.objects.get().status == Attempt.Status.SUBMITTED


def test_summary_shows_score_topics_and_mistakes_again(client, session):
    for position in range(1, 5):
        current = item(session, position)
        record_answer(current, answer=current.snapshot["key"], seq=1, now=timezone.now())
    for position in (5, 6):
        current = item(session, position)
        wrong = answer_post(current, right=False)
        record_answer(current, answer=_parsed(current, wrong), seq=1, now=timezone.now())

    response = client.get(f"/practice/{session.pk}/summary/")

    assert '<span class="score-value">4 / 6</span> <span class="score-scale">67%</span>' in response.text
    assert "Practise mistakes again (2)" in response.text
    assert "Back to dashboard" in response.text
    assert "This session is still open." in response.text
    tasks: dict[str, list[int]] = {}
    for position in range(1, 7):
        tally = tasks.setdefault(item(session, position).snapshot["task"], [0, 0])
        tally[0] += position <= 4
        tally[1] += 1
    expected = [
        (code, right, answered, round(100 * right / answered)) for code, (right, answered) in sorted(tasks.items())
    ]
    assert task_rows(response.text) == expected


def task_rows(page: str) -> list[tuple[str, int, int, int]]:
    """The summary's task rows as (code, correct, answered, percent)."""
    rows = re.findall(
        r'<td>Task ([\d.]+)</td>\s*<td class="num">(\d+) / (\d+)</td>\s*<td class="num">(\d+)</td>', page
    )
    return [(code, int(right), int(answered), int(percent)) for code, right, answered, percent in rows]


def _parsed(current, data):
    from django.http import QueryDict

    from exams.grading import parse_answer
    from exams.tokens import tokens_for

    snapshot, tokens = current.snapshot, tokens_for(current)
    query = QueryDict(mutable=True)
    for name, value in data.items():
        query.setlist(name, [str(v) for v in value] if isinstance(value, list) else [str(value)])
    return parse_answer(snapshot, query, tokens)


def test_practise_mistakes_again_starts_a_session_of_the_wrong_ones(client, session):
    wrong_items = [item(session, 2), item(session, 7)]
    for current in wrong_items:
        record_answer(
            current,
            answer=_parsed(current, answer_post(current, right=False)),
            seq=1,
            now=timezone.now(),
        )
    current = item(session, 1)
    record_answer(current, answer=current.snapshot["key"], seq=1, now=timezone.now())

    response = client.post(f"/practice/{session.pk}/mistakes/")

    retry = Attempt.objects.exclude(pk=session.pk).get()
    assert response["Location"] == f"/practice/{retry.pk}/1/"
    assert list(retry.items.order_by("position").values_list("question_id", flat=True)) == [
        i.question_id for i in wrong_items
    ]


def test_endless_sessions_draw_more_when_the_batch_is_done(client, guest):
    make_bank({1: PRACTICE_BATCH + 2})
    endless = start_practice(guest.pk, scope={"kind": "all"}, count=None, language="en", now=timezone.now())

    response = client.get(f"/practice/{endless.pk}/{PRACTICE_BATCH + 1}/")

    assert response.status_code == 200
    assert endless.items.count() == PRACTICE_BATCH + 2
    assert client.get(f"/practice/{endless.pk}/{PRACTICE_BATCH + 3}/")["Location"] == (
        f"/practice/{endless.pk}/summary/"
    )


# --- bookmarks ----------------------------------------------------------------------------


def test_bookmark_htmx_sets_the_state_idempotently(client, guest):
    question = make_single_question()

    for _ in range(2):
        response = client.post(
            f"/practice/bookmarks/{question.uid}/", {"state": "1", "seq": "2"}, **htmx(f"bookmark-{question.uid}")
        )

    assert Bookmark.objects.filter(owner=guest, question_uid=question.uid).count() == 1
    assert 'aria-pressed="true"' in response.text
    assert 'name="state" value="0"' in response.text
    assert 'data-seq="2"' in response.text


def test_bookmark_off_removes_it_and_a_plain_post_goes_back(client, guest):
    question = make_single_question()
    BookmarkFactory(owner=guest, question_uid=question.uid)

    response = client.post(f"/practice/bookmarks/{question.uid}/", {"state": "0", "next": "/practice/"})

    assert response["Location"] == "/practice/"
    assert not Bookmark.objects.exists()


def test_bookmark_refuses_foreign_redirects_unknown_questions_and_bad_states(client, guest):
    question = make_single_question()

    away = client.post(f"/practice/bookmarks/{question.uid}/", {"state": "1", "next": "https://evil.example/"})
    unknown = client.post("/practice/bookmarks/no-such-question/", {"state": "1"})
    bad = client.post(f"/practice/bookmarks/{question.uid}/", {"state": "toggle"})

    assert away["Location"] == "/practice/bookmarks/"
    assert (unknown.status_code, bad.status_code) == (404, 400)
    assert Bookmark.objects.count() == 1


def test_a_visitor_bookmarking_becomes_a_guest_owner(client):
    question = make_single_question()

    client.post(f"/practice/bookmarks/{question.uid}/", {"state": "1"})

    assert Bookmark.objects.get().owner.is_guest


def test_bookmark_list_shows_only_my_bookmarks(client, guest):
    mine, theirs = make_single_question(stem="Mine to keep"), make_single_question(stem="Someone else's")
    BookmarkFactory(owner=guest, question_uid=mine.uid)
    BookmarkFactory(question_uid=theirs.uid)

    response = client.get("/practice/bookmarks/")

    assert "Mine to keep" in response.text
    assert "Someone else" not in response.text
    assert 'aria-pressed="true"' in response.text


def test_the_question_page_shows_the_bookmark_state(client, session):
    BookmarkFactory(owner_id=session.owner_id, question_uid=item(session, 3).snapshot["uid"])

    pressed = client.get(f"/practice/{session.pk}/3/")
    unpressed = client.get(f"/practice/{session.pk}/4/")

    assert 'data-shortcut="s">' in pressed.text
    assert 'aria-pressed="true" data-shortcut="s"' in pressed.text
    assert 'aria-pressed="false" data-shortcut="s"' in unpressed.text


def test_bookmark_list_shows_the_question_in_the_interface_language(client, guest):
    make_single_question(uid="shared-uid", stem="English stem")
    make_single_question(uid="shared-uid", stem="日本語の問題文", language="ja")
    BookmarkFactory(owner=guest, question_uid="shared-uid")

    english = client.get("/practice/bookmarks/", HTTP_ACCEPT_LANGUAGE="en")
    japanese = client.get("/practice/bookmarks/", HTTP_ACCEPT_LANGUAGE="ja")

    assert "English stem" in english.text
    assert "日本語の問題文" in japanese.text
    assert '<input type="hidden" name="language" value="ja">' in japanese.text


# --- Japanese sessions: show original, English fallback ---------------------------------


def translated_pair(kind="single"):
    """An English question and its Japanese translation (same uid, same option positions)."""
    maker = {"single": make_single_question, "matching": make_matching_question}[kind]
    english = maker(uid=f"pair-{kind}", stem="Which service stores the vectors?")
    japanese = maker(uid=f"pair-{kind}", language="ja", stem="ベクトルを保存するサービスはどれですか。")
    for option in japanese.options.all():
        option.text = f"選択肢 {option.position}" if option.text else ""
        option.match = f"一致 {option.position}"
        option.save()
    return english, japanese


@pytest.fixture
def japanese_session(guest):
    translated_pair()
    return start_practice(guest.pk, scope={"kind": "all"}, count=1, language="ja", now=timezone.now())


def test_show_original_lists_the_english_options_in_the_order_shown(client, japanese_session):
    snapshot = item(japanese_session, 1).snapshot
    positions = dict(Option.objects.values_list("pk", "position"))
    expected = [f"Choice {positions[row['id']]}" for row in snapshot["options"]]

    response = client.get(f"/practice/{japanese_session.pk}/1/original/")

    assert response.status_code == 200
    assert "<html" in response.text
    assert "Which service stores the vectors?" in response.text
    assert re.findall(r"Choice \d", response.text) == expected
    # The original is a public view: no rationale, no mark of the key.
    assert "Because of the scenario." not in response.text
    assert "Correct answer" not in response.text


def test_show_original_as_htmx_returns_only_the_fragment(client, japanese_session):
    response = client.get(f"/practice/{japanese_session.pk}/1/original/", **htmx("original"))

    assert response.text.lstrip().startswith('<div id="original" class="original" hx-disable>')
    assert 'lang="en"' in response.text
    assert "<html" not in response.text


def test_show_original_keeps_matching_prompts_and_answers_in_display_order(client, guest):
    translated_pair("matching")
    session = start_practice(guest.pk, scope={"kind": "all"}, count=1, language="ja", now=timezone.now())
    snapshot = item(session, 1).snapshot
    positions = dict(Option.objects.values_list("pk", "position"))

    text = client.get(f"/practice/{session.pk}/1/original/", **htmx("original")).text

    prompts = [f"Prompt {positions[row['id']]}" for row in snapshot["options"]]
    matches = [
        f"Match {positions[row['id']]}" if positions[row["id"]] < 3 else "Distractor" for row in snapshot["matches"]
    ]
    assert [text.index(prompt) for prompt in prompts] == sorted(text.index(prompt) for prompt in prompts)
    assert [text.index(match) for match in matches] == sorted(text.index(match) for match in matches)


def test_show_original_is_a_404_for_others_and_for_english_items(client, other_client, japanese_session, session):
    assert other_client.get(f"/practice/{japanese_session.pk}/1/original/").status_code == 404
    assert other_client.get(f"/practice/{japanese_session.pk}/1/original/", **htmx("original")).status_code == 404
    # An English item has no original to show.
    assert client.get(f"/practice/{session.pk}/1/original/").status_code == 404
    assert client.get(f"/practice/{japanese_session.pk}/2/original/").status_code == 404


def test_a_translated_question_offers_its_original_and_an_english_one_does_not(client, japanese_session, session):
    page = client.get(f"/practice/{japanese_session.pk}/1/").text
    assert f'hx-get="/practice/{japanese_session.pk}/1/original/"' in page
    assert "Show original (English)" in page
    assert 'lang="ja"' in page

    assert "Show original (English)" not in client.get(f"/practice/{session.pk}/1/").text


def test_an_untranslated_question_in_a_japanese_session_is_shown_in_english_and_marked(client, guest):
    make_single_question(uid="english-only", stem="Which model fits best?")
    session = start_practice(guest.pk, scope={"kind": "all"}, count=1, language="ja", now=timezone.now())

    page = client.get(f"/practice/{session.pk}/1/").text

    assert "This question has no Japanese translation yet, so it is shown in English." in page
    assert '<div class="stem" id="question-stem" lang="en" hx-disable>' in page
    assert "Show original (English)" not in page
