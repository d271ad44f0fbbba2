"""Mock exams and practice: thin views over ``exams.attempts`` and the templates.

Both modes share one answering path: ``answer`` (POST an answer for one item) and the
answer controls in ``includes/question_form.html``. An htmx save gets a fragment back
(exam: the save status plus the navigator cell and counter out of band; practice: the
feedback card); a plain form post gets a redirect, so everything works without JS.
"""

from django.contrib import messages
from django.db.models import Case, Q, When
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect, HttpResponseClientRefresh

from accounts.owners import get_or_create_owner_id, owner_id_for
from questions.models import Domain, Language, Question
from questions.snapshots import original_view, public_view
from quizapp import ratelimit
from quizapp.htmx import HtmxHttpRequest, render_page

from . import attempts
from .forms import PracticeStartForm, SaveMeta, ToggleForm, read_save
from .grading import AnswerError, apply_move, domain_results, is_complete, parse_answer
from .models import Attempt, AttemptItem, Blueprint, Bookmark, Mode, Response
from .scopes import scope_choices, scope_counts, scope_key, scope_label
from .tokens import ItemTokens, tokens_for

# The pace of the real exam: 90 minutes for 65 questions.
PACE_SECONDS = 83


# --- access helpers -------------------------------------------------------------------


def _get_attempt(request: HtmxHttpRequest, pk: int, *, mode: str) -> Attempt:
    """The requester's attempt ``pk`` of ``mode`` (with its blueprint); 404 for anyone else's."""
    owner_id = owner_id_for(request)
    if owner_id is None:
        raise Http404
    return get_object_or_404(Attempt.objects.select_related("blueprint"), pk=pk, owner_id=owner_id, mode=mode)


def _get_item(request: HtmxHttpRequest, pk: int, position: int) -> AttemptItem:
    """The requester's item, with its attempt and response, in one query (the hot path of
    every save); 404 for anyone else's."""
    owner_id = owner_id_for(request)
    item = None if owner_id is None else AttemptItem.objects.for_answer(pk, owner_id, position)
    if item is None:
        raise Http404
    return item


def _response(item: AttemptItem):
    """The item's response row or None (select_related caches a missing one as absent)."""
    return getattr(item, "response", None)


def _nav_words() -> dict[str, str]:
    """The screen-reader words of a navigator cell (CSS shows the one that applies)."""
    return {
        "answered": _("answered"),
        "incomplete": _("incomplete"),
        "unanswered": _("unanswered"),
        "flagged": _(", flagged"),
    }


def _cell(
    attempt_pk: int,
    position: int,
    *,
    key,
    answer,
    flagged: bool,
    current: int | None = None,
    prefix: str = "",
    words: dict | None = None,
) -> dict:
    """One navigator cell (rendered by ``{% nav_cell %}``). Its link is ``exams:question``
    built from the attempt's URL (``attempts/<pk>/`` + ``<position>/``), and its words are
    translated once per page: reversing and translating 65 times per page cost more than
    the rest of the grid. "answered" means a complete answer; a partial one (one box of a
    "Select THREE") is "incomplete" (``grading.is_complete``)."""
    answered = is_complete(key, answer)
    return {
        "position": position,
        "url": f"{prefix or reverse('exams:attempt', args=[attempt_pk])}{position}/",
        "answered": answered,
        "incomplete": bool(answer) and not answered,
        "flagged": flagged,
        "current": position == current,
        "words": words or _nav_words(),
    }


def _item_cell(attempt_pk: int, item: AttemptItem, *, current: int | None = None) -> dict:
    response = _response(item)
    answer = response.answer if response else None
    return _cell(
        attempt_pk, item.position, key=item.snapshot["key"], answer=answer, flagged=item.flagged, current=current
    )


def _cells(attempt: Attempt, *, current: int | None = None) -> list[dict]:
    """Every cell of the navigator, from light rows (no item or response objects; of the
    snapshot only its key, to tell a complete answer from a partial one)."""
    prefix, words = reverse("exams:attempt", args=[attempt.pk]), _nav_words()
    rows = attempt.items.order_by("position").values_list(
        "position", "flagged", "response__answer", "revision__content__key"
    )
    return [
        _cell(
            attempt.pk,
            position,
            key=key,
            answer=answer,
            flagged=flagged,
            current=current,
            prefix=prefix,
            words=words,
        )
        for position, flagged, answer, key in rows
    ]


