"""Small helpers for serving one template as a full page or as htmx partials."""

from urllib.parse import unquote

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render, resolve_url
from django.template.loader import render_to_string
from django_htmx.http import HttpResponseClientRedirect
from django_htmx.middleware import HtmxDetails

from .csrf import csrf


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails
    user: AbstractBaseUser | AnonymousUser


def htmx_target(request: HttpRequest) -> str | None:
    """The HX-Target header of an htmx request (None for any other request): what
    ``request.htmx and request.htmx.target`` gives, read from ``request.META``. django_htmx
    reads ``request.headers``, which Django builds from the whole environ on first use (about
    60 Python calls), and goes through it again on each access: twice or more per question
    page and fragment."""
    meta = request.META
    if meta.get("HTTP_HX_REQUEST") != "true":
        return None
    target = meta.get("HTTP_HX_TARGET") or None
    if target and meta.get("HTTP_HX_TARGET_URI_AUTOENCODED") == "true":
        target = unquote(target)
    return target


def render_page(
    request: HtmxHttpRequest, template: str, context: dict, *, partials: tuple[str, ...] = (), status: int = 200
) -> HttpResponse:
    """Render ``template``, or only its partial named by the request's HX-Target.

    A partial's name equals the id of the element it renders, so an htmx request
    that targets ``#question-card`` gets ``template#question-card``. Requests for
    anything else get the whole page. The response varies on the htmx headers so a
    cache never serves a fragment as a page.
    """
    name = template
    if (target := htmx_target(request)) in partials:
        name = f"{template}#{target}"
    response = render(request, name, context, status=status)
    response["Vary"] = "HX-Request, HX-Target"
    return response


def render_fragment(request: HttpRequest, template: str, context: dict) -> HttpResponse:
    """Render an htmx fragment (``template#partial``) that shows nothing of the request but
    its forms' CSRF token: without the context processors, the token given as
    ``quizapp.csrf.csrf`` gives it. The processors (the request, the user, messages, the
    language, the CSP nonce) were a tenth of the next-question fragment's rendering. Varies
    on the htmx headers as ``render_page``'s responses do."""
    response = HttpResponse(render_to_string(template, context | csrf(request, renew=False)))
    response["Vary"] = "HX-Request, HX-Target"
    return response


class HtmxLoginRedirectMiddleware:
    """Turn a redirect to the login page into HX-Redirect for htmx requests.

    Otherwise htmx would follow the 302 and swap the login page into a fragment.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            response.status_code == 302
            and getattr(request, "htmx", False)
            and response["Location"].startswith(resolve_url(settings.LOGIN_URL))
        ):
            return HttpResponseClientRedirect(response["Location"])
        return response
