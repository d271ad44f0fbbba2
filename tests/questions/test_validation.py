import pytest

from questions.formats.base import OptionData, QuestionData
from questions.validation import stem_states_count, validate_question


def choices(*correct_flags, rationale="Why.", prefix="Choice"):
    return [
        OptionData(text=f"{prefix} {index}", correct=flag, rationale=rationale)
        for index, flag in enumerate(correct_flags)
    ]


def single(**overrides):
    values = {
        "uid": "q-single",
        "type": "single",
        "stem": "A team needs X. Which service should it use?",
        "status": "published",
        "explanation": "The principle.",
        "options": choices(True, False, False, False),
    }
    return QuestionData(**(values | overrides))


def multiple(**overrides):
    values = {
        "uid": "q-multiple",
        "type": "multiple",
        "stem": "Which statements are true? (Select TWO.)",
        "status": "published",
        "explanation": "The principle.",
        "select": 2,
        "options": choices(True, True, False, False, False),
    }
    return QuestionData(**(values | overrides))


def ordering(n_items=4, **overrides):
    values = {
        "uid": "q-ordering",
        "type": "ordering",
        "stem": "Put the steps in order.",
        "status": "published",
        "explanation": "The principle.",
        "options": [OptionData(text=f"Step {index}", rationale="Why here.") for index in range(n_items)],
    }
    return QuestionData(**(values | overrides))


def matching(n_pairs=3, extras=("Extra",), **overrides):
    options = [OptionData(text=f"Prompt {i}", match=f"Match {i}", rationale="Why.") for i in range(n_pairs)]
    options += [OptionData(match=extra) for extra in extras]
    values = {
        "uid": "q-matching",
        "type": "matching",
        "stem": "Match each need with a service.",
        "status": "published",
        "explanation": "The principle.",
        "options": options,
    }
    return QuestionData(**(values | overrides))


def messages(data, **kwargs):
    return [str(problem) for problem in validate_question(data, **kwargs)]


@pytest.mark.parametrize(
    "data",
    [
        single(),
        single(options=choices(True, False)),  # true/false has two options
        multiple(),
        multiple(
            stem="Which are true? (Select THREE.)", select=3, options=choices(True, True, True, False, False, False)
        ),
        ordering(3),
        ordering(5),
        matching(3),
        matching(7, extras=()),
    ],
    ids=["single", "true-false", "multiple", "multiple-three", "ordering-3", "ordering-5", "matching-3", "matching-7"],
)
def test_valid_published_questions_have_no_problems(data):
    assert validate_question(data) == []


def test_single_with_two_correct_options_is_refused_even_as_draft():
    data = single(status="draft", options=choices(True, True, False, False))

    problems = validate_question(data)

    assert [(p.field, p.message) for p in problems] == [
        (
            "options",
            "A multiple-choice question has exactly one correct option; 2 are marked correct. "
            "Use “multiple response” if several are right.",
        )
    ]


def test_single_without_a_key_cannot_be_published():
    assert messages(single(options=choices(False, False, False, False))) == ["Mark the one correct option."]


def test_single_needs_two_options():
    assert messages(single(options=choices(True))) == [
        "Multiple choice questions need at least 2 options; this one has 1."
    ]


def test_multiple_needs_five_options():
    data = multiple(options=choices(True, True, False, False))

    assert messages(data) == ["Multiple response questions need at least 5 options; this one has 4."]


def test_multiple_needs_two_correct():
    data = multiple(select=1, stem="Which is true? (Select ONE.)", options=choices(True, False, False, False, False))

    assert "A multiple-response question needs at least 2 correct options; 1 is marked correct." in messages(data)


def test_multiple_select_must_equal_number_correct():
    data = multiple(select=3, stem="Which are true? (Select THREE.)")

    problems = validate_question(data)

    assert [(p.field, p.message) for p in problems] == [
        ("select", "“Select” is 3 but 2 options are marked correct; they must agree.")
    ]


def test_multiple_needs_select():
    assert messages(multiple(select=None)) == ["Say how many options to select (2 are marked correct)."]


def test_multiple_stem_must_say_how_many():
    problems = validate_question(multiple(stem="Which statements are true?"))

    assert [(p.field, p.message) for p in problems] == [
        ("stem", "The stem must tell the candidate how many to pick, e.g. “(Select TWO.)”.")
    ]


