"""exams.tokens: opaque per-item names, and answers posted with anyone else's (issue 15 §1)."""

import re

import pytest
from django.utils import timezone

from exams.attempts import record_answer, start_exam, start_practice
from exams.models import Response
from exams.tokens import MATCH, OPTION, ItemTokens, tokens_for
from tests.answers import item_fields
from tests.exams.conftest import make_bank
from tests.factories import BlueprintFactory

HTMX = {"HTTP_HX_REQUEST": "true"}


def test_tokens_are_short_opaque_distinct_and_map_back():
    tokens = ItemTokens(7, [11, 12, 13, 14], [11, 12, 13, 14, 15])

    names = [tokens.token_for(pk) for pk in (11, 12, 13, 14)]
    matches = [tokens.token_for(pk, MATCH) for pk in (11, 12, 13, 14, 15)]

    assert all(re.fullmatch(r"[a-z2-7]{8}", name) for name in names + matches)
    assert len(set(names)) == 4 and len(set(matches)) == 5
    assert not set(names) & set(matches), "a prompt and its match (one option row) have unrelated tokens"
    assert [tokens.option_for(name) for name in names] == [11, 12, 13, 14]
    assert [tokens.option_for(name, MATCH) for name in matches] == [11, 12, 13, 14, 15]
    assert tokens.option_for(names[0], MATCH) is None
    assert tokens.option_for("11") is None


def test_tokens_depend_on_the_item_and_on_the_secret_key(settings):
    first = ItemTokens(1, [5]).token_for(5)

    assert ItemTokens(2, [5]).token_for(5) != first
    settings.SECRET_KEY = "another-secret-key-" + "x" * 40
    assert ItemTokens(1, [5]).token_for(5) != first


def test_a_page_rendered_before_a_key_rotation_can_still_be_answered(settings):
    old = ItemTokens(3, [21, 22]).token_for(22)
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "the-new-secret-key-" + "y" * 40

    tokens = ItemTokens(3, [21, 22])

    assert tokens.token_for(22) != old
    assert tokens.option_for(old) == 22
    assert tokens.option_for(tokens.token_for(21)) == 21


def test_colliding_tokens_are_made_longer_so_every_option_keeps_its_own():
    """With 40-bit tokens a collision within one item is a one-in-10^10 event; force it with
    one-character tokens (32 values for 40 options) and every option still maps back."""
    options = list(range(1, 41))

    tokens = ItemTokens(9, options, length=1)

    names = [tokens.token_for(pk) for pk in options]
    assert len(set(names)) == 40
    assert all(len(name) == len(names[0]) > 1 for name in names)
    assert [tokens.option_for(name) for name in names] == options


def test_a_stored_answer_is_shown_in_tokens():
    tokens = ItemTokens(4, [1, 2, 3], [1, 2, 3, 4])

    assert tokens.public_answer([3, 1]) == [tokens.token_for(3), tokens.token_for(1)]
    assert tokens.public_answer({"1": 4}) == {tokens.token_for(1): tokens.token_for(4, MATCH)}
    assert tokens.public_answer(None) is None


# --- posting another item's or attempt's tokens -------------------------------------------------


@pytest.fixture
def two_exams(guest):
    """The guest's running mock and, over the same bank, a second guest's (same questions)."""
    from tests.factories import GuestOwnerFactory

    make_bank({1: 3, 2: 3, 3: 3, 4: 2, 5: 2}, types=("single", "multiple", "ordering", "matching"))
    blueprint = BlueprintFactory(minutes=30)
    mine = start_exam(guest.pk, blueprint, now=timezone.now())
    theirs = start_exam(GuestOwnerFactory().pk, blueprint, now=timezone.now())
    return mine, theirs


def _key_fields(item):
    return item_fields(item, item.snapshot["key"])


