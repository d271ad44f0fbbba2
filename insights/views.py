from django.contrib import messages
from django.db.models import Count, F, Q
from django.http import Http404, HttpResponse, HttpResponseBadRequest, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from accounts.owners import get_or_create_owner_id, owner_id_for
from exams.assembly import NotEnoughQuestions
from exams.attempts import check_start_rate, start_practice
from exams.models import Attempt, Mode, Response
from exams.scopes import scope_label
from questions.models import Question, interface_language
from quizapp.htmx import HtmxHttpRequest, render_page

from . import charts
from .forms import (
    DailyLimitsForm,
    DeleteHistoryForm,
    ExamDateForm,
    PractiseForm,
    SelfGradeForm,
    SuspendForm,
    TagOrderForm,
)
from .history import delete_history as delete_owner_history
from .history import export_rows
from .log import settled_responses
from .plan import new_question_ids, plan_for, reviews_left_today, set_daily_limits, set_exam_date
from .report import WeaknessReport
from .review import grade_answer, refresh_review_cards, review_queue, suspend
from .stats import OTHERS_MIN_CANDIDATES, first_tries
from .templatetags.insights_review import self_grade_context
from .trend import PASS_MARK, outlook, readiness_trend, trend_chart

MAX_DUE_SESSION = 65
OPEN_ATTEMPTS = 3


@require_GET
def dashboard(request: HtmxHttpRequest):
    return render(request, "insights/dashboard.html", _dashboard_context(request))


def _dashboard_context(
    request: HtmxHttpRequest, *, plan_form: ExamDateForm | None = None, limits_form: DailyLimitsForm | None = None
) -> dict:
    owner_id = owner_id_for(request)
    now = timezone.now()
    report = WeaknessReport(owner_id, now=now)
    open_attempts = _open_attempts(owner_id, now=now)
    plan = plan_for(owner_id, report, now=now) if owner_id is not None else None
    returning = owner_id is not None and (
        bool(open_attempts) or report.answers > 0 or bool(report.mocks) or plan.exam_date is not None
    )
    if plan_form is None:
        plan_form = ExamDateForm(initial={"exam_date": plan and plan.exam_date})
    trend = readiness_trend(report) if returning else []
    if limits_form is None:
        limits = {"new_cap": plan and plan.new_cap, "review_cap": plan and plan.review_cap}
        limits_form = DailyLimitsForm(initial=limits)
    # From the cards the plan already read: the forecast costs no query.
    queue = review_queue(report.cards, now=now) if returning else None
    return {
        "returning": returning,
        "open_attempts": open_attempts,
        "report": report,
        "plan": plan,
        "plan_form": plan_form,
        "limits_form": limits_form,
        "queue": queue,
        "ahead_count": _session_size(len(queue.this_week), plan.reviews_left) if queue else 0,
        # The plan's fragments are also rendered by the forms' POST views: come back to the dashboard.
        "practise_next": reverse("dashboard"),
        "weakest": [task for task in report.weakest_tasks if task.answers][:3] if returning else [],
        "score_chart": charts.score_history(report.mocks, width=480, height=150) if returning else None,
        "trend": trend,
        "trend_chart": trend_chart(trend, plan.exam_date) if trend else None,
        "outlook": outlook(report.readiness, plan.exam_date, today=plan.today) if returning else None,
        "pass_mark": PASS_MARK,
        "now": now,
    }


@require_POST
def study_plan(request: HtmxHttpRequest):
    """Set or clear the exam date; today's target is set again from it."""
    form = ExamDateForm(request.POST)
    if not form.is_valid():
        return _plan_card_with_errors(request, plan_form=form)
    owner_id = get_or_create_owner_id(request)
    set_exam_date(owner_id, form.cleaned_data["exam_date"], now=timezone.now())
    if request.htmx and request.headers.get("HX-Target") == "study-plan":
        return render(request, "insights/dashboard.html#study-plan", _dashboard_context(request))
    messages.success(request, _("Your study plan is updated."))
    return _go(request, reverse("dashboard"))


@require_POST
def daily_limits(request: HtmxHttpRequest):
    """Set or clear the daily limits on new questions and reviews; today's target is set again."""
    form = DailyLimitsForm(request.POST)
    if not form.is_valid():
        return _plan_card_with_errors(request, limits_form=form)
    owner_id = get_or_create_owner_id(request)
    set_daily_limits(owner_id, **form.cleaned_data, now=timezone.now())
    if request.htmx and request.headers.get("HX-Target") == "study-plan":
        # The review card beside the plan says the limit too: it comes along out of band.
        context = _dashboard_context(request) | {"limits_saved": True}
        page = render_to_string("insights/dashboard.html#study-plan", context, request)
        page += render_to_string("insights/dashboard.html#review-card", context | {"oob": True}, request)
        return HttpResponse(page)
    messages.success(request, _("Your daily limits are saved."))
    return _go(request, reverse("dashboard"))


