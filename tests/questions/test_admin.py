import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from questions.models import Question, TaskStatement
from tests.factories import (
    OptionFactory,
    ProblemReportFactory,
    QuestionFactory,
    TagFactory,
    UserFactory,
    make_matching_question,
    make_multiple_question,
    make_ordering_question,
    make_single_question,
)

CHANGELIST = reverse("admin:questions_question_changelist")


@pytest.fixture
def staff_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def rationales(question, text="Because of the scenario."):
    question.options.update(rationale=text)
    return question


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (make_single_question, ["Choice 0", "Choice 3", "Correct answer"]),
        (lambda **kw: make_multiple_question(stem="Which two? (Select TWO.)", **kw), ["Choice 4", "Correct answer"]),
        (make_ordering_question, ["Step 1", "Step 4"]),
        (make_matching_question, ["Prompt 0", "Match 2", "Distractor"]),
    ],
    ids=["single", "multiple", "ordering", "matching"],
)
def test_preview_shows_the_candidate_view_then_the_key(staff_client, make, expected):
    question = make(explanation="The **principle** explained.")
    rationales(question, "Why this row is where it is.")

    response = staff_client.get(question.get_absolute_url())

    html = response.content.decode()
    assert response.status_code == 200
    assert question.stem in html
    for text in expected:
        assert text in html
    assert "As the candidate sees it" in html
    assert html.index("As the candidate sees it") < html.index("Answer, rationales and explanation")
    assert "Why this row is where it is." in html
    assert "The <strong>principle</strong> explained." in html
    assert "Not ready to publish" not in html


@pytest.mark.django_db
def test_preview_lists_what_keeps_a_draft_from_publishing(staff_client):
    question = make_single_question(status="draft", explanation="")

    html = staff_client.get(question.get_absolute_url()).content.decode()

    assert "Not ready to publish" in html
    assert "Write an explanation of the principle before publishing." in html


@pytest.mark.django_db
def test_preview_of_a_case_study_question_shows_the_scenario(staff_client):
    from questions.models import CaseStudy

    question = make_single_question(case_study=CaseStudy.objects.create(uid="case-x", scenario="A *bank* scenario."))

    html = staff_client.get(question.get_absolute_url()).content.decode()

    assert "A <em>bank</em> scenario." in html


ADMIN_URLS = [
    lambda q: CHANGELIST,
    lambda q: reverse("admin:questions_question_change", args=[q.pk]),
    lambda q: reverse("admin:questions_question_preview", args=[q.pk]),
    lambda q: reverse("admin:questions_question_import"),
    lambda q: reverse("admin:questions_question_export"),
    lambda q: reverse("admin:questions_problemreport_changelist"),
]


@pytest.mark.django_db
@pytest.mark.parametrize("url", ADMIN_URLS, ids=["changelist", "change", "preview", "import", "export", "reports"])
@pytest.mark.parametrize("who", ["anonymous", "candidate"])
def test_authoring_is_staff_only(client, url, who):
    question = make_single_question()
    if who == "candidate":
        client.force_login(UserFactory())

    response = client.get(url(question))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def _changelist_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(CHANGELIST)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.django_db
def test_changelist_query_count_does_not_grow_with_questions(staff_client):
    question = make_single_question()
    question.tags.add(TagFactory())
    ProblemReportFactory(question=question)
    staff_client.get(CHANGELIST)  # the session's first-visit writes are not the page's queries
    one = _changelist_queries(staff_client)
    for _ in range(49):
        extra = make_single_question(n_options=2)
        extra.tags.add(TagFactory())
        ProblemReportFactory(question=extra)
    staff_client.get(CHANGELIST)  # new questions reset the cached item statistics; warm them again

    fifty = _changelist_queries(staff_client)

    assert Question.objects.count() == 50
    assert fifty == one


