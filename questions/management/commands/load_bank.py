from django.core.management.base import BaseCommand, CommandError

from questions.transfer import BANK_DIR, load_bank


class Command(BaseCommand):
    help = (
        "Load the bundled question bank (questions/data/*.json). Idempotent: updates by uid and language, "
        "removes options no longer in the files, never duplicates."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--strict", action="store_true", help="Fail on any invalid question instead of skipping it."
        )

    def handle(self, *args, strict: bool = False, **options):
        result = load_bank(BANK_DIR, strict=strict)
        for message in result.warnings:
            self.stderr.write(f"warning: {message}")
        for message in result.skipped:
            self.stderr.write(f"skipped: {message}")
        if not result.ok:
            for message in result.errors:
                self.stderr.write(message)
            raise CommandError(result.summary())
        self.stdout.write(f"Bank: {result.created} created, {result.updated} updated, {result.unchanged} unchanged.")
