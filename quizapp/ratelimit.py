"""Rate limits for every endpoint that an attacker could repeat: one module, Django's cache.

Who is asking is the client address (``client_address``: ``X-Forwarded-For`` read from the
right, past ``TRUSTED_PROXY_HOPS`` proxies that we run) and, where there is one, the owner
or the username. Counters live in fixed windows in the cache, which every process shares
when ``REDIS_URL`` is set.

Two kinds of bucket:

- ``hit`` counts requests (starts, saves, guests, sign-ups, reports, reset mails) and
  raises ``RateLimited`` once a bucket has more than its limit in the current window.
  Per-address limits are generous and their windows short, because a school or an office
  sits behind one address: they slow a script down, they do not lock a class out.
- ``LoginGuard`` counts failed passwords: a username is locked after a few failures (the
  lock that stops guessing one account), an address only has to wait, twice as long after
  each further failure (backoff, capped), so that a colleague behind the same proxy can
  still log in a few seconds later.

The answer save is the hottest request: ``hit`` with one bucket is one round trip to the
cache (on Redis, INCR and EXPIRE in one pipeline).
"""

import hashlib
import ipaddress
import math
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache
from django.http import HttpRequest


class RateLimited(Exception):
    """Too many requests: refuse with 429 and ``Retry-After`` (quizapp.middleware)."""

    def __init__(self, retry_after: int):
        super().__init__(f"rate limited, retry after {retry_after} s")
        self.retry_after = max(1, int(retry_after))


# --- who is asking --------------------------------------------------------------------


def client_address(request: HttpRequest) -> str:
    """The client's address as our own proxies saw it.

    With ``TRUSTED_PROXY_HOPS = n`` (the proxies in front of gunicorn that append to
    ``X-Forwarded-For``), the client is the n-th address from the right: anything further
    left was written by the client and proves nothing. A header with fewer entries than
    hops, or a value that is not an address, falls back to the connection's address.
    IPv6 clients are grouped by their /64, which one household or one attacker gets whole.
    """
    cached = getattr(request, "_client_address", None)
    if cached is not None:
        return cached
    address = request.META.get("REMOTE_ADDR", "")
    hops = settings.TRUSTED_PROXY_HOPS
    if hops > 0:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [part for part in forwarded if part]
        if len(forwarded) >= hops:
            address = forwarded[-hops]
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        parsed = None
    if isinstance(parsed, ipaddress.IPv6Address) and parsed.ipv4_mapped:
        parsed = parsed.ipv4_mapped
    if isinstance(parsed, ipaddress.IPv6Address):
        address = str(ipaddress.ip_network(f"{parsed}/64", strict=False))
    elif parsed is not None:
        address = str(parsed)
    request._client_address = address
    return address


def digest(value: str) -> str:
    """Usernames and e-mail addresses as cache keys: fixed length, nothing readable in Redis."""
    return hashlib.sha256(value.strip().lower().encode()).hexdigest()[:32]


# --- counting -------------------------------------------------------------------------


@dataclass(frozen=True)
class Bucket:
    """``limit`` requests per ``window`` seconds for one ``name`` and one identity."""

    name: str
    identity: str
    limit: int
    window: int

    def key(self, now: float) -> str:
        return f"rl:{self.name}:{self.identity}:{int(now // self.window)}"

    def retry_after(self, now: float) -> int:
        return int(self.window - now % self.window) + 1


def bucket(name: str, identity, setting: str) -> Bucket:
    """The bucket ``name`` for ``identity`` with limit and window from the setting
    ``setting`` (a pair). A limit of 0 turns the bucket off."""
    limit, window = getattr(settings, setting)
    return Bucket(name, str(identity), limit, window)


def per_address(request: HttpRequest, name: str, setting: str) -> Bucket:
    return bucket(f"{name}:addr", client_address(request), setting)