def _ended(request: HtmxHttpRequest, attempt: Attempt, message: str | None = None) -> HttpResponse:
    """Leave a closed attempt for its results (or summary), saying why (by default: how it ended)."""
    messages.error(request, message or _why_ended(attempt))
    url = attempt.get_absolute_url()
    if request.htmx:
        response = HttpResponseClientRedirect(url)
        response.status_code = 409
        return response
    return redirect(url)


def _why_ended(attempt: Attempt) -> str:
    """Why a mock no longer takes answers, as it happened: submitted (in another tab, or
    before Back was pressed) or out of time. Read from the database, which the caller's
    copy may lag."""
    attempt.refresh_from_db(fields=["status", "submitted_at"])
    if attempt.status == Attempt.Status.SUBMITTED:
        return _("This exam was already submitted; nothing more can be changed. Here are its results.")
    return _("Time is up: answers sent after the deadline are not saved.")


def _over(request: HtmxHttpRequest, attempt: Attempt) -> HttpResponse:
    """A page of a mock that has ended (Back after "Submit exam", a second tab): its results,
    saying so when the candidate submitted it (an expired mock's results say that themselves)."""
    if attempt.status == Attempt.Status.SUBMITTED:
        messages.info(request, _("This exam was already submitted. Here are its results."))
    url = reverse("exams:results", args=[attempt.pk])
    return HttpResponseClientRedirect(url) if request.htmx else redirect(url)


# --- mock exams -----------------------------------------------------------------------


@require_GET
def exam_list(request: HtmxHttpRequest):
    now = timezone.now()
    owner_id = owner_id_for(request)
    blueprints = list(Blueprint.objects.filter(is_active=True, mode=Mode.EXAM))
    history = list(Attempt.objects.for_owner(owner_id).exams().select_related("blueprint")[:50])
    for attempt in history:
        attempts.finalize_if_overdue(attempt, now=now)
    open_attempts = {attempt.blueprint_id: attempt for attempt in history if attempt.is_open}
    rows = [
        {"blueprint": blueprint, "open": open_attempts.get(blueprint.pk), "seconds_left": None}
        for blueprint in blueprints
    ]
    for row in rows:
        if row["open"]:
            row["seconds_left"] = row["open"].seconds_left(now)
    language = _exam_language(request.GET)
    context = {
        "rows": rows,
        "past": [attempt for attempt in history if not attempt.is_open],
        "exam_language": language,
        "exam_languages": Language.choices,
    }
    return render(request, "exams/exam_list.html", context)


def _exam_language(data) -> str:
    """The language a mock is sat in: the one asked for, else the interface's (as the real
    exam, it is the candidate's choice; a question without a translation comes in English)."""
    language = data.get("language", "")
    return language if language in Language.values else _interface_language()


@require_http_methods(["GET", "POST"])
def exam_start(request: HtmxHttpRequest, slug: str):
    """GET: the confirm step ("this starts the clock"), with the exam language to choose.
    POST: start in that language, or resume the open one."""
    blueprint = get_object_or_404(Blueprint, slug=slug, is_active=True, mode=Mode.EXAM)
    if request.method == "GET":
        context = {
            "blueprint": blueprint,
            "exam_language": _exam_language(request.GET),
            "exam_languages": Language.choices,
        }
        return render(request, "exams/exam_start.html", context)
    owner_id = get_or_create_owner_id(request)
    attempts.check_start_rate(request, owner_id)
    try:
        attempt = attempts.start_exam(owner_id, blueprint, now=timezone.now(), language=_exam_language(request.POST))
    except attempts.NotEnoughQuestions as error:
        messages.error(request, str(error))
        return redirect("exams:list")
    return redirect("exams:attempt", attempt.pk)


@require_GET
@never_cache
def exam_attempt(request: HtmxHttpRequest, pk: int):
    """Resume: the first unanswered question (the review screen when all are answered)."""
    now = timezone.now()
    attempt = _get_attempt(request, pk, mode=Mode.EXAM)
    if attempts.finalize_if_overdue(attempt, now=now):
        return _over(request, attempt)
    for position, answer in attempt.items.order_by("position").values_list("position", "response__answer"):
        if not answer:
            return redirect("exams:question", attempt.pk, position)
    return redirect("exams:review", attempt.pk)


def _exam_context(attempt: Attempt, *, now, current: int | None = None) -> dict:
    cells = _cells(attempt, current=current)
    return {
        "attempt": attempt,
        "blueprint": attempt.blueprint,
        "cells": cells,
        "total": len(cells),
        "answered_count": sum(cell["answered"] for cell in cells),
        "seconds_left": attempt.seconds_left(now),
        "remaining_ms": max(0, int((attempt.deadline - now).total_seconds() * 1000)),
    }


