"""Hostile and random posts to the answer, flag, bookmark and submit endpoints.

Whatever arrives — unknown ids, another question's options, wrong types, unicode,
repeated fields, huge values — the answer is a normal success or a 4xx that says what
was wrong, never a 500; and a refused request writes nothing.
"""

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from exams.models import AttemptItem
from exams.tokens import MATCH, tokens_for
from tests.factories import UserFactory
from tests.main_pages import build_pages
from tests.security.helpers import fingerprint

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=60,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
HTMX = {"HX-Request": "true", "HX-Target": "save-status"}
# Hostile ids are written into the URL by hand (reverse() refuses what the routes refuse).


@pytest.fixture
def world():
    """The candidate's scene, their logged-in client, and every name an option has: each
    item's tokens (options and matches: the right item's and every other's) and the bare ids."""
    user = UserFactory()
    scene = build_pages(user)
    client = Client(raise_request_exception=False)
    client.force_login(user)
    names = set()
    for item in AttemptItem.objects.all():
        tokens = tokens_for(item)
        for row in item.snapshot["options"]:
            names |= {str(row["id"]), tokens.token_for(row["id"])}
        for row in item.snapshot.get("matches", []):
            names |= {str(row["id"]), tokens.token_for(row["id"], MATCH)}
    return scene, client, sorted(names)


def hostile_values(option_ids):
    """Values a forged post might carry: tokens and ids (this item's or another's), junk, extremes."""
    return st.one_of(
        st.sampled_from(option_ids),
        st.integers(min_value=-(2**70), max_value=2**70).map(str),
        st.sampled_from(["", " ", "0", "-1", "1e9", "0x10", "NaN", "null", "[]", "{}", "١٢", "𝟙", "\u202e7", "1;2"]),
        st.text(max_size=40),
        st.just("9" * 5000),
        st.just("x" * 20_000),
    )


FIELD_NAMES = ["choice", "order", "seq", "spent", "confidence", "move", "state", "go", "next", "match-", "language"]


def hostile_posts(option_ids):
    """A form body: known and odd field names, each with one or several hostile values."""
    names = st.one_of(
        st.sampled_from(FIELD_NAMES),
        st.sampled_from([f"match-{pk}" for pk in option_ids] + ["match-x", "match--1", "match-" + "9" * 30]),
        st.text(min_size=1, max_size=20),
    )
    return st.dictionaries(names, st.lists(hostile_values(option_ids), min_size=1, max_size=4), max_size=6)


def assert_handled(response, before):
    assert response.status_code < 500, response.content[:300]
    if 400 <= response.status_code < 500:
        assert response.content.strip(), "a refusal must say what was wrong"
        assert fingerprint() == before, "a refused request wrote to the database"


@pytest.mark.parametrize("mode", ["exam", "practice"])
def test_fuzzed_answers_never_fail_the_server(world, mode):
    scene, client, option_ids = world
    attempt = scene.exam if mode == "exam" else scene.practice
    positions = st.sampled_from([1, 2, 3, 5, 8, 10, 0, 11, 2**31, 10**18 - 1, 2**63 + 5])
    attempts = st.sampled_from([attempt.pk, scene.finished.pk, 0, 987654, 10**18 - 1, 2**64])

    @FUZZ
    @given(pk=attempts, position=positions, data=hostile_posts(option_ids), htmx=st.booleans())
    def run(pk, position, data, htmx):
        before = fingerprint()
        response = client.post(f"/exams/attempts/{pk}/{position}/answer/", data, headers=HTMX if htmx else {})
        assert_handled(response, before)

    run()


def test_fuzzed_flags_never_fail_the_server(world):
    scene, client, option_ids = world

    @FUZZ
    @given(
        pk=st.sampled_from([scene.exam.pk, scene.practice.pk, scene.finished.pk, 0, 2**64]),
        position=st.sampled_from([1, 2, 10, 11, 0, 2**63 + 5]),
        data=hostile_posts(option_ids),
        htmx=st.booleans(),
    )
    def run(pk, position, data, htmx):
        before = fingerprint()
        response = client.post(f"/exams/attempts/{pk}/{position}/flag/", data, headers=HTMX if htmx else {})
        assert_handled(response, before)

    run()