def _plan_card_with_errors(request: HtmxHttpRequest, **forms):
    """A plan form that did not validate: the plan card again with its errors (htmx, once
    the dashboard shows the card), else the whole dashboard."""
    context = _dashboard_context(request, **forms)
    card = request.htmx and context["returning"]
    return render(request, "insights/dashboard.html" + ("#study-plan" if card else ""), context)


def _open_attempts(owner_id: int | None, *, now) -> list[Attempt]:
    """The latest open practice sessions and mocks whose clock still runs, with answer counts."""
    if owner_id is None:
        return []
    attempts = list(
        Attempt.objects.filter(owner_id=owner_id, status=Attempt.Status.IN_PROGRESS)
        .filter(Q(mode=Mode.PRACTICE) | Q(deadline__gt=now))
        .select_related("blueprint")
        .annotate(answered=Count("items__response"), total=Count("items"))
        # A practice session left with every question answered has nothing to resume.
        .filter(Q(mode=Mode.EXAM) | Q(target_count__isnull=True) | Q(answered__lt=F("total")))
        .order_by("-started_at")[:OPEN_ATTEMPTS]
    )
    for attempt in attempts:
        attempt.left_seconds = int((attempt.deadline - now).total_seconds()) if attempt.deadline else None
        # "Practice · Domain 3: Applications of Foundation Models", never a bare "3".
        attempt.label = attempt.blueprint.display_name if attempt.blueprint else scope_label(attempt.scope)
    return attempts


@require_GET
def report(request: HtmxHttpRequest):
    form = TagOrderForm(request.GET)
    if not form.is_valid():
        return HttpResponseBadRequest(_("Unknown sort order for the tag table."))
    now = timezone.now()
    report = WeaknessReport(owner_id_for(request), now=now, tag_order=form.order())
    context = {
        "report": report,
        "tag_order": form.order(),
        "charts": _ReportCharts(report),
        "now": now,
    }
    return render_page(request, "insights/report.html", context, partials=("tag-table",))


class _ReportCharts:
    """The report's chart geometry, computed only when a template draws the chart."""

    def __init__(self, report: WeaknessReport):
        self.report = report

    def gauge(self):
        return self.report.readiness and charts.readiness_gauge(self.report.readiness)

    def bars(self):
        return charts.domain_bars(self.report.domains)

    def heat(self):
        return charts.task_heat_map(self.report.domains)

    def scores(self):
        return charts.score_history(self.report.mocks)


@require_GET
def others(request: HtmxHttpRequest, uid: str):
    """ "How others did" with a question: the share of candidates right on their first try.

    Practice feedback and a finished mock's review load it lazily (``others_did.html``), so
    answering never waits for insights. Only for a question the requester has a settled
    answer to: never before answering, never from a running mock's answers (404 otherwise,
    as for anything not theirs). Empty below ``OTHERS_MIN_CANDIDATES`` candidates.
    """
    owner_id = owner_id_for(request)
    if owner_id is None or not settled_responses(owner_id).filter(item__question__uid=uid).exists():
        raise Http404
    answered, correct = first_tries().get(uid, (0, 0))
    context = {
        "uid": uid,
        "candidates": answered,
        "share": correct / answered if answered >= OTHERS_MIN_CANDIDATES else None,
    }
    response = render(request, "insights/others.html#others" if request.htmx else "insights/others.html", context)
    response["Vary"] = "HX-Request"  # a fragment for htmx, a page without JavaScript
    return response


@require_POST
def practise(request: HtmxHttpRequest):
    """ "Practise this": start a practice session on one scope and go to its first question."""
    form = PractiseForm(request.POST)
    if not form.is_valid():
        # Said in the page the form came from, never as a bare error page.
        problems = [str(error) for errors in form.errors.values() for error in errors]
        messages.error(request, " ".join(problems) or _("Choose what to practise."))
        return _go(request, form.back_url(request, reverse("insights:report")))
    owner_id = get_or_create_owner_id(request)
    check_start_rate(request, owner_id)
    now = timezone.now()
    scope, count, question_ids = form.cleaned_data["scope"], form.cleaned_data["count"], None
    nothing = _("No published questions match this choice yet.")
    if scope["kind"] in ("due", "ahead"):
        ahead = scope["kind"] == "ahead"
        left = reviews_left_today(owner_id, now=now)
        question_ids = _due_question_ids(owner_id, now=now, ahead=ahead, limit=left)
        scope, count = {"kind": "due"}, len(question_ids)
        if left == 0:
            nothing = _("You have reached today's review limit.")
        elif ahead:
            nothing = _("Nothing is due in the next days.")
        else:
            nothing = _("Nothing is due for review today.")
    elif scope["kind"] == "new":
        report = WeaknessReport(owner_id, now=now)
        question_ids = new_question_ids(owner_id, report, now=now, language=interface_language())
        scope, count = {"kind": "unseen"}, len(question_ids)
        nothing = _("No new questions are left for today.")
    try:
        if question_ids == []:
            raise NotEnoughQuestions(nothing)
        attempt = start_practice(
            owner_id, scope=scope, count=count, language=interface_language(), question_ids=question_ids, now=now
        )
    except NotEnoughQuestions as problem:
        messages.warning(request, str(problem))
        return _go(request, form.back_url(request, reverse("insights:report")))
    return _go(request, attempt.get_absolute_url())


