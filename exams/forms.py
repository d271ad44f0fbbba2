from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Response
from .scopes import parse_scope

MAX_SEQ = 2**31 - 1
# A question's time is capped at a day: anything larger is a broken or hostile post.
MAX_SPENT_MS = 24 * 3600 * 1000


class SaveForm(forms.Form):
    """The bookkeeping that travels with an answer (the answer itself: grading.parse_answer).

    ``seq`` is the browser's save counter for the item (newer saves have larger numbers),
    ``spent`` the milliseconds spent on the question so far, ``confidence`` practice's
    sure / unsure / guess.
    """

    seq = forms.IntegerField(min_value=0, max_value=MAX_SEQ)
    spent = forms.IntegerField(min_value=0, required=False)
    confidence = forms.ChoiceField(choices=[("", "")] + Response.Confidence.choices, required=False)

    def clean_spent(self) -> int:
        return min(self.cleaned_data["spent"] or 0, MAX_SPENT_MS)


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
