"""A candidate's private notes: one per owner and question.

A note is keyed by the question's uid, like a bookmark: it outlives edits of the question
and shows beside both language versions. It is the candidate's own text, never author
text: pages escape it like any user input and render no markup in it.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import Owner

MAX_NOTE_LENGTH = 2000


class NoteQuerySet(models.QuerySet):
    def for_owner(self, owner_id: int | None):
        """An owner's notes; none for a visitor who owns nothing yet (``None``)."""
        if owner_id is None:
            return self.none()
        return self.filter(owner_id=owner_id)


class Note(models.Model):
    owner = models.ForeignKey(Owner, on_delete=models.CASCADE, related_name="notes", verbose_name=_("owner"))
    question_uid = models.SlugField(_("question uid"), max_length=80)
    text = models.TextField(_("text"), max_length=MAX_NOTE_LENGTH)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = NoteQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at"]
        verbose_name = _("note")
        verbose_name_plural = _("notes")
        constraints = [models.UniqueConstraint(fields=["owner", "question_uid"], name="note_once")]

    def __str__(self) -> str:
        return f"{self.owner} ✎ {self.question_uid}"

    @classmethod
    def merge_owner(cls, source: Owner, target: Owner) -> None:
        """Move a guest's notes to the account. Where both wrote on the same question, the
        account keeps both texts, its own first: a note is never lost on sign-up."""
        theirs = dict(cls.objects.filter(owner=target).values_list("question_uid", "text"))
        for note in cls.objects.filter(owner=source, question_uid__in=list(theirs)):
            if note.text.strip() != theirs[note.question_uid].strip():
                cls.objects.filter(owner=target, question_uid=note.question_uid).update(
                    text=f"{theirs[note.question_uid]}\n\n{note.text}"
                )
            note.delete()
        cls.objects.filter(owner=source).update(owner=target)


def save_note(owner_id: int, uid: str, text: str) -> Note | None:
    """Write the owner's note on question ``uid``; an empty text deletes it (returns None)."""
    text = text.strip()
    if not text:
        Note.objects.filter(owner_id=owner_id, question_uid=uid).delete()
        return None
    note, _created = Note.objects.update_or_create(owner_id=owner_id, question_uid=uid, defaults={"text": text})
    return note
