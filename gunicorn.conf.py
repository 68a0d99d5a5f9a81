"""gunicorn settings for Exchange Outcome (``gunicorn -c gunicorn.conf.py``).

Every value can be changed from the environment, so one file serves every app server:
GUNICORN_BIND, WEB_CONCURRENCY, GUNICORN_TIMEOUT, GUNICORN_CONTROL_SOCKET. See docs/deploy.md.
"""

import gc
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

# Access log (stdout unless GUNICORN_ACCESS_LOG names a file), key=value, with the request
# id the app echoes in X-Request-ID.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or "-"
errorlog = "-"
access_log_format = (
    'remote=%(h)s method=%(m)s path="%(U)s" query="%(q)s" status=%(s)s bytes=%(B)s '
    'duration_ms=%(M)s request_id=%({x-request-id}o)s user_agent="%(a)s"'
)
proc_name = "exchange-outcome"

# gunicorn's control socket (for ``gunicornc``) is one fixed path per user by default
# ($XDG_RUNTIME_DIR/gunicorn.ctl or ~/.gunicorn/gunicorn.ctl): a second server on the host takes
# it over, and a command meant for the first reaches the second. So there is none unless
# GUNICORN_CONTROL_SOCKET names one, which must be this server's own path.
control_socket = os.environ.get("GUNICORN_CONTROL_SOCKET", "")
control_socket_disable = not control_socket
