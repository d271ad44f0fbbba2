"""Item statistics for authors: one admin page listing questions with how they perform.

The figures come from ``insights.stats.item_statistics`` (first attempts only), fetched
once per page for the rows shown; "Suspicious" narrows the list to the questions worth
a look (see ``ItemStats.suspicious``).
"""

from django.contrib import admin
from django.contrib.admin.views.main import ChangeList
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from .models import ItemStatistic
from .stats import SUSPICIOUS_MIN, TOO_EASY, TOO_HARD, ItemStats, item_statistics


class SuspiciousFilter(admin.SimpleListFilter):
    title = _("statistics")
    parameter_name = "suspicious"

    def lookups(self, request, model_admin):
        suspicious = _("Suspicious (facility < %(hard)s or > %(easy)s, or negative discrimination)")
        answered = _("Answered at least %(count)s times")
        return [
            ("yes", suspicious % {"hard": TOO_HARD, "easy": TOO_EASY}),
            ("answered", answered % {"count": SUSPICIOUS_MIN}),
        ]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(pk__in=[pk for pk, stats in item_statistics().items() if stats.suspicious])
        if self.value() == "answered":
            return queryset.filter(
                pk__in=[pk for pk, stats in item_statistics().items() if stats.answered >= SUSPICIOUS_MIN]
            )
        return queryset


class ItemStatisticsChangeList(ChangeList):
    """Attaches each row's statistics (``row.stats``) with one call for the whole page."""

    def get_results(self, request):
        super().get_results(request)
        rows = list(self.result_list)
        stats = item_statistics([row.pk for row in rows])
        for row in rows:
            row.stats = stats.get(row.pk) or ItemStats(row.pk)


def _share(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}"


@admin.register(ItemStatistic)
class ItemStatisticAdmin(admin.ModelAdmin):
    list_display = [
        "question",
        "language",
        "status",
        "task",
        "answered",
        "facility",
        "discrimination",
        "wrong_choice",
        "average_time",
        "verdict",
    ]
    list_filter = [SuspiciousFilter, "status", "language", "type", "task__domain", "task"]
    list_select_related = ["task"]
    search_fields = ["uid", "stem"]
    search_help_text = _(
        "Search by uid or question text. Figures count each candidate's first answer to a question (in any "
        "language) and are refreshed every five minutes."
    )
    ordering = ["uid", "language"]
    list_per_page = 50

    def get_changelist(self, request, **kwargs):
        return ItemStatisticsChangeList

    # A read-only view of the bank for staff: questions are edited in their own admin.
    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_staff

    def has_module_permission(self, request):
        return self.has_view_permission(request)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("question"), ordering="uid")
    def question(self, row):
        label = format_html("<strong>{}</strong> {}", row.uid, Truncator(row.stem).chars(70))
        try:
            url = reverse("admin:questions_question_change", args=[row.pk])
        except NoReverseMatch:
            return label
        return format_html('<a href="{}">{}</a>', url, label)

    @admin.display(description=_("answered (first attempts)"))
    def answered(self, row):
        return row.stats.answered

    @admin.display(description=_("facility"))
    def facility(self, row):
        return _share(row.stats.facility)

    @admin.display(description=_("discrimination"))
    def discrimination(self, row):
        return _share(row.stats.discrimination)

    @admin.display(description=_("most-chosen wrong option"))
    def wrong_choice(self, row):
        if not row.stats.wrong_count:
            return "–"
        return f"{Truncator(row.stats.wrong_choice).chars(60)} ({row.stats.wrong_count})"

    @admin.display(description=_("average time"))
    def average_time(self, row):
        seconds = row.stats.average_seconds
        return "–" if seconds is None else _("%(seconds)s s") % {"seconds": f"{seconds:.0f}"}

    @admin.display(description=_("check"))
    def verdict(self, row):
        return _("⚠ suspicious") if row.stats.suspicious else ""
