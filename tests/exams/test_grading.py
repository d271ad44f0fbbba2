import pytest
from django.http import QueryDict

from exams.grading import AnswerError, DomainResult, domain_results, grade, parse_answer, scaled_score
from exams.tokens import MATCH
from questions.snapshots import take_snapshot
from tests.answers import fields, snapshot_tokens
from tests.factories import (
    make_matching_question,
    make_multiple_question,
    make_ordering_question,
    make_single_question,
)

pytestmark = pytest.mark.django_db


def raw(**fields) -> QueryDict:
    """A post of exactly these field values."""
    data = QueryDict(mutable=True)
    for name, value in fields.items():
        data.setlist(name.replace("_", "-"), [str(v) for v in value] if isinstance(value, list) else [str(value)])
    return data


def post(snapshot, answer, *, item_id: int = 1) -> QueryDict:
    """``answer`` (option ids) as the page of item ``item_id`` posts it: in that item's tokens."""
    data = QueryDict(mutable=True)
    for name, values in fields(snapshot, answer, snapshot_tokens(snapshot, item_id)).items():
        data.setlist(name, values)
    return data


def parse(snapshot, data):
    """Read a post to item 1 of ``snapshot``."""
    return parse_answer(snapshot, data, snapshot_tokens(snapshot, 1))


def ids(question, **filters):
    return list(question.options.filter(**filters).order_by("position").values_list("pk", flat=True))


# --- single -----------------------------------------------------------------------------


def test_single_right_choice_is_correct():
    question = make_single_question(correct_index=2)
    snapshot = take_snapshot(question)

    answer = parse(snapshot, post(snapshot, ids(question, is_correct=True)))

    assert answer == ids(question, is_correct=True)
    assert grade(snapshot, answer) is True


def test_single_wrong_choice_is_incorrect():
    question = make_single_question(correct_index=2)
    snapshot = take_snapshot(question)

    answer = parse(snapshot, post(snapshot, ids(question, is_correct=False)[:1]))

    assert grade(snapshot, answer) is False


def test_single_refuses_two_choices():
    question = make_single_question()
    snapshot = take_snapshot(question)

    with pytest.raises(AnswerError):
        parse(snapshot, post(snapshot, ids(question)[:2]))


def test_an_option_of_another_question_is_refused():
    question = make_single_question()
    other = make_single_question()
    snapshot = take_snapshot(question)

    with pytest.raises(AnswerError, match="not part of this question"):
        parse(snapshot, post(take_snapshot(other), ids(other)[:1], item_id=2))


def test_the_same_option_named_by_another_items_token_is_refused():
    """The same question in another attempt item (another attempt, or a later one) has
    other tokens: a token is good for one item only."""
    question = make_single_question()
    snapshot = take_snapshot(question)

    with pytest.raises(AnswerError, match="not part of this question"):
        parse(snapshot, post(snapshot, ids(question)[:1], item_id=2))


@pytest.mark.parametrize("value", ["abc", "-3", "0", "1e9x", "9" * 40, "id"])
def test_malformed_tokens_and_bare_ids_are_refused(value):
    question = make_single_question()
    snapshot = take_snapshot(question)
    value = str(ids(question)[0]) if value == "id" else value

    with pytest.raises(AnswerError):
        parse(snapshot, raw(choice=value))


def test_no_choice_is_an_empty_answer_and_wrong():
    question = make_single_question()
    snapshot = take_snapshot(question)

    answer = parse(snapshot, raw())

    assert answer == []
    assert grade(snapshot, answer) is False
    assert grade(snapshot, None) is False


# --- multiple -----------------------------------------------------------------------------


def test_multiple_needs_exactly_the_key_in_any_order():
    question = make_multiple_question(correct=(1, 3), n_options=5)
    snapshot = take_snapshot(question)
    key = ids(question, is_correct=True)

    assert grade(snapshot, parse(snapshot, post(snapshot, list(reversed(key))))) is True
    assert grade(snapshot, parse(snapshot, post(snapshot, key[:1]))) is False
    assert grade(snapshot, parse(snapshot, post(snapshot, [*key, ids(question, is_correct=False)[0]]))) is False


def test_multiple_refuses_a_repeated_option():
    question = make_multiple_question()
    snapshot = take_snapshot(question)
    first = ids(question)[0]

    with pytest.raises(AnswerError, match="twice"):
        parse(snapshot, post(snapshot, [first, first]))


# --- ordering -----------------------------------------------------------------------------


def test_ordering_in_the_authors_order_is_correct():
    question = make_ordering_question(n_items=4)
    snapshot = take_snapshot(question)

    answer = parse(snapshot, post(snapshot, ids(question)))

    assert grade(snapshot, answer) is True


def test_ordering_with_two_items_swapped_is_wrong():
    question = make_ordering_question(n_items=4)
    snapshot = take_snapshot(question)
    order = ids(question)
    order[1], order[2] = order[2], order[1]

    assert grade(snapshot, parse(snapshot, post(snapshot, order))) is False


