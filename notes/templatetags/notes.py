"""``{% question_note uid owner_id %}``: the owner's note editor on a question (feedback, review),
and ``{% note_form uid text next saved errors %}``, the editor itself (notes/includes/note_form.html).

The caller's page decides when a note may show (after a practice answer, after a mock is
over); the tag only reads the owner's notes, once per page however many questions it lists.
The form is drawn in Python: the mock's results show one per question, ten a page, and
through the template engine each (a URL, the CSRF field, eight translations) cost as much as
the question's review (bench/profile.py). Its words are translated and escaped once per
process and language; every value is escaped, as the template did (``html.escape``, what Django's
``escape`` runs, without its lazy-string wrapper: ten forms a page).
"""

import functools
from collections.abc import Callable
from html import escape

from django import template
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from notes.models import Note
from quizapp.compiled import compiled
from quizapp.rendering import once_per_rendering, per_language, slug_urls

register = template.Library()

CACHE = "notes.by_uid"
CSRF = "notes.csrf"


def _words(context) -> dict[str, str]:
    return _build_words()


@per_language
def _build_words() -> dict[str, str]:
    words = {
        "saving": _("Saving…"),
        "failed": _("Not saved — retry"),
        "dirty": _("Not saved yet"),
        "my_note": _("My note"),
        "only_you": _("(only you see it)"),
        "save": _("Save note"),
        "saved": _("Saved"),
        "deleted": _("Note deleted"),
    }
    return {key: escape(word) for key, word in words.items()}


def _csrf_field(context) -> str:
    """What ``{% csrf_token %}`` draws (once per rendering: the token is the same throughout)."""
    return once_per_rendering(context, CSRF, lambda: _build_csrf_field(context))


def _build_csrf_field(context) -> str:
    token = context.get("csrf_token")
    if not token or token == "NOTPROVIDED":
        return ""
    return f'<input type="hidden" name="csrfmiddlewaretoken" value="{escape(str(token))}">'


def note_forms(context) -> Callable[..., str]:
    """``draw(uid, text="", next_url="", saved=False, errors=None)``: the owner's private note
    on one question, a textarea and "Save note" (see notes/includes/note_form.html for how it
    posts and swaps), with the words, the CSRF field and the link pattern of this rendering
    worked out once for every form a page draws."""
    return functools.partial(_note_form, _words(context), _csrf_field(context), slug_urls(context, "notes:note"))


def _note_form(words: dict, csrf: str, note_url, uid: str, text="", next_url="", saved=False, errors=None) -> str:
    url = escape(note_url(uid))
    uid, text = escape(str(uid)), escape(str(text or ""))
    invalid = f' aria-invalid="true" aria-describedby="note-{uid}-error"' if errors else ""
    error = (
        f'\n  <p class="form-error" id="note-{uid}-error">{" ".join(escape(str(message)) for message in errors)}</p>'
        if errors
        else ""
    )
    status = ""
    if saved:
        status = f'<span aria-hidden="true">✓</span> {words["saved"] if text else words["deleted"]}'
    return (
        f'<form id="note-{uid}" class="note-form" method="post" action="{url}" hx-post="{url}" hx-target="this"'
        ' hx-swap="outerHTML" hx-sync="this:replace" hx-request=\'{"timeout": 10000}\' data-note-form'
        f' data-saving-text="{words["saving"]}" data-failed-text="{words["failed"]}"'
        f' data-dirty-text="{words["dirty"]}">\n'
        f"  {csrf}\n"
        f'  <input type="hidden" name="next" value="{escape(str(next_url or ""))}">\n'
        f'  <label for="note-{uid}-text">{words["my_note"]} <span class="muted">{words["only_you"]}</span></label>\n'
        f'  <textarea id="note-{uid}-text" name="text" rows="3" maxlength="2000"{invalid}>{text}</textarea>{error}\n'
        '  <div class="note-actions">\n'
        f'    <button type="submit" id="note-{uid}-save" class="secondary button-small">{words["save"]}</button>\n'
        f'    <span class="note-status" data-note-status role="status">{status}</span>\n'
        "  </div>\n"
        "</form>"
    )


@register.simple_tag(takes_context=True)
def note_form(context, uid: str, text="", next_url="", saved=False, errors=None) -> SafeString:
    """``note_forms``'s form, once."""
    return mark_safe(note_forms(context)(uid, text, next_url, saved, errors))  # noqa: S308 -- every value escaped


@compiled
def _notes_of(owner_id: int):
    # Compiled once (quizapp.compiled): through the ORM this read cost 1,300 Python calls on
    # every results page, more than the ten note forms it feeds.
    return Note.objects.for_owner(owner_id).values_list("question_uid", "text")


def owner_notes(context, owner_id: int | None) -> dict[str, str]:
    """The owner's notes by question uid, read once per rendering."""
    cache = context.render_context.dicts[0].get(CACHE)
    if cache is None or cache[0] != owner_id:
        texts = {} if owner_id is None else dict(_notes_of.rows(owner_id, using=Note.objects.db))
        cache = context.render_context.dicts[0][CACHE] = (owner_id, texts)
    return cache[1]


@register.simple_tag(takes_context=True)
def question_note(context, uid: str, owner_id: int | None, next_url: str = "") -> SafeString:
    if not next_url:
        request = context.get("request")
        next_url = request.get_full_path() if request else ""
    return note_form(context, uid, owner_notes(context, owner_id).get(uid, ""), next_url)