def _session_size(due: int, reviews_left: int | None) -> int:
    """How many of ``due`` questions a review session takes: up to a mock's length and the daily limit."""
    return min(due, MAX_DUE_SESSION, MAX_DUE_SESSION if reviews_left is None else reviews_left)


def _due_question_ids(owner_id: int, *, now, ahead: bool = False, limit: int | None = None) -> list[int]:
    """One question id per question due today (most overdue first), or with ``ahead`` due in
    the next days (soonest first), up to a full mock's length and the daily review limit."""
    queue = review_queue(refresh_review_cards(owner_id), now=now)
    uids = queue.ahead_uids if ahead else queue.due_uids
    uids = uids[: _session_size(len(uids), limit)]
    ids = dict(Question.objects.filter(uid__in=uids).order_by("-language").values_list("uid", "pk"))
    return [ids[uid] for uid in uids if uid in ids]


def _go(request: HtmxHttpRequest, url: str):
    return HttpResponseClientRedirect(url) if request.htmx else redirect(url)


@require_GET
def export(request: HtmxHttpRequest):
    """The owner's answers as CSV, streamed so a long history needs no memory."""
    response = StreamingHttpResponse(export_rows(owner_id_for(request)), content_type="text/csv; charset=utf-8")
    filename = f"quizapp-results-{timezone.localdate():%Y-%m-%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_http_methods(["GET", "POST"])
def delete_history(request: HtmxHttpRequest):
    """Confirm, then delete the owner's attempts, answers and review schedule (not the account)."""
    owner_id = owner_id_for(request)
    form = DeleteHistoryForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        if owner_id is not None:
            delete_owner_history(owner_id)
        messages.success(request, _("Your history is deleted."))
        return _go(request, reverse("insights:report"))
    answers = 0
    if owner_id is not None:
        answers = Response.objects.filter(item__attempt__owner_id=owner_id).count()
    context = {"form": form, "answers": answers}
    return render_page(request, "insights/delete_history.html", context, partials=("delete-form",))


@require_POST
def self_grade(request: HtmxHttpRequest, pk: int, position: int):
    """Grade one's own practice answer after its feedback (Again, Hard, Good, Easy, or back to
    the grade inferred from the answer); its question is rescheduled at once.

    Its own view, so saving an answer never calls insights; 404 for anyone else's answer.
    """
    owner_id = owner_id_for(request)
    response = None
    if owner_id is not None:
        response = (
            Response.objects.select_related("item__attempt", "item__question")
            .filter(item__attempt_id=pk, item__position=position)
            .filter(item__attempt__owner_id=owner_id, item__attempt__mode=Mode.PRACTICE)
            .first()
        )
    if response is None:
        raise Http404
    form = SelfGradeForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest(_("Choose Again, Hard, Good or Easy."))
    rating = form.cleaned_data["grade"]
    card = grade_answer(response, rating, now=timezone.now())
    if request.htmx:
        context = self_grade_context(pk, position, rating, due=card.due)
        return render(request, "insights/includes/self_grade.html", context)
    saved = _("Your grade is saved: the question is due again on %(date)s.") % {"date": _day(card.due)}
    messages.success(request, saved)
    return redirect("practice:question", pk, position)


def _day(moment) -> str:
    return date_format(timezone.localtime(moment), "DATE_FORMAT")


@require_POST
def suspend_card(request: HtmxHttpRequest):
    """Suspend a question's review card (a chronic miss leaves the queue) or resume it."""
    form = SuspendForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest(_("Unknown question."))
    owner_id = owner_id_for(request)
    uid, suspended = form.cleaned_data["question_uid"], form.cleaned_data["suspended"]
    if owner_id is None or not suspend(owner_id, uid, suspended=suspended):
        raise Http404
    if suspended:
        done = _("The question is suspended: it stays out of your reviews until you resume it.")
    else:
        done = _("The question is back in your reviews.")
    if request.htmx and request.htmx.target == "review-queue":
        now = timezone.now()
        context = {
            "report": WeaknessReport(owner_id, now=now),
            "now": now,
            "queue_changed": done,
            "practise_next": reverse("insights:report"),
        }
        return render(request, "insights/report.html#review-queue", context)
    messages.success(request, done)
    return _go(request, reverse("insights:report") + "#queue-heading")
