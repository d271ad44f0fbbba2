"""Practice sessions: the picker, start, questions with their feedback, skip, finish,
discard, the summary and practising mistakes again."""

from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import HttpResponseClientRedirect

from accounts.owners import get_or_create_owner_id, owner_id_for
from exams import attempts
from exams.forms import PracticeStartForm, SaveMeta
from exams.grading import AnswerError, domain_results, parse_answer
from exams.models import Attempt, AttemptItem, Bookmark, Mode, Response
from exams.scopes import scope_choices, scope_counts, scope_key, scope_label
from exams.tokens import ItemTokens, tokens_for
from questions.models import Domain, Language, interface_language
from questions.snapshots import original_view, public_view
from quizapp.htmx import HtmxHttpRequest, render_page

from .access import ended, get_attempt, response_of


@require_GET
def practice_picker(request: HtmxHttpRequest):
    """Scopes with their question counts, count and language; the owner's open sessions."""
    owner_id = owner_id_for(request)
    language = request.GET.get("language", interface_language())
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
    session = get_attempt(request, pk, mode=Mode.PRACTICE)
    position = (
        session.items.filter(response__isnull=True).order_by("position").values_list("position", flat=True).first()
    )
    if position is None or not session.is_open:
        if session.is_open and session.target_count is None:
            last = session.items.order_by("-position").values_list("position", flat=True).first() or 0
            return redirect("practice:question", session.pk, last + 1)
        return redirect("practice:summary", session.pk)
    return redirect("practice:question", session.pk, position)


def _question_context(
    session: Attempt, item: AttemptItem, tokens: ItemTokens, *, feedback=None, proposal=None, bookmarked=False
) -> dict:
    """What ``practice_question.html`` shows of one item, the one place its context is built.

    Until the item is answered: the form, holding ``proposal`` (a no-JS ordering in the
    making, option ids) in the page's tokens. Once answered: ``feedback`` (the stored
    ``Response`` or the save's ``SaveResult``), the verdict marked on the snapshot in
    option ids. ``bookmarked`` matters to the full page only (the card has no bookmark).
    """
    total = session.target_count
    context = {
        "session": session,
        "attempt": session,
        "item": item,
        "answered_count": session.items.filter(response__isnull=False).count(),
        "total": total,
        "is_last": total is not None and item.position >= total,
        "scope_label": scope_label(session.scope),
        "bookmarked": bookmarked,
        "uid": item.snapshot["uid"],
        "confidence_choices": [("sure", _("Sure"), "8"), ("unsure", _("Unsure"), "9"), ("guess", _("Guess"), "0")],
        "question": public_view(item.snapshot, tokens),
    }
    if feedback is None:
        return context | {"snapshot": None, "answer": tokens.public_answer(proposal)}
    return context | {
        "snapshot": item.snapshot,
        "answer": feedback.answer,
        "is_correct": feedback.is_correct,
        "confidence_label": dict(Response.Confidence.choices).get(feedback.confidence, ""),
    }


@require_GET
def practice_question(request: HtmxHttpRequest, pk: int, position: int):
    """A practice question: the answer form, or (once answered) its feedback.

    Endless sessions draw their next batch when the candidate reaches its end.
    """
    now = timezone.now()
    session = get_attempt(request, pk, mode=Mode.PRACTICE)
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
    bookmarked = Bookmark.objects.filter(owner_id=session.owner_id, question_uid=item.snapshot["uid"]).exists()
    response = response_of(item)
    tokens = tokens_for(item)
    order = request.GET.get("order")
    proposed = None
    if order and response is None:
        try:
            proposed = parse_answer(item.snapshot, {"order": order.split(",")}, tokens)
        except AnswerError:
            proposed = None
    context = _question_context(session, item, tokens, feedback=response, proposal=proposed, bookmarked=bookmarked)
    context |= {"next_seq": (response.seq if response else 0) + 1, "spent": 0}
    return render_page(request, "exams/practice_question.html", context, partials=("question-card",))


