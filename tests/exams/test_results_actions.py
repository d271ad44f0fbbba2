"""The results page's next steps (issue 16): "Retake" and "Practise the ones I missed"."""

import pytest
from django.utils import timezone

from exams.attempts import record_answer, set_flag, start_exam, submit_attempt
from exams.models import Attempt
from tests.exams.conftest import make_bank
from tests.factories import BlueprintFactory

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def finished(guest):
    """A 10-question mock: 1–4 right, 5 right but flagged, 6–7 wrong, 8–10 unanswered."""
    make_bank({1: 6, 2: 6, 3: 6, 4: 6, 5: 6})
    blueprint = BlueprintFactory(slug="ten", question_count=10, unscored_count=0, minutes=20)
    attempt = start_exam(guest.pk, blueprint, now=timezone.now())
    now = timezone.now()
    for item in attempt.items.select_related("attempt").order_by("position")[:7]:
        right = item.position <= 5
        key = item.snapshot["key"]
        wrong = [row["id"] for row in item.snapshot["options"] if not row["correct"]][:1]
        record_answer(item, answer=key if right else wrong, seq=1, now=now)
        if item.position == 5:
            set_flag(item, flagged=True, now=now)
    submit_attempt(attempt, now=now)
    return attempt


def test_results_offer_retake_and_practise_the_ones_i_missed(client, finished):
    page = client.get(f"/exams/attempts/{finished.pk}/results/").text

    assert f'action="/exams/attempts/{finished.pk}/retake/"' in page
    assert f'action="/exams/attempts/{finished.pk}/missed/"' in page


def test_practise_the_ones_i_missed_takes_wrong_flagged_and_unanswered_in_order(client, finished):
    response = client.post(f"/exams/attempts/{finished.pk}/missed/")

    session = Attempt.objects.get(mode="practice")
    assert response["Location"] == f"/practice/{session.pk}/1/"
    missed = list(finished.items.filter(position__gte=5).order_by("position").values_list("question__uid", flat=True))
    assert list(session.items.order_by("position").values_list("question__uid", flat=True)) == missed
    assert session.language == finished.language


def test_retake_draws_a_new_mock_preferring_unseen_questions(client, finished):
    response = client.post(f"/exams/attempts/{finished.pk}/retake/")

    retake = Attempt.objects.get(mode="exam", status="in_progress")
    assert response["Location"] == f"/exams/attempts/{retake.pk}/"
    assert retake.blueprint == finished.blueprint and retake.language == finished.language
    seen = set(finished.items.values_list("question__uid", flat=True))
    # 6 questions per domain, at most 3 seen in each: the retake takes unseen ones only.
    assert not seen & set(retake.items.values_list("question__uid", flat=True))


def test_neither_works_on_a_running_mock(client, guest):
    make_bank({1: 4, 2: 4, 3: 4, 4: 4, 5: 4})
    running = start_exam(guest.pk, BlueprintFactory(question_count=10, unscored_count=0), now=timezone.now())

    assert client.post(f"/exams/attempts/{running.pk}/missed/").status_code == 404
    assert client.post(f"/exams/attempts/{running.pk}/retake/").status_code == 404
    assert not Attempt.objects.filter(mode="practice").exists()


def test_htmx_posts_redirect_too(client, finished):
    response = client.post(f"/exams/attempts/{finished.pk}/missed/", **HTMX)

    assert response.status_code == 302


@pytest.mark.parametrize("action", ["retake", "missed"])
def test_another_owner_gets_404(other_client, finished, action):
    assert other_client.post(f"/exams/attempts/{finished.pk}/{action}/").status_code == 404
    assert Attempt.objects.count() == 1
