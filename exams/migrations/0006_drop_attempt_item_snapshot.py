import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    """Every item has its revision (0005): the copies go, the revision becomes required."""

    dependencies = [
        ("exams", "0005_attempt_items_to_revisions"),
    ]

    operations = [
        migrations.RemoveField(model_name="attemptitem", name="snapshot"),
        migrations.AlterField(
            model_name="attemptitem",
            name="revision",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="questions.questionrevision",
                verbose_name="question revision",
            ),
        ),
    ]
