from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db.models import Q
from django.utils import timezone

from accounts.models import Owner


class Command(BaseCommand):
    help = (
        "Delete guest owners (and all their data) not seen for GUEST_RETENTION_DAYS days, and guests "
        "that never saved an answer once not seen for GUEST_IDLE_HOURS hours."
    )

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=None, help="Override GUEST_RETENTION_DAYS for this run.")
        parser.add_argument("--dry-run", action="store_true", help="Only count what would be deleted.")

    def handle(self, *args, days=None, dry_run=False, **options):
        days = settings.GUEST_RETENTION_DAYS if days is None else days
        now = timezone.now()
        old = Owner.objects.unclaimed_guests(older_than=now - timedelta(days=days))
        idle = Owner.objects.idle_guests(older_than=now - timedelta(hours=settings.GUEST_IDLE_HOURS))
        guests = Owner.objects.filter(Q(pk__in=old.values("pk")) | Q(pk__in=idle.values("pk")))
        count = guests.count()
        if not dry_run:
            guests.delete()
        verb = "Would delete" if dry_run else "Deleted"
        self.stdout.write(
            f"{verb} {count} guest(s) not seen for {days} days or that never answered "
            f"in {settings.GUEST_IDLE_HOURS} hours."
        )
