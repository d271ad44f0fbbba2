"""The interface language a person chose, remembered on their Owner.

``LocaleMiddleware`` picks the language from the language cookie, else from the browser's
``Accept-Language``. The switcher (``views.set_language``) sets that cookie through Django's own
view and also stores the choice on the visitor's Owner, so that logging in on another browser
brings it back: log-in sets the cookie from the account's stored choice, or, for an account
that has none yet, stores the choice this browser already made.
"""

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from .models import Owner
from .owners import owner_id_for


def supported_language(code: str | None) -> str | None:
    """``code`` if it is one of the interface languages (settings.LANGUAGES), else None."""
    return code if code in dict(settings.LANGUAGES) else None


def remember_language(request: HttpRequest, code: str) -> None:
    """Store ``code`` on this visitor's Owner (an account, or a guest who owns something)."""
    if supported_language(code) is None:
        return
    if (owner_id := owner_id_for(request)) is not None:
        Owner.objects.filter(pk=owner_id).update(language=code)


def restore_language(request: HttpRequest, response: HttpResponse, *, owner_id: int) -> None:
    """After a log-in: make the account's language this browser's, or adopt the browser's choice.

    Only an explicit choice (the cookie) is adopted; a language that merely came from
    Accept-Language stays a per-browser default.
    """
    stored = Owner.objects.filter(pk=owner_id).values_list("language", flat=True).first()
    if supported_language(stored):
        set_language_cookie(response, stored)
    elif chosen := supported_language(request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)):
        Owner.objects.filter(pk=owner_id).update(language=chosen)


def set_language_cookie(response: HttpResponse, code: str) -> None:
    """The cookie Django's ``set_language`` view sets, with the same settings."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
