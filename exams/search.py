"""Question search: find the published questions a candidate may practise, then practise them.

The results are the ``search`` practice scope (``exams.scopes``), so "Practise these" posts
an ordinary practice start (``practice:start``, with its rate limits) and the session draws
exactly the questions listed here. Results show what the candidate may read before
answering: a stem excerpt, the task statement and the tags; never the key or rationales.
"""

from django import forms
from django.http import HttpResponseBadRequest
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from accounts.owners import owner_id_for
from questions.models import Language
from questions.search import MAX_QUERY_LENGTH, normalize
from quizapp.htmx import HtmxHttpRequest, render_page

from .scopes import practice_questions, scope_key

# The page lists this many; "Practise these" takes every match.
SHOWN = 50


class SearchForm(forms.Form):
    q = forms.CharField(
        label=gettext_lazy("Search questions"),
        required=False,
        max_length=MAX_QUERY_LENGTH,
        help_text=gettext_lazy(
            "Words from the question or its options, a service or a topic, in English or Japanese."
        ),
    )
    language = forms.ChoiceField(choices=Language.choices, required=False)

    def clean_q(self) -> str:
        return normalize(self.cleaned_data["q"])


def _interface_language() -> str:
    language = (get_language() or Language.EN)[:2]
    return language if language in Language.values else Language.EN


@require_GET
def search(request: HtmxHttpRequest):
    """``?q=`` (and ``language``, by default the interface's): the matching questions."""
    form = SearchForm(request.GET)
    if form.has_error("language"):
        return HttpResponseBadRequest(_("Unknown language."))
    query = form.cleaned_data["q"] if form.is_valid() else ""
    language = (form.is_valid() and form.cleaned_data["language"]) or _interface_language()
    questions, total = [], 0
    if query:
        scope = {"kind": "search", "value": query}
        matches = practice_questions(owner_id_for(request), scope=scope, language=language)
        total = matches.count()
        questions = list(matches.select_related("task").prefetch_related("tags").order_by("task__code", "uid")[:SHOWN])
    context = {
        "form": form,
        "query": query,
        "questions": questions,
        "total": total,
        "scope": scope_key({"kind": "search", "value": query}) if query else "",
        "question_language": language,
    }
    return render_page(request, "exams/search.html", context, partials=("search-results",))