@pytest.mark.django_db
def test_the_right_answer_in_another_items_tokens_is_a_400_and_changes_nothing(client, two_exams):
    mine, _theirs = two_exams
    items = list(mine.items.select_related("attempt").order_by("position"))
    for item in items:
        record_answer(item, answer=[] if item.snapshot["type"] != "matching" else {}, seq=1, now=timezone.now())
    before = list(Response.objects.order_by("pk").values_list("item_id", "answer", "seq", "is_correct"))

    for item in items:
        # The same question's right answer, named by each other item's tokens.
        for other in items:
            if other.pk == item.pk or other.snapshot["type"] != item.snapshot["type"]:
                continue
            forged = item_fields(other, other.snapshot["key"])
            response = client.post(f"/exams/attempts/{mine.pk}/{item.position}/answer/", {"seq": 5, **forged}, **HTMX)
            assert response.status_code == 400, item.snapshot["type"]
            assert response["Content-Type"].startswith("text/plain")

    assert list(Response.objects.order_by("pk").values_list("item_id", "answer", "seq", "is_correct")) == before


@pytest.mark.django_db
def test_the_same_question_answered_with_another_attempts_tokens_is_a_400(client, two_exams):
    mine, theirs = two_exams
    by_question = {item.question_id: item for item in theirs.items.all()}
    shared = [item for item in mine.items.select_related("attempt") if item.question_id in by_question]
    assert shared, "the two mocks share questions"

    for item in shared:
        forged = _key_fields(by_question[item.question_id])
        response = client.post(f"/exams/attempts/{mine.pk}/{item.position}/answer/", {"seq": 1, **forged})

        assert response.status_code == 400
    assert not Response.objects.exists()
    # Not vacuous: the same answer in the item's own tokens is taken, and right.
    item = shared[0]
    assert (
        client.post(f"/exams/attempts/{mine.pk}/{item.position}/answer/", {"seq": 1, **_key_fields(item)}).status_code
        == 302
    )
    assert Response.objects.get().is_correct


@pytest.mark.django_db
def test_practice_refuses_a_replayed_answer_from_an_earlier_session(client, guest):
    """Answer a question in one session, then replay the same post into a new session that
    holds the same question: refused, and the new session has no answer."""
    make_bank({1: 1}, types=("ordering",))
    first = start_practice(guest.pk, scope={"kind": "all"}, count=1, language="en", now=timezone.now())
    second = start_practice(guest.pk, scope={"kind": "all"}, count=1, language="en", now=timezone.now())
    answered = first.items.get()
    post = {"seq": 1, **_key_fields(answered)}
    assert client.post(f"/exams/attempts/{first.pk}/1/answer/", post).status_code == 302

    replay = client.post(f"/exams/attempts/{second.pk}/1/answer/", post)

    assert replay.status_code == 400
    assert not Response.objects.filter(item__attempt=second).exists()


@pytest.mark.django_db
def test_a_no_js_move_names_the_item_by_its_token_only(client, guest):
    make_bank({1: 1}, types=("ordering",))
    session = start_practice(guest.pk, scope={"kind": "all"}, count=1, language="en", now=timezone.now())
    item = session.items.get()
    shown = [row["id"] for row in item.snapshot["options"]]

    by_id = client.post(f"/exams/attempts/{session.pk}/1/answer/", {"seq": 1, "move": f"{shown[1]}:up"})
    by_token = client.post(
        f"/exams/attempts/{session.pk}/1/answer/",
        {"seq": 1, "move": f"{tokens_for(item).token_for(shown[1], OPTION)}:up"},
    )

    assert by_id.status_code == 400
    assert by_token.status_code == 302
    assert by_token["Location"].split("?order=")[1].split(",")[0] == tokens_for(item).token_for(shown[1])


def test_a_token_is_the_base32_of_its_hmac_whatever_its_length():
    """The usual 8-character token is encoded by table look-ups: the same characters as
    base64.b32encode gives, for any digest (and for the longer tokens of a collision)."""
    import base64
    import hashlib
    import hmac

    from exams.tokens import _token

    key = hashlib.sha256(b"test").digest()
    for option_id in range(3000):
        digest = hmac.digest(key, f"7:o:{option_id}".encode(), "sha256")
        for length in (8, 16):
            expected = base64.b32encode(digest[: -(-length * 5 // 8)]).decode()[:length].lower()
            assert _token(key, 7, "o", option_id, length) == expected
