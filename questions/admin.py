from functools import partial

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.views.main import ChangeList
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import admin_views
from .admin_forms import OptionInlineFormSet, QuestionAdminForm, ResolveForm
from .formats.base import QuestionData
from .models import CaseStudy, Domain, GuideRevision, Option, ProblemReport, Question, Tag, TaskStatement
from .reports import resolve_reports
from .revisions import revise
from .signals import bank_changed
from .statistics import item_statistics_for
from .validation import validate_question


class OptionInline(admin.TabularInline):
    model = Option
    formset = OptionInlineFormSet
    fields = ["position", "text", "match", "is_correct", "rationale"]
    verbose_name = _("option / item / prompt")
    verbose_name_plural = _("options, items or prompts (see “Type” for which columns count)")
    formfield_overrides = {
        Option._meta.get_field("text"): {"widget": forms.Textarea(attrs={"rows": 3, "cols": 32})},
        Option._meta.get_field("rationale"): {"widget": forms.Textarea(attrs={"rows": 3, "cols": 32})},
    }

    def get_extra(self, request, obj=None, **kwargs):
        return 1 if obj else 4

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        labels = formset.form.base_fields
        labels["position"].help_text = _("Display order; for ordering questions the correct order (1 first).")
        labels["match"].help_text = _(
            "Matching only: the prompt's answer, or an extra wrong answer on a row without text."
        )
        labels["is_correct"].help_text = _("Multiple choice and multiple response only.")
        for field in labels.values():
            # A tabular inline shows column headers, not labels: name each cell's control.
            field.widget.attrs.setdefault("aria-label", field.label)
        return formset


class DomainFilter(admin.SimpleListFilter):
    title = _("domain")
    parameter_name = "domain"

    def lookups(self, request, model_admin):
        return [(str(domain.number), str(domain)) for domain in Domain.objects.all()]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(task__domain__number=self.value())
        return queryset


class OpenReportsFilter(admin.SimpleListFilter):
    title = _("problem reports")
    parameter_name = "reports"

    def lookups(self, request, model_admin):
        return [("open", _("Has open reports")), ("none", _("No open reports"))]

    def queryset(self, request, queryset):
        if self.value() == "open":
            return queryset.filter(open_reports__gt=0)
        if self.value() == "none":
            return queryset.filter(open_reports=0)
        return queryset


class StatisticsChangeList(ChangeList):
    """Fetches the item statistics of the page's questions in one call after the page is read."""

    def get_results(self, request):
        super().get_results(request)
        rows = list(self.result_list)
        question_ids = [getattr(row, "question_id", row.pk) for row in rows]
        stats = item_statistics_for(question_ids)
        for row, question_id in zip(rows, question_ids, strict=True):
            row.item_stats = stats.get(question_id)


def _format_share(value) -> str:
    return "–" if value is None else f"{value:.2f}"


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    form = QuestionAdminForm
    inlines = [OptionInline]
    change_list_template = "admin/questions/question/change_list.html"
    list_display = [
        "uid",
        "stem_start",
        "type",
        "task",
        "status",
        "language",
        "difficulty",
        "open_reports_marker",
        "facility",
        "discrimination",
    ]
    list_filter = [
        DomainFilter,
        "task",
        "tags",
        "type",
        "status",
        "language",
        "guides",
        OpenReportsFilter,
    ]
    list_select_related = ["task__domain"]
    search_fields = ["uid", "stem", "options__text"]
    autocomplete_fields = ["tags", "case_study"]
    actions = ["publish", "retire", "back_to_draft"]
    save_on_top = True
    fieldsets = [
        (None, {"fields": ["type", "uid", "language", "status", "task", "difficulty"]}),
        (None, {"fields": ["stem", "select", "explanation", "references"]}),
        (_("Classification"), {"fields": ["tags", "guides", "case_study"]}),
    ]

    class Media:
        js = ["questions/admin-options.js"]
        css = {"all": ["questions/admin-options.css"]}

    def get_queryset(self, request):
        return super().get_queryset(request).with_open_reports()

    def save_related(self, request, form, formsets, change):
        """After the options, tags and guides: the question's revision from what was saved."""
        super().save_related(request, form, formsets, change)
        revise([form.instance.pk])

    def get_changelist(self, request, **kwargs):
        return StatisticsChangeList

    @admin.display(description=_("stem"))
    def stem_start(self, question):
        return Truncator(question.stem).chars(70)

    @admin.display(description=_("open reports"), ordering="open_reports")
    def open_reports_marker(self, question):
        if not question.open_reports:
            return ""
        url = reverse("admin:questions_problemreport_changelist")
        return format_html(
            '<a href="{}?question__id__exact={}&amp;status__exact=open"><span aria-hidden="true">⚑</span> {}</a>',
            url,
            question.pk,
            ngettext("%(n)d open", "%(n)d open", question.open_reports) % {"n": question.open_reports},
        )

    @admin.display(description=_("facility"))
    def facility(self, question):
        stats = getattr(question, "item_stats", None)
        return _format_share(stats.facility) if stats else "–"

    @admin.display(description=_("discrimination"))
    def discrimination(self, question):
        stats = getattr(question, "item_stats", None)
        return _format_share(stats.discrimination) if stats else "–"

    @admin.action(description=_("Publish selected questions (each is validated first)"), permissions=["change"])
    def publish(self, request, queryset):
        questions = queryset.select_related("task__domain", "case_study").prefetch_related("options", "tags", "guides")
        ready, refused = [], []
        for question in questions:
            problems = validate_question(QuestionData.from_question(question), status=Question.Status.PUBLISHED)
            if problems:
                refused.append(f"{question.uid} ({question.language}): " + " ".join(str(p) for p in problems))
            else:
                ready.append(question.pk)
        count = Question.objects.filter(pk__in=ready).update(
            status=Question.Status.PUBLISHED, updated_at=timezone.now()
        )
        revise(ready)
        bank_changed.send(sender=Question)
        if count:
            messages.success(
                request, ngettext("Published %(n)d question.", "Published %(n)d questions.", count) % {"n": count}
            )
        for message in refused:
            messages.error(request, _("Not published: %(problems)s") % {"problems": message})

    @admin.action(description=_("Retire selected questions"), permissions=["change"])
    def retire(self, request, queryset):
        count = queryset.update(status=Question.Status.RETIRED, updated_at=timezone.now())
        bank_changed.send(sender=Question)
        messages.success(
            request, ngettext("Retired %(n)d question.", "Retired %(n)d questions.", count) % {"n": count}
        )

    @admin.action(description=_("Move selected questions back to draft"), permissions=["change"])
    def back_to_draft(self, request, queryset):
        count = queryset.update(status=Question.Status.DRAFT, updated_at=timezone.now())
        bank_changed.send(sender=Question)
        messages.success(
            request,
            ngettext("Moved %(n)d question to draft.", "Moved %(n)d questions to draft.", count) % {"n": count},
        )

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path(
                "<path:object_id>/preview/",
                wrap(partial(admin_views.preview, self)),
                name="questions_question_preview",
            ),
            path("import/", wrap(partial(admin_views.import_questions, self)), name="questions_question_import"),
            path(
                "import/<str:token>/",
                wrap(partial(admin_views.import_status, self)),
                name="questions_question_import_status",
            ),
            path("export/", wrap(partial(admin_views.export, self)), name="questions_question_export"),
            *super().get_urls(),
        ]


