"""A finished mock's review drawn in Python (exams/templatetags/review.py), with what is the same
for every reader of a question revision in one language kept in memory per process
(exams.review_markup): the same markup as the shared template (includes/question_review.html),
nothing of an attempt or a person in memory, and never one language's or one revision's
markup on another's page."""

import copy
import re

import pytest
from django.db import connection
from django.template import Context
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation

from exams import results as results_module
from exams import review_markup
from exams.attempts import record_answer, start_exam, submit_attempt
from exams.models import AttemptItem
from exams.results import forget_contents
from exams.templatetags.score_report import domain_rows, pacing_figure
from insights.templatetags.insights_others import others_did
from notes.models import Note
from questions.models import Question
from questions.revisions import revise
from quizapp.rendering import slug_url
from tests.exams.conftest import make_bank
from tests.exams.test_results_outcomes import _wrong_answer, same_page
from tests.exams.test_views_exam import exam_of_size
from tests.factories import BlueprintFactory, GuestOwnerFactory, as_guest
from tests.questions.test_adding_a_type import make_oddone_question, oddone  # noqa: F401 -- oddone: a fixture

pytestmark = pytest.mark.django_db

TYPES = ("single", "multiple", "ordering", "matching")


@pytest.fixture(autouse=True)
def _nothing_kept():
    review_markup.forget_markup()
    forget_contents()
    yield
    review_markup.forget_markup()
    forget_contents()


def finished_mock(owner):
    """A mock of four questions, one of each type: 1 answered right, 2 wrong, 3 and 4
    unanswered; 3 flagged."""
    attempt = exam_of_size(owner, 4)
    items = list(attempt.items.select_related("attempt").order_by("position"))
    record_answer(items[0], answer=items[0].snapshot["key"], seq=1, time_spent_ms=5000, now=timezone.now())
    record_answer(items[1], answer=_wrong_answer(items[1].snapshot), seq=1, time_spent_ms=5000, now=timezone.now())
    AttemptItem.objects.filter(attempt=attempt, position=3).update(flagged=True)
    submit_attempt(attempt, now=timezone.now())
    return attempt


def results(client, attempt, query="", **headers) -> str:
    return client.get(f"/exams/attempts/{attempt.pk}/results/{query}", **headers).text


def reviews(page: str) -> list[str]:
    """Each reviewed question's <div class="question-review">…</div>, its whitespace collapsed."""
    found = re.findall(r'<div class="question-review" hx-disable>.*?</div>\s*(?=<form id="note-)', page, re.S)
    return [squeeze(block) for block in found]


def squeeze(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r">\s+<", "><", html)).strip()


def test_each_question_is_what_the_shared_review_template_draws(client, guest):
    attempt = finished_mock(guest)
    page = results(client, attempt)

    expected = []
    for item in attempt.items.select_related("response").order_by("position"):
        answer = item.response.answer if hasattr(item, "response") else []
        html = render_to_string("includes/question_review.html", {"snapshot": item.snapshot, "answer": answer})
        expected.append(squeeze(html))
    assert sorted({item.snapshot["type"] for item in attempt.items.all()}) == sorted(TYPES)
    assert reviews(page) == expected


def test_a_page_from_memory_is_the_page_drawn_anew(client, guest):
    attempt = finished_mock(guest)

    cold = results(client, attempt)
    warm = results(client, attempt)

    assert same_page(warm) == same_page(cold)
    assert len(review_markup._kept) == 4


def test_nothing_of_an_attempt_or_a_person_is_kept(client, guest):
    attempt = finished_mock(guest)
    Note.objects.create(owner_id=guest.pk, question_uid=attempt.items.get(position=1).snapshot["uid"], text="Mine-42")

    page = results(client, attempt)

    assert "Mine-42" in page and "mark mark-" in page
    kept = repr(list(review_markup._kept.values()))
    for personal in (
        "Mine-42",
        "csrfmiddlewaretoken",
        f"/attempts/{attempt.pk}/",
        "Your answer",
        "is-chosen",
        "mark mark-",
    ):
        assert personal not in kept