@require_GET
def practice_original(request: HtmxHttpRequest, pk: int, position: int):
    """The English original of a translated practice question ("Show original"), no key.

    The practice page loads it beside the translation when the toggle opens (htmx); without
    JS the toggle links here and this is a page of its own.
    """
    session = get_attempt(request, pk, mode=Mode.PRACTICE)
    item = get_object_or_404(AttemptItem, attempt=session, position=position)
    original = None if item.snapshot["language"] == Language.EN else original_view(item.snapshot)
    if original is None:
        raise Http404
    context = {"session": session, "item": item, "original": original}
    return render_page(request, "exams/practice_original.html", context, partials=("original",))


def practice_answer(
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
        error = _("Choose an answer first.")
        if not request.htmx:
            messages.error(request, error)
            return redirect("practice:question", session.pk, item.position)
        context = _question_context(session, item, tokens)
        context |= {"next_seq": meta.seq + 1, "spent": meta.spent, "error": error, "oob": True}
        return render(request, "exams/practice_question.html#question-card", context)
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
        return ended(request, session, _("This practice session has ended; the answer was not saved."))
    if not request.htmx:
        return redirect("practice:question", session.pk, item.position)
    context = _question_context(session, item, tokens, feedback=result)
    context |= {"saved_seq": meta.seq, "oob": True}
    return render(request, "exams/practice_question.html#question-card", context)


@require_POST
def practice_skip(request: HtmxHttpRequest, pk: int, position: int):
    """ "Skip": this question goes to the end of the session, unanswered; on to the next."""
    session = get_attempt(request, pk, mode=Mode.PRACTICE)
    item = get_object_or_404(AttemptItem, attempt=session, position=position)
    item.attempt = session
    if not attempts.skip_item(item):
        messages.info(request, _("Only a question you have not answered yet can be skipped."))
    url = reverse("practice:session", args=[session.pk])
    return HttpResponseClientRedirect(url) if request.htmx else redirect(url)


@require_POST
def practice_discard(request: HtmxHttpRequest, pk: int):
    """Discard an unfinished session (dashboard, picker): it leaves "Carry on"."""
    session = get_attempt(request, pk, mode=Mode.PRACTICE)
    attempts.discard_practice(session, now=timezone.now())
    messages.success(request, _("The practice session is discarded."))
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = reverse("practice:picker")
    return HttpResponseClientRedirect(back) if request.htmx else redirect(back)


@require_POST
def practice_finish(request: HtmxHttpRequest, pk: int):
    session = get_attempt(request, pk, mode=Mode.PRACTICE)
    attempts.submit_attempt(session, now=timezone.now())
    return redirect("practice:summary", session.pk)


@require_GET
def practice_summary(request: HtmxHttpRequest, pk: int):
    """Score and per-topic results; a counted session that is fully answered is finished here."""
    now = timezone.now()
    session = get_attempt(request, pk, mode=Mode.PRACTICE)
    items = list(session.items.select_related("response").order_by("position"))
    answered = [item for item in items if response_of(item)]
    if session.is_open and session.target_count is not None and len(answered) == len(items):
        attempts.submit_attempt(session, now=now)
    correct = sum(response_of(item).is_correct for item in answered)
    domains = domain_results(
        ((item.snapshot["domain"], True, response_of(item).is_correct) for item in answered),
        {domain.number: domain.display_name for domain in Domain.objects.all()},
    )
    tasks: dict[str, list[int]] = {}
    for item in answered:
        tally = tasks.setdefault(item.snapshot["task"], [0, 0])
        tally[0] += response_of(item).is_correct
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
        "rows": [(item, response_of(item)) for item in items],
    }
    return render(request, "exams/practice_summary.html", context)


@require_POST
def practice_mistakes(request: HtmxHttpRequest, pk: int):
    """ "Practise mistakes again": a new session of this session's wrong answers."""
    session = get_attempt(request, pk, mode=Mode.PRACTICE)
    wrong = list(
        session.items.filter(response__is_correct=False).order_by("position").values_list("question_id", flat=True)
    )
    if not wrong:
        messages.info(request, _("No mistakes to practise in this session."))
        return redirect("practice:summary", session.pk)
    back = reverse("practice:summary", args=[session.pk])
    return practise_again(request, session, wrong, back=back, now=timezone.now())


def practise_again(request: HtmxHttpRequest, source: Attempt, question_ids: list[int], *, back: str, now):
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
