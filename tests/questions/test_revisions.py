"""Question revisions: made once per content, by the writers that know what they changed,
cleared by any other write; the bank version changes with every write."""

import contextlib
import copy
import importlib
import json
import random

import pytest
from django.apps import apps as django_apps
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_save

from questions.models import BankVersion, CaseStudy, Option, Question, QuestionRevision, Tag
from questions.revisions import arrange, bank_version, digest, revise
from questions.snapshots import take_snapshot
from questions.transfer import load_bank
from tests.factories import (
    make_matching_question,
    make_multiple_question,
    make_ordering_question,
    make_single_question,
)
from tests.questions.test_admin import ADD, CHANGELIST, _form_data, rationales, staff_client  # noqa: F401
from tests.questions.test_import import MATCHING, ORDERING, SINGLE, bank

pytestmark = pytest.mark.django_db


def fresh(question):
    return Question.objects.get(pk=question.pk)


def authored(question):
    return take_snapshot(Question.objects.for_candidate().prefetch_related("tags").get(pk=question.pk))


def test_revise_stores_the_authored_snapshot_once_per_content():
    question = make_single_question()

    first = revise([question.pk])[question.pk]
    again = revise([question.pk])[question.pk]

    revision = QuestionRevision.objects.get()
    assert first == again
    assert fresh(question).revision_id == revision.pk
    assert revision.content == authored(question)
    assert revision.digest == digest(authored(question))
    assert (revision.option_count, revision.match_count) == (4, 0)


def test_drafts_get_no_revision_and_a_retired_question_loses_its_own():
    draft = make_single_question(status="draft")
    retired = make_single_question()
    revise([retired.pk])
    Question.objects.filter(pk=retired.pk).update(status="retired")

    assert revise([draft.pk, retired.pk]) == {}
    assert fresh(draft).revision_id is None
    assert fresh(retired).revision_id is None
    assert QuestionRevision.objects.count() == 1  # kept: attempts may point at it


@pytest.mark.parametrize(
    "edit",
    [
        lambda q: Option.objects.filter(question=q).first().save(),
        lambda q: Option.objects.filter(question=q).last().delete(),
        lambda q: q.tags.add(Tag.objects.create(slug="new-tag")),
        lambda q: Tag.objects.get(slug="kept-tag").questions.clear(),
        lambda q: Tag.objects.get(slug="kept-tag").save(),
        lambda q: Question.objects.get(pk=q.pk).save(update_fields=["stem"]),
        lambda q: CaseStudy.objects.get(pk=q.case_study_id).save(),
        lambda q: q.task.save(),
    ],
    ids=[
        "option saved",
        "option deleted",
        "tag added",
        "tag's questions cleared",
        "tag saved",
        "question saved",
        "case study saved",
        "task saved",
    ],
)
def test_any_write_through_the_orm_clears_the_revision_and_changes_the_bank_version(edit):
    question = make_single_question(case_study=CaseStudy.objects.create(uid="case-r", scenario="A scenario."))
    question.tags.add(Tag.objects.create(slug="kept-tag"))
    revise([question.pk])
    version = bank_version()

    edit(fresh(question))

    assert fresh(question).revision_id is None
    assert bank_version() != version


def test_the_bank_version_is_in_the_database_where_every_process_sees_a_commit():
    """Not in the cache: without a shared one (SQLite, a `load_bank` beside `make run`) a
    process would keep drawing from a bank another process has changed."""
    make_single_question(status="published")
    version = bank_version()
    cache.clear()  # another process's cache knows nothing of this one's writes

    assert bank_version() == version == BankVersion.objects.get().token


def test_a_rolled_back_bank_write_leaves_the_version_and_the_next_write_makes_a_new_one():
    version = bank_version()
    with contextlib.suppress(RuntimeError), transaction.atomic():
        make_single_question(status="published")
        inside = bank_version()
        raise RuntimeError("the import failed")

    assert inside != version
    assert bank_version() == version
    make_single_question(status="published")
    assert bank_version() not in (version, inside)