@pytest.mark.django_db
def test_changelist_marks_questions_with_open_reports(staff_client):
    reported = make_single_question(uid="reported-one")
    ProblemReportFactory(question=reported)
    ProblemReportFactory(question=reported)
    ProblemReportFactory(question=reported, status="fixed")
    make_single_question(uid="quiet-one")

    html = staff_client.get(CHANGELIST, {"reports": "open"}).content.decode()

    assert "reported-one" in html
    assert "quiet-one" not in html
    assert "2 open" in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"type__exact": "ordering"}, ["ordering-q"]),
        ({"domain": "3"}, ["domain3-q"]),
        ({"task__id__exact": "TASK"}, ["domain3-q"]),
        ({"status__exact": "draft"}, ["draft-q"]),
        ({"language__exact": "ja"}, ["japanese-q"]),
        ({"tags__id__exact": "TAG"}, ["tagged-q"]),
        ({"guides__id__exact": "GUIDE"}, ["guide-q"]),
        ({"q": "needle-in-an-option"}, ["option-search-q"]),
        ({"q": "tagged-q"}, ["tagged-q"]),
    ],
)
def test_changelist_filters_and_search(staff_client, query, expected):
    from questions.models import GuideRevision

    make_ordering_question(uid="ordering-q")
    task = TaskStatement.objects.get(code="3.2")
    QuestionFactory(uid="domain3-q", task=task)
    QuestionFactory(uid="draft-q", status="draft")
    QuestionFactory(uid="japanese-q", language="ja")
    tag = TagFactory(slug="only-here")
    QuestionFactory(uid="tagged-q").tags.add(tag)
    guide = GuideRevision.objects.get(code="2026")
    QuestionFactory(uid="guide-q").guides.add(guide)
    OptionFactory(question=QuestionFactory(uid="option-search-q"), text="A needle-in-an-option text")
    params = {
        key: {"TASK": task.pk, "TAG": tag.pk, "GUIDE": guide.pk}.get(value, value) for key, value in query.items()
    }

    response = staff_client.get(CHANGELIST, params)

    shown = [question.uid for question in response.context["cl"].result_list]
    assert shown == expected


@pytest.mark.django_db
def test_bulk_publish_validates_each_question_and_reports_refusals(staff_client):
    ready = rationales(make_single_question(uid="ready-q", status="draft"))
    broken = make_single_question(uid="broken-q", status="draft", explanation="")

    response = staff_client.post(
        CHANGELIST, {"action": "publish", "_selected_action": [ready.pk, broken.pk]}, follow=True
    )

    messages = [str(message) for message in response.context["messages"]]
    assert "Published 1 question." in messages
    assert "Not published: broken-q (en): Write an explanation of the principle before publishing." in messages
    ready.refresh_from_db()
    broken.refresh_from_db()
    assert (ready.status, broken.status) == ("published", "draft")


@pytest.mark.django_db
@pytest.mark.parametrize(("action", "status"), [("retire", "retired"), ("back_to_draft", "draft")])
def test_bulk_retire_and_back_to_draft(staff_client, action, status):
    questions = [make_single_question(), make_single_question()]

    staff_client.post(CHANGELIST, {"action": action, "_selected_action": [q.pk for q in questions]})

    assert set(Question.objects.values_list("status", flat=True)) == {status}


def _form_data(**overrides):
    task = TaskStatement.objects.get(code="1.2")
    data = {
        "type": "single",
        "uid": "admin-made",
        "language": "en",
        "status": "published",
        "task": task.pk,
        "difficulty": 2,
        "stem": "A retailer needs recommendations. Which service?",
        "select": "",
        "explanation": "Personalize recommends.",
        "references": "https://docs.aws.amazon.com/personalize/latest/dg/what-is-personalize.html",
        "options-TOTAL_FORMS": 4,
        "options-INITIAL_FORMS": 0,
        "options-MIN_NUM_FORMS": 0,
        "options-MAX_NUM_FORMS": 1000,
    }
    for index, (text, correct) in enumerate(
        [("Amazon Personalize", True), ("Amazon Comprehend", False), ("Amazon Kendra", False), ("Amazon Polly", False)]
    ):
        data[f"options-{index}-position"] = index + 1
        data[f"options-{index}-text"] = text
        data[f"options-{index}-match"] = ""
        data[f"options-{index}-rationale"] = f"Why {text}."
        if correct:
            data[f"options-{index}-is_correct"] = "on"
    return data | overrides


ADD = reverse("admin:questions_question_add")


@pytest.mark.django_db
def test_author_adds_a_valid_question(staff_client):
    response = staff_client.post(ADD, _form_data())

    assert response.status_code == 302
    question = Question.objects.get(uid="admin-made")
    assert question.references == ["https://docs.aws.amazon.com/personalize/latest/dg/what-is-personalize.html"]
    assert list(question.options.values_list("text", "is_correct")) == [
        ("Amazon Personalize", True),
        ("Amazon Comprehend", False),
        ("Amazon Kendra", False),
        ("Amazon Polly", False),
    ]


@pytest.mark.django_db
def test_two_correct_options_are_refused_with_the_reason(staff_client):
    response = staff_client.post(ADD, _form_data(**{"options-1-is_correct": "on"}))

    assert response.status_code == 200
    formset = response.context["inline_admin_formsets"][0].formset
    assert formset.non_form_errors() == [
        "A multiple-choice question has exactly one correct option; 2 are marked correct. "
        "Use “multiple response” if several are right."
    ]
    assert not Question.objects.exists()