@require_GET
@never_cache  # Back after "Submit exam" must ask the server, never show a live exam from the cache
def exam_question(request: HtmxHttpRequest, pk: int, position: int):
    """One question of a running mock: the answer form, flag, navigator and timer.

    Queries: the attempt, the navigator's light rows, and the current item with its
    response. Only ``public_view`` of the snapshot reaches the template.
    """
    now = timezone.now()
    attempt = _get_attempt(request, pk, mode=Mode.EXAM)
    if attempts.finalize_if_overdue(attempt, now=now):
        return _over(request, attempt)
    item = AttemptItem.objects.for_answer(attempt.pk, attempt.owner_id, position)
    if item is None:
        raise Http404
    response = _response(item)
    tokens = tokens_for(item)
    context = _exam_context(attempt, now=now, current=position)
    context |= {
        "item": item,
        "question": public_view(item.snapshot, tokens),
        "answer": tokens.public_answer(response.answer if response else None),
        "next_seq": (response.seq if response else 0) + 1,
        "spent": response.time_spent_ms if response else 0,
        "previous_position": position - 1 if position > 1 else None,
        "next_position": position + 1 if position < context["total"] else None,
        "saved": response is not None,
    }
    return render_page(request, "exams/exam_question.html", context, partials=("question-card",))


def _next_url(attempt: Attempt, position: int, go: str, total: int) -> str:
    """Where a plain (no-JS) exam form post goes after saving: "next", "prev", "review"."""
    if go == "next" and position < total:
        return reverse("exams:question", args=[attempt.pk, position + 1])
    if go == "prev" and position > 1:
        return reverse("exams:question", args=[attempt.pk, position - 1])
    if go in ("review", "next"):
        return reverse("exams:review", args=[attempt.pk])
    return reverse("exams:question", args=[attempt.pk, position])


@require_POST
def answer(request: HtmxHttpRequest, pk: int, position: int):
    """Save an answer to one item: the one answering path of mock exams and practice.

    Options are named by the item's tokens (``exams.tokens``). Bad input (tokens that are
    not this item's, a malformed seq) is a 400 and writes nothing. A save after the attempt
    ended is refused (409 + HX-Redirect for htmx). A stale save (older seq) is ignored and
    answered with the stored state.
    """
    now = timezone.now()
    item = _get_item(request, pk, position)
    # The one cache round trip of a save (SAVE_RATE is generous: a fast clicker never meets it).
    ratelimit.hit(ratelimit.bucket("save:owner", item.attempt.owner_id, "SAVE_RATE"), now=now.timestamp())
    attempt = item.attempt
    tokens = tokens_for(item)
    try:
        meta = read_save(request.POST)
        given = parse_answer(item.snapshot, request.POST, tokens)
        if move := request.POST.get("move"):
            order = given or [row["id"] for row in item.snapshot["options"]]
            given = apply_move(list(order), move, tokens)
    except AnswerError as error:
        # Plain text: the message must never become markup.
        return HttpResponseBadRequest(str(error), content_type="text/plain; charset=utf-8")
    if not attempt.is_exam:
        return _practice_answer(request, item, given, meta, tokens, now=now)

    # Moving on from an untouched question writes nothing; clearing a saved answer does.
    if given or _response(item) is not None:
        try:
            result = attempts.record_answer(
                item,
                answer=given,
                seq=meta.seq,
                confidence="",
                now=now,
                time_spent_ms=meta.spent,
            )
        except attempts.AnswerRefused:
            attempts.finalize_if_overdue(attempt, now=now)
            return _ended(request, attempt)
        if request.htmx and not result.applied:
            # Another window saved a newer answer: show the page as the server has it.
            return HttpResponseClientRefresh()
    if not request.htmx:
        total = attempt.target_count or attempt.items.count()
        url = _next_url(attempt, position, request.POST.get("go", ""), total)
        return redirect(url)
    # The navigator cell as just saved goes back out of band; the "answered" counter is
    # the count of answered cells, which answering.js recounts once the cell is in.
    context = {
        "attempt": attempt,
        "item": item,
        "saved": True,
        "saved_seq": meta.seq,
        "oob": True,
        "cell": _cell(
            attempt.pk, position, key=item.snapshot["key"], answer=given, flagged=item.flagged, current=position
        ),
    }
    # No context processors: the fragment needs no request data (no form, no nonce), and
    # on the hottest request they were a third of the rendering (bench/run.py).
    return HttpResponse(render_to_string("exams/exam_question.html#save-status", context))


