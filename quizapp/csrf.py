"""The ``csrf_token`` of templates, masked as Django masks it but without a Python call per
character.

Django's ``get_token`` draws the 32-character mask with one ``secrets.choice`` each and adds
it to the secret through two generators: about 490 Python calls per page, a tenth of the
next-question fragment (bench/profile.py). Here the mask comes from ``os.urandom`` mapped onto
the same 62 characters without bias (bytes 248-255 are dropped, 248 being 4 × 62), and the
cipher from a table of sums, so the token has Django's format exactly: mask + (secret +
mask, character by character, mod 62), which ``CsrfViewMiddleware`` unmasks and checks as
ever. A request without a CSRF cookie yet goes through Django's own ``get_token``, which makes
the secret; with one, this does what ``get_token`` does (renew the cookie) and masks it.
"""

import os

from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH, get_token
from django.utils.functional import SimpleLazyObject

_COUNT = len(CSRF_ALLOWED_CHARS)
_KEEP = 256 - 256 % _COUNT  # 248: the bytes below it map evenly onto the characters
_TO_CHAR = bytes(ord(CSRF_ALLOWED_CHARS[byte % _COUNT]) if byte < _KEEP else 0 for byte in range(256))
_DROP = bytes(range(_KEEP, 256))
_SUM = {
    (secret, mask): CSRF_ALLOWED_CHARS[(i + j) % _COUNT]
    for i, secret in enumerate(CSRF_ALLOWED_CHARS)
    for j, mask in enumerate(CSRF_ALLOWED_CHARS)
}


def random_mask() -> str:
    """CSRF_SECRET_LENGTH characters of CSRF_ALLOWED_CHARS, each uniformly from os.urandom."""
    drawn = b""
    while len(drawn) < CSRF_SECRET_LENGTH:  # 48 bytes keep 32 or more but for ~1 in 10^12
        drawn += os.urandom(48).translate(_TO_CHAR, _DROP)
    return drawn[:CSRF_SECRET_LENGTH].decode("ascii")


def mask_secret(secret: str) -> str:
    """What django.middleware.csrf._mask_cipher_secret returns, for a fresh mask."""
    mask = random_mask()
    return mask + "".join(map(_SUM.__getitem__, zip(secret, mask, strict=True)))


def masked_token(request, *, renew: bool = True) -> str:
    if "CSRF_COOKIE" not in request.META:
        return get_token(request)  # the first form of a visitor: Django makes the secret
    if renew:
        # As get_token: the cookie is used, so send it again to renew its expiry.
        request.META["CSRF_COOKIE_NEEDS_UPDATE"] = True
    return mask_secret(request.META["CSRF_COOKIE"])


def csrf(request, *, renew: bool = True) -> dict:
    """Context processor, listed after Django's built-in one, whose ``csrf_token`` it replaces.

    ``renew=False`` (an htmx fragment, ``quizapp.htmx.render_fragment``): the token without
    sending the cookie again. The page the fragment goes into renewed its expiry (a year)
    already, and setting the cookie was a twentieth of the next-question fragment. A visitor
    without the cookie gets it as ever."""
    return {"csrf_token": SimpleLazyObject(lambda: masked_token(request, renew=renew))}
