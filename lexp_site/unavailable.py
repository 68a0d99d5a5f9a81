"""A database that is down or does not answer gives 503, never 500.

A view that cannot reach the database raises ``OperationalError`` (refused, cut off,
``connect_timeout`` or ``statement_timeout`` expired) or ``InterfaceError`` (a connection
already closed). :class:`DatabaseUnavailableMiddleware` answers those with 503 and a
``Retry-After``: the API as JSON in its error format, the admin a page in the admin's
style, every other page the site's own. Nothing here touches the database: the pages are
rendered without context processors, the session or the user. Other database errors
(a bad query, a broken constraint) are bugs and stay 500s. The log has one line per outage,
not one per 503 (:mod:`lexp_site.breaker`); Django's own line for each 503 is dropped
(:class:`lexp_site.middleware.QuietRefusalsFilter`).

The middleware before the views (sessions, authentication, CSRF, axes) reads the
database only lazily, inside the view, so their failures arrive here too. After a failed
connection the PostgreSQL backend refuses to connect for a few seconds
(:mod:`lexp_site.breaker`): those requests come here at once, with the same 503.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import admin
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.cache import add_never_cache_headers

from lexp_site.breaker import outage

RETRY_AFTER_SECONDS = 60
MESSAGE = "The service is temporarily unavailable: try again in a minute."
UNAVAILABLE = (OperationalError, InterfaceError)


def unavailable_response(request: HttpRequest) -> HttpResponse:
    """503 in the form the caller reads: JSON for ``/api/``, the admin's page, or the site's."""
    match = request.resolver_match
    if request.path_info.startswith("/api/"):
        response = JsonResponse({"errors": {"service": [MESSAGE]}}, status=503)
    elif match is not None and "admin" in match.app_names:
        # Not admin.site.each_context(): it asks whether the user may see the admin (a query).
        context = {"site_header": admin.site.site_header, "site_title": admin.site.site_title,
                   "title": "Temporarily unavailable"}
        response = HttpResponse(render_to_string("admin/503.html", context), status=503)
    else:
        response = render(request, "503.html", status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    add_never_cache_headers(response)
    return response


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        return answer_unavailable(request, exception)


def answer_unavailable(request: HttpRequest, exception: Exception) -> HttpResponse | None:
    """The 503 for a database that cannot be reached (one line per outage), or None for any other exception.
    Also for a middleware's own ``process_view``, whose exceptions ``process_exception`` never sees."""
    if not isinstance(exception, UNAVAILABLE):
        return None
    outage.answered_503(exception)
    return unavailable_response(request)
