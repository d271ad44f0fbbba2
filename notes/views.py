"""Private notes: write one on a question (inline, from practice feedback and the mock's
review), and list them all on one page."""

from django.contrib import messages
from django.db.models import Case, When
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.owners import get_or_create_owner_id, owner_id_for
from questions.models import Language, Question
from quizapp.htmx import HtmxHttpRequest

from .forms import NoteForm
from .models import Note, save_note

FRAGMENT = "notes/includes/note_form.html"


def _interface_language() -> str:
    language = (get_language() or Language.EN)[:2]
    return language if language in Language.values else Language.EN


@require_GET
def note_list(request: HtmxHttpRequest):
    """The owner's notes, newest first, each beside its question's stem (interface language)."""
    notes = list(Note.objects.for_owner(owner_id_for(request)))
    language = _interface_language()
    # A note is by uid: show the question in the interface language when it exists.
    questions = {
        question.uid: question
        for question in Question.objects.drawable()
        .filter(uid__in=[note.question_uid for note in notes], language__in={Language.EN, language})
        .select_related("task")
        .order_by(Case(When(language=language, then=1), default=0))
    }
    rows = [{"note": note, "question": questions.get(note.question_uid)} for note in notes]
    return render(request, "notes/note_list.html", {"rows": rows})


@require_POST
def note(request: HtmxHttpRequest, uid: str):
    """Write (or, with an empty text, delete) the requester's note on question ``uid``.

    Any question a mock or practice can show takes a note; one the owner already noted stays
    editable after it is retired, so its note can still be changed or deleted.
    """
    form = NoteForm(request.POST)
    owner_id = owner_id_for(request)
    noted = Note.objects.for_owner(owner_id).filter(question_uid=uid).exists()
    if not noted and not Question.objects.drawable().filter(uid=uid).exists():
        raise Http404
    back = form.data.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = reverse("notes:list")
    if not form.is_valid():
        if request.htmx:
            context = {"uid": uid, "text": form.data.get("text", ""), "errors": form.errors.get("text"), "next": back}
            return render(request, FRAGMENT, context)
        messages.error(request, " ".join(form.errors.get("text", [])))
        return redirect(back)
    saved = save_note(get_or_create_owner_id(request), uid, form.cleaned_data["text"])
    if request.htmx:
        context = {"uid": uid, "text": saved.text if saved else "", "saved": True, "next": back}
        return render(request, FRAGMENT, context)
    messages.success(request, _("Your note is saved.") if saved else _("Your note is deleted."))
    return redirect(back)