@require_POST
def flag(request: HtmxHttpRequest, pk: int, position: int):
    """Set (not toggle) the flag of one exam item, so a repeated post changes nothing."""
    now = timezone.now()
    item = _get_item(request, pk, position)
    if not item.attempt.is_exam:
        raise Http404
    form = ToggleForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest(_("Say whether to flag the question (state 1 or 0)."))
    try:
        attempts.set_flag(item, flagged=form.cleaned_data["state"], now=now)
    except attempts.AnswerRefused:
        attempts.finalize_if_overdue(item.attempt, now=now)
        return _ended(request, item.attempt)
    if not request.htmx:
        return redirect("exams:question", pk, position)
    context = {
        "attempt": item.attempt,
        "item": item,
        "toggle_seq": form.cleaned_data["seq"] or 0,
        "oob": True,
        "cell": _item_cell(pk, item, current=position),
    }
    return render(request, "exams/exam_question.html#flag-form", context)


@require_GET
@never_cache
def exam_review(request: HtmxHttpRequest, pk: int):
    return _review_page(request, pk, confirming=False)


def _review_page(request: HtmxHttpRequest, pk: int, *, confirming: bool):
    """The review screen; ``confirming`` makes it the no-JS confirm step of "Submit exam"."""
    now = timezone.now()
    attempt = _get_attempt(request, pk, mode=Mode.EXAM)
    if attempts.finalize_if_overdue(attempt, now=now):
        return _over(request, attempt)
    context = _exam_context(attempt, now=now)
    context |= {
        "unanswered": [cell for cell in context["cells"] if not (cell["answered"] or cell["incomplete"])],
        "incomplete": [cell for cell in context["cells"] if cell["incomplete"]],
        "flagged": [cell for cell in context["cells"] if cell["flagged"]],
        "confirming": confirming,
    }
    return render(request, "exams/exam_review.html", context)


@require_http_methods(["GET", "POST"])
@never_cache
def exam_submit(request: HtmxHttpRequest, pk: int):
    """GET: the confirm step without JS (the review page in confirm mode). POST: submit.

    Submitting twice, from two tabs, or against the deadline finalizes once; every
    caller lands on the results.
    """
    if request.method == "GET":
        return _review_page(request, pk, confirming=True)
    now = timezone.now()
    attempt = _get_attempt(request, pk, mode=Mode.EXAM)
    if attempts.submit_attempt(attempt, now=now):
        if request.POST.get("auto") == "1":
            # The page's own submit at 0:00: say why the exam ended without a click.
            messages.info(request, _("Time is up: your exam was submitted with the answers you had given."))
    elif attempt.status == Attempt.Status.SUBMITTED:
        messages.info(request, _("This exam was already submitted. Here are its results."))
    return redirect("exams:results", attempt.pk)


def _pacing(items: list[AttemptItem], attempt: Attempt) -> dict:
    """Time per question (as the browser measured it) for a column chart against the budget."""
    seconds = [round((_response(item).time_spent_ms if _response(item) else 0) / 1000) for item in items]
    used = attempt.time_used.total_seconds() if attempt.time_used else 0
    tallest = max([*seconds, PACE_SECONDS * 2])
    baseline = 110

    def height(value: int) -> int:
        return round(100 * value / tallest)

    return {
        "seconds_per_question": round(used / (len(items) or 1)),
        "budget": PACE_SECONDS,
        "columns": [
            {
                "position": item.position,
                "seconds": value,
                "x": 30 + index * 10,
                "y": baseline - height(value),
                "height": height(value),
            }
            for index, (item, value) in enumerate(zip(items, seconds, strict=True))
        ],
        "width": 40 + len(items) * 10,
        "axis_middle": 30 + len(items) * 5,
        "budget_y": baseline - height(PACE_SECONDS),
        "over_budget": sum(value > PACE_SECONDS for value in seconds),
        "measured": any(seconds),
    }


REVIEW_PAGE = 10
REVIEW_FILTERS = {
    "all": lambda row: True,
    "wrong": lambda row: not row["is_correct"],
    "flagged": lambda row: row["item"].flagged,
    "unscored": lambda row: not row["item"].scored,
}