def test_fuzzed_bookmarks_never_fail_the_server(world):
    scene, client, option_ids = world
    uids = list(AttemptItem.objects.values_list("revision__content__uid", flat=True))
    slug = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789-_%é漢", min_size=1, max_size=300)

    @FUZZ
    @given(uid=st.one_of(st.sampled_from(uids), slug), data=hostile_posts(option_ids), htmx=st.booleans())
    def run(uid, data, htmx):
        before = fingerprint()
        response = client.post(f"/practice/bookmarks/{uid}/", data, headers=HTMX if htmx else {})
        assert_handled(response, before)

    run()


def test_fuzzed_submits_never_fail_the_server(world):
    scene, client, option_ids = world

    @FUZZ
    @given(
        pk=st.sampled_from([scene.exam.pk, scene.finished.pk, scene.practice.pk, 0, 2**64]),
        data=hostile_posts(option_ids),
        htmx=st.booleans(),
    )
    def run(pk, data, htmx):
        before = fingerprint()
        response = client.post(f"/exams/attempts/{pk}/submit/", data, headers=HTMX if htmx else {})
        assert_handled(response, before)

    run()


@pytest.mark.parametrize(
    "body, content_type",
    [
        (b'{"choice": [1, 2], "seq": 1}', "application/json"),
        (b"\xff\xfe\x00garbage\x00" * 100, "application/octet-stream"),
        (b"choice=%ZZ&seq=%ff%fe", "application/x-www-form-urlencoded"),
        (b"--broken\r\nContent-Disposition: form-data\r\n\r\n", "multipart/form-data; boundary=broken"),
        (b"--x\r\n", "multipart/form-data"),
    ],
)
def test_odd_request_bodies_are_refused_cleanly(world, body, content_type):
    scene, client, _option_ids = world
    before = fingerprint()

    for url in (
        reverse("exams:answer", args=[scene.exam.pk, 3]),
        reverse("exams:flag", args=[scene.exam.pk, 3]),
        reverse("practice:bookmark", args=[scene.practice.items.get(position=6).snapshot["uid"]]),
    ):
        response = client.post(url, body, content_type=content_type)
        assert 400 <= response.status_code < 500, (url, response.status_code)
    assert fingerprint() == before


def test_huge_bodies_and_too_many_fields_are_refused(world):
    scene, client, _option_ids = world
    url = reverse("exams:answer", args=[scene.exam.pk, 3])
    before = fingerprint()

    too_big = client.post(url, {"seq": "1", "choice": "1" * (3 * 1024 * 1024)})
    too_many = client.post(url, {f"field{n}": "1" for n in range(1500)} | {"seq": "1"})

    assert too_big.status_code == 400
    assert too_many.status_code == 400
    assert fingerprint() == before


def test_another_items_option_is_refused_with_a_message(world):
    scene, client, option_ids = world
    before = fingerprint()
    other = scene.practice.items.get(position=1)
    foreign = tokens_for(other).token_for(other.snapshot["options"][0]["id"])

    for item in scene.exam.items.order_by("position"):
        snapshot, tokens = item.snapshot, tokens_for(item)
        first = tokens.token_for(snapshot["options"][0]["id"])
        field = {"single": "choice", "multiple": "choice", "ordering": "order"}.get(snapshot["type"])
        data = {field: [foreign]} if field else {f"match-{first}": foreign}
        if snapshot["type"] == "ordering":
            data = {"order": [tokens.token_for(row["id"]) for row in snapshot["options"][1:]] + [foreign]}

        response = client.post(reverse("exams:answer", args=[scene.exam.pk, item.position]), {"seq": "9"} | data)

        assert response.status_code == 400, snapshot["type"]
        assert "of this question" in response.content.decode(), snapshot["type"]
    assert fingerprint() == before
