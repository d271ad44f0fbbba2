"""Tags are shown by name, in the interface language (issue 16 "Names, not slugs")."""

import pytest
from django.utils import timezone, translation

from exams.attempts import start_practice
from exams.models import Bookmark
from questions.models import Tag
from questions.tag_names import TAG_NAMES
from questions.transfer import _ensure_tags
from tests.factories import TagFactory, make_single_question

pytestmark = pytest.mark.django_db


def test_a_tag_shows_its_name_in_the_interface_language():
    tag = TagFactory(slug="rag", name="Retrieval-augmented generation (RAG)", name_ja="検索拡張生成 (RAG)")
    unnamed = TagFactory(slug="my-own", name="", name_ja="")

    with translation.override("ja"):
        assert tag.display_name == "検索拡張生成 (RAG)"
        assert unnamed.display_name == "my-own"
    with translation.override("en"):
        assert tag.display_name == "Retrieval-augmented generation (RAG)"


def test_every_bundled_tag_has_both_names():
    assert all(english and japanese for english, japanese in TAG_NAMES.values())


def test_an_imported_bundled_tag_gets_its_names():
    _ensure_tags({"prompt-engineering", "brand-new"})

    assert Tag.objects.get(slug="prompt-engineering").name_ja == "プロンプトエンジニアリング"
    assert Tag.objects.get(slug="brand-new").name == ""


def test_the_picker_and_the_practice_bar_name_tags(client, guest):
    tag = TagFactory(slug="prompt-engineering", name="Prompt engineering", name_ja="プロンプトエンジニアリング")
    make_single_question().tags.add(tag)

    picker = client.get("/practice/").text
    client.cookies["django_language"] = "ja"
    picker_ja = client.get("/practice/").text
    session = start_practice(
        guest.pk, scope={"kind": "tag", "value": "prompt-engineering"}, count=1, language="en", now=timezone.now()
    )
    question = client.get(f"/practice/{session.pk}/1/").text

    assert ">Prompt engineering (1)</option>" in picker
    assert ">プロンプトエンジニアリング (1)</option>" in picker_ja
    assert "· プロンプトエンジニアリング" in question


def test_bookmarks_list_stems_and_task_names_not_uids(client, guest):
    question = make_single_question(uid="some-slug-uid", stem="Which **service** hosts the model?")
    Bookmark.objects.create(owner=guest, question_uid=question.uid)

    page = client.get("/practice/bookmarks/").text

    assert "Which service hosts the model?" in page
    assert "some-slug-uid</p>" not in page and "some-slug-uid ·" not in page
    assert str(question.task) in page