@require_GET
def exam_results(request: HtmxHttpRequest, pk: int):
    """Score report and the review of every question (``?show=wrong|flagged|unscored``).

    Before submission (and before the deadline) there are no results: back to the exam.
    """
    now = timezone.now()
    attempt = _get_attempt(request, pk, mode=Mode.EXAM)
    if not attempts.finalize_if_overdue(attempt, now=now):
        return redirect("exams:attempt", attempt.pk)
    show = request.GET.get("show", "all")
    if show not in REVIEW_FILTERS:
        return HttpResponseBadRequest(_("Unknown filter."))
    try:
        page = int(request.GET.get("page", "1"))
    except ValueError:
        page = 0
    if page < 1:
        return HttpResponseBadRequest(_("Unknown page."))
    items = list(attempt.items.select_related("response").order_by("position"))
    rows = []
    for item in items:
        response = _response(item)
        rows.append(
            {
                "item": item,
                "snapshot": item.snapshot,
                "answer": response.answer if response else [],
                "is_correct": bool(response and response.is_correct),
                "answered": bool(response and response.answer),
            }
        )
    domains = domain_results(
        ((row["snapshot"]["domain"], row["item"].scored, row["is_correct"]) for row in rows),
        {domain.number: domain.display_name for domain in Domain.objects.all()},
    )
    shown = [row for row in rows if REVIEW_FILTERS[show](row)]
    # The review comes REVIEW_PAGE questions at a time: "Show more" (htmx) appends the next
    # ones; without JS the page shows all up to ``page``.
    end = page * REVIEW_PAGE
    first = end - REVIEW_PAGE if request.htmx and request.htmx.target == "review-more" else 0
    context = {
        "attempt": attempt,
        "blueprint": attempt.blueprint,
        "domains": domains,
        "pacing": _pacing(items, attempt),
        "rows": shown[first:end],
        "more": min(REVIEW_PAGE, len(shown) - end),
        "next_page": page + 1,
        "next_position": shown[end]["item"].position if end < len(shown) else None,
        "show": show,
        "filters": [(key, label) for key, label in _review_filter_labels()],
        "total": len(items),
        "answered_count": sum(row["answered"] for row in rows),
        "time_limit_seconds": attempt.blueprint.minutes * 60 if attempt.blueprint else None,
    }
    return render_page(request, "exams/exam_results.html", context, partials=("review-list", "review-more"))


@require_POST
def exam_retake(request: HtmxHttpRequest, pk: int):
    """ "Retake": a new mock of the same blueprint and language, drawn preferring questions
    the candidate has not seen (or the open one of that blueprint, resumed)."""
    attempt = _get_attempt(request, pk, mode=Mode.EXAM)
    if attempt.is_open or attempt.blueprint is None:
        raise Http404
    attempts.check_start_rate(request, attempt.owner_id)
    try:
        retake = attempts.start_exam(
            attempt.owner_id, attempt.blueprint, now=timezone.now(), language=attempt.language
        )
    except attempts.NotEnoughQuestions as error:
        messages.error(request, str(error))
        return redirect("exams:results", attempt.pk)
    return redirect("exams:attempt", retake.pk)


@require_POST
def exam_practise_missed(request: HtmxHttpRequest, pk: int):
    """ "Practise the ones I missed": a practice session of this mock's wrong, flagged and
    unanswered questions, in its language and order. Only once the mock is over."""
    now = timezone.now()
    attempt = _get_attempt(request, pk, mode=Mode.EXAM)
    if not attempts.finalize_if_overdue(attempt, now=now):
        raise Http404
    missed = list(
        attempt.items.exclude(Q(response__is_correct=True) & Q(flagged=False))
        .order_by("position")
        .values_list("question_id", flat=True)
    )
    if not missed:
        messages.info(request, _("You missed nothing in this mock: nothing to practise again."))
        return redirect("exams:results", attempt.pk)
    return _practise_again(request, attempt, missed, back=reverse("exams:results", args=[attempt.pk]), now=now)


def _practise_again(request: HtmxHttpRequest, source: Attempt, question_ids: list[int], *, back: str, now):
    """A practice session of ``question_ids`` (from a mock or a session), in its language and
    order; a start like any other, so it counts against the start limits."""
    attempts.check_start_rate(request, source.owner_id)
    try:
        session = attempts.start_practice(
            source.owner_id,
            scope={"kind": "mistakes"},
            count=len(question_ids),
            language=source.language,
            question_ids=question_ids,
            now=now,
        )
    except attempts.NotEnoughQuestions as error:
        messages.error(request, str(error))
        return redirect(back)
    return redirect("practice:question", session.pk, 1)


