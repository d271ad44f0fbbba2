from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect, render
from django.views import i18n
from django.views.decorators.http import require_http_methods, require_POST

from quizapp.htmx import HtmxHttpRequest

from .forms import SignUpForm, ThrottledAuthenticationForm
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


@require_http_methods(["GET", "POST"])
def signup(request: HtmxHttpRequest):
    if request.user.is_authenticated:
        return redirect("dashboard")
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        owner_id = owner_id_for(request)  # claims this browser's guest work for the account
        response = redirect("dashboard")
        restore_language(request, response, owner_id=owner_id)
        return response
    return render(request, "accounts/signup.html", {"form": form})


@require_POST
def set_language(request: HtmxHttpRequest):
    """Django's ``set_language`` (cookie and redirect), plus the choice remembered for the visitor."""
    response = i18n.set_language(request)
    remember_language(request, request.POST.get("language", ""))
    return response
