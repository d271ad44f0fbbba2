"""The one answering path of mock exams and practice: ``answer`` (POST an answer for one
item) and the answer controls in ``includes/question_form.html``. An htmx save gets a
fragment back (exam: the save status plus the navigator cell and counter out of band;
practice: the feedback card); a plain form post gets a redirect, so everything works
without JS.
"""

from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRefresh

from exams import attempts
from exams.forms import read_save
from exams.grading import AnswerError, apply_move, parse_answer
from exams.tokens import tokens_for
from quizapp import ratelimit
from quizapp.htmx import HtmxHttpRequest

from .access import ended, get_item, response_of
from .mock import navigator_cell, next_url
from .practice import practice_answer


@require_POST
def answer(request: HtmxHttpRequest, pk: int, position: int):
    """Save an answer to one item: the one answering path of mock exams and practice.

    Options are named by the item's tokens (``exams.tokens``). Bad input (tokens that are
    not this item's, a malformed seq) is a 400 and writes nothing. A save after the attempt
    ended is refused (409 + HX-Redirect for htmx). A stale save (older seq) is ignored and
    answered with the stored state.
    """
    now = timezone.now()
    item = get_item(request, pk, position)
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
        return practice_answer(request, item, given, meta, tokens, now=now)

    # Moving on from an untouched question writes nothing; clearing a saved answer does.
    if given or response_of(item) is not None:
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
            return ended(request, attempt)
        if request.htmx and not result.applied:
            # Another window saved a newer answer: show the page as the server has it.
            return HttpResponseClientRefresh()
    if not request.htmx:
        total = attempt.target_count or attempt.items.count()
        url = next_url(attempt, position, request.POST.get("go", ""), total)
        return redirect(url)
    # The navigator cell as just saved goes back out of band; the "answered" counter is
    # the count of answered cells, which static/js/answering/answers.js recounts once the cell is in.
    context = {
        "attempt": attempt,
        "item": item,
        "saved": True,
        "saved_seq": meta.seq,
        "oob": True,
        "cell": navigator_cell(
            attempt.pk, position, parts=item.revision.part_count, answer=given, flagged=item.flagged, current=position
        ),
    }
    # No context processors: the fragment needs no request data (no form, no nonce), and
    # on the hottest request they were a third of the rendering (bench/run.py).
    return HttpResponse(render_to_string("exams/exam_question.html#save-status", context))
