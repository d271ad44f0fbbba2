"""Issue 16 on the server: partial answers are incomplete (§7), nothing chosen counts nothing
(§5), the feedback says each row's truth once (§8 and its noise), the select hint is not said
twice. Browser walks of the same: tests/e2e/test_answering_honesty.py."""

import pytest
from django.template.loader import render_to_string
from django.utils import timezone

from exams.attempts import start_exam, start_practice
from exams.grading import is_complete
from exams.templatetags.answering import answer_controls
from questions.snapshots import public_view, take_snapshot
from tests.answers import item_fields, token
from tests.exams.conftest import make_bank
from tests.factories import (
    BlueprintFactory,
    make_matching_question,
    make_multiple_question,
    make_ordering_question,
    make_single_question,
)

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


def snapshot_of(question):
    return take_snapshot(question)


# --- grading.is_complete -----------------------------------------------------------------------


def test_a_multiple_response_answer_is_complete_with_as_many_options_as_it_says():
    key = snapshot_of(make_multiple_question(correct=(0, 1, 2), n_options=6))["key"]

    assert not is_complete(key, [])
    assert not is_complete(key, key[:1])
    assert not is_complete(key, key[:2])
    assert is_complete(key, key)


def test_a_matching_answer_is_complete_with_every_prompt_matched():
    key = snapshot_of(make_matching_question(n_pairs=3))["key"]
    two = dict(list(key.items())[:2])

    assert not is_complete(key, {})
    assert not is_complete(key, two)
    assert is_complete(key, key)


@pytest.mark.parametrize("make", [make_single_question, make_ordering_question])
def test_single_and_ordering_answers_are_complete_once_given(make):
    key = snapshot_of(make())["key"]

    assert not is_complete(key, None)
    assert is_complete(key, list(key))


# --- the navigator and the review screen ---------------------------------------------------------


@pytest.fixture
def select_three(guest):
    make_bank(
        {1: 3, 2: 3, 3: 3, 4: 3, 5: 3},
        types=("multiple",),
        correct=(0, 1, 2),
        n_options=6,
        stem="Which three? (Select THREE.)",
    )
    return start_exam(guest.pk, BlueprintFactory(), now=timezone.now())


def save(client, attempt, position, choices, seq=1, **headers):
    """Post ``choices`` (option ids) as the page does: by the item's tokens."""
    item = attempt.items.get(position=position)
    data = {"seq": seq, **item_fields(item, choices)}
    return client.post(f"/exams/attempts/{attempt.pk}/{position}/answer/", data, **headers)


def test_a_partial_save_sends_back_an_incomplete_cell(client, select_three):
    first = select_three.items.get(position=1)
    key = first.snapshot["key"]

    partial = save(client, select_three, 1, key[:1], **HTMX)
    whole = save(client, select_three, 1, key, seq=2, **HTMX)

    assert 'class="nav-cell is-incomplete is-current" data-nav-cell="1" hx-swap-oob="true"' in partial.text
    assert 'class="nav-cell is-answered is-current" data-nav-cell="1" hx-swap-oob="true"' in whole.text


def test_the_question_page_counts_only_complete_answers(client, select_three):
    items = {item.position: item for item in select_three.items.all()}
    save(client, select_three, 1, items[1].snapshot["key"][:2])
    save(client, select_three, 2, items[2].snapshot["key"])

    response = client.get(f"/exams/attempts/{select_three.pk}/3/")

    assert 'class="nav-cell is-incomplete"' in response.text
    assert '<span class="nav-word-incomplete">incomplete</span>' in response.text
    assert '<span id="answered-count" data-answered-count>1</span>' in response.text


