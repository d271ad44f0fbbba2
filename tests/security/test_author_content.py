"""Author text cannot act, and reads exactly as written (issue 15 §2).

Every author field of the questions in ``tests.security.hostile`` holds ``"``, ``'``, ``<``,
``>``, ``&``, an htmx element (``<div hx-post="/x" hx-trigger="load">``) and an attribute
break-out (``" hx-get="/y" hx-trigger="load``). On the admin preview, the practice question
and its feedback, the mock question, the results review and the "Show original" fragment:

- no element carries an attribute the payload wrote (nothing points at /x or /y);
- every text node holding author text sits inside an element with ``hx-disable``;
- each field's text, as a browser decodes it, is exactly what the author wrote (escaped
  once: not broken out of, not shown as ``&lt;``), and so is the only attribute made from
  author text (an ordering item's "Move “…” up" label).

Before the fix, the preview's ordering item broke out of aria-label and matching options
showed ``&lt;b&gt;``. Chromium's side (no request fires on load): tests/e2e/test_author_content.py.
"""

import pytest
from django.test import Client
from django.utils import timezone

from exams.attempts import start_practice
from tests.factories import UserFactory
from tests.security.hostile import PAYLOAD, TRAPS, build_hostile_scene, expected_texts, make_hostile_questions
from tests.security.pages import parse

pytestmark = pytest.mark.django_db

MARK = "Tom's"  # in every hostile field, once


def assert_inert_and_exact(html: str, expected: list[str], *, label: str) -> None:
    root = parse(html)
    for element in root.iter():
        for name, value in element.attrs.items():
            assert value not in TRAPS, f"{label}: <{element.tag} {name}={value!r}> came from author text"
            if value and MARK in value:
                assert name == "aria-label" and value.startswith("Move “") and value[6:].split("” ")[0] in expected, (
                    f"{label}: author text in <{element.tag} {name}={value!r}>"
                )
        for child in element.children:
            if isinstance(child, str) and MARK in child:
                holders = [element, *element.ancestors()]
                assert any("hx-disable" in node.attrs for node in holders), f"{label}: {child!r} without hx-disable"
    texts = {" ".join(element.text.split()) for element in root.iter() if MARK in element.text}
    for text in expected:
        assert text in texts, f"{label}: {text!r} is not shown as written"
    decoded = " ".join(root.text.split())
    assert "&lt;" not in decoded and "&amp;" not in decoded and "&quot;" not in decoded, f"{label}: escaped twice"


def shown(question, page_kind: str) -> list[str]:
    """What of ``question`` a page shows: before the answer no rationale or explanation."""
    texts = expected_texts(question)
    if page_kind == "question":
        hidden = {question.explanation} | {option.rationale for option in question.options.all()}
        texts = [text for text in texts if text not in hidden]
    return texts


@pytest.fixture
def scene(guest):
    return build_hostile_scene(guest.pk)


def test_the_admin_preview_shows_author_text_as_written_and_inert(scene):
    staff = Client()
    staff.force_login(UserFactory(is_staff=True, is_superuser=True))

    for question in scene.questions:
        response = staff.get(f"/admin/questions/question/{question.pk}/preview/")

        assert response.status_code == 200
        assert_inert_and_exact(response.text, expected_texts(question), label=f"preview {question.type}")


def test_practice_questions_and_their_feedback_show_author_text_as_written_and_inert(client, scene):
    by_uid = {question.uid: question for question in scene.questions}
    for session, page_kind in ((scene.practice, "question"), (scene.answered, "feedback")):
        for item in session.items.order_by("position"):
            question = by_uid[item.snapshot["uid"]]
            for headers in ({}, {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "question-card"}):
                response = client.get(f"/practice/{session.pk}/{item.position}/", **headers)

                assert response.status_code == 200
                assert_inert_and_exact(
                    response.text, shown(question, page_kind), label=f"practice {page_kind} {question.type}"
                )


def test_mock_questions_show_author_text_as_written_and_inert(client, scene):
    by_uid = {question.uid: question for question in scene.questions}
    for item in scene.exam.items.order_by("position"):
        question = by_uid[item.snapshot["uid"]]
        for headers in ({}, {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "question-card"}):
            response = client.get(f"/exams/attempts/{scene.exam.pk}/{item.position}/", **headers)

            assert response.status_code == 200
            assert_inert_and_exact(response.text, shown(question, "question"), label=f"mock {question.type}")
    review = client.get(f"/exams/attempts/{scene.exam.pk}/review/").text
    assert MARK not in review


def test_the_results_review_shows_author_text_as_written_and_inert(client, scene):
    response = client.get(f"/exams/attempts/{scene.finished.pk}/results/")

    assert response.status_code == 200
    expected = [text for question in scene.questions for text in expected_texts(question)]
    assert_inert_and_exact(response.text, expected, label="results review")


def test_show_original_shows_the_english_as_written_and_inert(client, guest):
    english = make_hostile_questions()
    make_hostile_questions(language="ja")
    session = start_practice(guest.pk, scope={"kind": "all"}, count=4, language="ja", now=timezone.now())
    by_uid = {question.uid: question for question in english}

    for item in session.items.order_by("position"):
        question = by_uid[item.snapshot["uid"]]
        response = client.get(
            f"/practice/{session.pk}/{item.position}/original/", HTTP_HX_REQUEST="true", HTTP_HX_TARGET="original"
        )

        assert response.status_code == 200
        expected = [question.stem, question.case_study.scenario]
        expected += [text for option in question.options.all() for text in (option.text, option.match) if text]
        assert_inert_and_exact(response.text, expected, label=f"original {question.type}")


def test_no_page_hands_htmx_the_csrf_token_outside_a_form(client, scene):
    """An htmx attribute that got into author text could not borrow the CSRF token: it is
    not in <body hx-headers>, only in the forms that post."""
    for url in scene.pages().values():
        root = parse(client.get(url).text)
        assert not [element for element in root.iter() if "hx-headers" in element.attrs], url
        for element in root.iter():
            if any(name in element.attrs for name in ("hx-post", "hx-put", "hx-patch", "hx-delete")):
                assert element.tag == "form" and element.find("input", name="csrfmiddlewaretoken"), url


def test_payload_fixture_holds_every_dangerous_character():
    assert all(character in PAYLOAD for character in "\"'<>&")
    assert 'hx-post="/x"' in PAYLOAD and '" hx-get="/y"' in PAYLOAD
