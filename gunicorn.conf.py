"""gunicorn settings for Exchange Outcome (``gunicorn -c gunicorn.conf.py``).

Every value can be changed from the environment, so one file serves every app server:
GUNICORN_BIND, WEB_CONCURRENCY, GUNICORN_TIMEOUT, GUNICORN_CONTROL_SOCKET,
PROMETHEUS_MULTIPROC_DIR. See docs/deploy.md.
"""

import gc
import logging
import os

wsgi_app = "lexp_site.wsgi:application"

# Loopback by default: the proxy (nginx) on the same machine is the only client.
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000").split(",")

# The pages are CPU-bound Python, so about two workers per core; capped because each
# worker holds its own database connection and memory.
MAX_DEFAULT_WORKERS = 12
workers = int(os.environ.get("WEB_CONCURRENCY") or min(2 * (os.cpu_count() or 1) + 1, MAX_DEFAULT_WORKERS))
# Sync workers: the proxy in front buffers slow clients, so a worker is busy only while computing.
worker_class = "sync"

# A request that takes this long is stuck: the worker is killed and replaced.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
keepalive = 5
# Load Django once in the master and fork workers from it: a new worker (after a crash or
# a recycle) serves at once instead of spending a second importing while the others queue.
# New code therefore needs a restart, not a HUP. Django opens no connection at import.
preload_app = True
# Recycle workers now and then so a slow leak can never take a server down (at full load
# a worker serves a few hundred requests a second: recycle each every minute or so).
max_requests = 20000
max_requests_jitter = 2000


def pre_fork(server, worker):
    """Move everything preload_app loaded into the garbage collector's permanent generation.

    A worker's full collections then walk only what it made itself: measured in-process,
    a full collection over the loaded app and warm caches paused a page for 50-60 ms, the
    largest part of the load test's p99; frozen, about 6 ms. The pages also stay shared
    copy-on-write between the master and the workers.
    """
    gc.freeze()

# One log: gunicorn's error log and its access log are the app's JSON lines (lexp_site/middleware.py),
# on stderr like the app's own, each with the request id. The access line leaves out the values
# of the query (they hold the holder's principal and dates); gunicorn's own text handlers are off.
errorlog = None
accesslog = None
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_context": {"()": "lexp_site.middleware.RequestContextFilter"}},
    "formatters": {
        "json": {"()": "lexp_site.middleware.JsonLineFormatter"},
        "access": {"()": "lexp_site.middleware.AccessLineFormatter"},
    },
    "handlers": {
        "error": {"class": "logging.StreamHandler", "stream": "ext://sys.stderr", "formatter": "json",
                  "filters": ["request_context"]},
        "access": {"class": "logging.StreamHandler", "stream": "ext://sys.stderr", "formatter": "access"},
    },
    "root": {"level": "WARNING", "handlers": ["error"]},
    "loggers": {
        "gunicorn.error": {"level": "INFO", "handlers": ["error"], "propagate": False},
        "gunicorn.access": {"level": "INFO", "handlers": ["access"], "propagate": False},
    },
}


def worker_abort(worker):
    """A request outlived the timeout and its worker is being killed: say which, since it gets no access line.

    gunicorn runs this in the worker, inside the request, so the line carries its request id,
    method and path (lexp_site.middleware.RequestContextFilter).
    """
    logging.getLogger("gunicorn.error").error(
        "worker timeout: the request was abandoned and its worker killed (no response was sent)")


def child_exit(server, worker):
    """With PROMETHEUS_MULTIPROC_DIR set, forget the figures of a worker that is gone (prometheus_client)."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)


proc_name = "exchange-outcome"

# gunicorn's control socket (for ``gunicornc``) is one fixed path per user by default
# ($XDG_RUNTIME_DIR/gunicorn.ctl or ~/.gunicorn/gunicorn.ctl): a second server on the host takes
# it over, and a command meant for the first reaches the second. So there is none unless
# GUNICORN_CONTROL_SOCKET names one, which must be this server's own path.
control_socket = os.environ.get("GUNICORN_CONTROL_SOCKET", "")
control_socket_disable = not control_socket
