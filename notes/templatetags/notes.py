"""``{% question_note uid owner_id %}``: the owner's note editor on a question (feedback, review).

The caller's page decides when a note may show (after a practice answer, after a mock is
over); the tag only reads the owner's notes, once per page however many questions it lists.
"""

from django import template

from notes.models import Note

register = template.Library()

CACHE = "notes.by_uid"


@register.inclusion_tag("notes/includes/note_form.html", takes_context=True)
def question_note(context, uid: str, owner_id: int | None, next_url: str = "") -> dict:
    cache = context.render_context.get(CACHE)
    if cache is None or cache[0] != owner_id:
        texts = dict(Note.objects.for_owner(owner_id).values_list("question_uid", "text"))
        cache = context.render_context[CACHE] = (owner_id, texts)
    request = context.get("request")
    return {
        "uid": uid,
        "text": cache[1].get(uid, ""),
        "next": next_url or (request.get_full_path() if request else ""),
    }
