from django.shortcuts import render
from django.views.decorators.http import require_GET

from exams.models import Blueprint
from quizapp.htmx import HtmxHttpRequest


@require_GET
def dashboard(request: HtmxHttpRequest):
    blueprints = Blueprint.objects.filter(is_active=True, mode="exam")
    return render(request, "insights/dashboard.html", {"blueprints": blueprints})


@require_GET
def report(request: HtmxHttpRequest):
    return render(request, "insights/report.html", {})
