"""Mock exams: the list, start, questions with their navigator, flags, review, submit,
results and what follows them (retake, practise the ones missed)."""

import functools
import json
from collections.abc import Mapping
from operator import itemgetter
from types import MappingProxyType

from django.contrib import messages
from django.db.models import Q
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import get_script_prefix, reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from accounts.owners import get_or_create_owner, owner_id_for
from exams import attempts
from exams.charts import pacing_chart
from exams.forms import ToggleForm
from exams.grading import domain_results, gives_every_part
from exams.models import Attempt, AttemptItem, Blueprint, Mode
from exams.results import REVIEW_FILTERS, REVIEW_PAGE, outcomes_of, reviewed
from exams.tokens import tokens_for
from questions.models import Domain, Language, interface_language
from questions.names import domain_name
from questions.snapshots import public_view
from quizapp.compiled import CompiledQuery, compiled
from quizapp.htmx import HtmxHttpRequest, htmx_target, render_fragment, render_page

from .access import ended, get_attempt, get_item, response_of
from .practice import practise_again


def _nav_words() -> Mapping[str, str]:
    """The screen-reader words of a navigator cell (CSS shows the one that applies)."""
    return _nav_words_in(get_language())


@functools.cache
def _nav_words_in(language: str | None) -> Mapping[str, str]:
    # Translated once per language and process (``language`` is the active one), read-only.
    return MappingProxyType(
        {
            "answered": _("answered"),
            "incomplete": _("incomplete"),
            "unanswered": _("unanswered"),
            "flagged": _(", flagged"),
        }
    )


