"""The seeded blueprints: the full AIF-C01 mock and a half-length mock."""

from django.db import migrations


def create(apps, schema_editor):
    Blueprint = apps.get_model("exams", "Blueprint")
    GuideRevision = apps.get_model("questions", "GuideRevision")
    guide = GuideRevision.objects.get(code="2026")
    Blueprint.objects.update_or_create(
        slug="aif-c01-full",
        defaults={
            "name": "AIF-C01 full mock",
            "mode": "exam",
            "question_count": 65,
            "unscored_count": 15,
            "minutes": 90,
            "pass_mark": 700,
            "guide": guide,
        },
    )
    Blueprint.objects.update_or_create(
        slug="half-mock",
        defaults={
            "name": "Half mock",
            "mode": "exam",
            "question_count": 32,
            "unscored_count": 7,
            "minutes": 45,
            "pass_mark": 700,
            "guide": guide,
        },
    )


class Migration(migrations.Migration):
    dependencies = [("exams", "0001_initial"), ("questions", "0002_exam_guide_data")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
