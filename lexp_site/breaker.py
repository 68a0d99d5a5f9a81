"""What this process knows about the database being down: a circuit breaker and the 503 episode.

**The breaker.** When connecting fails (refused, or ``connect_timeout`` expired on a frozen
server), each request after it would wait its own connect timeout before its 503: with a
few sync workers, requests queue behind those waits for many seconds. So after a failed
connection the next attempts for ``DB_RETRY_SECONDS`` are refused at once, without touching
the network (:meth:`DatabaseOutage.refuse_if_known_down`, called by the PostgreSQL backend
before it connects); they answer 503 like any other database fault. After that, the next
request tries again (one at a time: the others keep answering 503 while it waits), and
if it connects the breaker closes; if not, it opens for another period. The breaker's state
is shared by gunicorn's workers (made in the master, which loads the app before forking):
one worker's failure spares the others their own wait, and only one of them is ever waiting
on a database known to be down, so the others keep answering at once.

**The episode.** The first 503 for a database fault logs one ERROR line with the error; the
503s after it are counted, not logged, until the database answers again (a connection
succeeds), which logs one WARNING line with the count and the duration. A fault that needs
no new connection (a statement timeout on a live server) starts an episode as well; one
quiet for ``DB_RETRY_SECONDS`` is over, so the next 503 logs again.

The episode is per process (each gunicorn worker logs its own outage line), and nothing
here touches the database.
"""

from __future__ import annotations

import logging
import multiprocessing
import threading
import time
from collections.abc import Callable

from django.conf import settings

from lexp_site import metrics

logger = logging.getLogger(__name__)


class DatabaseOutage:
    def __init__(self, retry_seconds: Callable[[], float], clock: Callable[[], float] = time.monotonic) -> None:
        self._retry_seconds = retry_seconds
        self._clock = clock
        self._lock = threading.Lock()
        # Shared memory: forked workers see one value. While the clock is before it, connecting is not
        # tried; 0 means no failure is known. (time.monotonic is the same clock in every process.) No
        # lock between processes: one killed while holding it would stop them all; at worst two
        # workers try to connect at once.
        self._retry_at = multiprocessing.RawValue("d", 0.0)
        self.reset()

    def reset(self) -> None:
        self._retry_at.value = 0.0
        self._episode_started: float | None = None
        self._last_503 = 0.0
        self._answered_503 = 0

    # The breaker -----------------------------------------------------------------------

    def refuse_if_known_down(self) -> str | None:
        """Why not to try connecting now (the database failed moments ago), or None to go ahead.

        When the wait is over, the caller that hears None is the one that tries: until it reports
        (:meth:`connect_failed`, :meth:`connected`), or for another period if it never does, the
        others are still refused.
        """
        with self._lock:
            now, retry_at = self._clock(), self._retry_at.value
            if retry_at > now:
                left = retry_at - now
            else:
                if retry_at:
                    self._retry_at.value = now + self._retry_seconds()
                return None
        metrics.DATABASE_CONNECTS_SKIPPED.inc()
        return f"database unavailable: a connection attempt failed moments ago; next attempt in {left:.1f} s"

    def connect_failed(self) -> None:
        with self._lock:
            self._retry_at.value = self._clock() + self._retry_seconds()

    def connected(self) -> None:
        """A connection succeeded: close the breaker, and end the episode with one line."""
        with self._lock:
            self._retry_at.value = 0.0
        with self._lock:
            if self._episode_started is None:
                return
            seconds, count = self._clock() - self._episode_started, self._answered_503
            self._episode_started, self._answered_503 = None, 0
        logger.warning("database available again: %d requests answered 503 over %.1f s", count, seconds,
                       extra={"answered_503": count, "seconds": round(seconds, 1)})

    @property
    def known_down(self) -> bool:
        return self._retry_at.value > self._clock()

    # The episode -----------------------------------------------------------------------

    def answered_503(self, error: Exception) -> None:
        """Count a 503 for a database fault; the first of an episode logs one ERROR line."""
        metrics.DATABASE_UNAVAILABLE.inc()
        with self._lock:
            now = self._clock()
            starts = self._episode_started is None or now - self._last_503 > self._retry_seconds()
            if starts:
                self._episode_started, self._answered_503 = now, 0
            self._answered_503 += 1
            self._last_503 = now
        if starts:
            logger.error("database unavailable: answering 503 until it answers again (one line per outage)",
                         extra={"error": f"{type(error).__name__}: {error}".strip()})


def retry_seconds() -> float:
    return settings.DB_RETRY_SECONDS


outage = DatabaseOutage(retry_seconds)