@admin.register(ProblemReport)
class ProblemReportAdmin(admin.ModelAdmin):
    list_display = ["created_at", "question_link", "reason", "status", "comment_start", "reporter", "item_statistics"]
    list_filter = ["status", "reason"]
    list_select_related = ["question", "owner__user"]
    search_fields = ["question__uid", "comment"]
    readonly_fields = ["question_link", "reporter", "reason", "comment", "created_at", "resolved_at", "resolved_by"]
    fields = [
        "question_link",
        "reason",
        "comment",
        "reporter",
        "created_at",
        "status",
        "resolution",
        "resolved_at",
        "resolved_by",
    ]
    actions = ["resolve"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def get_changelist(self, request, **kwargs):
        return StatisticsChangeList

    @admin.display(description=_("question"), ordering="question__uid")
    def question_link(self, report):
        return format_html(
            '<a href="{}">{} ({})</a> · <a href="{}">{}</a>',
            reverse("admin:questions_question_change", args=[report.question_id]),
            report.question.uid,
            report.question.language,
            reverse("admin:questions_question_preview", args=[report.question_id]),
            _("preview"),
        )

    @admin.display(description=_("comment"))
    def comment_start(self, report):
        return Truncator(report.comment).chars(80)

    @admin.display(description=_("reporter"))
    def reporter(self, report):
        if report.owner_id is None:
            return _("(removed guest)")
        return str(report.owner)

    @admin.display(description=_("item statistics"))
    def item_statistics(self, report):
        stats = getattr(report, "item_stats", None)
        if stats is None:
            return "–"
        return _("%(answered)d answered · facility %(facility)s · discrimination %(discrimination)s") % {
            "answered": stats.answered,
            "facility": _format_share(stats.facility),
            "discrimination": _format_share(stats.discrimination),
        }

    def save_model(self, request, obj, form, change):
        if "status" in form.changed_data:
            if obj.status == ProblemReport.Status.OPEN:
                obj.resolved_at, obj.resolved_by = None, None
            else:
                obj.resolved_at, obj.resolved_by = timezone.now(), request.user
        super().save_model(request, obj, form, change)

    @admin.action(description=_("Resolve selected reports with a note…"), permissions=["change"])
    def resolve(self, request, queryset):
        form = ResolveForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            count = resolve_reports(
                queryset,
                status=form.cleaned_data["status"],
                note=form.cleaned_data["note"],
                user=request.user,
                now=timezone.now(),
            )
            messages.success(
                request, ngettext("Resolved %(n)d report.", "Resolved %(n)d reports.", count) % {"n": count}
            )
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": _("Resolve problem reports"),
            "opts": self.opts,
            "form": form,
            "reports": queryset.select_related("question"),
            "selected": request.POST.getlist(admin.helpers.ACTION_CHECKBOX_NAME),
            "action_name": "resolve",
        }
        return TemplateResponse(request, "admin/questions/problemreport/resolve.html", context)


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["slug", "name", "name_ja"]
    search_fields = ["slug", "name", "name_ja"]


@admin.register(CaseStudy)
class CaseStudyAdmin(admin.ModelAdmin):
    list_display = ["uid", "language", "scenario_start"]
    list_filter = ["language"]
    search_fields = ["uid", "scenario"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        revise(obj.questions.all())  # its questions show the new scenario

    @admin.display(description=_("scenario"))
    def scenario_start(self, case_study):
        return Truncator(case_study.scenario).chars(90)


@admin.register(TaskStatement)
class TaskStatementAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "domain"]
    list_filter = ["domain"]


admin.site.register(Domain)
admin.site.register(GuideRevision)