def test_load_bank_revises_every_drawable_question_in_bulk_without_model_signals(tmp_path):
    (tmp_path / "bank.json").write_bytes(
        bank(SINGLE, ORDERING, MATCHING, dict(copy.deepcopy(SINGLE), uid="d", status="draft"))
    )
    saves = []

    def count(**kwargs):
        saves.append(kwargs["instance"])

    post_save.connect(count, sender=Question, dispatch_uid="test-count")
    post_save.connect(count, sender=QuestionRevision, dispatch_uid="test-count-revision")
    try:
        load_bank(tmp_path)
    finally:
        post_save.disconnect(sender=Question, dispatch_uid="test-count")
        post_save.disconnect(sender=QuestionRevision, dispatch_uid="test-count-revision")

    assert saves == []
    drawable = list(Question.objects.drawable())
    assert len(drawable) == 3
    for question in drawable:
        assert question.revision.content == authored(question)
    assert Question.objects.get(uid="d").revision_id is None


def test_reloading_an_unchanged_bank_keeps_the_revisions_and_a_change_adds_one(tmp_path):
    path = tmp_path / "bank.json"
    path.write_bytes(bank(SINGLE))
    load_bank(tmp_path)
    first = Question.objects.get().revision_id

    load_bank(tmp_path)
    assert Question.objects.get().revision_id == first

    path.write_bytes(bank(dict(copy.deepcopy(SINGLE), stem="A retailer needs a different service. Which one?")))
    load_bank(tmp_path)
    assert Question.objects.get().revision_id != first
    assert QuestionRevision.objects.count() == 2


def test_a_case_study_changed_by_an_import_revises_its_questions(tmp_path):
    path = tmp_path / "bank.json"
    path.write_bytes(bank(ORDERING))
    load_bank(tmp_path)
    before = Question.objects.get().revision

    changed = copy.deepcopy(ORDERING)
    changed["case_study"]["scenario"] = "Another scenario altogether."
    path.write_bytes(bank(changed))
    load_bank(tmp_path)

    after = Question.objects.get().revision
    assert after != before
    assert "Another scenario altogether." in json.dumps(after.content)


def test_the_admin_revises_a_question_after_its_options_are_saved(staff_client):  # noqa: F811
    staff_client.post(ADD, _form_data())

    question = Question.objects.get(uid="admin-made")
    assert question.revision.content == authored(question)
    assert [row["text"] for row in question.revision.content["options"]][0] == "Amazon Personalize"


def test_publishing_in_the_admin_revises_the_published_questions(staff_client):  # noqa: F811
    ready = rationales(make_single_question(uid="ready-q", status="draft"))

    staff_client.post(CHANGELIST, {"action": "publish", "_selected_action": [ready.pk]})

    assert fresh(ready).revision.content == authored(ready)


@pytest.mark.parametrize("make", [make_single_question, make_ordering_question, make_matching_question])
def test_the_migration_splits_a_stored_snapshot_into_its_revision_and_order(make):
    """exams 0005 turns each old snapshot (options shuffled) back into the authored content
    and the item's order; the item then shows exactly the snapshot it stored."""
    migration = importlib.import_module("exams.migrations.0005_attempt_items_to_revisions")
    question = make()
    content = authored(question)
    stored = take_snapshot(
        Question.objects.for_candidate().prefetch_related("tags").get(pk=question.pk), random.Random(2)
    )
    positions = dict(Option.objects.filter(question=question).values_list("pk", "position"))

    split, order = migration.split(stored, positions)

    assert split == content
    assert migration.digest(split) == digest(content)
    assert arrange(split, order) == stored
    assert migration.arrange(split, order) == stored


@pytest.mark.parametrize(
    ("make", "parts"),
    [
        (make_single_question, 1),
        (lambda: make_multiple_question(correct=(0, 2, 3), n_options=6), 3),
        (lambda: make_ordering_question(n_items=4), 4),
        (lambda: make_matching_question(n_pairs=3), 3),
    ],
)
def test_a_revision_counts_the_parts_of_a_complete_answer(make, parts):
    question = make()

    revise([question.pk])

    revision = QuestionRevision.objects.get(question=question)
    assert revision.part_count == len(revision.content["key"]) == parts


def test_the_migration_counts_the_parts_of_existing_revisions():
    migration = importlib.import_module("questions.migrations.0009_revision_part_count")
    question = make_matching_question(n_pairs=3)
    revise([question.pk])
    QuestionRevision.objects.update(part_count=1)  # as the new column starts

    migration.count_parts(django_apps, None)

    assert QuestionRevision.objects.get().part_count == 3
