import pytest
from django.urls import reverse

from questions.statistics import item_statistics_for
from tests.factories import GuestOwnerFactory, QuestionFactory, UserFactory, make_single_question

from .helpers import NOW, answer

URL = reverse("admin:insights_itemstatistic_changelist")


@pytest.fixture
def staff(client):
    user = UserFactory(is_staff=True)
    client.force_login(user)
    return user


def _answered(question, *, right: int, wrong: int):
    options = {option.position: option.pk for option in question.options.all()}
    for index in range(right + wrong):
        correct = index < right
        answer(
            question,
            owner=GuestOwnerFactory(),
            correct=correct,
            at=NOW,
            ms=20_000,
            answer_value=[options[0] if correct else options[1]],
        )


@pytest.mark.django_db
def test_item_statistics_page_shows_each_questions_figures(client, staff):
    question = make_single_question(uid="bedrock-pricing")
    _answered(question, right=3, wrong=1)

    response = client.get(URL)

    page = response.content.decode()
    row = response.context["cl"].result_list[0]
    assert (row.uid, row.stats.answered, row.stats.facility) == ("bedrock-pricing", 4, 0.75)
    assert "0.75" in page
    assert "Choice 1 (1)" in page
    assert "20 s" in page


@pytest.mark.django_db
def test_item_statistics_suspicious_filter(client, staff):
    too_easy, fine = make_single_question(uid="too-easy"), make_single_question(uid="fine")
    _answered(too_easy, right=10, wrong=0)
    _answered(fine, right=6, wrong=4)

    response = client.get(URL, {"suspicious": "yes"})

    assert [row.uid for row in response.context["cl"].result_list] == ["too-easy"]
    assert "⚠ suspicious" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("rows", [1, 50])
def test_item_statistics_page_queries_do_not_grow_with_rows(client, staff, django_assert_num_queries, rows):
    for index in range(rows):
        question = make_single_question(uid=f"item-{index:02d}")
        _answered(question, right=1, wrong=1)

    # user, two filter choice lists, two counts, the rows, two for the statistics, two for
    # the sidebar's permissions (the session comes from the cache)
    with django_assert_num_queries(10):
        response = client.get(URL)

    assert len(response.context["cl"].result_list) == rows


@pytest.mark.django_db
def test_item_statistics_page_is_for_staff_only(client):
    client.force_login(UserFactory())

    response = client.get(URL)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


@pytest.mark.django_db
def test_item_statistics_page_is_read_only(client, staff):
    question = QuestionFactory()

    response = client.get(reverse("admin:insights_itemstatistic_change", args=[question.pk]))
    add = client.get(reverse("admin:insights_itemstatistic_add"))

    assert response.status_code == 200
    assert 'type="submit" value="Save"' not in response.content.decode()
    assert add.status_code == 403


@pytest.mark.django_db
def test_question_admin_gets_statistics_from_insights():
    question = make_single_question()
    _answered(question, right=1, wrong=3)

    stats = item_statistics_for([question.pk])

    assert stats[question.pk].facility == 0.25
