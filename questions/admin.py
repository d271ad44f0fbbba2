import json
from datetime import date

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.forms.models import BaseInlineFormSet
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import imports
from .formats.base import Hints, OptionData, QuestionData
from .models import (
    CaseStudy,
    Domain,
    GuideRevision,
    Language,
    Option,
    ProblemReport,
    Question,
    Tag,
    TaskStatement,
)
from .reports import resolve_reports
from .revisions import revise
from .signals import bank_changed
from .snapshots import public_view, take_snapshot
from .statistics import item_statistics_for
from .transfer import Source, export_questions, import_sources
from .validation import validate_question

TYPE_HELP = _(
    "Which columns of the options table count: "
    "Multiple choice — Text, Correct (exactly one of two or more), Rationale. "
    "Multiple response — Text, Correct (two or more of five or more options); set “Select” to the number correct "
    "and say it in the stem, e.g. “(Select TWO.)”. "
    "Ordering — Text and Rationale; Position is the correct order (3–5 items). "
    "Matching — Text is the prompt and Match its answer (3–7 prompts, each match different); a row with a Match "
    "but no Text is an extra wrong answer. "
    "Drafts may be incomplete; pilot and published questions need an explanation and a rationale for every row."
)


class ReferencesField(forms.CharField):
    """A JSON list of URLs, edited as one URL per line."""

    widget = forms.Textarea(attrs={"rows": 3})
    default_error_messages = {"invalid_url": _("Line %(line)d is not an http(s) URL: %(url)s")}

    def prepare_value(self, value):
        if isinstance(value, list):
            return "\n".join(value)
        return value

    def to_python(self, value):
        if isinstance(value, list):
            return value
        urls = [line.strip() for line in (value or "").splitlines() if line.strip()]
        validate = URLValidator(schemes=["http", "https"])
        for number, url in enumerate(urls, start=1):
            try:
                validate(url)
            except ValidationError:
                raise ValidationError(
                    self.error_messages["invalid_url"], code="invalid_url", params={"line": number, "url": url}
                ) from None
        return urls

    def has_changed(self, initial, data):
        return self.to_python(initial) != self.to_python(data)


