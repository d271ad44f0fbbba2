"""Question search (issue 21 §4): what a candidate may read of a question, in their language,
and "Practise these" as an ordinary practice start on the ``search`` scope."""

import pytest
from django.urls import reverse

from exams.models import Attempt
from exams.scopes import parse_scope, practice_questions, scope_label
from questions.models import CaseStudy, Option, Tag
from tests.exams.conftest import make_bank
from tests.factories import _task, make_matching_question, make_single_question

pytestmark = pytest.mark.django_db


def uids(scope_value, language="en"):
    return set(
        practice_questions(None, scope={"kind": "search", "value": scope_value}, language=language).values_list(
            "uid", flat=True
        )
    )


@pytest.fixture
def bank():
    make_bank({1: 2})
    guardrails = make_single_question(stem="Which feature blocks **harmful** prompts?", task=_task("5.1"))
    guardrails.tags.add(Tag.objects.create(slug="bedrock-guardrails", name="Amazon Bedrock Guardrails"))
    option = make_single_question(stem="Which service transcribes calls?")
    Option.objects.filter(question=option, position=2).update(text="Amazon Transcribe")
    secret = make_single_question(stem="Pick the right one.")
    Option.objects.filter(question=secret).update(rationale="Kendra is the answer here")
    secret.explanation = "Kendra again"
    secret.save()
    matching = make_matching_question(stem="Match each need.")
    Option.objects.filter(question=matching, position=0).update(match="Amazon Polly")
    case = CaseStudy.objects.create(uid="retail", scenario="A retailer runs a chatbot.")
    scenario = make_single_question(stem="What should it add?", case_study=case)
    draft = make_single_question(stem="Which feature blocks leaks?", status="draft")
    japanese = make_single_question(uid=guardrails.uid, language="ja", stem="有害なプロンプトを防ぐ機能はどれですか。")
    japanese.tags.add(guardrails.tags.get())
    return {
        "guardrails": guardrails,
        "option": option,
        "secret": secret,
        "matching": matching,
        "scenario": scenario,
        "draft": draft,
        "japanese": japanese,
    }


def test_it_finds_stems_options_matches_and_case_studies(bank):
    assert uids("harmful") == {bank["guardrails"].uid}
    assert uids("TRANSCRIBE") == {bank["option"].uid}
    assert uids("polly") == {bank["matching"].uid}
    assert uids("retailer") == {bank["scenario"].uid}


def test_it_finds_tags_tasks_and_domains_by_name_in_either_language(bank):
    assert uids("guardrails") == {bank["guardrails"].uid}
    assert uids("ガードレール") == {bank["guardrails"].uid}  # the tag's Japanese name (questions.tag_names)
    assert bank["guardrails"].uid in uids("secure AI systems")  # task 5.1's name
    assert bank["guardrails"].uid in uids("Security, Compliance")  # domain 5's name


def test_every_term_must_match_and_full_width_letters_count(bank):
    assert uids("harmful feature") == {bank["guardrails"].uid}
    assert uids("harmful transcribe") == set()
    assert uids("ＨＡＲＭＦＵＬ") == {bank["guardrails"].uid}


def test_keys_rationales_explanations_and_drafts_are_never_searched(bank):
    assert uids("Kendra") == set()
    assert uids("leaks") == set()


def test_it_searches_the_candidates_language_with_english_for_untranslated_questions(bank):
    found = practice_questions(None, scope={"kind": "search", "value": "プロンプト"}, language="ja")
    assert [(q.uid, q.language) for q in found] == [(bank["guardrails"].uid, "ja")]
    assert bank["option"].uid in uids("transcribe", language="ja")
    assert uids("harmful", language="ja") == set()  # its Japanese version is the one shown


def test_an_empty_query_matches_nothing():
    make_bank({1: 2})

    assert uids("   ") == set()
    with pytest.raises(ValueError):
        parse_scope("search:   ")


def test_the_scope_is_parsed_normalized_and_labelled():
    assert parse_scope("search:ＲＡＧ   chunking") == {"kind": "search", "value": "RAG chunking"}
    assert scope_label({"kind": "search", "value": "RAG"}) == "Search: “RAG”"


# --- the page ------------------------------------------------------------------------------


