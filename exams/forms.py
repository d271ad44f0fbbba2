from typing import NamedTuple

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from .grading import AnswerError
from .models import Response
from .scopes import parse_scope

MAX_SEQ = 2**31 - 1
# A question's time is capped at a day: anything larger is a broken or hostile post.
MAX_SPENT_MS = 24 * 3600 * 1000


class SaveMeta(NamedTuple):
    """The bookkeeping that travels with an answer (the answer itself: grading.parse_answer).

    ``seq`` is the browser's save counter for the item (newer saves have larger numbers),
    ``spent`` the milliseconds spent on the question so far (capped at a day),
    ``confidence`` practice's sure / unsure / guess, or "".
    """

    seq: int
    spent: int
    confidence: str


def read_save(data: QueryDict) -> SaveMeta:
    """Read a save's ``seq``, ``spent`` and ``confidence``; AnswerError says what is wrong.

    Plain code rather than a Form: a form deep-copies its fields for every instance, and
    on the answer save, the hottest request, that was a tenth of the work (bench/run.py).
    """
    seq = _whole_number(data.get("seq", ""))
    if seq is None or seq > MAX_SEQ:
        raise AnswerError(_("The save needs its counter (seq): a whole number from 0 to %(max)s.") % {"max": MAX_SEQ})
    spent = _whole_number(data.get("spent") or "0")
    if spent is None:
        raise AnswerError(_("The time spent (spent) must be a whole number of milliseconds."))
    confidence = data.get("confidence", "")
    if confidence and confidence not in Response.Confidence.values:
        raise AnswerError(_("Confidence is sure, unsure or guess."))
    return SaveMeta(seq, min(spent, MAX_SPENT_MS), confidence)


def _whole_number(value: str) -> int | None:
    """``value`` as a non-negative int, or None; digits only (no sign, no Unicode digits)
    and at most 18 of them, so a hostile post cannot make int() do the work of a huge one."""
    value = value.strip()
    if not (value.isascii() and value.isdecimal() and len(value) <= 18):
        return None
    return int(value)


class ToggleForm(forms.Form):
    """A desired on/off state (flag, bookmark): posting it twice changes nothing."""

    state = forms.TypedChoiceField(choices=[("1", "on"), ("0", "off")], coerce=lambda value: value == "1")
    seq = forms.IntegerField(min_value=0, max_value=MAX_SEQ, required=False)


COUNT_CHOICES = [("10", "10"), ("20", "20"), ("65", "65"), ("endless", _("Endless"))]


class PracticeStartForm(forms.Form):
    error_messages = {"scope": _("Choose what to practise from the list.")}

    scope = forms.CharField(max_length=80, error_messages={"required": error_messages["scope"]})
    count = forms.ChoiceField(choices=COUNT_CHOICES, initial="10")
    language = forms.ChoiceField(choices=[("en", _("English")), ("ja", _("Japanese"))], initial="en")

    def clean_scope(self) -> dict:
        try:
            return parse_scope(self.cleaned_data["scope"])
        except ValueError:
            raise forms.ValidationError(self.error_messages["scope"], code="scope") from None

    def clean_count(self) -> int | None:
        value = self.cleaned_data["count"]
        return None if value == "endless" else int(value)
