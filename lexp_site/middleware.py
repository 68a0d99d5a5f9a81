"""Request ids and structured logs.

Every request gets an id: the proxy's ``X-Request-ID`` when it is well formed, otherwise
a new one. The id is echoed in the response header (so gunicorn's access log and the
client see it) and added to every log line written while the request is handled. Log
lines are single-line JSON objects, so an error with its traceback stays one line.
"""

from __future__ import annotations

import json
import logging
import re
import uuid
from collections.abc import Callable
from contextvars import ContextVar
from datetime import UTC, datetime

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control

REQUEST_ID_HEADER = "X-Request-ID"
# Letters, digits and . _ - only: nothing that could forge a log field or a header.
WELL_FORMED_REQUEST_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,127}")

current_request_id: ContextVar[str | None] = ContextVar("current_request_id", default=None)


def request_id_middleware(get_response: Callable[[HttpRequest], HttpResponse]) -> Callable:
    """Give the request an id, make it visible to logging, and echo it in the response."""

    def middleware(request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get(REQUEST_ID_HEADER, "")
        request_id = incoming if WELL_FORMED_REQUEST_ID.fullmatch(incoming) else uuid.uuid4().hex
        request.request_id = request_id
        token = current_request_id.set(request_id)
        try:
            response = get_response(request)
        finally:
            current_request_id.reset(token)
        response[REQUEST_ID_HEADER] = request_id
        return response

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


class RequestContextFilter(logging.Filter):
    """Add ``request_id`` (and method and path when Django passed the request) to each record."""

    def filter(self, record: logging.LogRecord) -> bool:
        request = getattr(record, "request", None)
        request_id = getattr(request, "request_id", None) or current_request_id.get()
        record.request_id = request_id or "-"
        if isinstance(request, HttpRequest):
            record.method = request.method
            record.path = request.path
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
