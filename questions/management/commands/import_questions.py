from django.core.management.base import BaseCommand, CommandError

from questions.models import TaskStatement
from questions.transfer import Source, import_sources


class Command(BaseCommand):
    help = (
        "Import questions from native JSON (.json), GIFT (.gift, .txt) or Moodle XML (.xml) files, all or nothing. "
        "Re-importing updates questions by uid and language."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="PATH")
        parser.add_argument("--dry-run", action="store_true", help="Check everything, write nothing.")
        parser.add_argument("--task", help="Task statement (e.g. 3.1) for questions whose file names none.")
        parser.add_argument(
            "--skip-unsupported",
            action="store_true",
            help="Skip question types this app does not support (essay, numerical, short answer…) and list them.",
        )
        parser.add_argument(
            "--skip-invalid",
            action="store_true",
            help="Skip questions with errors, each listed with its reason, and import the rest.",
        )

    def handle(self, *args, paths, dry_run=False, task=None, skip_unsupported=False, skip_invalid=False, **options):
        if task and not TaskStatement.objects.filter(code=task).exists():
            known = ", ".join(TaskStatement.objects.values_list("code", flat=True))
            raise CommandError(f"--task {task!r} is not a task statement (known: {known}).")
        sources = []
        for path in paths:
            try:
                sources.append(Source.from_path(path))
            except OSError as error:
                raise CommandError(f"{path}: cannot read the file ({error.strerror}).") from None
        result = import_sources(
            sources, dry_run=dry_run, task=task, skip_unsupported=skip_unsupported, skip_invalid=skip_invalid
        )
        for message in result.skipped:
            self.stdout.write(f"skipped: {message}")
        for message in result.updates:
            self.stdout.write(f"updated: {message}")
        for message in result.warnings:
            self.stderr.write(f"warning: {message}")
        if not result.ok:
            for message in result.errors:
                self.stderr.write(f"error: {message}")
            raise CommandError(result.summary())
        self.stdout.write(result.summary())