def test_two_languages_never_share_markup(client, guest):
    attempt = finished_mock(guest)

    english = results(client, attempt)
    client.cookies["django_language"] = "ja"
    japanese = results(client, attempt)
    client.cookies["django_language"] = "en"
    english_again = results(client, attempt)

    assert english.count("<h3>Explanation</h3>") == 4 and english_again.count("<h3>Explanation</h3>") == 4
    assert "<h3>Explanation</h3>" not in japanese and japanese.count("<h3>解説</h3>") == 4
    assert "Domain 1:" in english and "Domain 1:" not in japanese
    assert len(review_markup._kept) == 8  # four revisions, two languages


def test_two_revisions_of_a_question_never_share_markup(client, guest):
    before = exam_of_size(guest, 1)
    submit_attempt(before, now=timezone.now())
    question = Question.objects.get(pk=before.items.get().question_id)
    question.stem = "An edited stem, revision two."
    question.save()
    revise([question.pk])
    after = start_exam(guest.pk, before.blueprint, now=timezone.now())
    submit_attempt(after, now=timezone.now())

    old, new = results(client, before), results(client, after)

    assert before.items.get().revision_id != after.items.get().revision_id
    assert "An edited stem, revision two." in new
    assert "An edited stem, revision two." not in old
    assert question.stem not in old and reviews(old)[0] != reviews(new)[0]
    assert same_page(results(client, before)) == same_page(old)


def test_the_review_reads_each_revision_once_per_process_and_joins_no_response(
    client, guest, django_assert_num_queries
):
    attempt = finished_mock(guest)
    other = exam_of_size(GuestOwnerFactory(), 4)  # other questions: their revisions not read yet
    submit_attempt(other, now=timezone.now())
    results(client, attempt)  # its revisions' contents and markup kept: the next page is warm

    # attempt, domain names, the page's items (with their answers and revisions' digests), notes
    with django_assert_num_queries(4), CaptureQueriesContext(connection) as warm:
        again = client.get(f"/exams/attempts/{attempt.pk}/results/")
    # ... and the revisions' contents, when this process has not read them before
    as_guest(client, GuestOwnerFactory.build(pk=other.owner_id))
    with django_assert_num_queries(5):
        cold = client.get(f"/exams/attempts/{other.pk}/results/")

    assert again.text.count('class="review-item"') == cold.text.count('class="review-item"') == 4
    review = [query["sql"] for query in warm if "exams_attemptitem" in query["sql"]]
    assert len(review) == 1
    assert "JOIN" not in review[0].upper().replace('INNER JOIN "QUESTIONS_QUESTIONREVISION"', "")
    assert "CONTENT" not in review[0].upper()


def test_candidates_sharing_revisions_each_see_their_own_order_and_answers(client, guest):
    attempt = finished_mock(guest)
    mine = results(client, attempt)
    kept = copy.deepcopy(results_module._contents)
    other_owner = GuestOwnerFactory()
    other = start_exam(other_owner.pk, attempt.blueprint, now=timezone.now())  # the same four questions
    submit_attempt(other, now=timezone.now())
    as_guest(client, other_owner)

    theirs = results(client, other)

    orders = {item.revision_id: item.snapshot for item in attempt.items.all()}
    for item in other.items.all():
        expected = render_to_string("includes/question_review.html", {"snapshot": item.snapshot, "answer": []})
        assert squeeze(expected) in reviews(theirs)
        assert item.revision_id in orders
    assert "mark mark-ok" in mine and theirs.count("Not answered") == 4
    assert results_module._contents == kept  # shared between requests, never changed by one


@pytest.mark.usefixtures("oddone")
def test_a_type_without_rows_in_python_is_reviewed_by_its_partial(client, guest):
    make_bank({})
    make_oddone_question()
    blueprint = BlueprintFactory(question_count=1, unscored_count=0)
    for number in (1, 2, 3, 4, 5):
        blueprint.domain_weights.create(domain_id=number, weight=int(number == 1))
    attempt = start_exam(guest.pk, blueprint, now=timezone.now())
    submit_attempt(attempt, now=timezone.now())

    page = results(client, attempt)

    assert "oddone" not in review_markup.ROWS
    assert page.count("data-odd-one-out-review") == 1 and "The odd one out" in page
    assert re.search(
        r'<div class="question-review" hx-disable>\s*<div class="stem"[^>]*>.*?data-odd-one-out-review', page, re.S
    )


