from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.owners import get_or_create_owner_id, owner_id_for
from quizapp.htmx import HtmxHttpRequest
from quizapp.ratelimit import RateLimited

from . import media
from .forms import ProblemReportForm
from .models import Question, interface_language
from .reports import DuplicateReport, check_rate, file_report

FRAGMENT = "questions/includes/report_problem.html"


def _get_question(uid: str, language: str | None) -> Question:
    """The question version the candidate saw: their language, else any version of the uid.

    Only what a mock or practice can show (published or pilot) is reachable: drafts and
    retired questions are a 404, so this page cannot reveal their stems.
    """
    versions = {question.language: question for question in Question.objects.drawable().filter(uid=uid)}
    for code in (language, interface_language(), "en"):
        if code in versions:
            return versions[code]
    if versions:
        return next(iter(versions.values()))
    raise Http404


@require_http_methods(["GET", "POST"])
def report_problem(request: HtmxHttpRequest, uid: str):
    """ "Report a problem" on one question, for guests and accounts alike.

    htmx posts get the report block back (done, or the form with its errors); plain
    posts redirect to ``next`` with a message, or show the form page when invalid.
    """
    form = ProblemReportForm(request.POST or None)
    question = _get_question(uid, request.POST.get("language") or request.GET.get("language"))
    context = {
        "question": question,
        "question_uid": question.uid,
        "question_language": question.language,
        "report_form": form,
        "report_next": request.POST.get("next") or request.GET.get("next", ""),
        # A lazy toggle (lazy=True in the include) loads the block already open.
        "report_open": request.GET.get("open") == "1",
    }
    status = 200
    retry_after = None
    if request.method == "POST":
        # A valid report needs an owner (a new guest's first one counts too); an invalid post
        # counts against the owner if there is one, and always against the address.
        owner_id = get_or_create_owner_id(request) if form.is_valid() else owner_id_for(request)
        try:
            check_rate(request, owner_id)
        except RateLimited as refusal:
            context["report_message"] = _("Too many reports from you in the last hour; please try again later.")
            status, retry_after = 429, refusal.retry_after
    if request.method == "POST" and retry_after is None and form.is_valid():
        try:
            file_report(
                question=question,
                owner_id=owner_id,
                reason=form.cleaned_data["reason"],
                comment=form.cleaned_data["comment"],
                now=timezone.now(),
            )
        except DuplicateReport:
            context["report_message"] = _(
                "You have already reported a problem with this question; an author will look at it."
            )
            context["report_duplicate"] = True
        else:
            context["report_done"] = True
        if not request.htmx:
            level = messages.INFO if context.get("report_duplicate") else messages.SUCCESS
            text = context.get("report_message") or _("Thanks — reported. An author will look at it.")
            messages.add_message(request, level, text)
            return redirect(_safe_next(request, form.cleaned_data.get("next"), question))
    template = FRAGMENT if request.htmx else "questions/report_problem.html"
    response = render(request, template, context, status=status)
    response["Vary"] = "HX-Request"
    if retry_after is not None:
        response["Retry-After"] = str(retry_after)
    return response


def _safe_next(request: HtmxHttpRequest, next_url: str | None, question: Question) -> str:
    if next_url and url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return next_url
    return f"{request.path}?language={question.language}"


@require_http_methods(["GET", "HEAD"])
def question_image(request, name: str):
    """An image of an imported question (``questions.media``), with its own type and ``nosniff``.

    Names are content hashes; the images are those of questions, which are shown to anyone
    who can see the question, so no owner check. Never a page: the sandbox CSP keeps a
    picture opened on its own from running anything.
    """
    try:
        file, content_type = media.open_image(name)
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(file, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "public, max-age=31536000, immutable"
    return response
