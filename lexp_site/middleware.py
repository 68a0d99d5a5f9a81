"""Request ids, the operational endpoints, and structured logs.

Every request gets an id: the proxy's ``X-Request-ID`` when it is well formed, otherwise
a new one. The id is echoed in the response header (so gunicorn's access log and the
client see it) and added to every log line written while the request is handled. Log
lines are single-line JSON objects, so an error with its traceback stays one line; the
app, gunicorn's error log and its access log (``gunicorn.conf.py``) all write them, on
stderr. What an attacker sends reaches a log line only cut short and escaped.
"""

from __future__ import annotations

import json
import logging
import re
import uuid
from collections.abc import Callable, Mapping
from contextvars import ContextVar
from datetime import UTC, datetime

from django.conf import settings
from django.core.exceptions import DisallowedHost, SuspiciousOperation
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control

REQUEST_ID_HEADER = "X-Request-ID"
# Letters, digits and . _ - only: nothing that could forge a log field or a header.
WELL_FORMED_REQUEST_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,127}")

current_request_id: ContextVar[str | None] = ContextVar("current_request_id", default=None)
# The method and path of the request being handled, for log lines that have no request (gunicorn's
# worker_abort hook, when a request outlives the timeout and its worker is killed).
current_request: ContextVar[tuple[str, str] | None] = ContextVar("current_request", default=None)
# How much of a value the client chose (a path, a Host, a query) a log line keeps.
SHORT = 200


