from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm, PasswordResetForm, UserCreationForm
from django.utils.translation import gettext_lazy as _

from quizapp import ratelimit
from quizapp.ratelimit import LoginGuard

THROTTLED = _("Too many failed attempts: try again in %(seconds)s s.")


class ThrottledLoginMixin:
    """Failed-password throttling (quizapp.ratelimit.LoginGuard) for a log-in form: a locked
    username or a waiting address is refused before the password is even checked."""

    def clean(self):
        guard = LoginGuard(self.request, self.cleaned_data.get("username") or "")
        if wait := guard.check():
            raise forms.ValidationError(THROTTLED, code="throttled", params={"seconds": wait})
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            guard.failed()
            raise
        guard.succeeded()
        return cleaned


class ThrottledAuthenticationForm(ThrottledLoginMixin, AuthenticationForm):
    pass


class ThrottledAdminAuthenticationForm(ThrottledLoginMixin, AdminAuthenticationForm):
    pass


def check_password(request, user, password: str) -> None:
    """Raise a ValidationError unless ``password`` is ``user``'s, throttled like the log-in:
    a stolen session must not be a free oracle for the account's password."""
    guard = LoginGuard(request, user.get_username())
    if wait := guard.check():
        raise forms.ValidationError(THROTTLED, code="throttled", params={"seconds": wait})
    if not user.check_password(password):
        guard.failed()
        raise forms.ValidationError(PasswordChangeForm.error_messages["password_incorrect"], code="password_incorrect")
    guard.succeeded()


class ThrottledPasswordChangeForm(PasswordChangeForm):
    def __init__(self, user, *args, request=None, **kwargs):
        super().__init__(user, *args, **kwargs)
        self.request = request

    def clean_old_password(self):
        old_password = self.cleaned_data["old_password"]
        check_password(self.request, self.user, old_password)
        return old_password


class ThrottledPasswordResetForm(PasswordResetForm):
    def check_rate(self, request) -> None:
        """Each valid post may send a mail: limit per client address and per e-mail address,
        so the form can neither spam an inbox nor probe many addresses quickly."""
        ratelimit.hit(
            ratelimit.per_address(request, "reset", "PASSWORD_RESET_ADDRESS_RATE"),
            ratelimit.bucket("reset:email", ratelimit.digest(self.cleaned_data["email"]), "PASSWORD_RESET_EMAIL_RATE"),
        )


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )
    confirm = forms.BooleanField(
        label=_("I understand that my account and all my history are deleted for good."),
        error_messages={"required": _("Tick the box to confirm: deleting cannot be undone.")},
    )

    def __init__(self, user, *args, request=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.request = request

    def clean_password(self):
        password = self.cleaned_data["password"]
        check_password(self.request, self.user, password)
        return password


class SignUpForm(UserCreationForm):
    email = forms.EmailField(
        label=_("Email (optional)"), required=False, help_text=_("Only used to reset a forgotten password.")
    )

    class Meta(UserCreationForm.Meta):
        fields = ("username", "email")
