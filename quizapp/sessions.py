"""Django's cached_db session store, creating a session with one insert and one cache write.

Every new visitor who starts something (a mock, a practice session, a bookmark) gets a session.
Django's ``create()`` first asks whether a random key is already taken, a cache read and a
database read, then inserts with ``must_create``, whose unique key refuses a duplicate
anyway (``CreateError``: draw again), and ``cached_db`` then writes the cache twice (once in
``create()``'s save, once more in the save that called it). Here a new session is the insert
and one cache write; the key is 160 random bits in Django's alphabet (lower case and digits),
drawn in one call instead of 32 (``get_random_string``). Everything else is Django's.
"""

import base64
import os

from django.contrib.sessions.backends import cached_db
from django.contrib.sessions.backends.base import CreateError


def new_session_key() -> str:
    """32 characters of base32 (a–z, 2–7) from 160 random bits."""
    return base64.b32encode(os.urandom(20)).decode().lower()


class SessionStore(cached_db.SessionStore):
    def create(self):
        while True:
            self._session_key = new_session_key()
            try:
                self.save(must_create=True)
            except CreateError:
                continue  # the key was taken (never in practice)
            self.modified = True
            return

    def save(self, must_create=False):
        if self.session_key is None:
            return self.create()  # which saves, cache included
        super().save(must_create)