def _review_filter_labels():
    return [("all", _("All")), ("wrong", _("Wrong")), ("flagged", _("Flagged")), ("unscored", _("Unscored"))]


# --- practice -------------------------------------------------------------------------


@require_GET
def practice_picker(request: HtmxHttpRequest):
    """Scopes with their question counts, count and language; the owner's open sessions."""
    owner_id = owner_id_for(request)
    language = request.GET.get("language", _interface_language())
    if language not in Language.values:
        return HttpResponseBadRequest(_("Unknown language."))
    counts = scope_counts(owner_id, language=language)
    selected = request.GET.get("scope", "all")
    sessions = list(Attempt.objects.for_owner(owner_id).practice().in_progress().with_answered_count()[:10])
    context = {
        "form": PracticeStartForm(initial={"scope": selected, "language": language}),
        "groups": scope_choices(counts),
        "selected": selected,
        # Not "language(s)": base.html's language switcher uses those names.
        "question_language": language,
        "question_languages": Language.choices,
        "sessions": [(session, scope_label(session.scope)) for session in sessions],
        "counts": counts,
    }
    return render(request, "exams/practice_picker.html", context)


@require_POST
def practice_start(request: HtmxHttpRequest):
    form = PracticeStartForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(error) for errors in form.errors.values() for error in errors))
        return redirect("practice:picker")
    owner_id = get_or_create_owner_id(request)
    attempts.check_start_rate(request, owner_id)
    data = form.cleaned_data
    try:
        session = attempts.start_practice(
            owner_id, scope=data["scope"], count=data["count"], language=data["language"], now=timezone.now()
        )
    except (attempts.NotEnoughQuestions, ValueError) as error:
        messages.error(request, str(error) or _("No published questions match this choice yet."))
        return redirect(f"{reverse('practice:picker')}?scope={scope_key(data['scope'])}")
    if data["count"] and session.target_count < data["count"]:
        messages.info(
            request,
            _("Only %(n)s questions match this choice, so this session has %(n)s.") % {"n": session.target_count},
        )
    return redirect("practice:question", session.pk, 1)


@require_GET
def practice_session(request: HtmxHttpRequest, pk: int):
    """Resume: the first unanswered question, or the summary when none is left."""
    session = _get_attempt(request, pk, mode=Mode.PRACTICE)
    position = (
        session.items.filter(response__isnull=True).order_by("position").values_list("position", flat=True).first()
    )
    if position is None or not session.is_open:
        if session.is_open and session.target_count is None:
            last = session.items.order_by("-position").values_list("position", flat=True).first() or 0
            return redirect("practice:question", session.pk, last + 1)
        return redirect("practice:summary", session.pk)
    return redirect("practice:question", session.pk, position)


def _practice_context(session: Attempt, item: AttemptItem, *, answered_count: int, bookmarked: bool) -> dict:
    response = _response(item)
    total = session.target_count
    is_last = total is not None and item.position >= total
    return {
        "session": session,
        "attempt": session,
        "item": item,
        "response": response,
        "answered_count": answered_count,
        "total": total,
        "is_last": is_last,
        "scope_label": scope_label(session.scope),
        "bookmarked": bookmarked,
        "uid": item.snapshot["uid"],
        "confidence_choices": [("sure", _("Sure"), "8"), ("unsure", _("Unsure"), "9"), ("guess", _("Guess"), "0")],
    }


@require_GET
def practice_question(request: HtmxHttpRequest, pk: int, position: int):
    """A practice question: the answer form, or (once answered) its feedback.

    Endless sessions draw their next batch when the candidate reaches its end.
    """
    now = timezone.now()
    session = _get_attempt(request, pk, mode=Mode.PRACTICE)
    item = AttemptItem.objects.select_related("response").filter(attempt=session, position=position).first()
    if item is None and session.is_open and session.target_count is None:
        if attempts.extend_practice(session, now=now):
            item = AttemptItem.objects.select_related("response").filter(attempt=session, position=position).first()
        else:
            messages.info(request, _("You have answered every question in this scope."))
            return redirect("practice:summary", session.pk)
    if item is None:
        raise Http404
    item.attempt = session
    answered_count = session.items.filter(response__isnull=False).count()
    bookmarked = Bookmark.objects.filter(owner_id=session.owner_id, question_uid=item.snapshot["uid"]).exists()
    context = _practice_context(session, item, answered_count=answered_count, bookmarked=bookmarked)
    response = _response(item)
    tokens = tokens_for(item)
    order = request.GET.get("order")
    proposed = None
    if order and response is None:
        try:
            proposed = parse_answer(item.snapshot, {"order": order.split(",")}, tokens)
        except AnswerError:
            proposed = None
    context |= {
        "question": public_view(item.snapshot, tokens),
        "snapshot": item.snapshot if response else None,
        # Answered: the feedback marks the stored answer (option ids) on the snapshot. Not yet:
        # the form shows the no-JS proposal in the page's tokens.
        "answer": response.answer if response else tokens.public_answer(proposed),
        "is_correct": response.is_correct if response else None,
        "confidence_label": response.get_confidence_display() if response else "",
        "next_seq": (response.seq if response else 0) + 1,
        "spent": 0,
    }
    return render_page(request, "exams/practice_question.html", context, partials=("question-card",))


