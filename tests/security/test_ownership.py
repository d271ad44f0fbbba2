"""The ownership matrix: nobody reaches another person's attempts, answers or sessions.

Every route that takes an object id is listed in MATRIX (owned objects: someone else gets
a 404 and nothing changes) or in NOT_OWNED (with the reason it names no person's object).
A new route with a parameter that is in neither fails ``test_every_route_with_an_id_is_covered``.
The admin is left to tests/security/test_access.py (staff only).
"""

import pytest
from django.test import Client
from django.urls import reverse

from exams.models import Bookmark
from notes.models import Note
from tests.answers import item_fields
from tests.factories import GuestOwnerFactory, UserFactory
from tests.main_pages import build_pages, right_answer
from tests.security.helpers import fingerprint, routes

pytestmark = pytest.mark.django_db


def _exam(scene):
    return scene.exam


def _answer(scene, position=3):
    item = scene.exam.items.get(position=position)
    return {"seq": "7", "spent": "1000", **item_fields(item, right_answer(item.snapshot))}


# name -> (methods, args from the victim's scene, POST data from the scene)
MATRIX = {
    "exams:attempt": (["GET"], lambda s: [s.exam.pk], None),
    "exams:question": (["GET"], lambda s: [s.exam.pk, 3], None),
    "exams:answer": (["POST"], lambda s: [s.exam.pk, 3], _answer),
    "exams:flag": (["POST"], lambda s: [s.exam.pk, 3], lambda s: {"state": "1", "seq": "1"}),
    "exams:review": (["GET"], lambda s: [s.exam.pk], None),
    "exams:submit": (["GET", "POST"], lambda s: [s.exam.pk], lambda s: {}),
    "exams:results": (["GET"], lambda s: [s.finished.pk], None),
    "practice:session": (["GET"], lambda s: [s.practice.pk], None),
    "practice:question": (["GET"], lambda s: [s.practice.pk, 5], None),
    "practice:original": (["GET"], lambda s: [s.japanese.pk, 1], None),
    "practice:finish": (["POST"], lambda s: [s.practice.pk], lambda s: {}),
    "practice:summary": (["GET"], lambda s: [s.practice.pk], None),
    "practice:mistakes": (["POST"], lambda s: [s.practice.pk], lambda s: {}),
    "practice:skip": (["POST"], lambda s: [s.practice.pk, 5], lambda s: {}),
    "practice:discard": (["POST"], lambda s: [s.practice.pk], lambda s: {}),
    "exams:retake": (["POST"], lambda s: [s.finished.pk], lambda s: {}),
    "exams:missed": (["POST"], lambda s: [s.finished.pk], lambda s: {}),
    "insights:self_grade": (["POST"], lambda s: [s.practice.pk, 1], lambda s: {"grade": "4"}),
}
# Routes whose parameter names something public, with the reason; each has its own check.
NOT_OWNED = {
    "exams:start": "a blueprint's slug: the mock exams are the same for everyone",
    "practice:bookmark": "a question's uid: the bookmark changed is always the requester's own",
    "notes:note": "a question's uid: the note written is always the requester's own",
    "questions:report_problem": "a question's uid: anyone may report a problem with a published question",
    "accounts:password_reset_confirm": "a signed one-time token: only whoever holds the mailed link gets in",
    "questions:image": "a question image named by the SHA-256 of its content: shown to whoever sees the question",
    "insights:others": "a question's uid: a bank-wide figure, shown only to whoever has a settled answer to it",
}


def test_every_route_with_an_id_is_covered():
    with_ids = {name or route for name, route, _view, parameters in routes() if parameters}
    with_ids = {name for name in with_ids if not name.startswith(("admin:", "/admin/"))}

    assert with_ids - MATRIX.keys() - NOT_OWNED.keys() == set(), "add the new route to MATRIX or NOT_OWNED"
    assert MATRIX.keys() | NOT_OWNED.keys() <= with_ids, "MATRIX or NOT_OWNED names a route that is gone"


