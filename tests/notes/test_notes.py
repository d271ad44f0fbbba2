"""Private notes: written inline on practice feedback and a finished mock's review, listed on
their own page, exported and deleted with the history, deleted with the account, and kept
by a guest who signs up."""

import csv
import io

import pytest
from django.utils import timezone

from accounts.models import Owner
from exams.attempts import record_answer, start_exam, start_practice, submit_attempt
from insights.history import EXPORT_COLUMNS, delete_history
from notes.models import MAX_NOTE_LENGTH, Note, save_note
from tests.exams.conftest import make_bank
from tests.exams.test_views_exam import answer_post, htmx
from tests.factories import (
    BlueprintFactory,
    GuestOwnerFactory,
    NoteFactory,
    OwnerFactory,
    make_single_question,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def question():
    make_bank({1: 1})
    return make_single_question(stem="Which service <b>filters</b> prompts?")


@pytest.fixture
def practice(guest):
    make_bank({1: 3})
    return start_practice(guest.pk, scope={"kind": "all"}, count=3, language="en", now=timezone.now())


def first_item(attempt):
    return attempt.items.select_related("attempt").get(position=1)


# --- writing a note ---------------------------------------------------------------------------


def test_a_plain_post_saves_the_note_and_goes_back(client, guest, question):
    response = client.post(f"/notes/{question.uid}/", {"text": "  Guardrails, not WAF.  ", "next": "/practice/"})

    assert response.status_code == 302
    assert response["Location"] == "/practice/"
    note = Note.objects.get()
    assert (note.owner, note.question_uid, note.text) == (guest, question.uid, "Guardrails, not WAF.")


def test_an_htmx_post_returns_the_form_saying_saved(client, guest, question):
    response = client.post(f"/notes/{question.uid}/", {"text": "First"}, **htmx(f"note-{question.uid}"))
    client.post(f"/notes/{question.uid}/", {"text": "Second"}, **htmx(f"note-{question.uid}"))

    assert response.status_code == 200
    assert response.text.lstrip().startswith(f'<form id="note-{question.uid}"')
    assert "Saved" in response.text
    assert ">First</textarea>" in response.text
    assert list(Note.objects.values_list("text", flat=True)) == ["Second"]


def test_an_empty_note_deletes_it(client, guest, question):
    NoteFactory(owner=guest, question_uid=question.uid)

    response = client.post(f"/notes/{question.uid}/", {"text": "   "}, **htmx(f"note-{question.uid}"))

    assert "Note deleted" in response.text
    assert not Note.objects.exists()


def test_a_visitor_without_an_owner_gets_a_guest_owner_for_a_note(client, question):
    client.post(f"/notes/{question.uid}/", {"text": "Mine"})

    assert Note.objects.get().owner.is_guest


def test_a_note_that_is_too_long_is_refused_with_a_message(client, guest, question):
    response = client.post(
        f"/notes/{question.uid}/", {"text": "x" * (MAX_NOTE_LENGTH + 1)}, **htmx(f"note-{question.uid}")
    )

    assert response.status_code == 200
    assert 'aria-invalid="true"' in response.text
    assert "at most 2000 characters" in response.text
    assert not Note.objects.exists()


@pytest.mark.parametrize("status", ["draft", "retired"])
def test_a_question_no_candidate_can_see_takes_no_note(client, guest, status):
    make_bank({1: 1})
    hidden = make_single_question(status=status)

    assert client.post(f"/notes/{hidden.uid}/", {"text": "x"}).status_code == 404
    assert client.post("/notes/no-such-question/", {"text": "x"}).status_code == 404
    assert not Note.objects.exists()


def test_a_note_on_a_retired_question_can_still_be_deleted(client, guest):
    make_bank({1: 1})
    retired = make_single_question(status="retired")
    NoteFactory(owner=guest, question_uid=retired.uid)

    client.post(f"/notes/{retired.uid}/", {"text": ""})

    assert not Note.objects.exists()


def test_a_note_is_the_requesters_own(client, other_client, guest, question):
    NoteFactory(owner=guest, question_uid=question.uid, text="Guest's secret")

    other_client.post(f"/notes/{question.uid}/", {"text": ""})
    other_client.post(f"/notes/{question.uid}/", {"text": "Theirs"})
    listing = other_client.get("/notes/")

    assert Note.objects.get(owner=guest).text == "Guest's secret"
    assert Note.objects.get(owner=other_client.owner).text == "Theirs"
    assert "Guest's secret" not in listing.text


def test_next_must_be_a_local_page(client, guest, question):
    response = client.post(f"/notes/{question.uid}/", {"text": "x", "next": "https://evil.example/"})

    assert response["Location"] == "/notes/"


# --- where notes show ---------------------------------------------------------------------------


def test_practice_feedback_shows_the_note_escaped_and_the_question_form_does_not(client, guest, practice):
    current = first_item(practice)
    uid = current.snapshot["uid"]
    NoteFactory(owner=guest, question_uid=uid, text='<script>alert("x")</script> hx-get="/"')

    before = client.get(f"/practice/{practice.pk}/1/")
    feedback = client.post(f"/exams/attempts/{practice.pk}/1/answer/", answer_post(current), **htmx("question-card"))
    page = client.get(f"/practice/{practice.pk}/1/")

    assert f'id="note-{uid}"' not in before.text
    for text in (feedback.text, page.text):
        assert f'id="note-{uid}-text"' in text
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; hx-get=&quot;/&quot;</textarea>" in text
        assert "<script>alert" not in text
    assert f'name="next" value="/practice/{practice.pk}/1/"' in feedback.text


def test_practice_feedback_shows_an_empty_note_form_when_there_is_none(client, guest, practice):
    current = first_item(practice)

    feedback = client.post(f"/exams/attempts/{practice.pk}/1/answer/", answer_post(current), **htmx("question-card"))

    assert (
        f'id="note-{current.snapshot["uid"]}-text" name="text" rows="3" maxlength="2000"></textarea>' in feedback.text
    )


def test_a_running_mock_shows_no_note_and_its_results_do(client, guest):
    make_bank({1: 2, 2: 2, 3: 2, 4: 2, 5: 2})
    exam = start_exam(guest.pk, BlueprintFactory(question_count=5, unscored_count=0), now=timezone.now())
    uid = first_item(exam).snapshot["uid"]
    NoteFactory(owner=guest, question_uid=uid, text="My mock note")

    question = client.get(f"/exams/attempts/{exam.pk}/1/")
    review = client.get(f"/exams/attempts/{exam.pk}/review/")
    submit_attempt(exam, now=timezone.now())
    results = client.get(f"/exams/attempts/{exam.pk}/results/")

    assert "My mock note" not in question.text
    assert "My mock note" not in review.text
    assert "My mock note" in results.text
    assert results.text.count('class="note-form"') == 5


def test_another_owners_note_never_shows(client, guest, practice):
    current = first_item(practice)
    NoteFactory(question_uid=current.snapshot["uid"], text="Someone else's")

    feedback = client.post(f"/exams/attempts/{practice.pk}/1/answer/", answer_post(current), **htmx("question-card"))

    assert "Someone else" not in feedback.text


def test_the_list_shows_each_note_with_its_question_in_the_interface_language(client, guest, question):
    make_single_question(uid=question.uid, language="ja", stem="プロンプトを絞り込むサービスはどれですか。")
    NoteFactory(owner=guest, question_uid=question.uid, text="Bedrock Guardrails")
    NoteFactory(owner=guest, question_uid="gone-from-the-bank", text="Old one")

    english = client.get("/notes/")
    japanese = client.get("/notes/", HTTP_ACCEPT_LANGUAGE="ja")

    assert "Which service &lt;b&gt;filters&lt;/b&gt; prompts?" in english.text
    assert "Bedrock Guardrails</textarea>" in english.text
    assert "This question is no longer in the bank." in english.text
    assert "プロンプトを絞り込むサービスはどれですか。" in japanese.text


def test_the_list_of_a_new_visitor_is_empty(client):
    response = client.get("/notes/")

    assert response.status_code == 200
    assert "No notes yet." in response.text


# --- history, account, sign-up --------------------------------------------------------------------


def _export(owner_id):
    from insights.history import export_rows

    return list(csv.DictReader(io.StringIO("".join(export_rows(owner_id)))))


def test_the_export_carries_each_note_on_its_answers_and_notes_without_answers_on_their_own(guest, practice):
    now = timezone.now()
    current = first_item(practice)
    record_answer(current, answer=current.snapshot["key"], seq=1, confidence="", now=now, time_spent_ms=0)
    answered_uid = current.snapshot["uid"]
    NoteFactory(owner=guest, question_uid=answered_uid, text='Say "yes", then\nmore')
    NoteFactory(owner=guest, question_uid="never-answered", text="Only a note")
    NoteFactory(question_uid=answered_uid, text="Not mine")

    rows = _export(guest.pk)

    assert list(rows[0]) == EXPORT_COLUMNS
    assert [(row["question_uid"], row["note"]) for row in rows] == [
        (answered_uid, 'Say "yes", then\nmore'),
        ("never-answered", "Only a note"),
    ]
    assert rows[0]["correct"] == "yes"
    assert rows[1]["answered_at"] == rows[1]["mode"] == rows[1]["correct"] == ""


def test_deleting_the_history_deletes_the_notes_and_only_the_owners(guest):
    NoteFactory(owner=guest)
    theirs = NoteFactory()

    delete_history(guest.pk)

    assert list(Note.objects.all()) == [theirs]


def test_deleting_the_account_deletes_its_notes(client):
    account = OwnerFactory()
    NoteFactory(owner=account)
    client.force_login(account.user)

    response = client.post("/accounts/delete/", {"password": "correct horse battery staple", "confirm": "on"})

    assert response.status_code == 302
    assert not Note.objects.exists()


def test_sign_up_keeps_the_guests_notes(client, guest, question):
    client.post(f"/notes/{question.uid}/", {"text": "Before I had an account"})

    client.post(
        "/accounts/signup/",
        {"username": "noter", "password1": "a-long-unusual-passphrase", "password2": "a-long-unusual-passphrase"},
    )

    account = Owner.objects.get(user__username="noter")
    assert list(Note.objects.values_list("owner_id", "text")) == [(account.pk, "Before I had an account")]


def test_a_second_devices_notes_merge_and_both_texts_of_one_question_stay():
    account, guest = OwnerFactory(), GuestOwnerFactory()
    NoteFactory(owner=account, question_uid="both", text="Account's")
    NoteFactory(owner=account, question_uid="same", text="Same text")
    NoteFactory(owner=guest, question_uid="both", text="Guest's")
    NoteFactory(owner=guest, question_uid="same", text="Same text")
    NoteFactory(owner=guest, question_uid="guest-only", text="New")

    guest.merge_into(account)

    assert dict(Note.objects.values_list("question_uid", "text")) == {
        "both": "Account's\n\nGuest's",
        "same": "Same text",
        "guest-only": "New",
    }
    assert set(Note.objects.values_list("owner_id", flat=True)) == {account.pk}


def test_save_note_writes_strips_and_deletes():
    owner = GuestOwnerFactory()

    assert save_note(owner.pk, "q-1", "  one ").text == "one"
    assert save_note(owner.pk, "q-1", "two").text == "two"
    assert save_note(owner.pk, "q-1", "") is None
    assert not Note.objects.exists()
