"""Time the weakness report (and the dashboard) as a browser gets them, on the current database.

    manage.py generate_responses --responses 100000 --owners 100
    manage.py bench_report [--owner ID] [--runs 20]

Requests go through the whole middleware stack with Django's test client, as the owner
with the most answers (or ``--owner``). "warm" is the usual case (review cache up to
date); "cold" drops the owner's review cache first, so FSRS replays their whole log. On a
busy machine the best run is the closest to the page's own cost.
"""

import statistics
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.models import Count
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import Owner
from insights.models import ReviewCard
from insights.plan import plan_for
from insights.report import WeaknessReport
from insights.trend import outlook, readiness_trend, trend_chart

PLAIN_STATIC = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}


class Command(BaseCommand):
    help = "Time the weakness report and the dashboard for one owner (median, best and worst of N runs)."

    def add_arguments(self, parser):
        parser.add_argument("--owner", type=int, help="Owner id (default: the one with the most answers).")
        parser.add_argument("--runs", type=int, default=20)

    def handle(self, *args, owner: int | None, runs: int, **options):
        owners = Owner.objects.values("pk").annotate(answers=Count("attempts__items__response")).order_by("-answers")
        subject = owners.filter(pk=owner).first() if owner else owners.first()
        if subject is None or not subject["answers"]:
            raise CommandError("No owner with answers: run generate_responses first.")
        with override_settings(STORAGES=PLAIN_STATIC, ALLOWED_HOSTS=["testserver"], SECURE_SSL_REDIRECT=False):
            client = Client()
            session = client.session
            session["owner"] = [subject["pk"], None]
            session.save()
            self.stdout.write(
                f"{connection.vendor}, owner {subject['pk']} with {subject['answers']} answers, {runs} runs"
            )
            self._time(client, "/insights/", runs, label="report, warm")
            self._time(client, "/", runs, label="dashboard, warm")
            self._time(
                client, "/insights/", max(3, runs // 5), label="report, cold", before=lambda: _drop(subject["pk"])
            )
            self._time_plan(subject["pk"], runs)

    def _time_plan(self, owner_id: int, runs: int):
        """The planning figures alone, in process: the report rows they read, the bank, today's
        target, the streak, the readiness trend with its chart and the outlook (the dashboard's
        study plan card but the page). Within the report's budget: < 200 ms."""

        def figures():
            now = timezone.now()
            report = WeaknessReport(owner_id, now=now)
            plan = plan_for(owner_id, report, now=now)
            trend = readiness_trend(report)
            outlook(report.readiness, plan.exam_date, today=plan.today)
            return trend_chart(trend, plan.exam_date) if trend else None

        figures()
        times = []
        for _ in range(runs):
            with CaptureQueriesContext(connection) as queries:
                start = time.perf_counter()
                figures()
                times.append((time.perf_counter() - start) * 1000)
        self.stdout.write(
            f"  {'planning figures':16} median {statistics.median(times):7.1f} ms   best {min(times):7.1f} ms   "
            f"worst {max(times):7.1f} ms   {len(queries)} queries"
        )

    def _time(self, client, url, runs, *, label, before=None):
        client.get(url)  # warm-up: connections, template loading, the review cache
        times = []
        for _ in range(runs):
            if before:
                before()
            with CaptureQueriesContext(connection) as queries:
                start = time.perf_counter()
                response = client.get(url)
                times.append((time.perf_counter() - start) * 1000)
            if response.status_code != 200:
                raise CommandError(f"{url} answered {response.status_code}")
        self.stdout.write(
            f"  {label:16} median {statistics.median(times):7.1f} ms   best {min(times):7.1f} ms   "
            f"worst {max(times):7.1f} ms   {len(queries)} queries"
        )


def _drop(owner_id: int):
    ReviewCard.objects.filter(owner_id=owner_id).delete()
