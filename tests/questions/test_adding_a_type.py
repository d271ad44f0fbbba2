"""Adding a question type takes its module and its template partial, nothing else (issue 20 §1).

The toy type "odd one out" (tests/questions/oddone.py) is registered for these tests only;
a question of that type is created, validated, snapshotted, shown on the candidate's page,
answered, graded, reviewed, and exported and imported in the JSON bank format, through the
same code as the four built-in types.
"""

import json
import re
from pathlib import Path

import pytest
from django.utils import timezone

from exams.attempts import start_practice
from exams.models import Response
from questions import types as question_types
from questions.formats.base import QuestionData
from questions.models import Question
from questions.snapshots import take_snapshot
from questions.transfer import Source, export_questions, import_sources
from questions.validation import validate_question
from tests.answers import token
from tests.exams.test_views_exam import htmx
from tests.factories import OptionFactory, QuestionFactory
from tests.questions.oddone import OddOneOut

pytestmark = pytest.mark.django_db

TOY_TEMPLATES = Path(__file__).resolve().parent / "toy_templates"


@pytest.fixture
def oddone(settings):
    """The toy type, registered (and its partial findable) for one test."""
    engine = settings.TEMPLATES[0]
    settings.TEMPLATES = [{**engine, "DIRS": [*engine["DIRS"], TOY_TEMPLATES]}]
    question_type = question_types.register(OddOneOut())
    yield question_type
    question_types.unregister(question_type.value)


def make_oddone_question(*, odd=2, **kwargs):
    question = QuestionFactory(type="oddone", **kwargs)
    for index, text in enumerate(["Amazon Bedrock", "Amazon SageMaker", "Amazon S3 Glacier", "Amazon Q"]):
        OptionFactory(question=question, position=index, text=text, is_correct=index == odd)
    return question


def test_the_toy_type_is_not_there_without_its_registration():
    assert "oddone" not in question_types.values()
    assert len(question_types.all()) == 4


def test_a_question_of_the_new_type_is_created_and_validated(oddone):
    question = make_oddone_question()

    question.full_clean()  # the type field's choices come from the registry
    assert question.get_type_display() == "Odd one out"
    assert validate_question(QuestionData.from_question(question)) == []

    data = QuestionData.from_question(question)
    data.options[0].correct = True
    assert [str(problem) for problem in validate_question(data)] == ["Only one candidate is the odd one out."]
    data.options = data.options[:3]
    data.options[0].correct = False
    assert "Odd one out questions need at least 4 candidates; this one has 3." in map(str, validate_question(data))


def test_a_question_of_the_new_type_is_snapshotted_with_its_key(oddone):
    question = make_oddone_question(odd=2)
    odd = question.options.get(position=2)

    snapshot = take_snapshot(question)

    assert snapshot["type"] == "oddone"
    assert snapshot["key"] == [odd.pk]
    assert [row["text"] for row in snapshot["options"]][2] == "Amazon S3 Glacier"


def test_the_candidate_page_shows_its_partial_without_the_key(client, guest, oddone):
    question = make_oddone_question()
    session = start_practice(guest.pk, scope={"kind": "all"}, count=1, language="en", now=timezone.now())
    item = session.items.get()

    response = client.get(f"/practice/{session.pk}/1/")

    assert response.status_code == 200
    text = response.text
    assert "data-odd-one-out" in text
    listbox = re.search(r'<select id="odd-one-out" name="odd">.*?</select>', text, re.DOTALL).group()
    for option in question.options.all():
        assert f'<option value="{token(item, option.pk)}" lang="en" hx-disable>{option.text}</option>' in listbox
    assert re.findall(r'value="(\d*)"', listbox) == [""]  # options are named by tokens, never by id
    assert 'name="choice"' not in text
    assert "data-check" in text  # not instant: the candidate checks the answer


@pytest.mark.parametrize("right", [True, False])
def test_an_answer_is_read_graded_and_reviewed(client, guest, oddone, right):
    question = make_oddone_question(odd=2)
    session = start_practice(guest.pk, scope={"kind": "all"}, count=1, language="en", now=timezone.now())
    item = session.items.get()
    picked = question.options.get(position=2 if right else 0)

    response = client.post(
        f"/exams/attempts/{session.pk}/1/answer/", {"seq": 1, "odd": token(item, picked.pk)}, **htmx("question-card")
    )

    assert response.status_code == 200
    stored = Response.objects.get(item=item)
    assert stored.answer == [picked.pk]
    assert stored.is_correct is right
    assert f'data-announce="{"Correct" if right else "Incorrect"}"' in response.text
    assert "data-odd-one-out-review" in response.text
    assert "The odd one out" in response.text


def test_a_forged_answer_is_refused(client, guest, oddone):
    make_oddone_question()
    session = start_practice(guest.pk, scope={"kind": "all"}, count=1, language="en", now=timezone.now())
    item = session.items.get()
    tokens = [token(item, option.pk) for option in item.question.options.all()]

    two = client.post(f"/exams/attempts/{session.pk}/1/answer/", {"seq": 1, "odd": tokens[:2]})
    bare_id = client.post(f"/exams/attempts/{session.pk}/1/answer/", {"seq": 1, "odd": str(item.snapshot["key"][0])})

    assert (two.status_code, bare_id.status_code) == (400, 400)
    assert not Response.objects.filter(item=item).exists()


def test_json_export_and_import_round_trip(oddone):
    question = make_oddone_question(odd=1, uid="odd-services")
    exported = export_questions(Question.objects.filter(pk=question.pk), "json")
    document = json.loads(exported)
    assert document["questions"][0]["candidates"][1] == {
        "text": "Amazon SageMaker",
        "odd": True,
        "rationale": "Because of the scenario.",
    }

    Question.objects.filter(pk=question.pk).delete()
    result = import_sources([Source(name="bank.json", data=exported.encode(), size=len(exported))])

    assert result.errors == [] and result.created == 1
    imported = Question.objects.get(uid="odd-services")
    assert imported.type == "oddone"
    assert [(o.text, o.is_correct) for o in imported.options.order_by("position")] == [
        ("Amazon Bedrock", False),
        ("Amazon SageMaker", True),
        ("Amazon S3 Glacier", False),
        ("Amazon Q", False),
    ]
    assert export_questions(Question.objects.filter(pk=imported.pk), "json") == exported


def test_json_refuses_another_types_rows_in_a_question_of_the_new_type(oddone):
    document = {
        "format": "quizapp-bank",
        "version": 1,
        "questions": [{"uid": "x", "type": "oddone", "stem": "Which?", "choices": [{"text": "a"}]}],
    }

    data = json.dumps(document).encode()
    result = import_sources([Source(name="bank.json", data=data, size=len(data))])

    assert result.errors == [
        "bank.json, question 1 (x): 'choices' does not belong in a oddone question (use 'candidates')."
    ]


def test_the_admin_offers_the_new_type_with_its_help_and_columns(admin_client, oddone):
    response = admin_client.get("/admin/questions/question/add/")

    assert '<option value="oddone">Odd one out</option>' in response.text
    assert "Odd one out — four rows of Text; tick Correct on the odd one." in response.text
    columns = '"oddone": {"text": "Candidate", "hide": ["match"]}'.replace('"', "&quot;")
    assert columns in response.text
