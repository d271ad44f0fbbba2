"""The language of a mock (issue 16 §1): it follows the interface by default, the candidate
may choose it, and each question stays in the language it was taken in."""

import pytest
from django.utils import translation

from exams.models import Attempt
from questions.models import Question
from tests.exams.conftest import make_bank
from tests.factories import BlueprintFactory, make_single_question

pytestmark = pytest.mark.django_db

FULL = {1: 3, 2: 3, 3: 3, 4: 2, 5: 2}
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def bilingual():
    """An English bank with Japanese translations of half its questions; an English-stored blueprint."""
    english = make_bank(FULL)
    for question in english[::2]:
        make_single_question(uid=question.uid, language="ja", task=question.task, stem="日本語の問題文です。")
    return BlueprintFactory(slug="bilingual", name="Bilingual", minutes=15, question_count=10, unscored_count=0)


def japanese(client):
    client.cookies["django_language"] = "ja"


def test_a_mock_started_in_japanese_is_drawn_in_japanese_with_english_fallback(client, guest, bilingual):
    japanese(client)

    client.post("/exams/bilingual/start/")

    attempt = Attempt.objects.get()
    assert attempt.language == "ja"
    translated = set(Question.objects.filter(language="ja").values_list("uid", flat=True))
    languages = {item.snapshot["uid"]: item.snapshot["language"] for item in attempt.items.all()}
    assert languages == {uid: "ja" if uid in translated else "en" for uid in languages}
    assert set(languages.values()) == {"ja", "en"}


def test_the_candidate_chooses_the_exam_language(client, guest, bilingual):
    japanese(client)

    client.post("/exams/bilingual/start/", {"language": "en"})

    attempt = Attempt.objects.get()
    assert attempt.language == "en"
    assert {item.snapshot["language"] for item in attempt.items.all()} == {"en"}


def test_an_unknown_language_falls_back_to_the_interface_language(client, guest, bilingual):
    client.post("/exams/bilingual/start/", {"language": "xx"})

    assert Attempt.objects.get().language == "en"


def test_the_list_and_the_start_page_offer_the_exam_language(client, bilingual):
    japanese(client)
    listing = client.get("/exams/").text
    start = client.get("/exams/bilingual/start/?language=en").text

    assert 'href="/exams/bilingual/start/?language=ja"' in listing
    assert 'href="?language=en"' in listing
    assert 'id="language-en" checked' in start


def test_the_start_page_as_htmx_and_for_an_unknown_blueprint(client, bilingual):
    assert 'name="language"' in client.get("/exams/bilingual/start/", **HTMX).text
    assert client.get("/exams/nope/start/").status_code == 404


def test_results_show_each_question_in_the_language_it_was_taken_in(client, guest, bilingual):
    japanese(client)
    client.post("/exams/bilingual/start/")
    attempt = Attempt.objects.get()
    client.post(f"/exams/attempts/{attempt.pk}/submit/")

    with translation.override("en"):
        client.cookies["django_language"] = "en"
        page = client.get(f"/exams/attempts/{attempt.pk}/results/?page=2").text

    taken = [item.snapshot["language"] for item in attempt.items.all()]
    assert page.count("日本語の問題文です。") == taken.count("ja") > 0
    assert page.count("no Japanese translation yet, so it is shown in English") == taken.count("en") > 0


def test_another_owner_cannot_see_a_japanese_mock(client, other_client, guest, bilingual):
    japanese(client)
    client.post("/exams/bilingual/start/")
    attempt = Attempt.objects.get()

    assert other_client.get(f"/exams/attempts/{attempt.pk}/1/").status_code == 404