def _incr_many(keys: dict[str, int]) -> list[int]:
    """Add one to each key (created with the given timeout); the new counts.

    Django's ``cache.incr`` is two round trips on Redis (EXISTS, then INCRBY) and refuses a
    missing key; one pipeline of INCR and EXPIRE NX is one round trip, atomic per key.
    Django's Redis serializer stores integers as plain integers, so ``cache.get`` reads
    these counters back as ints.
    """
    backend = caches["default"]
    if isinstance(backend, RedisCache):
        names = {backend.make_and_validate_key(key): timeout for key, timeout in keys.items()}
        pipe = backend._cache.get_client(write=True).pipeline(transaction=False)
        for name, timeout in names.items():
            pipe.incr(name)
            pipe.expire(name, timeout, nx=True)
        return pipe.execute()[::2]
    counts = []
    for key, timeout in keys.items():
        try:
            counts.append(cache.incr(key))
        except ValueError:  # the window's first hit (or the key just expired)
            counts.append(1 if cache.add(key, 1, timeout=timeout) else cache.incr(key))
    return counts


def hit(*buckets: Bucket, now: float | None = None) -> None:
    """Count one request in every bucket; raise ``RateLimited`` when any is over its limit."""
    now = time.time() if now is None else now
    live = [item for item in buckets if item.limit > 0]
    if not live:
        return
    counts = _incr_many({item.key(now): item.window + 1 for item in live})
    over = [item.retry_after(now) for item, count in zip(live, counts, strict=True) if count > item.limit]
    if over:
        raise RateLimited(max(over))


# --- failed passwords -----------------------------------------------------------------


class LoginGuard:
    """Failed-password throttling for one username from one request (log-in, the admin's
    log-in, password change): ``check`` before testing the password, then ``failed`` or
    ``succeeded``.

    Per username: ``LOGIN_FAILURE_LIMIT`` failures in ``LOGIN_FAILURE_WINDOW`` seconds lock
    that username until the window ends, even with the right password, so guessing gains
    nothing. Per address: after ``LOGIN_ADDRESS_FAILURE_LIMIT`` failures in the window,
    every further failure makes that address wait 1, 2, 4 … seconds (at most
    ``LOGIN_BACKOFF_MAX``) before its next attempt: an attacker is slowed to a crawl, the
    other people behind the same proxy are not locked out.
    """

    def __init__(self, request: HttpRequest, username: str):
        window = settings.LOGIN_FAILURE_WINDOW
        self.user = Bucket("login:user", digest(username), settings.LOGIN_FAILURE_LIMIT, window)
        self.address = Bucket("login:addr", client_address(request), settings.LOGIN_ADDRESS_FAILURE_LIMIT, window)
        self.wait_key = f"rl:login:wait:{self.address.identity}"

    def check(self, now: float | None = None) -> int:
        """0 when a password may be tried now, else the seconds to wait."""
        now = time.time() if now is None else now
        user_key = self.user.key(now)
        stored = cache.get_many([user_key, self.wait_key])
        waits = []
        if self.user.limit and stored.get(user_key, 0) >= self.user.limit:
            waits.append(self.user.retry_after(now))
        if (until := stored.get(self.wait_key)) and until > now:
            waits.append(math.ceil(until - now))
        return max(waits, default=0)

    def failed(self, now: float | None = None) -> None:
        now = time.time() if now is None else now
        _user_count, address_count = _incr_many(
            {self.user.key(now): self.user.window + 1, self.address.key(now): self.address.window + 1}
        )
        excess = address_count - self.address.limit
        if self.address.limit and excess >= 0:
            wait = min(2**excess, settings.LOGIN_BACKOFF_MAX)
            cache.set(self.wait_key, now + wait, timeout=wait + 1)

    def succeeded(self, now: float | None = None) -> None:
        """A right password clears the username's failures (not the address's)."""
        now = time.time() if now is None else now
        cache.delete(self.user.key(now))
