from pathlib import Path

from django.core.management.base import BaseCommand

from questions.models import Language, Question
from questions.transfer import export_questions


class Command(BaseCommand):
    help = "Export the question bank as native JSON, GIFT or Moodle XML (to stdout, or to a file with -o)."

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=["json", "gift", "xml"], default="json")
        parser.add_argument("-o", "--output", metavar="PATH", help="Write to this file instead of stdout.")
        parser.add_argument("--status", action="append", choices=Question.Status.values, help="Only these statuses.")
        parser.add_argument("--language", action="append", choices=Language.values, help="Only these languages.")

    def handle(self, *args, format, output=None, status=None, language=None, **options):
        questions = Question.objects.all()
        if status:
            questions = questions.filter(status__in=status)
        if language:
            questions = questions.filter(language__in=language)
        document = export_questions(questions, format)
        if output:
            Path(output).write_text(document, encoding="utf-8")
            self.stderr.write(f"Wrote {questions.count()} questions to {output}.")
        else:
            self.stdout.write(document, ending="")
