from django import forms
from django.utils.translation import gettext_lazy as _

from .models import MAX_NOTE_LENGTH


class NoteForm(forms.Form):
    """A note's new text; empty deletes the note."""

    text = forms.CharField(
        label=_("My note"),
        required=False,
        strip=True,
        max_length=MAX_NOTE_LENGTH,
        error_messages={"max_length": _("A note can be at most %(limit_value)d characters (it has %(show_value)d).")},
    )
    next = forms.CharField(max_length=500, required=False)