def test_slug_urls_are_what_reverse_gives():
    page = Context()

    for uid in ("q-1", "d5-config_sagemaker-2", "x"):
        assert slug_url(page, "notes:note", uid) == reverse("notes:note", args=[uid])
        assert slug_url(page, "questions:report_problem", uid) == reverse("questions:report_problem", args=[uid])
    with pytest.raises(NoReverseMatch):
        slug_url(page, "notes:note", "not/a slug")


@pytest.mark.parametrize("language", ["en", "ja"])
def test_how_others_did_is_what_its_partial_draws(language):
    context = Context()
    context.render_context["first_tries"] = {"q-1": (40, 29), "q-<2>": (25, 5), "q-3": (19, 19)}
    with translation.override(language):
        drawn = {uid: others_did(context)(uid) for uid in ("q-1", "q-<2>", "q-3", "q-4")}
        partial = {
            uid: render_to_string("insights/includes/others_now.html", values)
            for uid, values in {
                "q-1": {"uid": "q-1", "share": 29 / 40, "candidates": 40},
                "q-<2>": {"uid": "q-<2>", "share": 5 / 25, "candidates": 25},
            }.items()
        }

    assert squeeze(drawn["q-1"]) == squeeze(partial["q-1"])
    assert squeeze(drawn["q-<2>"]) == squeeze(partial["q-<2>"])
    assert 'id="others-q-&lt;2&gt;"' in drawn["q-<2>"]
    assert drawn["q-3"] == drawn["q-4"] == ""  # below the minimum of candidates


def test_the_score_report_takes_numbers_only_and_speaks_the_page_language():
    from exams.grading import DomainResult

    rows = domain_rows([DomainResult(1, "<b>AI</b>", 3, 4), DomainResult(2, "Two", 1, 4), DomainResult(3, "Three")])
    pacing = {
        "measured": True,
        "width": 60,
        "budget_y": 40,
        "budget": 83,
        "over_budget": 1,
        "axis_middle": 40,
        "columns": [{"position": 1, "seconds": 120, "x": 30, "y": 10, "height": 100}],
    }
    with translation.override("ja"):
        figure = pacing_figure(pacing)

    assert '<th scope="row">1. &lt;b&gt;AI&lt;/b&gt;</th>' in rows
    assert rows.count("Meets competencies") == 1 and rows.count("Needs improvement") == 1
    assert "No scored questions" in rows
    assert "1 問あたり 83 秒" in figure and "目安を超えた問題は 1 問です。" in figure
    assert pacing_figure(pacing | {"measured": False}) == ""
    with pytest.raises(ValueError):
        pacing_figure(pacing | {"width": "<script>"})


def test_the_fixed_text_from_memory_follows_the_readers_language_and_filter(client, guest):
    attempt = finished_mock(guest)

    english = results(client, attempt, "?show=wrong")
    client.cookies["django_language"] = "ja"
    japanese = results(client, attempt, "?show=wrong")
    client.cookies["django_language"] = "en"
    every = results(client, attempt)

    assert "What next" in english and "Review answers" in english
    assert "What next" not in japanese and "次にすること" in japanese and "解答を見直す" in japanese
    current = re.compile(r'hx-get="\?show=(\w+)"[^>]*aria-current="true"')
    assert current.findall(english) == current.findall(japanese) == ["wrong"]
    assert current.findall(every) == ["all"]
    assert re.search(r'aria-current="true">不正解</a>', japanese)
    # per attempt, never from memory: the score, the forms' links and CSRF tokens
    assert f'action="/exams/attempts/{attempt.pk}/retake/"' in english
    for page in (english, every):  # the language switcher, retake, practise missed, a note per question
        assert page.count('name="csrfmiddlewaretoken"') == 3 + page.count('class="review-item"')
