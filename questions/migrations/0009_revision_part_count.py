"""QuestionRevision.part_count: how many parts a complete answer gives (the key's length),
so the exam navigator reads a number per item instead of each revision's content."""

from django.db import migrations, models


def count_parts(apps, schema_editor):
    QuestionRevision = apps.get_model("questions", "QuestionRevision")
    changed = []
    for revision in QuestionRevision.objects.only("content").iterator(chunk_size=500):
        revision.part_count = len(revision.content["key"])
        changed.append(revision)
    QuestionRevision.objects.bulk_update(changed, ["part_count"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("questions", "0008_bank_version"),
    ]

    operations = [
        migrations.AddField(
            model_name="questionrevision",
            name="part_count",
            field=models.PositiveSmallIntegerField(default=1, verbose_name="number of parts of an answer"),
        ),
        migrations.RunPython(count_parts, migrations.RunPython.noop, elidable=True),
    ]
