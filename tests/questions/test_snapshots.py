import random

import pytest

from questions.snapshots import public_view, take_snapshot
from tests.factories import (
    QuestionFactory,
    make_matching_question,
    make_multiple_question,
    make_ordering_question,
    make_single_question,
)


@pytest.mark.django_db
def test_single_snapshot_keys_the_correct_option_and_renders_markdown():
    question = make_single_question(correct_index=2, stem="Which is **MOST** cost-effective?")

    snapshot = take_snapshot(question)

    correct = question.options.get(is_correct=True)
    assert snapshot["key"] == [correct.pk]
    assert snapshot["stem"] == "<p>Which is <strong>MOST</strong> cost-effective?</p>\n"
    assert [row["id"] for row in snapshot["options"]] == list(question.options.values_list("pk", flat=True))


@pytest.mark.django_db
def test_snapshot_escapes_raw_html_from_authors():
    question = make_single_question(stem="<script>alert(1)</script> Pick one")

    snapshot = take_snapshot(question)

    assert "<script>" not in snapshot["stem"]
    assert "&lt;script&gt;" in snapshot["stem"]


@pytest.mark.django_db
def test_same_seed_gives_same_option_order():
    question = make_multiple_question(correct=(1, 3), n_options=6)

    first = take_snapshot(question, random.Random(42))
    second = take_snapshot(question, random.Random(42))

    assert [row["id"] for row in first["options"]] == [row["id"] for row in second["options"]]
    assert first["key"] == sorted(question.options.filter(is_correct=True).values_list("pk", flat=True))


@pytest.mark.django_db
def test_ordering_key_is_the_authors_order():
    question = make_ordering_question(n_items=4)

    snapshot = take_snapshot(question, random.Random(1))

    assert snapshot["key"] == list(question.options.order_by("position").values_list("pk", flat=True))


@pytest.mark.django_db
def test_matching_snapshot_lists_prompts_and_all_matches_including_extras():
    question = make_matching_question(n_pairs=3, extras=("Extra A",))

    snapshot = take_snapshot(question, random.Random(3))

    prompts = question.options.exclude(text="")
    assert sorted(row["id"] for row in snapshot["options"]) == sorted(prompts.values_list("pk", flat=True))
    assert sorted(match["text"] for match in snapshot["matches"]) == ["Extra A", "Match 0", "Match 1", "Match 2"]
    assert snapshot["key"] == {str(prompt.pk): prompt.pk for prompt in prompts}


@pytest.mark.django_db
def test_public_view_reveals_no_key_rationale_or_explanation():
    question = make_single_question(explanation="Secret principle")
    question.options.update(rationale="Secret rationale")
    snapshot = take_snapshot(QuestionFactory._meta.model.objects.for_candidate().get(pk=question.pk))

    view = public_view(snapshot)

    flat = repr(view)
    assert "key" not in view
    assert "Secret" not in flat
    assert all(set(row) == {"token", "text"} for row in view["options"])
    assert "id" not in view


@pytest.mark.django_db
def test_public_view_names_options_by_the_given_tokens_and_never_by_id():
    question = make_matching_question(n_pairs=3)
    snapshot = take_snapshot(question, random.Random(5))

    view = public_view(snapshot, _Tokens())

    assert [row["token"] for row in view["options"]] == [f"o-{row['id']}-token" for row in snapshot["options"]]
    assert [row["token"] for row in view["matches"]] == [f"m-{row['id']}-token" for row in snapshot["matches"]]
    ids = {row["id"] for row in snapshot["options"]} | {row["id"] for row in snapshot["matches"]}
    assert not any(pk in row.values() for row in view["options"] + view["matches"] for pk in ids)


class _Tokens:
    """Names that show which option and role they stand for (exams.tokens makes opaque ones)."""

    def token_for(self, option_id, role="o"):
        return f"{role}-{option_id}-token"


@pytest.mark.django_db
def test_snapshot_texts_are_plain_strings_not_safe_strings():
    """A SafeString in a snapshot (the admin preview snapshots without a JSON round trip)
    went into aria-label unescaped: every text is a plain str."""
    question = make_matching_question(n_pairs=2, stem='A "quoted" stem', explanation="Why")
    question.options.update(rationale="Because")

    snapshot = take_snapshot(question)

    texts = [snapshot["stem"], snapshot["explanation"]]
    texts += [row[field] for row in snapshot["options"] for field in ("text", "rationale")]
    texts += [row["text"] for row in snapshot["matches"]]
    assert all(type(text) is str for text in texts)
