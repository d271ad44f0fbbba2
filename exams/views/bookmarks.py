"""Bookmarks: the list, and setting one from a practice question."""

from django.db.models import Case, When
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.owners import get_or_create_owner_id, owner_id_for
from exams.forms import ToggleForm
from exams.models import Bookmark
from questions.models import Language, Question, interface_language
from quizapp.htmx import HtmxHttpRequest


@require_GET
def bookmark_list(request: HtmxHttpRequest):
    owner_id = owner_id_for(request)
    uids = list(Bookmark.objects.filter(owner_id=owner_id).values_list("question_uid", flat=True)) if owner_id else []
    language = interface_language()
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
