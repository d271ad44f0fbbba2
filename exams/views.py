from django.shortcuts import render
from django.views.decorators.http import require_GET

from quizapp.htmx import HtmxHttpRequest

from .models import Blueprint


@require_GET
def exam_list(request: HtmxHttpRequest):
    blueprints = Blueprint.objects.filter(is_active=True, mode="exam")
    return render(request, "exams/exam_list.html", {"blueprints": blueprints})


@require_GET
def practice_picker(request: HtmxHttpRequest):
    return render(request, "exams/practice_picker.html", {})
