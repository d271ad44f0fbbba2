from django.core.management.base import BaseCommand
from django.utils import timezone

from exams.attempts import finalize_expired


class Command(BaseCommand):
    help = "Finalize (score as expired) every open mock exam whose deadline has passed."

    def handle(self, *args, **options):
        count = finalize_expired(now=timezone.now())
        self.stdout.write(f"Finalized {count} expired attempt(s).")
