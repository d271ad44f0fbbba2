"""Move every attempt item's snapshot into a question revision plus the item's option order.

A snapshot is the question's content with its options (and matches) shuffled. Sorted back
into the author's order (the key's order for an ordering question, else the options'
current positions, then their ids), identical contents become one revision, keyed like
``questions.revisions.digest``; the item keeps where each of its rows stood. Reversible.

The functions are copied here, not imported: a migration must keep working as the app's
code changes.
"""

import hashlib
import json

from django.db import migrations

CHUNK = 2000
FAR = 1 << 30


def digest(content):
    text = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def split(snapshot, positions):
    """(content in the author's order, the item's order of it)."""
    if snapshot.get("type") == "ordering":
        place = {option_id: index for index, option_id in enumerate(snapshot.get("key") or [])}

        def rank(row):
            return (place.get(row["id"], FAR), row["id"])
    else:

        def rank(row):
            return (positions.get(row["id"], FAR), row["id"])

    content, parts = dict(snapshot), []
    for name in ("options", "matches"):
        if name not in snapshot:
            continue
        rows = snapshot[name] or []
        ordered = sorted(rows, key=rank)
        content[name] = ordered
        where = {id(row): index for index, row in enumerate(ordered)}
        parts.append([where[id(row)] for row in rows])
    shuffled = any(part != sorted(part) for part in parts)
    return content, ";".join(",".join(map(str, part)) for part in parts) if shuffled else ""


def arrange(content, order):
    snapshot = dict(content)
    lists = [name for name in ("options", "matches") if name in content]
    for name, positions in zip(lists, order.split(";") if order else (), strict=False):
        snapshot[name] = [content[name][int(position)] for position in positions.split(",") if position]
    return snapshot


def forwards(apps, schema_editor):
    AttemptItem = apps.get_model("exams", "AttemptItem")
    Option = apps.get_model("questions", "Option")
    QuestionRevision = apps.get_model("questions", "QuestionRevision")
    last = 0
    while True:
        items = list(AttemptItem.objects.filter(pk__gt=last, revision__isnull=True).order_by("pk")[:CHUNK])
        if not items:
            return
        last = items[-1].pk
        positions = dict(
            Option.objects.filter(question_id__in={item.question_id for item in items}).values_list("pk", "position")
        )
        revisions = {}
        for item in items:
            content, item.order = split(item.snapshot, positions)
            item.digest = digest(content)
            revisions.setdefault(
                item.digest,
                QuestionRevision(
                    question_id=item.question_id,
                    digest=item.digest,
                    content=content,
                    option_count=len(content.get("options") or []),
                    match_count=len(content.get("matches") or []),
                ),
            )
        QuestionRevision.objects.bulk_create(revisions.values(), ignore_conflicts=True)
        ids = dict(QuestionRevision.objects.filter(digest__in=list(revisions)).values_list("digest", "pk"))
        for item in items:
            item.revision_id = ids[item.digest]
            item.snapshot = None
        AttemptItem.objects.bulk_update(items, ["revision", "order", "snapshot"], batch_size=500)


def backwards(apps, schema_editor):
    AttemptItem = apps.get_model("exams", "AttemptItem")
    last = 0
    while True:
        items = list(
            AttemptItem.objects.filter(pk__gt=last, snapshot__isnull=True)
            .select_related("revision")
            .order_by("pk")[:CHUNK]
        )
        if not items:
            return
        last = items[-1].pk
        for item in items:
            item.snapshot = arrange(item.revision.content, item.order)
        AttemptItem.objects.bulk_update(items, ["snapshot"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("exams", "0004_attempt_item_revision"),
        ("questions", "0007_question_revisions"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
