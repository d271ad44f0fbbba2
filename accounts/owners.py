"""Who is asking: the Owner behind a request, for accounts and guests alike.

The session stores ``[owner_id, user_id]``, so views can filter by ``owner_id``
without a query. When the session's logged-in user differs from the stored user id
(a log-in by any path, the admin's included), the account's owner is looked up and
the guest's work, if any, is claimed for it.
"""

import secrets
from datetime import timedelta

from django.contrib.auth import SESSION_KEY as AUTH_SESSION_KEY
from django.http import HttpRequest
from django.utils import timezone

from quizapp import ratelimit
from quizapp.compiled import insert

from .models import Owner

SESSION_KEY = "owner"
# last_seen_at drives the guest purge; refreshing it at most this often keeps
# a write off the hot path.
SEEN_RESOLUTION = timedelta(hours=6)


def owner_id_for(request: HttpRequest) -> int | None:
    """The owner id of this request, or None if this visitor owns nothing yet."""
    user_id = request.session.get(AUTH_SESSION_KEY)
    stored = request.session.get(SESSION_KEY)
    if stored and stored[1] == user_id:
        return stored[0]
    if user_id is not None and request.user.is_authenticated:
        guest_id = stored[0] if stored and stored[1] is None else None
        return _claim_for_user(request, guest_id)
    return None


def get_or_create_owner_id(request: HttpRequest) -> int:
    """The owner id of this request, creating a guest owner for a new visitor."""
    return get_or_create_owner(request)[0]


def get_or_create_owner(request: HttpRequest) -> tuple[int, bool]:
    """The owner id of this request and whether this call created it: a new guest, who owns
    nothing yet (no attempt, no question seen), so a start need not look for any.

    New guests are rate-limited per client address (``GUEST_ADDRESS_RATE``): a script that
    drops its cookie on every request cannot mint owners without end.
    """
    if (owner_id := owner_id_for(request)) is not None:
        touch(request)
        return owner_id, False
    ratelimit.hit(ratelimit.per_address(request, "guest", "GUEST_ADDRESS_RATE"))
    owner = Owner(guest_token=secrets.token_urlsafe(32))
    insert(owner)  # as save(), with a statement built once: every new guest is one
    request.session[SESSION_KEY] = [owner.pk, None]
    return owner.pk, True


def _claim_for_user(request: HttpRequest, guest_id: int | None) -> int:
    """Find or create the account's owner and move the guest's work into it.

    A second device's guest data merges the same way, through each model's
    ``merge_owner`` hook (see ``Owner.merge_into``).
    """
    owner, _ = Owner.objects.get_or_create(user=request.user)
    if guest_id is not None and guest_id != owner.pk:
        guest = Owner.objects.filter(pk=guest_id, user__isnull=True).first()
        if guest is not None:
            guest.merge_into(owner)
    request.session[SESSION_KEY] = [owner.pk, request.session.get(AUTH_SESSION_KEY)]
    return owner.pk


def touch(request: HttpRequest, *, now=None) -> None:
    """Record that this owner is still around (at most one write every few hours)."""
    stored = request.session.get(SESSION_KEY)
    if not stored:
        return
    now = now or timezone.now()
    last = request.session.get("owner_seen")
    if last is None or now.timestamp() - last > SEEN_RESOLUTION.total_seconds():
        Owner.objects.filter(pk=stored[0]).update(last_seen_at=now)
        request.session["owner_seen"] = now.timestamp()