def navigator_cell(
    attempt_pk: int,
    position: int,
    *,
    parts: int,
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
    "Select THREE") is "incomplete" (``grading.is_complete``; ``parts``: the key's length)."""
    answered = gives_every_part(parts, answer)
    return {
        "position": position,
        "url": f"{prefix or attempt_url(attempt_pk)}{position}/",
        "answered": answered,
        "incomplete": bool(answer) and not answered,
        "flagged": flagged,
        "current": position == current,
        "words": words or _nav_words(),
    }


def _item_cell(attempt_pk: int, item: AttemptItem, *, current: int | None = None) -> dict:
    response = response_of(item)
    answer = response.answer if response else None
    return navigator_cell(
        attempt_pk, item.position, parts=item.revision.part_count, answer=answer, flagged=item.flagged, current=current
    )


# A number no attempt has: marks where the id goes in the attempt's reversed URL.
_ANY_ATTEMPT = 7_340_033


@functools.cache
def _attempt_url_around(script_prefix: str) -> tuple[str, str]:
    # Reversed once per process (and script prefix, which reverse() puts in front).
    head, tail = reverse("exams:attempt", args=[_ANY_ATTEMPT]).split(str(_ANY_ATTEMPT))
    return head, tail


def attempt_url(attempt_pk: int) -> str:
    """``reverse("exams:attempt", args=[attempt_pk])`` without resolving the pattern again: a
    ``reverse`` was about 90 Python calls, on every question page, fragment and flag."""
    head, tail = _attempt_url_around(get_script_prefix())
    return f"{head}{int(attempt_pk)}{tail}"


def exam_urls(attempt_pk: int, position: int | None = None, *, total: int = 0, prefix: str = "") -> dict:
    """The links of a mock's pages, built from the attempt's URL (``attempts/<pk>/``) as the
    navigator's are: no ``reverse`` per link (each ``{% url %}`` cost about 140 Python calls,
    six on a question page). The shapes are exams/urls.py's; a test compares every one with
    ``reverse``. With ``position``: that question's own links, ``previous``/``next`` (None at
    either end of ``total``)."""
    prefix = prefix or attempt_url(attempt_pk)
    urls = {"attempt": prefix, "review": f"{prefix}review/", "submit": f"{prefix}submit/"}
    if position is not None:
        urls |= {
            "flag": f"{prefix}{position}/flag/",
            "answer": f"{prefix}{position}/answer/",
            "previous": f"{prefix}{position - 1}/" if position > 1 else None,
            "next": f"{prefix}{position + 1}/" if position < total else None,
        }
    return urls


def _cells(attempt: Attempt, *, current: int | None = None, prefix: str = "") -> list[dict]:
    """Every cell of the navigator, from light rows (no item or response objects; of the
    revision only how many parts a complete answer has).

    The answer comes as JSON text (``navigator_rows``), parsed here only for an answered
    question: through JSONField's converters the 65 answers of a page cost more Python calls
    than the rest of the grid."""
    attempt_pk = attempt.pk  # once: a model's pk is a property (two calls a read, 65 reads)
    prefix, words = prefix or attempt_url(attempt_pk), _nav_words()
    return [
        navigator_cell(
            attempt_pk,
            position,
            parts=parts,
            answer=None if answer_json is None else json.loads(answer_json),
            flagged=flagged,
            current=current,
            prefix=prefix,
            words=words,
        )
        for position, flagged, answer_json, parts in AttemptItem.objects.navigator_rows(attempt_pk)
    ]


def _over(request: HtmxHttpRequest, attempt: Attempt) -> HttpResponse:
    """A page of a mock that has ended (Back after "Submit exam", a second tab): its results,
    saying so when the candidate submitted it (an expired mock's results say that themselves)."""
    if attempt.status == Attempt.Status.SUBMITTED:
        messages.info(request, _("This exam was already submitted. Here are its results."))
    url = reverse("exams:results", args=[attempt.pk])
    return HttpResponseClientRedirect(url) if request.htmx else redirect(url)


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
    return language if language in Language.values else interface_language()


_EXAMS_BY_SLUG = CompiledQuery(
    lambda slug: Blueprint.objects.filter(slug=slug, is_active=True, mode=Mode.EXAM).order_by()
)


def _exam_blueprint(slug: str) -> Blueprint:
    """The active mock blueprint ``slug`` (404 for any other), read with SQL compiled once."""
    blueprint = _EXAMS_BY_SLUG.instance(slug)
    if blueprint is None:
        raise Http404("No such mock exam.")
    return blueprint


@require_http_methods(["GET", "POST"])
def exam_start(request: HtmxHttpRequest, slug: str):
    """GET: the confirm step ("this starts the clock"), with the exam language to choose.
    POST: start in that language, or resume the open one."""
    blueprint = _exam_blueprint(slug)
    if request.method == "GET":
        context = {
            "blueprint": blueprint,
            "exam_language": _exam_language(request.GET),
            "exam_languages": Language.choices,
        }
        return render(request, "exams/exam_start.html", context)
    now = timezone.now()
    owner_id, new_owner = get_or_create_owner(request)
    attempts.check_start_rate(request, owner_id)
    try:
        attempt = attempts.start_exam(
            owner_id, blueprint, now=now, language=_exam_language(request.POST), new_owner=new_owner
        )
    except attempts.NotEnoughQuestions as error:
        messages.error(request, str(error))
        return redirect("exams:list")
    if attempt.started_at == now:
        # A new mock opens at its first question, without a stop at "resume" (one request
        # less for every candidate who starts); an open one resumes where it was left.
        return redirect("exams:question", attempt.pk, 1)
    return redirect("exams:attempt", attempt.pk)


@require_GET
@never_cache
def exam_attempt(request: HtmxHttpRequest, pk: int):
    """Resume: the first unanswered question (the review screen when all are answered)."""
    now = timezone.now()
    attempt = get_attempt(request, pk, mode=Mode.EXAM)
    if attempts.finalize_if_overdue(attempt, now=now):
        return _over(request, attempt)
    for position, answer in attempt.items.order_by("position").values_list("position", "response__answer"):
        if not answer:
            return redirect("exams:question", attempt.pk, position)
    return redirect("exams:review", attempt.pk)


def _exam_context(attempt: Attempt, *, now, current: int | None = None) -> dict:
    urls = exam_urls(attempt.pk)
    cells = _cells(attempt, current=current, prefix=urls["attempt"])
    return {
        "urls": urls,
        "attempt": attempt,
        "blueprint": attempt.blueprint,
        "cells": cells,
        "total": len(cells),
        "answered_count": sum(map(itemgetter("answered"), cells)),
        "seconds_left": attempt.seconds_left(now),
        "remaining_ms": max(0, int((attempt.deadline - now).total_seconds() * 1000)),
    }


@require_GET
@never_cache  # Back after "Submit exam" must ask the server, never show a live exam from the cache
def exam_question(request: HtmxHttpRequest, pk: int, position: int):
    """One question of a running mock: the answer form, flag, navigator and timer.

    Queries: the current item with its attempt, response and revision (for the whole page
    also the attempt's blueprint), then for the whole page the navigator's light rows. Only
    ``public_view`` of the snapshot reaches the template.
    """
    now = timezone.now()
    # The card alone (Next/Previous without a page load) shows neither the navigator nor the
    # exam's name: none of the navigator's rows, and no blueprint read with the item.
    card = htmx_target(request) == "question-card"
    owner_id = owner_id_for(request)
    item = None if owner_id is None else AttemptItem.objects.for_answer(pk, owner_id, position, blueprint=not card)
    if item is None or not item.attempt.is_exam:
        raise Http404
    attempt = item.attempt
    if attempts.finalize_if_overdue(attempt, now=now):
        return _over(request, attempt)
    response = response_of(item)
    tokens = tokens_for(item)
    if card:
        context = {"attempt": attempt, "total": attempt.target_count}
    else:
        context = _exam_context(attempt, now=now, current=position)
    context |= {
        "item": item,
        "question": public_view(item.snapshot, tokens),
        "answer": tokens.public_answer(response.answer if response else None),
        "next_seq": (response.seq if response else 0) + 1,
        "spent": response.time_spent_ms if response else 0,
        "saved": response is not None,
        # Named although empty: a name the context lacks costs the template engine an exception.
        "saved_seq": None,
        "oob": False,
        "toggle_seq": 0,
    }
    context["urls"] = exam_urls(
        attempt.pk, position, total=context["total"], prefix=context.get("urls", {}).get("attempt", "")
    )
    if card:
        return render_fragment(request, "exams/exam_question.html#question-card", context)
    return render_page(request, "exams/exam_question.html", context)


def next_url(attempt: Attempt, position: int, go: str, total: int) -> str:
    """Where a plain (no-JS) exam form post goes after saving: "next", "prev", "review"."""
    if go == "next" and position < total:
        return reverse("exams:question", args=[attempt.pk, position + 1])
    if go == "prev" and position > 1:
        return reverse("exams:question", args=[attempt.pk, position - 1])
    if go in ("review", "next"):
        return reverse("exams:review", args=[attempt.pk])
    return reverse("exams:question", args=[attempt.pk, position])


@require_POST
def flag(request: HtmxHttpRequest, pk: int, position: int):
    """Set (not toggle) the flag of one exam item, so a repeated post changes nothing."""
    now = timezone.now()
    item = get_item(request, pk, position)
    if not item.attempt.is_exam:
        raise Http404
    form = ToggleForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest(_("Say whether to flag the question (state 1 or 0)."))
    try:
        attempts.set_flag(item, flagged=form.cleaned_data["state"], now=now)
    except attempts.AnswerRefused:
        attempts.finalize_if_overdue(item.attempt, now=now)
        return ended(request, item.attempt)
    if not request.htmx:
        return redirect("exams:question", pk, position)
    context = {
        "attempt": item.attempt,
        "item": item,
        "toggle_seq": form.cleaned_data["seq"] or 0,
        "oob": True,
        "cell": _item_cell(pk, item, current=position),
        "urls": exam_urls(pk, position),
    }
    return render(request, "exams/exam_question.html#flag-form", context)


@require_GET
@never_cache
def exam_review(request: HtmxHttpRequest, pk: int):
    return _review_page(request, pk, confirming=False)


def _review_page(request: HtmxHttpRequest, pk: int, *, confirming: bool):
    """The review screen; ``confirming`` makes it the no-JS confirm step of "Submit exam"."""
    now = timezone.now()
    attempt = get_attempt(request, pk, mode=Mode.EXAM)
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
    attempt = get_attempt(request, pk, mode=Mode.EXAM)
    if attempts.submit_attempt(attempt, now=now):
        if request.POST.get("auto") == "1":
            # The page's own submit at 0:00: say why the exam ended without a click.
            messages.info(request, _("Time is up: your exam was submitted with the answers you had given."))
    elif attempt.status == Attempt.Status.SUBMITTED:
        messages.info(request, _("This exam was already submitted. Here are its results."))
    return redirect("exams:results", attempt.pk)


@compiled
def _domains():
    # The exam guide's domains, compiled once (quizapp.compiled) for the results page.
    return Domain.objects.order_by("number").values_list("number", "name")


@require_GET
def exam_results(request: HtmxHttpRequest, pk: int):
    """Score report and the review of every question (``?show=wrong|flagged|unscored``).

    Before submission (and before the deadline) there are no results: back to the exam.
    """
    now = timezone.now()
    attempt = get_attempt(request, pk, mode=Mode.EXAM)
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
    outcomes = outcomes_of(attempt)
    domains = domain_results(
        ((outcome.domain, outcome.scored, outcome.correct) for outcome in outcomes),
        {number: domain_name(number, name) for number, name in _domains.rows(using=Domain.objects.db)},
    )
    shown = [outcome for outcome in outcomes if REVIEW_FILTERS[show](outcome)]
    # The review comes REVIEW_PAGE questions at a time: "Show more" (htmx) appends the next
    # ones; without JS the page shows all up to ``page``.
    end = page * REVIEW_PAGE
    first = end - REVIEW_PAGE if request.htmx and request.htmx.target == "review-more" else 0
    context = {
        "attempt": attempt,
        "blueprint": attempt.blueprint,
        "domains": domains,
        "pacing": pacing_chart(outcomes, attempt),
        "rows": reviewed(attempt, shown[first:end]),
        "more": min(REVIEW_PAGE, len(shown) - end),
        "next_page": page + 1,
        "next_position": shown[end].position if end < len(shown) else None,
        "show": show,
        "total": len(outcomes),
        "answered_count": sum(outcome.answered for outcome in outcomes),
        "time_limit_seconds": attempt.blueprint.minutes * 60 if attempt.blueprint else None,
        "retake_url": reverse("exams:retake", args=[attempt.pk]) if attempt.blueprint else "",
        "missed_url": reverse("exams:missed", args=[attempt.pk]),
    }
    return render_page(request, "exams/exam_results.html", context, partials=("review-list", "review-more"))


@require_POST
def exam_retake(request: HtmxHttpRequest, pk: int):
    """ "Retake": a new mock of the same blueprint and language, drawn preferring questions
    the candidate has not seen (or the open one of that blueprint, resumed)."""
    attempt = get_attempt(request, pk, mode=Mode.EXAM)
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
    attempt = get_attempt(request, pk, mode=Mode.EXAM)
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
    return practise_again(request, attempt, missed, back=reverse("exams:results", args=[attempt.pk]), now=now)