def test_the_review_screen_and_the_confirm_step_name_incomplete_answers(client, select_three):
    first = select_three.items.get(position=1)
    save(client, select_three, 1, first.snapshot["key"][:1])

    review = client.get(f"/exams/attempts/{select_three.pk}/review/")
    confirm = client.get(f"/exams/attempts/{select_three.pk}/submit/")

    assert "You have answered 0 of 10 questions." in review.text
    assert '<h2 id="incomplete-heading">1 incomplete</h2>' in review.text
    assert '<h2 id="unanswered-heading">9 unanswered</h2>' in review.text
    for page in (review, confirm):
        assert "1 answer is incomplete and will count as wrong." in page.text
        assert "9 questions are unanswered and will count as wrong." in page.text


def test_someone_elses_review_screen_is_not_found(client, select_three, other_client):
    assert other_client.get(f"/exams/attempts/{select_three.pk}/review/").status_code == 404


# --- practice: nothing chosen counts nothing -----------------------------------------------------


@pytest.fixture
def matching_session(guest):
    make_bank({1: 3, 2: 3, 3: 3, 4: 3, 5: 3}, types=("matching",))
    return start_practice(guest.pk, scope={"kind": "all"}, count=10, language="en", now=timezone.now())


def test_check_answer_with_nothing_chosen_sends_the_unchanged_progress(client, matching_session):
    first = matching_session.items.get(position=1)
    prompts = {f"match-{token(first, int(prompt))}": "" for prompt in first.snapshot["key"]}

    response = client.post(f"/exams/attempts/{matching_session.pk}/1/answer/", {"seq": 1, **prompts}, **HTMX)

    assert "Choose an answer first." in response.text
    assert 'id="progress" class="progress-line" data-progress hx-swap-oob="true"' in response.text
    assert "<span data-answered-count>0</span> / 10" in response.text
    assert not first.__class__.objects.filter(pk=first.pk, response__isnull=False).exists()


# --- feedback rows and noise ---------------------------------------------------------------------


def review(snapshot, answer):
    return render_to_string("includes/question_review.html", {"snapshot": snapshot, "answer": answer})


def test_single_choice_feedback_marks_the_key_once():
    snapshot = snapshot_of(make_single_question())
    wrong = next(row["id"] for row in snapshot["options"] if not row["correct"])

    html = review(snapshot, [wrong])

    assert "Correct answer" in html
    assert "Your answer (wrong)" in html
    assert "You did not select this" not in html


def test_multiple_response_feedback_names_a_missed_key():
    snapshot = snapshot_of(make_multiple_question(correct=(0, 1)))

    assert review(snapshot, snapshot["key"][:1]).count("You did not select this") == 1


def test_ordering_and_matching_rows_are_right_or_wrong_by_their_own_answer():
    ordering = snapshot_of(make_ordering_question(n_items=4))
    key = ordering["key"]
    swapped = [key[1], key[0], *key[2:]]
    matching = snapshot_of(make_matching_question(n_pairs=3))
    prompts = list(matching["key"])
    crossed = {prompts[0]: matching["key"][prompts[0]], prompts[1]: matching["key"][prompts[2]]}

    ordered = review(ordering, swapped)
    matched = review(matching, crossed)

    assert ordered.count('class="review-option is-wrong"') == 2
    assert ordered.count('class="review-option is-right"') == 2
    assert matched.count('class="review-option is-right"') == 1
    assert matched.count('class="review-option is-wrong"') == 2
    assert "is-key" not in ordered + matched
    assert review(ordering, None).count('class="review-option is-key"') == 4  # the preview: the key only


def test_the_select_hint_shows_only_when_the_stem_does_not_say_how_many():
    said = public_view(snapshot_of(make_multiple_question(stem="Which two? (Select TWO.)")))
    unsaid = public_view(snapshot_of(make_multiple_question(stem="Which statements are correct?")))
    japanese = public_view(
        snapshot_of(make_multiple_question(stem="正しい説明はどれですか。(2 つ選択してください。)"))
    )

    assert answer_controls(said)["select_hint"] is False
    assert answer_controls(japanese)["select_hint"] is False
    assert answer_controls(unsaid)["select_hint"] is True
