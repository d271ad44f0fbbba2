from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from accounts.models import Owner


class Command(BaseCommand):
    help = "Delete guest owners (and all their data) not seen for GUEST_RETENTION_DAYS days."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=None, help="Override GUEST_RETENTION_DAYS for this run.")
        parser.add_argument("--dry-run", action="store_true", help="Only count what would be deleted.")

    def handle(self, *args, days=None, dry_run=False, **options):
        days = settings.GUEST_RETENTION_DAYS if days is None else days
        guests = Owner.objects.unclaimed_guests(older_than=timezone.now() - timedelta(days=days))
        count = guests.count()
        if not dry_run:
            guests.delete()
        verb = "Would delete" if dry_run else "Deleted"
        self.stdout.write(f"{verb} {count} guest(s) not seen for {days} days.")