@pytest.mark.django_db
def test_question_level_problems_are_shown_on_their_field(staff_client):
    data = _form_data(type="multiple", select=3, stem="Which apply? (Select THREE.)", **{"options-1-is_correct": "on"})
    for index in (4,):
        data |= {
            f"options-{index}-position": 5,
            f"options-{index}-text": "Amazon Lex",
            f"options-{index}-rationale": "Why Lex.",
        }
    data["options-TOTAL_FORMS"] = 5

    response = staff_client.post(ADD, data)

    form = response.context["adminform"].form
    assert form.errors["select"] == ["“Select” is 3 but 2 options are marked correct; they must agree."]
    assert not Question.objects.exists()


@pytest.mark.django_db
def test_row_level_problems_are_shown_on_their_row(staff_client):
    response = staff_client.post(ADD, _form_data(**{"options-2-rationale": ""}))

    formset = response.context["inline_admin_formsets"][0].formset
    assert formset.forms[2].errors["rationale"] == [
        "Option 3 needs a rationale (why it is right or wrong) before publishing."
    ]


@pytest.mark.django_db
def test_a_draft_may_be_saved_incomplete(staff_client):
    response = staff_client.post(ADD, _form_data(status="draft", explanation="", **{"options-2-rationale": ""}))

    assert response.status_code == 302
    assert Question.objects.get(uid="admin-made").status == "draft"


@pytest.mark.django_db
def test_references_must_be_urls(staff_client):
    response = staff_client.post(ADD, _form_data(references="https://docs.aws.amazon.com/x\nnot a url"))

    assert response.context["adminform"].form.errors["references"] == ["Line 2 is not an http(s) URL: not a url"]


def _bank(*questions):
    return json.dumps({"format": "quizapp-bank", "version": 1, "questions": list(questions)}).encode()


BANK_QUESTION = {
    "uid": "uploaded",
    "type": "single",
    "task": "1.2",
    "status": "draft",
    "stem": "Which service reads text aloud?",
    "choices": [{"text": "Amazon Polly", "correct": True}, {"text": "Amazon Lex"}],
}
IMPORT = reverse("admin:questions_question_import")


@pytest.mark.django_db
def test_import_page_dry_run_reports_and_writes_nothing(staff_client):
    upload = SimpleUploadedFile("bank.json", _bank(BANK_QUESTION))

    response = staff_client.post(IMPORT, {"files": upload, "dry_run": "on"})

    assert "Dry run, nothing written: 1 created, 0 updated, 0 unchanged." in response.content.decode()
    assert not Question.objects.exists()


@pytest.mark.django_db
def test_import_page_imports_several_files(staff_client):
    first = SimpleUploadedFile("bank.json", _bank(BANK_QUESTION))
    second = SimpleUploadedFile("more.gift", b"::gift-up::Which service transcribes?{=Transcribe ~Polly}\n")

    response = staff_client.post(IMPORT, {"files": [first, second], "task": "1.2"})

    assert "Imported: 2 created, 0 updated, 0 unchanged." in response.content.decode()
    assert sorted(uid[:7] for uid in Question.objects.values_list("uid", flat=True)) == ["gift-up", "uploade"]


@pytest.mark.django_db
def test_import_page_lists_errors(staff_client):
    upload = SimpleUploadedFile("bad.xml", b"<quiz><question>")

    response = staff_client.post(IMPORT, {"files": upload})

    html = response.content.decode()
    assert "Nothing imported: 1 error(s)." in html
    assert "bad.xml: line 1 column 17: not well-formed XML" in html
    assert not Question.objects.exists()


@pytest.mark.django_db
def test_import_page_refuses_files_over_the_limit(staff_client, settings):
    settings.QUESTION_IMPORT_MAX_BYTES = 10

    response = staff_client.post(IMPORT, {"files": SimpleUploadedFile("big.json", _bank(BANK_QUESTION))})

    assert "big.json: the file is" in response.content.decode()
    assert not Question.objects.exists()


@pytest.mark.django_db
def test_export_page_downloads_the_bank(staff_client):
    make_single_question(uid="to-export")

    response = staff_client.post(
        reverse("admin:questions_question_export"), {"format": "gift", "status": ["published"]}
    )

    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="quizapp-bank-')
    assert "::to-export::[markdown]" in response.content.decode()


@pytest.mark.django_db
def test_changelist_links_import_and_export(staff_client):
    html = staff_client.get(CHANGELIST).content.decode()

    assert reverse("admin:questions_question_import") in html
    assert reverse("admin:questions_question_export") in html
