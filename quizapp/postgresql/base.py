"""Django's PostgreSQL backend with a health check that costs no round trip.

With ``conn_health_checks`` (so that every process recovers by itself after the database
restarts: tests/load/test_faults.py), Django checks a persistent connection before the first
query of each request by running ``SELECT 1`` on it: one more round trip, parsed and planned
by PostgreSQL, on every request that touches the database, the answer save included.

A restarting or terminating server says goodbye on every idle connection (a FATAL notice,
then the end of the stream), so reading what has arrived, without sending anything, tells a
dead connection from a live one. A connection lost without a goodbye (a cut network) is
found by the first query instead, and Django drops it after that request's error, as it
does without health checks.
"""

import psycopg
from django.db.backends.postgresql import base
from psycopg.pq import ConnStatus


class DatabaseWrapper(base.DatabaseWrapper):
    def is_usable(self):
        if self.connection is None:
            return False
        pgconn = self.connection.pgconn
        try:
            pgconn.consume_input()  # reads what is there; never waits
        except psycopg.OperationalError:
            return False
        return pgconn.status == ConnStatus.OK
