import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    """Items point at a question revision and keep their option order (filled by 0005);
    the snapshot column may be empty from now on, until 0006 drops it."""

    dependencies = [
        ("exams", "0003_verbose_names"),
        ("questions", "0007_question_revisions"),
    ]

    operations = [
        migrations.AddField(
            model_name="attemptitem",
            name="revision",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="questions.questionrevision",
                verbose_name="question revision",
            ),
        ),
        migrations.AddField(
            model_name="attemptitem",
            name="order",
            field=models.TextField(blank=True, default="", verbose_name="option order"),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name="attemptitem",
            name="snapshot",
            field=models.JSONField(null=True, verbose_name="snapshot"),
        ),
    ]