def test_the_page_lists_matches_without_keys_or_rationales(client, bank):
    response = client.get(reverse("search"), {"q": "Pick the right"})

    assert response.status_code == 200
    assert "1 question matches “Pick the right”" in response.text
    assert "Pick the right one." in response.text
    assert "Kendra" not in response.text
    assert "Choice 0" not in response.text  # no options at all, let alone the key
    assert "correct" not in response.text.lower().replace("correctly", "")
    assert '<input type="hidden" name="scope" value="search:Pick the right">' in response.text


def test_the_page_shows_task_and_tag_names(client, bank):
    response = client.get(reverse("search"), {"q": "harmful"})

    assert "Task 5.1" in response.text
    assert "Amazon Bedrock Guardrails" in response.text
    assert "Which feature blocks harmful prompts?" in response.text


def test_the_page_in_japanese_shows_the_japanese_version(client, bank):
    response = client.get(reverse("search"), {"q": "ガードレール"}, HTTP_ACCEPT_LANGUAGE="ja")

    assert "有害なプロンプトを防ぐ機能はどれですか。" in response.text
    assert '<input type="hidden" name="language" value="ja">' in response.text


def test_no_match_says_so_and_offers_no_practice(client, bank):
    response = client.get(reverse("search"), {"q": "zebra"})

    assert "0 questions match “zebra”" in response.text
    assert "Practise these" not in response.text


def test_without_a_query_the_page_is_only_the_form(client):
    response = client.get(reverse("search"))

    assert response.status_code == 200
    assert 'role="search"' in response.text
    assert "<h2" not in response.text


def test_a_query_too_long_is_said_in_the_form(client):
    response = client.get(reverse("search"), {"q": "x" * 61})

    assert response.status_code == 200
    assert 'aria-invalid="true"' in response.text


def test_an_unknown_language_is_a_400(client):
    assert client.get(reverse("search"), {"q": "x", "language": "fr"}).status_code == 400


def test_author_markup_in_a_stem_stays_text(client):
    make_bank({1: 1})
    make_single_question(stem='Which <img src=x onerror="alert(1)"> one?')

    response = client.get(reverse("search"), {"q": "which"})

    assert "<img" not in response.text
    assert "hx-disable" in response.text


def test_practise_these_starts_a_session_of_exactly_the_matches(client, bank):
    response = client.post(reverse("practice:start"), {"scope": "search:blocks", "count": "endless", "language": "en"})

    session = Attempt.objects.get()
    assert response.status_code == 302
    assert session.scope == {"kind": "search", "value": "blocks"}
    assert list(session.items.values_list("question__uid", flat=True)) == [bank["guardrails"].uid]
    page = client.get(response["Location"])
    assert "Search: “blocks”" in page.text


def test_practise_these_counts_against_the_start_limits(client, bank, settings, window_start):
    settings.START_RATE = (1, 600)
    form = {"scope": "search:harmful", "count": "endless", "language": "en"}

    assert client.post(reverse("practice:start"), form).status_code == 302
    assert client.post(reverse("practice:start"), form).status_code == 429


def test_the_header_links_to_search_in_both_languages(client):
    english = client.get(reverse("dashboard"))
    japanese = client.get(reverse("dashboard"), HTTP_ACCEPT_LANGUAGE="ja")

    assert f'<a href="{reverse("search")}" >Search</a>' in english.text
    assert f'<a href="{reverse("search")}" >検索</a>' in japanese.text


@pytest.mark.parametrize("size", [3, 30])
def test_the_page_takes_the_same_queries_for_any_number_of_results(client, size, django_assert_num_queries):
    make_bank({1: size})
    tag = Tag.objects.create(slug="rag", name="RAG")
    for question in practice_questions(None, scope={"kind": "all"}, language="en"):
        question.tags.add(tag)

    # the tags (names matched in Python), the count, the page of questions, their tags
    with django_assert_num_queries(4):
        response = client.get(reverse("search"), {"q": "solution"})

    assert response.text.count('<li class="card">') == size


def test_an_htmx_request_for_the_results_gets_only_them(client, bank):
    response = client.get(
        reverse("search"), {"q": "harmful"}, headers={"HX-Request": "true", "HX-Target": "search-results"}
    )

    assert response.text.lstrip().startswith('<section id="search-results"')
    assert "<header" not in response.text
    assert "Vary" in response.headers and "HX-Target" in response["Vary"]