@pytest.mark.parametrize("cut", ["missing", "repeated"])
def test_ordering_must_list_every_item_once(cut):
    question = make_ordering_question(n_items=4)
    snapshot = take_snapshot(question)
    order = ids(question)
    order = order[:3] if cut == "missing" else [*order[:3], order[0]]

    with pytest.raises(AnswerError, match="every item"):
        parse(snapshot, post(snapshot, order))


# --- matching -----------------------------------------------------------------------------


def matching_post(snapshot, pairs, *, item_id: int = 1):
    """``{prompt id: match id or ""}`` posted in item ``item_id``'s tokens ("" = left unset)."""
    tokens = snapshot_tokens(snapshot, item_id)
    return raw(
        **{
            f"match_{tokens.token_for(prompt)}": tokens.token_for(match, MATCH) if match != "" else ""
            for prompt, match in pairs.items()
        }
    )


def test_matching_all_pairs_right_is_correct():
    question = make_matching_question(n_pairs=3)
    snapshot = take_snapshot(question)
    prompts = ids(question, text__gt="")

    answer = parse(snapshot, matching_post(snapshot, {pk: pk for pk in prompts}))

    assert answer == {str(pk): pk for pk in prompts}
    assert grade(snapshot, answer) is True


def test_matching_one_pair_wrong_is_incorrect():
    question = make_matching_question(n_pairs=3, extras=("Distractor",))
    snapshot = take_snapshot(question)
    prompts = ids(question, text__gt="")
    distractor = ids(question, text="")[0]

    answer = parse(snapshot, matching_post(snapshot, {prompts[0]: distractor, **{pk: pk for pk in prompts[1:]}}))

    assert grade(snapshot, answer) is False


def test_matching_left_blank_prompts_are_unset():
    question = make_matching_question(n_pairs=3)
    snapshot = take_snapshot(question)
    prompts = ids(question, text__gt="")

    answer = parse(snapshot, matching_post(snapshot, {prompts[0]: prompts[0], prompts[1]: ""}))

    assert answer == {str(prompts[0]): prompts[0]}
    assert grade(snapshot, answer) is False


def test_matching_refuses_a_match_of_another_question():
    question = make_matching_question(n_pairs=3)
    other = make_matching_question(n_pairs=3)
    snapshot = take_snapshot(question)
    prompt = ids(question, text__gt="")[0]

    other_match = snapshot_tokens(take_snapshot(other), 2).token_for(ids(other)[0], MATCH)

    with pytest.raises(AnswerError, match="match that is not part"):
        parse(snapshot, raw(**{f"match_{snapshot_tokens(snapshot).token_for(prompt)}": other_match}))


def test_matching_refuses_a_prompt_of_another_question():
    question = make_matching_question(n_pairs=3)
    other = make_matching_question(n_pairs=3)
    snapshot = take_snapshot(question)

    other_prompt = snapshot_tokens(take_snapshot(other), 2).token_for(ids(other)[0])
    match = snapshot_tokens(snapshot).token_for(ids(question)[0], MATCH)

    with pytest.raises(AnswerError, match="prompt that is not part"):
        parse(snapshot, raw(**{f"match_{other_prompt}": match}))


def test_matching_refuses_a_prompt_token_posted_as_a_match():
    """A prompt and its right match are one option row, but their tokens differ: a prompt's
    token is no match."""
    question = make_matching_question(n_pairs=3)
    snapshot = take_snapshot(question)
    tokens = snapshot_tokens(snapshot)
    prompt = ids(question, text__gt="")[0]

    assert tokens.token_for(prompt) != tokens.token_for(prompt, MATCH)
    with pytest.raises(AnswerError, match="match that is not part"):
        parse(snapshot, raw(**{f"match_{tokens.token_for(prompt)}": tokens.token_for(prompt)}))


# --- scores -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("correct", "total", "scaled"), [(0, 50, 100), (50, 50, 1000), (35, 50, 730), (1, 3, 400), (0, 0, None)]
)
def test_scaled_score_estimate(correct, total, scaled):
    assert scaled_score(correct, total) == scaled


def test_domain_results_count_scored_items_and_apply_the_threshold():
    rows = [(1, True, True), (1, True, True), (1, True, False), (2, True, False), (2, False, True), (3, True, True)]

    results = domain_results(rows, {1: "AI", 2: "GenAI", 3: "FM", 4: "RAI"})

    assert [(r.number, r.correct, r.total, r.meets) for r in results] == [
        (1, 2, 3, False),
        (2, 0, 1, False),
        (3, 1, 1, True),
        (4, 0, 0, False),
    ]


def test_seventy_percent_meets_competencies():
    assert DomainResult(1, "AI", correct=7, total=10).meets is True
    assert DomainResult(1, "AI", correct=6, total=10).meets is False