def _intruder(kind: str) -> Client:
    client = Client()
    if kind == "user":
        client.force_login(UserFactory())
        client.get(reverse("dashboard"))  # the account's owner exists, like any active user's
    elif kind == "guest":
        session = client.session
        session["owner"] = [GuestOwnerFactory().pk, None]
        session.save()
    return client


@pytest.fixture
def scene():
    return build_pages(UserFactory())


def _send(client, method, url, data, headers=None):
    if method == "GET":
        return client.get(url, headers=headers or {})
    return client.post(url, data, headers=headers or {})


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_someone_else_gets_404_and_changes_nothing(scene, name):
    methods, args, data = MATRIX[name]
    url = reverse(name, args=args(scene))
    before = fingerprint()

    for intruder in ("user", "guest", "anonymous"):
        client = _intruder(intruder)
        for method in methods:
            for headers in ({}, {"HX-Request": "true", "HX-Target": "question-card"}):
                response = _send(client, method, url, data and data(scene), headers)
                assert response.status_code == 404, (intruder, method, headers, response.status_code)
                assert "HX-Redirect" not in response.headers

    after = fingerprint()
    # An intruder may at most have been given an owner of their own; nothing of the victim's changed.
    del before["owners"], after["owners"]
    assert after == before
    # Not vacuous: the same requests go through for the owner.
    owner = Client()
    owner.force_login(scene.owner.user)
    for method in methods:
        assert _send(owner, method, url, data and data(scene)).status_code in (200, 302), method


def test_someone_else_cannot_remove_or_see_a_bookmark(scene):
    uid = scene.practice.items.get(position=1).snapshot["uid"]
    assert Bookmark.objects.filter(owner=scene.owner, question_uid=uid).exists()
    client = _intruder("user")

    client.post(reverse("practice:bookmark", args=[uid]), {"state": "0"})
    listing = client.get(reverse("practice:bookmarks"))

    assert Bookmark.objects.filter(owner=scene.owner, question_uid=uid).exists()
    assert uid not in listing.content.decode()


def test_someone_else_cannot_change_or_see_a_note(scene):
    uid = scene.practice.items.get(position=1).snapshot["uid"]
    mine = Note.objects.get(owner=scene.owner, question_uid=uid)
    client = _intruder("user")

    client.post(reverse("notes:note", args=[uid]), {"text": ""})
    client.post(reverse("notes:note", args=[uid]), {"text": "Overwritten"})
    listing = client.get(reverse("notes:list"))
    feedback = client.get(reverse("practice:question", args=[scene.practice.pk, 1]))

    assert Note.objects.get(pk=mine.pk).text == mine.text
    assert mine.text not in listing.content.decode()
    assert feedback.status_code == 404


def test_report_dashboard_and_export_show_only_the_requesters_data(scene):
    uid = scene.practice.items.get(position=1).snapshot["uid"]
    owner_client = Client()
    owner_client.force_login(scene.owner.user)
    assert uid in b"".join(owner_client.get(reverse("insights:export")).streaming_content).decode()
    client = _intruder("user")

    export = b"".join(client.get(reverse("insights:export")).streaming_content).decode()
    report = client.get(reverse("insights:report")).content.decode()
    dashboard = client.get(reverse("dashboard")).content.decode()

    assert uid not in export
    assert "No answers yet" in report
    assert reverse("exams:attempt", args=[scene.exam.pk]) not in dashboard
    assert reverse("practice:session", args=[scene.practice.pk]) not in dashboard


def test_deleting_my_history_leaves_everyone_elses(scene):
    before = fingerprint()
    client = _intruder("user")

    response = client.post(reverse("insights:delete_history"), {"confirm": "on"})

    assert response.status_code in (200, 302)
    after = fingerprint()
    assert after["attempts"] == before["attempts"]
    assert after["responses"] == before["responses"]
    assert after["bookmarks"] == before["bookmarks"]
