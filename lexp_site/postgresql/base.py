"""Django's PostgreSQL backend (counted by django-prometheus), with two bounds on a database that is down.

**Connecting** is skipped for a few seconds after a connection failed (the breaker,
:mod:`lexp_site.breaker`): the request answers 503 at once instead of waiting its own
``connect_timeout``.

**Every answer** the server owes (to a query, a commit) is awaited for at most
``DB_ANSWER_TIMEOUT_SECONDS``; then the connection is closed, the breaker opens and the
request answers 503. A frozen server enforces no ``statement_timeout``, so without this a
query under way when the server stops waits until gunicorn kills the worker.

**The check of a kept connection** gives up in a second, and then opens the breaker: a
server that does not answer ``SELECT 1`` in a second is frozen or drowning, and a new
connection would only wait out ``connect_timeout``. It is not made while the database is
known to be down (the connection is dropped and the breaker answers).

With ``CONN_HEALTH_CHECKS`` Django runs ``SELECT 1`` on a kept connection before the first
query of a request. A server that is stopped (frozen; a host that hangs while its kernel
still answers TCP) never replies, and nothing ends that wait: ``statement_timeout`` is
enforced by the stopped server, and its kernel acknowledges what was sent, so
``tcp_user_timeout`` and keepalives do not fire either. Measured on PostgreSQL 15 with
every server process stopped: the read was still waiting after 15 s, and gunicorn
killed the worker after its 30 s timeout. Here the check waits at most
:data:`HEALTH_CHECK_SECONDS`; Django then closes the connection and opens a new one, which
the open breaker refuses at once (or, after a check that failed for another reason, which
``connect_timeout`` bounds), and the view's ``OperationalError`` becomes a 503
(:mod:`lexp_site.unavailable`).
"""

from __future__ import annotations

import selectors
import time
from typing import Any

import psycopg
from django.conf import settings
from django.db.backends.postgresql import base
from django_prometheus.db.backends.postgresql import base as prometheus_base
from psycopg import pq

from lexp_site.breaker import outage

# A live server answers SELECT 1 in well under a millisecond; a false alarm only costs a reconnection.
HEALTH_CHECK_SECONDS = 1.0


class DeadlineConnection(psycopg.Connection):
    """A psycopg connection that waits for any answer at most ``DB_ANSWER_TIMEOUT_SECONDS`` (0: for ever)."""

    def wait(self, gen, interval: float = 0.1, timeout: float | None = None):
        limit = settings.DB_ANSWER_TIMEOUT_SECONDS or None
        try:
            return super().wait(gen, interval=interval, timeout=timeout if timeout is not None else limit)
        except psycopg.errors._WaitTimeout:  # what Connection.wait raises when its timeout expires
            if timeout is not None:
                raise
            # Half a query sent, its answer never read: the connection cannot be used again.
            self.pgconn.finish()
            outage.connect_failed()
            raise psycopg.OperationalError(
                f"the database did not answer within {limit:g} s (DB_ANSWER_TIMEOUT_SECONDS): connection closed"
            ) from None


class _Psycopg:
    """psycopg as Django's backend uses it (its errors, its cursors), except that it connects with deadlines."""

    connect = staticmethod(DeadlineConnection.connect)

    def __getattr__(self, name: str) -> Any:
        return getattr(psycopg, name)


class DatabaseWrapper(prometheus_base.DatabaseWrapper):
    Database = _Psycopg()

    def get_new_connection(self, conn_params):
        """Connect, unless a connection failed moments ago; tell the breaker how it went."""
        refusal = outage.refuse_if_known_down()
        if refusal:
            raise self.Database.OperationalError(refusal)
        try:
            connection = super().get_new_connection(conn_params)
        except self.Database.Error:
            outage.connect_failed()
            raise
        outage.connected()
        return connection

    def is_usable(self) -> bool:
        """Django's ``SELECT 1``, sent and read through libpq's non-blocking calls with a deadline."""
        if self.connection is None or self.connection.closed or outage.known_down:
            return False
        pgconn = self.connection.pgconn
        deadline = time.monotonic() + HEALTH_CHECK_SECONDS
        try:
            pgconn.send_query(b"SELECT 1")
            with selectors.DefaultSelector() as selector:
                selector.register(pgconn.socket, selectors.EVENT_WRITE)
                while pgconn.flush():  # non-zero while part of the query is still to be sent
                    if not selector.select(deadline - time.monotonic()):
                        return self.not_answered()
                selector.modify(pgconn.socket, selectors.EVENT_READ)
                while pgconn.is_busy():
                    if not selector.select(deadline - time.monotonic()):
                        return self.not_answered()
                    pgconn.consume_input()
            statuses = [result.status for result in iter(pgconn.get_result, None)]
        except base.Database.Error:
            return False
        return statuses == [pq.ExecStatus.TUPLES_OK]

    def not_answered(self) -> bool:
        """The server took a second over ``SELECT 1``: frozen or drowning. Open the breaker (then
        connecting waits for ``DB_RETRY_SECONDS``) rather than let every worker wait out a connect timeout."""
        outage.connect_failed()
        return False
