import re

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Language, ProblemReport

_HTML = re.compile(r"<\s*/?\s*[a-zA-Z!][^>]*>")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class ProblemReportForm(forms.Form):
    error_messages = {
        "html": _("Write plain text: HTML is not allowed."),
    }

    reason = forms.ChoiceField(
        label=_("What is wrong?"),
        choices=ProblemReport.Reason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose what is wrong.")},
    )
    comment = forms.CharField(
        label=_("Comment (optional)"),
        required=False,
        max_length=ProblemReport._meta.get_field("comment").max_length,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    language = forms.ChoiceField(choices=Language.choices, required=False)
    next = forms.CharField(required=False, max_length=500)

    def clean_comment(self) -> str:
        comment = _CONTROL.sub("", self.cleaned_data["comment"]).strip()
        if _HTML.search(comment):
            raise forms.ValidationError(self.error_messages["html"], code="html")
        return comment
