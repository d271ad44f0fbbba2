import re
from pathlib import Path

import pytest

from questions.formats import gift, moodle
from questions.formats import json as json_format
from questions.formats.base import html_to_markdown, task_from_category, to_markdown
from questions.transfer import Source, decode, parse_source

FIXTURES = Path(__file__).parent / "fixtures"


def by_uid(result):
    """Questions by uid, and also by the uid without the hash that a name-made uid ends with."""
    found = {question.uid: question for question in result.questions}
    for question in result.questions:
        found.setdefault(re.sub(r"-[0-9a-f]{8}$", "", question.uid), question)
    return found


@pytest.fixture(scope="module")
def gift_sample():
    return parse_source(Source.from_path(FIXTURES / "moodle-sample.gift"), skip_unsupported=True)


@pytest.fixture(scope="module")
def xml_sample():
    return parse_source(Source.from_path(FIXTURES / "moodle-sample.xml"), skip_unsupported=True)


def without_hash(result):
    return [re.sub(r"-[0-9a-f]{8}(?=$|-\d+$)", "", question.uid) for question in result.questions]


def test_gift_sample_reads_every_supported_question(gift_sample):
    assert gift_sample.errors == []
    assert without_hash(gift_sample) == [
        "gift-rekognition",
        "a-team-compares-generated-text-with",
        "is-r2-bounded-below",
        "missing-word-feature-store",
        "which-store-serves-features-with-low",
        "which-store-serves-features-with-low-2",
        "partial-credit",
        "match-metrics",
        "order-ml-lifecycle",
    ]


def test_gift_bom_and_windows_line_endings_are_removed(gift_sample):
    question = by_uid(gift_sample)["gift-rekognition"]

    assert question.stem == (
        "A retailer wants to find its logo in **customer photos** posted online. Which AWS service fits?"
    )
    assert "\r" not in question.options[0].rationale


def test_gift_id_comment_tags_and_categories(gift_sample):
    questions = by_uid(gift_sample)

    assert questions["gift-rekognition"].tags == ["aws-ai-services", "Computer Vision"]
    assert questions["gift-rekognition"].task == "1.2"
    assert questions["is-r2-bounded-below"].task == "1.3"  # the category changed mid-file


def test_gift_single_choice_with_feedback_and_general_feedback(gift_sample):
    question = by_uid(gift_sample)["gift-rekognition"]

    assert question.type == "single"
    assert [(o.text, o.correct) for o in question.options] == [
        ("Amazon Rekognition", True),
        ("Amazon Polly", False),
        ("Amazon Textract", False),
        ("Amazon Comprehend", False),
    ]
    assert question.options[1].rationale == "Polly turns text into lifelike speech."
    assert question.explanation == "Rekognition is the managed image and video analysis service."


def test_gift_multiline_question_with_escapes_and_decimal_weights(gift_sample):
    question = by_uid(gift_sample)["a-team-compares-generated-text-with"]

    assert question.type == "multiple"
    assert question.select == 2
    # Moodle's GIFT keeps the line break, and "\\-" (not a GIFT escape) as written.
    assert question.stem.startswith("A team compares generated text with reference text {word overlap}.\\\n")
    assert "n\\\\-gram" in question.stem
    assert "Summaries = ROUGE: translations = BLEU." in question.stem
    assert [(o.text, o.correct) for o in question.options] == [
        ("ROUGE", True),
        ("BLEU", True),
        ("Mean absolute error", False),
        ("AUC", False),
        ("Issue #42 count", False),
    ]


def test_gift_true_false_maps_both_feedbacks(gift_sample):
    question = by_uid(gift_sample)["is-r2-bounded-below"]

    assert [(o.text, o.correct) for o in question.options] == [("True", True), ("False", False)]
    assert question.options[0].rationale == "Right: R² = 1 − SSres/SStot has no lower bound."
    assert question.options[1].rationale.startswith("It is not bounded below")
    assert question.explanation == "R² is at most 1 and has no lower bound."


def test_gift_name_becomes_the_slug_of_a_uid_with_a_hash(gift_sample):
    assert re.fullmatch(r"is-r2-bounded-below-[0-9a-f]{8}", by_uid(gift_sample)["is-r2-bounded-below"].uid)


def test_gift_missing_word_question_keeps_the_text_after_the_braces(gift_sample):
    question = by_uid(gift_sample)["missing-word-feature-store"]

    assert question.stem == (
        r"SageMaker Feature Store keeps an \_\_\_\_\_ store that Athena can query for training data."
    )
    assert [o.text for o in question.options if o.correct] == ["offline"]


def test_gift_same_text_twice_gets_two_stable_uids(gift_sample):
    again = parse_source(Source.from_path(FIXTURES / "moodle-sample.gift"), skip_unsupported=True)

    assert [q.uid for q in again.questions] == [q.uid for q in gift_sample.questions]
    assert any("same question (name and text)" in message and "line 37" in message for message in gift_sample.warnings)


