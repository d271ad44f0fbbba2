"""Database sessions read with one plain query.

Every request of a candidate reads the session (the owner id lives there), so the read is
on the hottest path: an answer save. Django's ``Session.objects.get(...)`` spends most of
its time compiling the query; this store sends the same SELECT, written once. Writing,
expiry and clearing stay Django's (``django.contrib.sessions.backends.db``).
"""

from django.contrib.sessions.backends import db
from django.db import connections, router
from django.utils import timezone


class SessionStore(db.SessionStore):
    def _get_session_from_db(self):
        model = self.model
        connection = connections[router.db_for_read(model)]
        expire_date = model._meta.get_field("expire_date")
        quote = connection.ops.quote_name
        sql = (
            f"SELECT {quote('session_data')} FROM {quote(model._meta.db_table)}"
            f" WHERE {quote('session_key')} = %s AND {quote(expire_date.column)} > %s"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [self.session_key, expire_date.get_db_prep_value(timezone.now(), connection)])
            row = cursor.fetchone()
        if row is None:
            # As Django's store: an unknown or expired key is dropped, and a new one is issued.
            self._session_key = None
            return None
        return model(session_key=self.session_key, session_data=row[0])
