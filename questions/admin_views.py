"""The question admin's own pages: the candidate preview, import (in the request or in the
background, ``questions.imports``) and export. ``QuestionAdmin.get_urls`` routes them,
each called with the model admin for its permissions and site context."""

from datetime import date

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from . import imports
from .admin_forms import ExportForm, ImportForm
from .formats.base import QuestionData
from .models import Question
from .snapshots import public_view, take_snapshot
from .transfer import Source, export_questions, import_sources
from .validation import validate_question

EXPORT_TYPES = {"json": "application/json", "gift": "text/plain", "xml": "application/xml"}


def preview(model_admin, request, object_id):
    """The question as a candidate sees it, then the key, rationales and explanation."""
    if not model_admin.has_view_permission(request):
        raise PermissionDenied
    question = get_object_or_404(Question.objects.for_candidate().prefetch_related("tags", "guides"), pk=object_id)
    snapshot = take_snapshot(question)
    context = {
        **model_admin.admin_site.each_context(request),
        "title": _("Preview of %(uid)s") % {"uid": question.uid},
        "question": question,
        "snapshot": snapshot,
        "candidate_view": public_view(snapshot),
        "problems": validate_question(QuestionData.from_question(question), status=Question.Status.PUBLISHED),
        "change_url": reverse("admin:questions_question_change", args=[question.pk]),
    }
    return TemplateResponse(request, "questions/question_preview.html", context)


def import_questions(model_admin, request):
    if not (model_admin.has_add_permission(request) and model_admin.has_change_permission(request)):
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
        **model_admin.admin_site.each_context(request),
        "title": _("Import questions"),
        "opts": model_admin.opts,
        "form": form,
        "result": result,
    }
    return TemplateResponse(request, "admin/questions/question/import.html", context)


def import_status(model_admin, request, token):
    """A big import running in the background (``questions.imports``): its state, then its result."""
    if not (model_admin.has_add_permission(request) and model_admin.has_change_permission(request)):
        raise PermissionDenied
    job = imports.status(token)
    if job is None:
        raise Http404
    context = {
        **model_admin.admin_site.each_context(request),
        "title": _("Import questions"),
        "opts": model_admin.opts,
        "form": ImportForm(),
        "job": job,
        "result": job.get("result"),
        "form_action": reverse("admin:questions_question_import"),
    }
    return TemplateResponse(request, "admin/questions/question/import.html", context)


def export(model_admin, request):
    if not model_admin.has_view_permission(request):
        raise PermissionDenied
    form = ExportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        questions = Question.objects.all()
        if form.cleaned_data["status"]:
            questions = questions.filter(status__in=form.cleaned_data["status"])
        if form.cleaned_data["language"]:
            questions = questions.filter(language__in=form.cleaned_data["language"])
        fmt = form.cleaned_data["format"]
        response = HttpResponse(export_questions(questions, fmt), content_type=f"{EXPORT_TYPES[fmt]}; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="quizapp-bank-{date.today():%Y%m%d}.{fmt}"'
        return response
    context = {
        **model_admin.admin_site.each_context(request),
        "title": _("Export questions"),
        "opts": model_admin.opts,
        "form": form,
    }
    return TemplateResponse(request, "admin/questions/question/export.html", context)


def _read_upload(upload) -> bytes | None:
    if upload.size > settings.QUESTION_IMPORT_MAX_BYTES:
        return None
    return upload.read()