def test_gift_partial_credit_on_single_answer_is_all_or_nothing_with_a_warning(gift_sample):
    question = by_uid(gift_sample)["partial-credit"]

    assert [o.correct for o in question.options] == [True, False, False]
    assert any("line 42: answer 2 ('K-Means') has partial credit 50%" in message for message in gift_sample.warnings)


def test_gift_matching_with_extra_match(gift_sample):
    question = by_uid(gift_sample)["match-metrics"]

    assert [(o.text, o.match) for o in question.options] == [
        ("Summarization", "ROUGE"),
        ("Machine translation", "BLEU"),
        ("House price prediction", "RMSE"),
        ("", "Accuracy"),
    ]


def test_gift_ordering_items_in_order(gift_sample):
    question = by_uid(gift_sample)["order-ml-lifecycle"]

    assert question.type == "ordering"
    assert [o.text for o in question.options] == [
        "Frame the business problem",
        "Prepare the data",
        "Train and evaluate the model",
        "Deploy and monitor the model",
    ]


def test_gift_unsupported_types_are_listed_when_skipped(gift_sample):
    assert [message.split(": ", 1)[1] for message in gift_sample.skipped] == [
        "essay questions are not supported; skipped.",
        "short answer questions are not supported; skipped.",
        "numerical questions are not supported; skipped.",
    ]


def test_xml_sample_reads_every_supported_question(xml_sample):
    assert xml_sample.errors == []
    assert without_hash(xml_sample) == [
        "tokens-pricing",
        "xml-vector-stores",
        "hallucination",
        "partial",
        "match-limits",
        "order-rag",
        "what-does-temperature-control-randomness-of",
        "what-does-temperature-control-randomness-of-2",
    ]


def test_xml_html_text_becomes_markdown(xml_sample):
    question = by_uid(xml_sample)["tokens-pricing"]

    assert question.stem == "A chatbot team is charged per **token**. What is a token?"
    assert question.explanation == "Models read and write *tokens*; pricing counts them."
    assert question.options[0].text == "A unit of text such as a word piece"
    assert question.tags == ["tokens"]
    assert question.task == "2.1"


def test_xml_idnumber_wins_and_decimal_fractions_mark_the_key(xml_sample):
    question = by_uid(xml_sample)["xml-vector-stores"]

    assert question.type == "multiple"
    assert question.select == 3
    assert [o.correct for o in question.options] == [True, True, True, False, False]


def test_xml_truefalse(xml_sample):
    question = by_uid(xml_sample)["hallucination"]

    assert [(o.text, o.correct, o.rationale) for o in question.options] == [
        ("True", True, "Correct: fluency is not accuracy."),
        ("False", False, "It can, which is why grounding matters."),
    ]
    assert question.task == "2.2"


def test_xml_partial_credit_single_warns(xml_sample):
    question = by_uid(xml_sample)["partial"]

    assert [o.correct for o in question.options] == [True, False, False]
    assert any(
        "question 6 (line 43): answer 2 ('Lower the temperature') has partial credit 50%" in m
        for m in xml_sample.warnings
    )


def test_xml_matching_extra_subquestion(xml_sample):
    question = by_uid(xml_sample)["match-limits"]

    assert [(o.text, o.match) for o in question.options][-1] == ("", "Overfitting")
    assert question.options[0].text == "Invents a citation"


def test_xml_ordering_fraction_is_the_position(xml_sample):
    question = by_uid(xml_sample)["order-rag"]

    assert [o.text for o in question.options] == [
        "Embed the question",
        "Search the vector store",
        "Add the passages to the prompt",
        "Generate the answer",
    ]
    assert any("RELATIVE_NEXT_EXCLUDE_LAST becomes all-or-nothing" in m for m in xml_sample.warnings)


def test_xml_skips_unsupported_and_unused_descriptions(xml_sample):
    source = FIXTURES / "moodle-sample.xml"

    assert xml_sample.skipped == [
        f"{source}, question 10 (line 76): essay questions are not supported; skipped.",
        f"{source}, question 9 (line 72): description 'Section intro' is not the case-study scenario of any "
        "question; skipped.",
    ]


def test_gift_case_study_from_a_description():
    text = (
        "$CATEGORY: top/3.1\n\n"
        "::case-bank::[markdown]A bank builds an **assistant** for its staff.\n\n"
        "// [case:case-bank]\n"
        "::case-q1::Which service hosts the models?{=Amazon Bedrock ~Amazon Polly}\n"
    )

    result = gift.parse(text, source="case.gift")

    assert result.errors == [] and result.skipped == []
    assert result.questions[0].case_study.uid == "case-bank"
    assert result.questions[0].case_study.scenario == "A bank builds an **assistant** for its staff."


def test_gift_rationale_comments_fill_ordering_rows():
    text = "// [rationale:2:Second because…]\n::o::Order them.{>3\nA\nB\nC\n}\n"

    result = gift.parse(text, source="o.gift")

    assert [o.rationale for o in result.questions[0].options] == ["", "Second because…", ""]