@pytest.mark.parametrize(
    ("stem", "count", "expected"),
    [
        ("Which are right? (Select TWO.)", 2, True),
        ("Choose three answers.", 3, True),
        ("Pick 2 options.", 2, True),
        ("正しいものを 2 つ選択してください。", 2, True),
        ("Which are right? (Select TWO.)", 3, False),
        ("Which are right?", 2, False),
    ],
)
def test_stem_states_count(stem, count, expected):
    assert stem_states_count(stem, count) is expected


def test_ordering_needs_three_items_to_publish_but_a_draft_may_have_two():
    assert messages(ordering(2)) == ["Ordering questions need at least 3 items; this one has 2."]
    assert messages(ordering(2, status="draft")) == []


def test_ordering_takes_at_most_five_items_even_as_draft():
    assert messages(ordering(6, status="draft")) == ["Ordering questions take at most 5 items; this one has 6."]


def test_ordering_rows_have_no_correct_flag():
    data = ordering(3)
    data.options[1].correct = True

    problems = validate_question(data)

    assert [(p.field, p.option) for p in problems] == [("is_correct", 1)]
    assert problems[0].message.startswith("Item 2 is ticked “correct”, but ordering questions have no correct option")


def test_matching_needs_three_prompts():
    assert messages(matching(2)) == ["Matching questions need at least 3 prompts; this one has 2."]


def test_matching_takes_at_most_seven_prompts():
    assert messages(matching(8, extras=())) == ["Matching questions take at most 7 prompts; this one has 8."]


def test_matching_matches_must_be_distinct():
    data = matching(3)
    data.options[1].match = "Match 0"

    assert messages(data) == ["Each prompt needs its own match; these matches are used more than once: Match 0."]


def test_matching_extra_must_not_equal_a_match():
    data = matching(3, extras=("Match 2",))

    problems = validate_question(data)

    assert [(p.field, p.option, p.message) for p in problems] == [
        (
            "match",
            3,
            "Extra match 'Match 2' equals the match of a prompt; an extra must be a wrong answer for every prompt.",
        )
    ]


def test_matching_prompt_needs_a_match():
    data = matching(3)
    data.options[0].match = ""

    assert messages(data, status="draft") == ["Prompt 1 has no match."]


def test_match_is_only_for_matching_questions():
    data = single()
    data.options[2].match = "Something"

    problems = validate_question(data)

    assert [(p.field, p.option, p.message) for p in problems] == [
        ("match", 2, "Option 3 has a match, but only matching questions use matches.")
    ]


def test_published_question_needs_an_explanation():
    problems = validate_question(single(explanation="  "))

    assert [(p.field, p.message) for p in problems] == [
        ("explanation", "Write an explanation of the principle before publishing.")
    ]


def test_published_question_needs_a_rationale_for_every_option():
    data = single()
    data.options[3].rationale = ""

    problems = validate_question(data)

    assert [(p.field, p.option, p.message) for p in problems] == [
        ("rationale", 3, "Option 4 needs a rationale (why it is right or wrong) before publishing.")
    ]


def test_extra_matches_need_no_rationale():
    assert validate_question(matching(3, extras=("Extra",))) == []


def test_pilot_questions_are_checked_like_published_ones():
    assert messages(single(status="pilot", explanation="")) == [
        "Write an explanation of the principle before publishing."
    ]


def test_draft_may_be_incomplete():
    data = multiple(status="draft", select=None, stem="Unfinished", explanation="", options=choices(True, False))
    for option in data.options:
        option.rationale = ""

    assert validate_question(data) == []


def test_options_need_text():
    data = single(status="draft")
    data.options[0].text = " "

    assert messages(data) == ["Option 1 has no text."]


def test_options_must_not_repeat():
    data = single()
    data.options[2].text = "choice 1"

    assert messages(data) == ["Option 3 repeats the text of another row."]


def test_uid_must_be_a_slug():
    assert messages(single(uid="not a slug")) == [
        "The uid 'not a slug' must be a slug (letters, digits, hyphens, underscores), at most 80 characters."
    ]


def test_select_only_for_multiple_response():
    problems = validate_question(single(select=1))

    assert [(p.field, p.message) for p in problems] == [
        ("select", "“Select” applies only to multiple-response questions; leave it empty.")
    ]


def test_difficulty_must_be_one_to_three():
    assert messages(single(difficulty=4)) == ["Difficulty must be 1, 2 or 3, not 4."]


def test_unknown_type_is_reported_alone():
    assert messages(single(type="essay")) == [
        "Unknown question type 'essay'; use one of: single, multiple, ordering, matching."
    ]
