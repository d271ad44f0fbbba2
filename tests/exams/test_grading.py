import pytest
from django.http import QueryDict

from exams.grading import AnswerError, DomainResult, domain_results, grade, parse_answer, scaled_score
from questions.snapshots import take_snapshot
from tests.factories import (
    make_matching_question,
    make_multiple_question,
    make_ordering_question,
    make_single_question,
)

pytestmark = pytest.mark.django_db


def post(**fields) -> QueryDict:
    data = QueryDict(mutable=True)
    for name, value in fields.items():
        data.setlist(name.replace("_", "-"), [str(v) for v in value] if isinstance(value, list) else [str(value)])
    return data


def ids(question, **filters):
    return list(question.options.filter(**filters).order_by("position").values_list("pk", flat=True))


# --- single -----------------------------------------------------------------------------


def test_single_right_choice_is_correct():
    question = make_single_question(correct_index=2)
    snapshot = take_snapshot(question)

    answer = parse_answer(snapshot, post(choice=ids(question, is_correct=True)))

    assert answer == ids(question, is_correct=True)
    assert grade(snapshot, answer) is True


def test_single_wrong_choice_is_incorrect():
    question = make_single_question(correct_index=2)
    snapshot = take_snapshot(question)

    answer = parse_answer(snapshot, post(choice=ids(question, is_correct=False)[0]))

    assert grade(snapshot, answer) is False


def test_single_refuses_two_choices():
    question = make_single_question()
    snapshot = take_snapshot(question)

    with pytest.raises(AnswerError):
        parse_answer(snapshot, post(choice=ids(question)[:2]))


def test_an_option_of_another_question_is_refused():
    question = make_single_question()
    other = make_single_question()
    snapshot = take_snapshot(question)

    with pytest.raises(AnswerError, match="not part of this question"):
        parse_answer(snapshot, post(choice=ids(other)[0]))


@pytest.mark.parametrize("value", ["abc", "-3", "0", "1e9x", "9" * 40])
def test_malformed_ids_are_refused(value):
    question = make_single_question()
    snapshot = take_snapshot(question)

    with pytest.raises(AnswerError):
        parse_answer(snapshot, post(choice=value))


def test_no_choice_is_an_empty_answer_and_wrong():
    question = make_single_question()
    snapshot = take_snapshot(question)

    answer = parse_answer(snapshot, post())

    assert answer == []
    assert grade(snapshot, answer) is False
    assert grade(snapshot, None) is False


# --- multiple -----------------------------------------------------------------------------


def test_multiple_needs_exactly_the_key_in_any_order():
    question = make_multiple_question(correct=(1, 3), n_options=5)
    snapshot = take_snapshot(question)
    key = ids(question, is_correct=True)

    assert grade(snapshot, parse_answer(snapshot, post(choice=list(reversed(key))))) is True
    assert grade(snapshot, parse_answer(snapshot, post(choice=key[:1]))) is False
    assert grade(snapshot, parse_answer(snapshot, post(choice=[*key, ids(question, is_correct=False)[0]]))) is False


def test_multiple_refuses_a_repeated_option():
    question = make_multiple_question()
    snapshot = take_snapshot(question)
    first = ids(question)[0]

    with pytest.raises(AnswerError, match="twice"):
        parse_answer(snapshot, post(choice=[first, first]))


# --- ordering -----------------------------------------------------------------------------


def test_ordering_in_the_authors_order_is_correct():
    question = make_ordering_question(n_items=4)
    snapshot = take_snapshot(question)

    answer = parse_answer(snapshot, post(order=ids(question)))

    assert grade(snapshot, answer) is True


def test_ordering_with_two_items_swapped_is_wrong():
    question = make_ordering_question(n_items=4)
    snapshot = take_snapshot(question)
    order = ids(question)
    order[1], order[2] = order[2], order[1]

    assert grade(snapshot, parse_answer(snapshot, post(order=order))) is False


@pytest.mark.parametrize("cut", ["missing", "repeated"])
def test_ordering_must_list_every_item_once(cut):
    question = make_ordering_question(n_items=4)
    snapshot = take_snapshot(question)
    order = ids(question)
    order = order[:3] if cut == "missing" else [*order[:3], order[0]]

    with pytest.raises(AnswerError, match="every item"):
        parse_answer(snapshot, post(order=order))


# --- matching -----------------------------------------------------------------------------


def matching_post(question, pairs):
    return post(**{f"match_{prompt}": match for prompt, match in pairs.items()})


def test_matching_all_pairs_right_is_correct():
    question = make_matching_question(n_pairs=3)
    snapshot = take_snapshot(question)
    prompts = ids(question, text__gt="")

    answer = parse_answer(snapshot, matching_post(question, {pk: pk for pk in prompts}))

    assert answer == {str(pk): pk for pk in prompts}
    assert grade(snapshot, answer) is True


def test_matching_one_pair_wrong_is_incorrect():
    question = make_matching_question(n_pairs=3, extras=("Distractor",))
    snapshot = take_snapshot(question)
    prompts = ids(question, text__gt="")
    distractor = ids(question, text="")[0]

    answer = parse_answer(
        snapshot, matching_post(question, {prompts[0]: distractor, **{pk: pk for pk in prompts[1:]}})
    )

    assert grade(snapshot, answer) is False


def test_matching_left_blank_prompts_are_unset():
    question = make_matching_question(n_pairs=3)
    snapshot = take_snapshot(question)
    prompts = ids(question, text__gt="")

    answer = parse_answer(snapshot, matching_post(question, {prompts[0]: prompts[0], prompts[1]: ""}))

    assert answer == {str(prompts[0]): prompts[0]}
    assert grade(snapshot, answer) is False


def test_matching_refuses_a_match_of_another_question():
    question = make_matching_question(n_pairs=3)
    other = make_matching_question(n_pairs=3)
    snapshot = take_snapshot(question)
    prompt = ids(question, text__gt="")[0]

    with pytest.raises(AnswerError, match="match that is not part"):
        parse_answer(snapshot, matching_post(question, {prompt: ids(other)[0]}))


def test_matching_refuses_a_prompt_of_another_question():
    question = make_matching_question(n_pairs=3)
    other = make_matching_question(n_pairs=3)
    snapshot = take_snapshot(question)

    with pytest.raises(AnswerError, match="prompt that is not part"):
        parse_answer(snapshot, matching_post(question, {ids(other)[0]: ids(question)[0]}))


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