def test_xml_entity_expansion_is_refused():
    text = (
        '<?xml version="1.0"?><!DOCTYPE quiz [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]>'
        "<quiz><question type='essay'><name><text>&b;</text></name></question></quiz>"
    )

    result = moodle.parse(text, source="bomb.xml")

    assert result.questions == []
    assert result.errors == [
        "bomb.xml: the file declares XML entities or external references (EntitiesForbidden); "
        "they are refused so that a file cannot expand or fetch anything."
    ]


def test_xml_external_entity_is_refused():
    text = '<?xml version="1.0"?><!DOCTYPE quiz [<!ENTITY x SYSTEM "file:///etc/passwd">]><quiz>&x;</quiz>'

    result = moodle.parse(text, source="xxe.xml")

    assert "declares XML entities or external references" in result.errors[0]


def test_decode_strips_bom_and_normalizes_line_ends():
    text, error = decode(Source("a.gift", "\ufeffa\r\nb\rc".encode(), 9))

    assert (text, error) == ("a\nb\nc", None)


@pytest.mark.parametrize(
    ("path", "task"),
    [("$course$/top/AIF/Domain 3/3.1", "3.1"), ("top/3.4/", "3.4"), ("top/Default", None), ("", None)],
)
def test_task_from_category(path, task):
    assert task_from_category(path) == task


@pytest.mark.parametrize(
    ("html", "markdown"),
    [
        ("<p>Use <b>RAG</b> and <code>top_p</code>.</p>", "Use **RAG** and `top_p`."),
        ("<ul><li>one</li><li>two</li></ul>", "- one\n- two"),
        ('<p>See <a href="https://docs.aws.amazon.com/x">docs</a></p>', "See [docs](https://docs.aws.amazon.com/x)"),
        ("<p>5 * 3 &amp; a_b</p>", r"5 \* 3 \& a\_b"),
        ("<script>alert(1)</script><p>ok</p>", "ok"),
    ],
)
def test_html_to_markdown(html, markdown):
    assert html_to_markdown(html) == markdown


def test_plain_text_is_escaped_for_markdown():
    assert to_markdown("2 * 3 = *six*", "plain") == r"2 \* 3 = \*six\*"


def test_json_items_as_strings_or_objects_and_extras_with_rationale():
    text = """{"format": "quizapp-bank", "version": 1, "questions": [
      {"uid": "o", "type": "ordering", "task": "1.3", "stem": "Order.",
       "items": ["A", {"text": "B", "rationale": "R"}]},
      {"uid": "m", "type": "matching", "task": "1.3", "stem": "Match.",
       "pairs": [{"prompt": "P", "match": "M", "rationale": "Why"}],
       "extra_matches": ["X", {"match": "Y", "rationale": "Never"}]}
    ]}"""

    result = json_format.parse(text, source="b.json")

    ordering, matching = result.questions
    assert [(o.text, o.rationale) for o in ordering.options] == [("A", ""), ("B", "R")]
    assert [(o.text, o.match, o.rationale) for o in matching.options] == [
        ("P", "M", "Why"),
        ("", "X", ""),
        ("", "Y", "Never"),
    ]


def test_gift_id_that_is_not_a_slug_is_slugified_with_a_note():
    result = gift.parse("// [id:Q 001]\n::n::Which?{=a ~b}\n", source="id.gift")

    assert result.questions[0].uid == "q-001"
    assert result.warnings == ["id.gift, line 2: id 'Q 001' is not a slug; using uid 'q-001'."]


def test_a_name_in_a_file_this_app_wrote_is_the_uid_as_written():
    result = gift.parse("// [language:en]\n::Keep-Case_1::Which?{=a ~b}\n", source="n.gift")

    assert (result.questions[0].uid, result.warnings) == ("Keep-Case_1", [])


@pytest.mark.parametrize("number", ["x", "²", ""])
def test_gift_rationale_with_a_row_that_is_not_a_number_is_an_error_not_a_crash(number):
    text = f"// [rationale:{number}:Why…]\n::o::Order them.{{>3\nA\nB\nC\n}}\n"

    result = gift.parse(text, source="o.gift")

    assert result.questions == []
    assert any("must start with a row number" in error for error in result.errors)


def test_moodle_difficulty_in_superscript_digits_is_an_error_not_a_crash():
    text = (
        '<quiz><question type="multichoice"><name><text>q</text></name>'
        '<questiontext format="markdown"><text>Which one?</text></questiontext>'
        '<quizapp uid="sup" task="1.1" difficulty="²"/>'
        '<answer fraction="100"><text>A</text></answer><answer fraction="0"><text>B</text></answer>'
        "<single>true</single></question></quiz>"
    )

    result = moodle.parse(text, source="sup.xml")

    assert result.questions == []
    assert any("must be a whole number" in error for error in result.errors)
