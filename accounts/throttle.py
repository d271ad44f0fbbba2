"""Login throttling with Django's cache (shared across processes when REDIS_URL is set).

Failures are counted per username and per client address in a fixed window; at the
limit, further attempts are refused until the window has passed, even with the right
password, so guessing gains nothing.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest


def _keys(request: HttpRequest, username: str) -> list[str]:
    name = hashlib.sha256(username.strip().lower().encode()).hexdigest()
    address = request.META.get("REMOTE_ADDR", "")
    return [f"login-fail:user:{name}", f"login-fail:addr:{address}"]


def is_locked(request: HttpRequest, username: str) -> bool:
    counts = cache.get_many(_keys(request, username))
    return any(count >= settings.LOGIN_FAILURE_LIMIT for count in counts.values())


def record_failure(request: HttpRequest, username: str) -> None:
    for key in _keys(request, username):
        # add() starts the window only once; incr() keeps its expiry.
        if not cache.add(key, 1, timeout=settings.LOGIN_FAILURE_WINDOW):
            try:
                cache.incr(key)
            except ValueError:  # expired between add() and incr()
                cache.add(key, 1, timeout=settings.LOGIN_FAILURE_WINDOW)


def clear(request: HttpRequest, username: str) -> None:
    cache.delete_many(_keys(request, username)[:1])
