"""A mock's question page builds its links without a reverse per link and serves its fixed
labels from memory per language ({% perlanguage %}): the links must stay exams/urls.py's, the
labels the reader's language, and everything per person (CSRF tokens, flag, answer) per request."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from exams.attempts import start_exam
from exams.views.mock import exam_urls
from tests.exams.conftest import make_bank
from tests.factories import BlueprintFactory

pytestmark = pytest.mark.django_db

CARD = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "question-card"}


@pytest.fixture
def exam(guest):
    make_bank({1: 1, 2: 1, 3: 1, 4: 1, 5: 1})
    return start_exam(guest.pk, BlueprintFactory(question_count=5, unscored_count=0), now=timezone.now())


@pytest.mark.parametrize("pk", [1, 42, 2**40])
@pytest.mark.parametrize("position", [1, 3, 5])
def test_the_links_are_what_reverse_gives(pk, position):
    urls = exam_urls(pk, position, total=5)

    for name in ("attempt", "review", "submit"):
        assert urls[name] == reverse(f"exams:{name}", args=[pk])
    assert urls["flag"] == reverse("exams:flag", args=[pk, position])
    assert urls["answer"] == reverse("exams:answer", args=[pk, position])
    assert urls["previous"] == (reverse("exams:question", args=[pk, position - 1]) if position > 1 else None)
    assert urls["next"] == (reverse("exams:question", args=[pk, position + 1]) if position < 5 else None)


@pytest.mark.parametrize("script_prefix", ["/", "/quiz/"])
def test_the_attempt_link_is_what_reverse_gives_under_any_script_prefix(script_prefix):
    from django.urls import get_script_prefix, set_script_prefix

    from exams.views.mock import attempt_url

    before = get_script_prefix()
    set_script_prefix(script_prefix)
    try:
        assert [attempt_url(pk) for pk in (1, 7_340_033, 2**40)] == [
            reverse("exams:attempt", args=[pk]) for pk in (1, 7_340_033, 2**40)
        ]
        assert attempt_url(5).startswith(script_prefix)
    finally:
        set_script_prefix(before)


@pytest.mark.parametrize("position", [1, 3, 5])
def test_page_and_card_carry_the_links_of_their_question(client, exam, position):
    pk = exam.pk
    page = client.get(reverse("exams:question", args=[pk, position])).text
    card = client.get(reverse("exams:question", args=[pk, position]), **CARD).text

    for html in (page, card):
        assert f'action="{reverse("exams:flag", args=[pk, position])}"' in html
        assert f'action="{reverse("exams:answer", args=[pk, position])}"' in html
        nav = re.findall(r'data-nav="([^"]+)"', html)
        expected = []
        if position > 1:
            expected.append(reverse("exams:question", args=[pk, position - 1]))
        following = ("exams:review", [pk]) if position == 5 else ("exams:question", [pk, position + 1])
        expected.append(reverse(following[0], args=following[1]))
        assert nav == expected
    assert f'data-exam-url="{reverse("exams:attempt", args=[pk])}"' in page
    assert f'href="{reverse("exams:review", args=[pk])}"' in page
    assert f'action="{reverse("exams:submit", args=[pk])}"' in page


def test_the_flag_form_a_toggle_returns_keeps_its_link(client, exam):
    response = client.post(reverse("exams:flag", args=[exam.pk, 2]), {"state": "1"}, HTTP_HX_REQUEST="true")

    assert f'action="{reverse("exams:flag", args=[exam.pk, 2])}"' in response.text
    assert 'aria-pressed="true"' in response.text


def test_labels_follow_each_readers_language(client, exam):
    url = reverse("exams:question", args=[exam.pk, 1])
    english = client.get(url).text
    client.cookies["django_language"] = "ja"
    japanese, japanese_card = client.get(url).text, client.get(url, **CARD).text
    client.cookies["django_language"] = "en"

    for label in ("Keyboard shortcuts", "Time left", "Flag for review", "framed: this question", "Next"):
        assert label in english
        assert label not in japanese
    assert "Flag for review" not in japanese_card
    assert "Keyboard shortcuts" in client.get(url).text


def test_what_is_per_person_stays_per_request(client, exam):
    """Every form keeps its CSRF token, and each question its own flag."""
    url = reverse("exams:question", args=[exam.pk, 1])
    client.post(reverse("exams:flag", args=[exam.pk, 1]), {"state": "1"})

    first, card = client.get(url).text, client.get(url, **CARD).text

    assert first.count('name="csrfmiddlewaretoken"') == 3  # flag, answer, auto-submit
    assert card.count('name="csrfmiddlewaretoken"') == 2
    assert 'aria-pressed="true"' in first and 'aria-pressed="true"' in card
    unflagged = client.get(reverse("exams:question", args=[exam.pk, 2])).text
    assert 'aria-pressed="false"' in unflagged


def test_the_navigator_rows_are_the_orm_rows(client, exam):
    """navigator_rows runs SQL the ORM compiled once: the same rows as the ORM query, answered,
    flagged and untouched items alike, for this attempt only."""
    import json

    from django.db.models import TextField
    from django.db.models.functions import Cast

    from exams.models import AttemptItem
    from tests.exams.test_views_exam import answer_post, item

    client.post(reverse("exams:answer", args=[exam.pk, 2]), answer_post(item(exam, 2)))
    client.post(reverse("exams:flag", args=[exam.pk, 4]), {"state": "1"})
    other = start_exam(exam.owner_id, BlueprintFactory(question_count=5, unscored_count=0), now=timezone.now())

    rows = AttemptItem.objects.navigator_rows(exam.pk)

    expected = list(
        exam.items.order_by("position")
        .annotate(a=Cast("response__answer", TextField()))
        .values_list("position", "flagged", "a", "revision__part_count")
    )
    assert rows == expected
    assert [row[0] for row in rows] == [1, 2, 3, 4, 5]
    assert [row[1] for row in rows] == [False, False, False, True, False]
    assert [row[2] is not None for row in rows] == [False, True, False, False, False]
    assert json.loads(rows[1][2]) == item(exam, 2).response.answer
    assert rows[1][3] == len(item(exam, 2).snapshot["key"])
    assert [row[0] for row in AttemptItem.objects.navigator_rows(other.pk)] == [1, 2, 3, 4, 5]


def test_the_navigator_and_the_outcomes_look_responses_up_instead_of_joining_them(exam):
    """A join leaves the plan to table statistics: with stale ones (the responses of exam day
    grow from none within the hour) PostgreSQL hashed the whole response table for every
    question page and every submit. Per-item lookups by the unique index cannot do that."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from exams.models import _navigator_plan
    from exams.results import compute_outcomes

    with CaptureQueriesContext(connection) as queries:
        outcomes = compute_outcomes(exam)

    assert "JOIN" not in _navigator_plan(connection.alias)[0].upper()
    assert [len(outcomes), len(queries.captured_queries)] == [5, 1]
    assert '"exams_response"' in queries[0]["sql"]
    assert 'JOIN "exams_response"' not in queries[0]["sql"]