@require_GET
def practice_original(request: HtmxHttpRequest, pk: int, position: int):
    """The English original of a translated practice question ("Show original"), no key.

    The practice page loads it beside the translation when the toggle opens (htmx); without
    JS the toggle links here and this is a page of its own.
    """
    session = _get_attempt(request, pk, mode=Mode.PRACTICE)
    item = get_object_or_404(AttemptItem, attempt=session, position=position)
    original = None if item.snapshot["language"] == Language.EN else original_view(item.snapshot)
    if original is None:
        raise Http404
    context = {"session": session, "item": item, "original": original}
    return render_page(request, "exams/practice_original.html", context, partials=("original",))


def _practice_answer(
    request: HtmxHttpRequest, item: AttemptItem, given, meta: SaveMeta, tokens: ItemTokens, *, now
) -> HttpResponse:
    """The practice half of ``answer``: the first answer is final and brings the verdict."""
    session = item.attempt
    if request.POST.get("move"):
        # No-JS ordering: a move only rearranges the proposal; "Check answer" submits it.
        order = ",".join(tokens.public_answer(given))
        return redirect(f"{reverse('practice:question', args=[session.pk, item.position])}?order={order}")
    if not given:
        # Nothing chosen is not an answer: the progress goes back out as it stands, so
        # nothing on the page may count it (issue 16 §5).
        answered_count = session.items.filter(response__isnull=False).count()
        context = _practice_context(session, item, answered_count=answered_count, bookmarked=False)
        context |= {
            "question": public_view(item.snapshot, tokens),
            "snapshot": None,
            "answer": None,
            "next_seq": meta.seq + 1,
            "spent": meta.spent,
            "error": _("Choose an answer first."),
            "oob": True,
        }
        if request.htmx:
            return render(request, "exams/practice_question.html#question-card", context)
        messages.error(request, context["error"])
        return redirect("practice:question", session.pk, item.position)
    try:
        result = attempts.record_answer(
            item,
            answer=given,
            seq=meta.seq,
            confidence=meta.confidence,
            now=now,
            time_spent_ms=meta.spent,
        )
    except attempts.AnswerRefused:
        return _ended(request, session, _("This practice session has ended; the answer was not saved."))
    if not request.htmx:
        return redirect("practice:question", session.pk, item.position)
    answered_count = session.items.filter(response__isnull=False).count()
    context = _practice_context(session, item, answered_count=answered_count, bookmarked=False)
    context |= {
        "question": public_view(item.snapshot, tokens),
        "snapshot": item.snapshot,
        "answer": result.answer,
        "is_correct": result.is_correct,
        "confidence_label": dict(Response.Confidence.choices).get(result.confidence, ""),
        "saved_seq": meta.seq,
        "oob": True,
    }
    return render(request, "exams/practice_question.html#question-card", context)


@require_POST
def practice_skip(request: HtmxHttpRequest, pk: int, position: int):
    """ "Skip": this question goes to the end of the session, unanswered; on to the next."""
    session = _get_attempt(request, pk, mode=Mode.PRACTICE)
    item = get_object_or_404(AttemptItem, attempt=session, position=position)
    item.attempt = session
    if not attempts.skip_item(item):
        messages.info(request, _("Only a question you have not answered yet can be skipped."))
    url = reverse("practice:session", args=[session.pk])
    return HttpResponseClientRedirect(url) if request.htmx else redirect(url)


@require_POST
def practice_discard(request: HtmxHttpRequest, pk: int):
    """Discard an unfinished session (dashboard, picker): it leaves "Carry on"."""
    session = _get_attempt(request, pk, mode=Mode.PRACTICE)
    attempts.discard_practice(session, now=timezone.now())
    messages.success(request, _("The practice session is discarded."))
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = reverse("practice:picker")
    return HttpResponseClientRedirect(back) if request.htmx else redirect(back)


