"""Django's cached_db session store, creating a session with one insert and one cache write.

Every new visitor who starts something (a mock, a practice session, a bookmark) gets a session.
Django's ``create()`` first asks whether a random key is already taken, a cache read and a
database read, then inserts through ``save(must_create=True)``, whose unique key refuses a
duplicate anyway (``CreateError``: draw again), in a transaction of its own (BEGIN and COMMIT
round trips around one statement), and ``cached_db`` then writes the cache twice (once in
``create()``'s save, once more in the save that called it). Here a new session is the insert
alone (``quizapp.compiled.insert``; in a savepoint inside a transaction, so that a duplicate
key cannot break it) and one cache write; the key is 160 random bits in Django's alphabet
(lower case and digits), drawn in one call instead of 32 (``get_random_string``). Loading,
saving changes and deleting are Django's.
"""

import base64
import contextlib
import logging
import os

from django.contrib.sessions.backends import cached_db
from django.contrib.sessions.backends.base import CreateError
from django.db import IntegrityError, connections, router, transaction

from quizapp.compiled import insert

logger = logging.getLogger("django.contrib.sessions")


def new_session_key() -> str:
    """32 characters of base32 (a–z, 2–7) from 160 random bits."""
    return base64.b32encode(os.urandom(20)).decode().lower()


class SessionStore(cached_db.SessionStore):
    def create(self):
        while True:
            self._session_key = new_session_key()
            try:
                self._insert()
            except CreateError:
                continue  # the key was taken (never in practice)
            self.modified = True
            return

    def save(self, must_create=False):
        if self.session_key is None:
            return self.create()  # which saves, cache included
        super().save(must_create)

    def _insert(self) -> None:
        """What ``save(must_create=True)`` writes: the row (CreateError if its key is taken),
        then the cache."""
        row = self.create_model_instance(self._get_session(no_load=True))
        using = router.db_for_write(self.model, instance=row)
        nested = connections[using].in_atomic_block
        try:
            with transaction.atomic(using=using) if nested else contextlib.nullcontext():
                insert(row, using=using)
        except IntegrityError as error:
            raise CreateError from error
        try:
            self._cache.set(self.cache_key, self._session, self.get_expiry_age())
        except Exception:
            logger.exception("Error saving to cache (%s)", self._cache)
