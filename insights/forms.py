import datetime

from django import forms
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _

from questions.models import Domain, Tag, TaskStatement

from .models import SelfGrade
from .report import TAG_ORDERS

SCOPES_WITH_VALUE = {"domain": Domain, "task": TaskStatement, "tag": Tag}
# "new": today's new questions of the study plan (insights.plan); "ahead": study ahead,
# the review cards due in the next days (insights.review).
SCOPE_KINDS = [*SCOPES_WITH_VALUE, "due", "ahead", "new", "all"]
COUNTS = [(10, "10"), (20, "20"), (65, "65")]


class PractiseForm(forms.Form):
    """What "Practise this" posts: a scope as ``kind`` or ``kind:value`` ("task:3.1", the
    picker's notation), and where to come back to if nothing can start."""

    error_messages = {
        "unknown_scope": _("There is no such domain, task statement or tag."),
    }

    scope = forms.CharField(max_length=90)
    count = forms.TypedChoiceField(choices=COUNTS, coerce=int, required=False, empty_value=10)
    next = forms.CharField(max_length=200, required=False)

    def clean_scope(self) -> dict:
        kind, _sep, value = self.cleaned_data["scope"].partition(":")
        model = SCOPES_WITH_VALUE.get(kind)
        if model is None:
            if kind not in SCOPE_KINDS or value:
                raise forms.ValidationError(self.error_messages["unknown_scope"], code="unknown_scope")
            return {"kind": kind}
        lookup = {Domain: "number", TaskStatement: "code", Tag: "slug"}[model]
        well_formed = value.isdecimal() if model is Domain else bool(value)
        if not well_formed or not model.objects.filter(**{lookup: value}).exists():
            raise forms.ValidationError(self.error_messages["unknown_scope"], code="unknown_scope")
        return {"kind": kind, "value": value}

    def back_url(self, request, default: str) -> str:
        """The page to return to with a message when practice cannot start (only a local one)."""
        url = self.cleaned_data.get("next") or ""
        if url and url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}):
            return url
        return default


class TagOrderForm(forms.Form):
    tags = forms.ChoiceField(choices=[(order, order) for order in TAG_ORDERS], required=False)

    def order(self) -> str:
        return self.cleaned_data["tags"] or "weakest"


class DeleteHistoryForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I understand that my attempts, answers and review schedule are deleted for good."),
        error_messages={"required": _("Tick the box to confirm: deleting cannot be undone.")},
    )


class ExamDateForm(forms.Form):
    """The exam date of the study plan; empty clears it (the plan falls back to a default pace)."""

    error_messages = {
        "past": _("Choose today or a later day."),
        "far": _("Choose a day within the next two years."),
    }

    exam_date = forms.DateField(
        label=_("Exam date"),
        required=False,
        help_text=_("Year-month-day, for example 2026-07-22."),
        # A text field, not type=date: Chromium's date field puts focus on its inner
        # segments, which never show :focus-visible (tests/e2e/test_keyboard.py).
        widget=forms.DateInput(attrs={"autocomplete": "off", "inputmode": "numeric"}, format="%Y-%m-%d"),
    )

    def clean_exam_date(self):
        day = self.cleaned_data["exam_date"]
        if self.data.get("clear"):  # the "Clear exam date" button
            return None
        today = timezone.localdate()
        if day is not None and day < today:
            raise forms.ValidationError(self.error_messages["past"], code="past")
        if day is not None and day > today + datetime.timedelta(days=730):
            raise forms.ValidationError(self.error_messages["far"], code="far")
        return day


class DailyLimitsForm(forms.Form):
    """The study plan's daily limits; an empty field is no limit."""

    new_cap = forms.IntegerField(
        label=_("New questions a day, at most"),
        required=False,
        min_value=0,
        max_value=500,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    review_cap = forms.IntegerField(
        label=_("Reviews a day, at most"),
        required=False,
        min_value=0,
        max_value=500,
        help_text=_("Leave empty for no limit."),
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )


class SelfGradeForm(forms.Form):
    """A grade from the feedback's four buttons; empty withdraws it (the inferred grade counts again)."""

    grade = forms.TypedChoiceField(
        choices=[("", ""), *SelfGrade.Rating.choices], coerce=int, required=False, empty_value=None
    )


class SuspendForm(forms.Form):
    """Suspend a question's review card ("1") or resume it ("0")."""

    question_uid = forms.SlugField(max_length=80)
    suspended = forms.TypedChoiceField(choices=[("1", "1"), ("0", "0")], coerce=lambda value: value == "1")
