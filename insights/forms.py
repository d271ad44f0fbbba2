from django import forms
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _

from questions.models import Domain, Tag, TaskStatement

from .report import TAG_ORDERS

SCOPES_WITH_VALUE = {"domain": Domain, "task": TaskStatement, "tag": Tag}
SCOPE_KINDS = [*SCOPES_WITH_VALUE, "due", "all"]
COUNTS = [(10, "10"), (20, "20"), (65, "65")]


class PractiseForm(forms.Form):
    """What "Practise this" posts: a scope, and where to come back to if nothing can start."""

    error_messages = {
        "unknown_scope": _("There is no such domain, task statement or tag."),
    }

    kind = forms.ChoiceField(choices=[(kind, kind) for kind in SCOPE_KINDS])
    value = forms.CharField(max_length=80, required=False)
    count = forms.TypedChoiceField(choices=COUNTS, coerce=int, required=False, empty_value=10)
    next = forms.CharField(max_length=200, required=False)

    def clean(self):
        data = super().clean()
        model = SCOPES_WITH_VALUE.get(data.get("kind"))
        if model is not None:
            value = data.get("value", "")
            lookup = {Domain: "number", TaskStatement: "code", Tag: "slug"}[model]
            if (
                not (value.isdigit() if model is Domain else value)
                or not model.objects.filter(**{lookup: value}).exists()
            ):
                raise forms.ValidationError(self.error_messages["unknown_scope"], code="unknown_scope")
        return data

    def scope(self) -> dict:
        kind = self.cleaned_data["kind"]
        return {"kind": kind, "value": self.cleaned_data["value"]} if kind in SCOPES_WITH_VALUE else {"kind": kind}

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
