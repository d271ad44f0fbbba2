"""The admin names our models and their fields in the interface language.

Django's admin builds its titles, column headers and form labels from each model's
``verbose_name``/``verbose_name_plural`` and each field's ``verbose_name``. A field without
a translated verbose name shows its English name (made from the attribute) on Japanese pages.
"""

import re

import pytest
from django.apps import apps
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from tests.factories import TagFactory, UserFactory, make_single_question

OUR_APPS = ["accounts", "questions", "exams", "insights"]
# Labels that read the same in Japanese, by their English. "ID" is the primary key Django
# adds to every model (its label is not marked for translation).
SAME_IN_JAPANESE = {"ID"}


def our_models():
    return [model for label in OUR_APPS for model in apps.get_app_config(label).get_models()]


def labels(model) -> dict[str, object]:
    """The model's names and its fields' labels and help texts, as stored (lazy where translated)."""
    opts = model._meta
    found = {"verbose_name": opts.verbose_name, "verbose_name_plural": opts.verbose_name_plural}
    for field in [*opts.concrete_fields, *opts.many_to_many]:
        found[f"{field.name}.verbose_name"] = field.verbose_name
        if field.help_text:
            found[f"{field.name}.help_text"] = field.help_text
    return found


def test_every_model_and_field_label_is_translated():
    untranslated = []
    for model in our_models():
        for name, label in labels(model).items():
            with translation.override("en"):
                english = str(label)
            with translation.override("ja"):
                japanese = str(label)
            if japanese == english and english not in SAME_IN_JAPANESE:
                untranslated.append(f"{model._meta.label}.{name}: {english!r}")

    assert len(our_models()) > 15
    assert untranslated == [], (
        f"give these a verbose_name=_(…), then `make makemessages` and translate: {untranslated}"
    )


def test_labels_are_lowercase_like_djangos():
    """The admin capitalizes the first letter where a label starts a sentence (capfirst)."""
    with translation.override("en"):
        capitalized = [
            f"{model._meta.label}.{name}: {label!r}"
            for model in our_models()
            for name, label in labels(model).items()
            if not name.endswith("help_text") and str(label)[:1].isupper() and str(label) not in SAME_IN_JAPANESE
        ]

    assert capitalized == []


def column_headers(html: str) -> list[str]:
    return [text.strip() for text in re.findall(r'<div class="text">(?:<a [^>]*>|<span>)([^<]+)<', html)]


def sidebar_models(html: str, app: str) -> dict[str, str]:
    """The app list's model names (the admin's nav sidebar), by model."""
    return dict(re.findall(rf'id="{app}-(\w+)">\s*<a href="[^"]*"[^>]*>([^<]+)</a>', html))


@pytest.fixture
def japanese_staff_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ja"
    return client


@pytest.mark.django_db
def test_question_change_list_is_labelled_in_japanese(japanese_staff_client):
    make_single_question(uid="admin-ja").tags.add(TagFactory(slug="bedrock"))  # a tag, so its filter shows

    response = japanese_staff_client.get(reverse("admin:questions_question_changelist"))

    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>変更する 問題 を選択</h1>" in html
    assert column_headers(html) == [
        "UID",
        "問題文",
        "タイプ",
        "タスクステートメント",
        "ステータス",
        "言語",
        "難易度",
        "未対応の報告",
        "正答率",
        "識別力",
    ]
    assert re.findall(r'data-filter-title="([^"]+)"', html) == [
        "分野",
        "タスクステートメント",
        "タグ",
        "タイプ",
        "ステータス",
        "言語",
        "試験ガイドの改訂版",
        "不備の報告",
    ]
    assert sidebar_models(html, "questions") == {
        "tag": "タグ",
        "taskstatement": "タスクステートメント",
        "domain": "分野",
        "question": "問題",
        "problemreport": "不備の報告",
        "casestudy": "導入事例",
        "guiderevision": "試験ガイドの改訂版",
    }


@pytest.mark.django_db
def test_question_change_form_is_labelled_in_japanese(japanese_staff_client):
    question = make_single_question(uid="admin-ja")

    response = japanese_staff_client.get(reverse("admin:questions_question_change", args=[question.pk]))

    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>問題 を変更</h1>" in html
    assert dict(re.findall(r'<label(?: class="required")? for="id_(\w+)">([^<]+):</label>', html)) == {
        "type": "タイプ",
        "uid": "UID",
        "language": "言語",
        "status": "ステータス",
        "task": "タスクステートメント",
        "difficulty": "難易度",
        "stem": "問題文",
        "select": "選択数",
        "explanation": "解説",
        "references": "参考資料",
        "tags": "タグ",
        "case_study": "導入事例",
    }
    assert "<legend>試験ガイドの改訂版:</legend>" in html
    # The options table: its column headers, and the name each cell's control is read with.
    headers = re.findall(r'<th class="column-(\w+)(?: required)?">([^<]+?)\s*<', html)
    assert headers == [
        ("position", "位置"),
        ("text", "テキスト"),
        ("match", "対応項目"),
        ("is_correct", "正解"),
        ("rationale", "根拠"),
    ]
    assert {f'aria-label="{label}"' in html for _, label in headers} == {True}
