from django import forms
from django.contrib.auth.forms import AuthenticationForm, UserCreationForm
from django.utils.translation import gettext_lazy as _

from . import throttle


class ThrottledAuthenticationForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "throttled": _("Too many failed log-in attempts. Wait a few minutes, then try again."),
    }

    def clean(self):
        username = self.cleaned_data.get("username") or ""
        if throttle.is_locked(self.request, username):
            raise forms.ValidationError(self.error_messages["throttled"], code="throttled")
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            throttle.record_failure(self.request, username)
            raise
        throttle.clear(self.request, username)
        return cleaned


class SignUpForm(UserCreationForm):
    email = forms.EmailField(
        label=_("Email (optional)"), required=False, help_text=_("Only used to reset a forgotten password.")
    )

    class Meta(UserCreationForm.Meta):
        fields = ("username", "email")