@require_POST
def practice_finish(request: HtmxHttpRequest, pk: int):
    session = _get_attempt(request, pk, mode=Mode.PRACTICE)
    attempts.submit_attempt(session, now=timezone.now())
    return redirect("practice:summary", session.pk)


@require_GET
def practice_summary(request: HtmxHttpRequest, pk: int):
    """Score and per-topic results; a counted session that is fully answered is finished here."""
    now = timezone.now()
    session = _get_attempt(request, pk, mode=Mode.PRACTICE)
    items = list(session.items.select_related("response").order_by("position"))
    answered = [item for item in items if _response(item)]
    if session.is_open and session.target_count is not None and len(answered) == len(items):
        attempts.submit_attempt(session, now=now)
    correct = sum(_response(item).is_correct for item in answered)
    domains = domain_results(
        ((item.snapshot["domain"], True, _response(item).is_correct) for item in answered),
        {domain.number: domain.display_name for domain in Domain.objects.all()},
    )
    tasks: dict[str, list[int]] = {}
    for item in answered:
        tally = tasks.setdefault(item.snapshot["task"], [0, 0])
        tally[0] += _response(item).is_correct
        tally[1] += 1
    context = {
        "session": session,
        "scope_label": scope_label(session.scope),
        "items": items,
        "answered": len(answered),
        "correct": correct,
        "percent": round(100 * correct / len(answered)) if answered else None,
        "domains": [domain for domain in domains if domain.total],
        "tasks": [
            {"code": code, "correct": tally[0], "total": tally[1], "percent": round(100 * tally[0] / tally[1])}
            for code, tally in sorted(tasks.items())
        ],
        "mistakes": len(answered) - correct,
        "rows": [(item, _response(item)) for item in items],
    }
    return render(request, "exams/practice_summary.html", context)


@require_POST
def practice_mistakes(request: HtmxHttpRequest, pk: int):
    """ "Practise mistakes again": a new session of this session's wrong answers."""
    session = _get_attempt(request, pk, mode=Mode.PRACTICE)
    wrong = list(
        session.items.filter(response__is_correct=False).order_by("position").values_list("question_id", flat=True)
    )
    if not wrong:
        messages.info(request, _("No mistakes to practise in this session."))
        return redirect("practice:summary", session.pk)
    back = reverse("practice:summary", args=[session.pk])
    return _practise_again(request, session, wrong, back=back, now=timezone.now())


# --- bookmarks ------------------------------------------------------------------------


@require_GET
def bookmark_list(request: HtmxHttpRequest):
    owner_id = owner_id_for(request)
    uids = list(Bookmark.objects.filter(owner_id=owner_id).values_list("question_uid", flat=True)) if owner_id else []
    language = _interface_language()
    # A bookmark is by uid: show the question in the interface language when it exists.
    questions = {
        question.uid: question
        for question in Question.objects.drawable()
        .filter(uid__in=uids, language__in={Language.EN, language})
        .select_related("task")
        .order_by(Case(When(language=language, then=1), default=0))
    }
    rows = [{"uid": uid, "question": questions.get(uid)} for uid in uids]
    return render(request, "exams/bookmark_list.html", {"rows": rows, "question_language": language})


def _interface_language() -> str:
    """The page's language when the bank has it, else English (the bank's first language)."""
    language = (get_language() or Language.EN)[:2]
    return language if language in Language.values else Language.EN


@require_POST
def bookmark(request: HtmxHttpRequest, uid: str):
    """Set (not toggle) the bookmark on question ``uid``: repeated posts change nothing."""
    form = ToggleForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest(_("Say whether to bookmark the question (state 1 or 0)."))
    if not Question.objects.drawable().filter(uid=uid).exists():  # no drafts, nothing retired
        raise Http404
    owner_id = get_or_create_owner_id(request)
    wanted = form.cleaned_data["state"]
    if wanted:
        Bookmark.objects.get_or_create(owner_id=owner_id, question_uid=uid)
    else:
        Bookmark.objects.filter(owner_id=owner_id, question_uid=uid).delete()
    if request.htmx:
        context = {"uid": uid, "bookmarked": wanted, "toggle_seq": form.cleaned_data["seq"] or 0}
        return render(request, "exams/practice_question.html#bookmark-form", context)
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = reverse("practice:bookmarks")
    return redirect(back)