class QuestionAdminForm(forms.ModelForm):
    references = ReferencesField(
        required=False, help_text=_("Documentation that supports the key, one URL per line."), label=_("References")
    )

    class Meta:
        model = Question
        fields = [
            "type",
            "uid",
            "language",
            "status",
            "task",
            "difficulty",
            "stem",
            "select",
            "explanation",
            "references",
            "tags",
            "guides",
            "case_study",
        ]
        help_texts = {"type": TYPE_HELP}
        widgets = {
            "stem": forms.Textarea(attrs={"rows": 6}),
            "explanation": forms.Textarea(attrs={"rows": 4}),
            # A handful of guide revisions: checkboxes, not the filter widget (whose JS
            # puts aria-label on a span, an axe-core "serious" violation).
            "guides": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # admin-options.js names the options' text column after the type (in the user's language).
        labels = {"single": _("Option"), "multiple": _("Option"), "ordering": _("Item"), "matching": _("Prompt")}
        self.fields["type"].widget.attrs["data-row-labels"] = json.dumps({k: str(v) for k, v in labels.items()})
        # The admin gives this form's instance to the options formset, which validates the
        # question as a whole and reports question-level problems on this form's fields.
        self.instance._admin_form = self


class OptionInlineFormSet(BaseInlineFormSet):
    """Validates the question with its options through ``validate_question``.

    Problems about one row go next to that row's field, problems about the question next
    to the question's field (found through the shared instance), the rest above the table.
    """

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        rows = [
            (index, form)
            for index, form in enumerate(self.forms)
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        rows.sort(key=lambda row: (row[1].cleaned_data.get("position") or 0, row[0]))
        question = self.instance
        data = QuestionData(
            uid=question.uid,
            type=question.type,
            stem=question.stem or "",
            language=question.language,
            status=question.status,
            select=question.select,
            explanation=question.explanation or "",
            options=[
                OptionData(
                    text=form.cleaned_data.get("text", ""),
                    match=form.cleaned_data.get("match", ""),
                    correct=form.cleaned_data.get("is_correct", False),
                    rationale=form.cleaned_data.get("rationale", ""),
                )
                for _index, form in rows
            ],
        )
        problems = validate_question(data)
        question_form = getattr(question, "_admin_form", None)
        general = []
        for problem in problems:
            if problem.option is not None:
                form = rows[problem.option][1]
                form.add_error(problem.field if problem.field in form.fields else None, problem.message)
            elif question_form is not None and problem.field in question_form.fields:
                question_form.add_error(problem.field, problem.message)
            else:
                general.append(problem.message)
        if problems:
            raise ValidationError(general or [_("Fix the problems marked on the question and its options.")])


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


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files from one input (Django's documented pattern)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".json,.gift,.txt,.xml"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(item, initial) for item in data]
        return [super().clean(data, initial)]


class ImportForm(forms.Form):
    files = MultipleFileField(
        label=_("Files"), help_text=_("Native JSON (.json), GIFT (.gift or .txt) or Moodle XML (.xml).")
    )
    dry_run = forms.BooleanField(label=_("Dry run: check only, write nothing"), required=False, initial=True)
    task = forms.ModelChoiceField(
        TaskStatement.objects.all(),
        to_field_name="code",
        required=False,
        label=_("Task statement"),
        help_text=_("For questions whose file or category names none."),
    )
    skip_unsupported = forms.BooleanField(
        label=_("Skip unsupported question types (essay, numerical, short answer…) and list them"), required=False
    )
    skip_invalid = forms.BooleanField(
        label=_("Skip questions with errors, list them with the reason, and import the rest"), required=False
    )

    def hints(self) -> Hints:
        """Messages name this form's fields, not the command's options."""
        return Hints(
            skip_unsupported=_("tick “%(field)s” to skip them") % {"field": self.fields["skip_unsupported"].label},
            task=_("choose a “%(field)s” above") % {"field": self.fields["task"].label},
        )


class ExportForm(forms.Form):
    format = forms.ChoiceField(
        choices=[("json", _("Native JSON (lossless)")), ("gift", "GIFT"), ("xml", "Moodle XML")], label=_("Format")
    )
    status = forms.MultipleChoiceField(
        choices=Question.Status.choices, required=False, widget=forms.CheckboxSelectMultiple, label=_("Status")
    )
    language = forms.MultipleChoiceField(
        choices=Language.choices, required=False, widget=forms.CheckboxSelectMultiple, label=_("Language")
    )


EXPORT_TYPES = {"json": "application/json", "gift": "text/plain", "xml": "application/xml"}


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
            path("<path:object_id>/preview/", wrap(self.preview_view), name="questions_question_preview"),
            path("import/", wrap(self.import_view), name="questions_question_import"),
            path("import/<str:token>/", wrap(self.import_status_view), name="questions_question_import_status"),
            path("export/", wrap(self.export_view), name="questions_question_export"),
            *super().get_urls(),
        ]

    def preview_view(self, request, object_id):
        """The question as a candidate sees it, then the key, rationales and explanation."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        question = get_object_or_404(Question.objects.for_candidate().prefetch_related("tags", "guides"), pk=object_id)
        snapshot = take_snapshot(question)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Preview of %(uid)s") % {"uid": question.uid},
            "question": question,
            "snapshot": snapshot,
            "candidate_view": public_view(snapshot),
            "problems": validate_question(QuestionData.from_question(question), status=Question.Status.PUBLISHED),
            "change_url": reverse("admin:questions_question_change", args=[question.pk]),
        }
        return TemplateResponse(request, "questions/question_preview.html", context)

    def import_view(self, request):
        if not (self.has_add_permission(request) and self.has_change_permission(request)):
            raise PermissionDenied
        form = ImportForm(request.POST or None, request.FILES or None)
        result = None
        if request.method == "POST" and form.is_valid():
            uploads = form.cleaned_data["files"]
            sources = [Source(name=upload.name, data=_read_upload(upload), size=upload.size) for upload in uploads]
            task = form.cleaned_data["task"]
            options = {
                "dry_run": form.cleaned_data["dry_run"],
                "task": task.code if task else None,
                "skip_unsupported": form.cleaned_data["skip_unsupported"],
                "skip_invalid": form.cleaned_data["skip_invalid"],
                "hints": form.hints(),
            }
            if sum(upload.size for upload in uploads) > settings.QUESTION_IMPORT_BACKGROUND_BYTES:
                token = imports.start(sources, **options)
                return redirect("admin:questions_question_import_status", token=token)
            result = import_sources(sources, **options)
            if result.ok and not result.dry_run:
                messages.success(request, result.summary())
        context = {
            **self.admin_site.each_context(request),
            "title": _("Import questions"),
            "opts": self.opts,
            "form": form,
            "result": result,
        }
        return TemplateResponse(request, "admin/questions/question/import.html", context)

    def import_status_view(self, request, token):
        """A big import running in the background (``questions.imports``): its state, then its result."""
        if not (self.has_add_permission(request) and self.has_change_permission(request)):
            raise PermissionDenied
        job = imports.status(token)
        if job is None:
            raise Http404
        context = {
            **self.admin_site.each_context(request),
            "title": _("Import questions"),
            "opts": self.opts,
            "form": ImportForm(),
            "job": job,
            "result": job.get("result"),
            "form_action": reverse("admin:questions_question_import"),
        }
        return TemplateResponse(request, "admin/questions/question/import.html", context)

    def export_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        form = ExportForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            questions = Question.objects.all()
            if form.cleaned_data["status"]:
                questions = questions.filter(status__in=form.cleaned_data["status"])
            if form.cleaned_data["language"]:
                questions = questions.filter(language__in=form.cleaned_data["language"])
            fmt = form.cleaned_data["format"]
            response = HttpResponse(
                export_questions(questions, fmt), content_type=f"{EXPORT_TYPES[fmt]}; charset=utf-8"
            )
            response["Content-Disposition"] = f'attachment; filename="quizapp-bank-{date.today():%Y%m%d}.{fmt}"'
            return response
        context = {
            **self.admin_site.each_context(request),
            "title": _("Export questions"),
            "opts": self.opts,
            "form": form,
        }
        return TemplateResponse(request, "admin/questions/question/export.html", context)


def _read_upload(upload) -> bytes | None:
    if upload.size > settings.QUESTION_IMPORT_MAX_BYTES:
        return None
    return upload.read()


class ResolveForm(forms.Form):
    status = forms.ChoiceField(
        choices=[(ProblemReport.Status.FIXED, _("Fixed")), (ProblemReport.Status.REJECTED, _("Rejected"))],
        widget=forms.RadioSelect,
        label=_("Resolve as"),
    )
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label=_("Resolution note"), max_length=2000)


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
