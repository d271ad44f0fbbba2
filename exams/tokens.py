"""Opaque names for what a candidate picks: options, ordering items, prompts and matches.

A page must not tell the key. Database ids did (matching: the right match of ``match-N``
was ``N``; ordering: the key was the ascending ids), so a candidate's page names each
option of an attempt item by a token instead:

    token = base32(HMAC-SHA256(key, "<item id>:<role>:<option id>"))[:8], lower case

where ``key`` is derived from SECRET_KEY and ``option id`` is whatever the snapshot names
the option by (today the Option's primary key; a question revision's stable index later).
So a token

- is unique to its attempt item: another item's or another attempt's tokens name nothing
  here, and the answer is refused (400);
- carries no order: sorting tokens sorts by a keyed hash, not by id or by the author's
  position;
- depends on its role: a matching prompt and its right match are the same option row, but
  the prompt (``OPTION``) and the match (``MATCH``) get unrelated tokens.

Nothing is stored: tokens are derived again per request (a few microseconds per item), so
an attempt item costs no bytes for them. Rendering (``token_for``) and reading a posted
answer (``option_for``, used by ``exams.grading.parse_answer``) both go through
``ItemTokens``, built for an item by ``tokens_for(item)``.

Rotating SECRET_KEY: pages render with SECRET_KEY, answers are read with it and with every
key in SECRET_KEY_FALLBACKS, so a page rendered just before a rotation can still be answered.
"""

import base64
import functools
import hashlib
import hmac
from collections.abc import Iterable
from typing import Any

from django.conf import settings

# Roles: choices, ordering items and matching prompts are OPTIONs; matching answers are MATCHes.
OPTION = "o"
MATCH = "m"

# 8 base32 characters are 40 bits: two options of one item collide once in ~10^10 items,
# and then that item's tokens of that role are simply made longer (see _names).
LENGTH = 8


@functools.lru_cache(maxsize=8)
def _derived_key(secret: str) -> bytes:
    """The HMAC key for tokens: SECRET_KEY hashed with this purpose, never SECRET_KEY itself."""
    return hashlib.sha256(b"quizapp.exams.tokens:" + secret.encode()).digest()


# Two base32 characters (lower case) for every 10-bit number: a LENGTH-token is 40 bits, four
# look-ups. base64.b32encode (Python code) took 2 µs a token, five tokens a question page.
_BASE32 = "abcdefghijklmnopqrstuvwxyz234567"
_PAIRS = [_BASE32[number >> 5] + _BASE32[number & 31] for number in range(1024)]


def _token(key: bytes, item_id: int, role: str, option_id: Any, length: int) -> str:
    digest = hmac.digest(key, f"{item_id}:{role}:{option_id}".encode(), "sha256")
    if length == LENGTH:
        bits = int.from_bytes(digest[:5])
        return _PAIRS[bits >> 30] + _PAIRS[bits >> 20 & 1023] + _PAIRS[bits >> 10 & 1023] + _PAIRS[bits & 1023]
    # Longer after a collision (see _names): encode only the bytes the token needs.
    return base64.b32encode(digest[: min(32, -(-length * 5 // 8))]).decode()[:length].lower()


def _names(key: bytes, item_id: int, role: str, option_ids: list, length: int) -> dict[Any, str]:
    """``{option id: token}`` for one role, tokens all distinct (made longer on a collision)."""
    while True:
        names = {option_id: _token(key, item_id, role, option_id, length) for option_id in option_ids}
        if len(set(names.values())) == len(names) or length >= 52:
            return names
        length *= 2


class ItemTokens:
    """The tokens of one attempt item, both ways.

    ``token_for(option_id, role)`` names an option on a page; ``option_for(token, role)``
    reads it back from a post (None for anything that is not this item's token of that role).
    """

    def __init__(self, item_id: int, options: Iterable, matches: Iterable = (), *, length: int = LENGTH):
        self.item_id = item_id
        self.length = length
        self._ids = {OPTION: list(options), MATCH: list(matches)}
        key = _derived_key(settings.SECRET_KEY)
        self._names = {role: _names(key, item_id, role, ids, length) for role, ids in self._ids.items()}
        self._readers: dict[str, dict[str, Any]] | None = None

    def token_for(self, option_id: Any, role: str = OPTION) -> str:
        """The token of ``option_id`` in ``role``; KeyError for an option not of this item."""
        return self._names[role][option_id]

    def option_for(self, token: str, role: str = OPTION) -> Any | None:
        """The option a posted token names, or None (another item's, a forged or an old id)."""
        option_id = next((pk for pk, name in self._names[role].items() if name == token), None)
        if option_id is None and settings.SECRET_KEY_FALLBACKS:
            option_id = self._fallback_readers()[role].get(token)
        return option_id

    def _fallback_readers(self) -> dict[str, dict[str, Any]]:
        if self._readers is None:
            self._readers = {OPTION: {}, MATCH: {}}
            for secret in settings.SECRET_KEY_FALLBACKS:
                key = _derived_key(secret)
                for role, ids in self._ids.items():
                    names = _names(key, self.item_id, role, ids, self.length)
                    self._readers[role].update({name: pk for pk, name in names.items()})
        return self._readers

    def public_answer(self, answer) -> list[str] | dict[str, str] | None:
        """A stored answer (option ids) as the page names it (tokens); None stays None."""
        if answer is None:
            return None
        if isinstance(answer, dict):
            return {self.token_for(int(prompt)): self.token_for(match, MATCH) for prompt, match in answer.items()}
        return [self.token_for(option_id) for option_id in answer]


def tokens_for(item) -> ItemTokens:
    """The tokens of an attempt item (its primary key and its snapshot's options)."""
    snapshot = item.snapshot
    return ItemTokens(
        item.pk,
        (row["id"] for row in snapshot["options"]),
        (row["id"] for row in snapshot.get("matches", ())),
    )