def request_id_middleware(get_response: Callable[[HttpRequest], HttpResponse]) -> Callable:
    """Give the request an id, make it visible to logging, and echo it in the response."""

    def middleware(request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get(REQUEST_ID_HEADER, "")
        request_id = incoming if WELL_FORMED_REQUEST_ID.fullmatch(incoming) else uuid.uuid4().hex
        request.request_id = request_id
        token = current_request_id.set(request_id)
        request_token = current_request.set((request.method, request.path))
        try:
            response = get_response(request)
        finally:
            current_request.reset(request_token)
            current_request_id.reset(token)
        response[REQUEST_ID_HEADER] = request_id
        return response

    return middleware


def operational_endpoints_middleware(get_response: Callable[[HttpRequest], HttpResponse]) -> Callable:
    """Answer ``GET /healthz``, and ``/metrics`` for an allowed address, before Django checks the Host.

    A load balancer or Prometheus reaches an app server by its address, which need not be in
    ``ALLOWED_HOSTS``. Neither answer reads the Host or builds a URL, so there is nothing for a
    forged Host to poison; every other request, ``/healthz`` by POST and ``/metrics`` from
    anywhere else included, goes on to the usual checks (for ``/metrics``, the site's 404).
    """
    from lexp_site.health import healthz
    from lexp_site.metrics import allowed, metrics_view

    def middleware(request: HttpRequest) -> HttpResponse:
        if request.method in ("GET", "HEAD"):
            if request.path_info == "/healthz":
                return healthz(request)
            if request.path_info == "/metrics" and allowed(request):
                return metrics_view(request)
        return get_response(request)

    return middleware


def client_ip(request: HttpRequest) -> str | None:
    """The client's address, seen through ``TRUSTED_PROXY_COUNT`` proxies.

    Each trusted proxy appends the address it saw to ``X-Forwarded-For``, so the client is
    the entry that many places from the right; entries further left are the client's own
    claims and are ignored. Without the header (no proxy in front) it is ``REMOTE_ADDR``.
    """
    proxies = settings.TRUSTED_PROXY_COUNT
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if proxies and len(forwarded) >= proxies:
        return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR")


def private_cache_middleware(get_response: Callable[[HttpRequest], HttpResponse]) -> Callable:
    """Mark every response ``Cache-Control: private``: no shared cache may keep it.

    The holder pages and downloads carry the holding (principal, date) in their URL, and the
    staff pages are for staff; a proxy or CDN that kept one would hand it to the next visitor.
    Static files are served before this middleware and keep their far-future caching.
    """

    def middleware(request: HttpRequest) -> HttpResponse:
        response = get_response(request)
        patch_cache_control(response, private=True)
        return response

    return middleware


def short(text: str, limit: int = SHORT) -> str:
    """At most ``limit`` characters of ``text``, control and non-ASCII characters escaped."""
    cut = text[:limit].encode("unicode_escape").decode("ascii")
    return cut + "..." if len(text) > limit else cut


class RequestContextFilter(logging.Filter):
    """Add ``request_id``, and the method and path of the request being handled, to each record."""

    def filter(self, record: logging.LogRecord) -> bool:
        request = getattr(record, "request", None)
        request_id = getattr(request, "request_id", None) or current_request_id.get()
        record.request_id = request_id or "-"
        if isinstance(request, HttpRequest):
            record.method, record.path = request.method, short(request.path)
        elif (handling := current_request.get()) is not None and not hasattr(record, "path"):
            record.method, record.path = handling[0], short(handling[1])
        return True


class QuietRefusalsFilter(logging.Filter):
    """Keep floods and attackers' text out of the log.

    - A request Django refuses as suspicious (a Host not in ``ALLOWED_HOSTS``, more than
      1,000 parameters, ...) is one WARNING line naming the refusal, without the traceback or
      Django's message (which quotes the Host twice), and for a Host a short, escaped piece of it.
    - Django's own line for each 503 is dropped: the outage is logged once
      (:mod:`lexp_site.breaker`).
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if record.name == "django.request" and getattr(record, "status_code", None) == 503:
            return False
        exception = record.exc_info[1] if record.exc_info else None
        if isinstance(exception, SuspiciousOperation):
            record.msg, record.args = f"refused a request: {type(exception).__name__}", ()
            record.levelno, record.levelname = logging.WARNING, "WARNING"
            record.exc_info = record.exc_text = None
            request = getattr(record, "request", None)
            if isinstance(exception, DisallowedHost) and isinstance(request, HttpRequest):
                record.host = short(request.META.get("HTTP_HOST", ""), 60)
        return True


# Attributes every LogRecord has; anything else was passed with ``extra=`` and is logged.
_STANDARD_ATTRIBUTES = frozenset(
    vars(logging.LogRecord("", 0, "", 0, "", None, None)).keys() | {"message", "asctime", "request"}
)


class JsonLineFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, request_id, extras, exception."""

    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", None) or current_request_id.get() or "-",
        }
        for key, value in vars(record).items():
            if key not in _STANDARD_ATTRIBUTES and key not in line:
                line[key] = value
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            line["stack"] = self.formatStack(record.stack_info)
        return json.dumps(line, default=str)


class AccessLineFormatter(JsonLineFormatter):
    """gunicorn's access log as the app's JSON lines, with the values of the query left out.

    gunicorn logs each request with its "atoms" (a mapping) as the record's arguments. The
    query keeps its keys (``principal=...``) but not their values: the holder's principal and
    dates stay out of the log.
    """

    def format(self, record: logging.LogRecord) -> str:
        atoms = record.args
        if not isinstance(atoms, Mapping):
            return super().format(record)
        method, path, status = atoms["m"], short(atoms["U"] or ""), atoms["s"]
        line = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": f"{short(method, 16)} {path} {status}",
            "request_id": atoms["{x-request-id}o"],
            "remote": atoms["h"],
            "method": short(method, 16),
            "path": path,
            "query": redacted_query(atoms["q"] or ""),
            "status": int(status) if str(status).isdigit() else status,
            "bytes": atoms["B"],
            "duration_ms": atoms["M"],
            "user_agent": short(atoms["a"] or ""),
        }
        return json.dumps(line, default=str)


def redacted_query(query: str) -> str:
    """``principal=1000&consummation=2003-10-10`` -> ``principal=…&consummation=…``; keys as sent, escaped."""
    redacted = "&".join(f"{short(part.split('=', 1)[0], 40)}=…" for part in query.split("&") if part)
    return redacted[:SHORT] + "..." if len(redacted) > SHORT else redacted
