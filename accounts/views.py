from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views import i18n
from django.views.decorators.http import require_http_methods, require_POST

from quizapp import ratelimit
from quizapp.htmx import HtmxHttpRequest

from .forms import (
    DeleteAccountForm,
    SignUpForm,
    ThrottledAuthenticationForm,
    ThrottledPasswordChangeForm,
    ThrottledPasswordResetForm,
)
from .language import remember_language, restore_language
from .owners import owner_id_for


class LoginView(auth_views.LoginView):
    form_class = ThrottledAuthenticationForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        owner_id = owner_id_for(self.request)  # claims this browser's guest work for the account
        restore_language(self.request, response, owner_id=owner_id)
        return response


class PasswordChangeView(auth_views.PasswordChangeView):
    form_class = ThrottledPasswordChangeForm
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:password_change_done")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "request": self.request}


class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset flow: a signed one-time link by mail (SMTP as configured, the console
    in DEBUG). The page says the same whether or not the address has an account."""

    form_class = ThrottledPasswordResetForm
    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form):
        form.check_rate(self.request)
        return super().form_valid(form)


@require_http_methods(["GET", "POST"])
def signup(request: HtmxHttpRequest):
    if request.user.is_authenticated:
        return redirect("dashboard")
    form = SignUpForm(request.POST or None)
    if request.method == "POST":
        # Each post answers "is this username taken?": slow a script that asks for many.
        ratelimit.hit(ratelimit.per_address(request, "signup", "SIGNUP_ADDRESS_RATE"))
    if request.method == "POST" and form.is_valid():
        user = form.save()
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        owner_id = owner_id_for(request)  # claims this browser's guest work for the account
        response = redirect("dashboard")
        restore_language(request, response, owner_id=owner_id)
        return response
    return render(request, "accounts/signup.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def delete_account(request: HtmxHttpRequest):
    """Confirm with the password, then delete the account and everything it owns: attempts,
    answers, bookmarks, notes, review schedule (problem reports stay for the authors, anonymous)."""
    form = DeleteAccountForm(request.user, request.POST or None, request=request)
    if request.method == "POST" and form.is_valid():
        user = request.user
        logout(request)
        user.delete()  # the Owner and all its rows go with it (on_delete=CASCADE)
        messages.success(request, _("Your account and its history are deleted."))
        return redirect("dashboard")
    return render(request, "accounts/delete_account.html", {"form": form})


@require_POST
def set_language(request: HtmxHttpRequest):
    """Django's ``set_language`` (cookie and redirect), plus the choice remembered for the visitor."""
    response = i18n.set_language(request)
    remember_language(request, request.POST.get("language", ""))
    return response
