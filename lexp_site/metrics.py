"""``/metrics``: the site's figures in Prometheus' text format, for the addresses the operator allows.

django-prometheus counts the requests (by method, view and status: request rate, 5xx, 503),
their latency (a histogram) and, through the PostgreSQL backend, the queries, connections and
database errors. The counters here add what only the site knows: requests answered 503
because the database was unavailable, connection attempts the breaker skipped
(:mod:`lexp_site.breaker`), and admin lockouts (django-axes' ``user_locked_out`` signal).

Any other address gets a plain 404, as if there were nothing there. The address is the
client's as :func:`lexp_site.middleware.client_ip` sees it through ``TRUSTED_PROXY_COUNT``
proxies; a request that came through a proxy the site was not told about (an
``X-Forwarded-For`` header with ``TRUSTED_PROXY_COUNT`` 0) is refused, because its
``REMOTE_ADDR`` is the proxy's own, usually an allowed loopback address.
"""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django_prometheus.exports import ExportToDjangoView
from prometheus_client import Counter

DATABASE_UNAVAILABLE = Counter(
    "exchange_outcome_database_unavailable_503_total",
    "Requests answered 503 because the database was down, frozen or refused the connection.")
DATABASE_CONNECTS_SKIPPED = Counter(
    "exchange_outcome_database_connects_skipped_total",
    "Connection attempts not made because one failed moments before (the breaker was open).")
LOCKOUTS = Counter(
    "exchange_outcome_admin_lockouts_total",
    "Admin logins locked out by django-axes (too many wrong passwords).")


def count_lockout(sender, **kwargs) -> None:
    LOCKOUTS.inc()


def allowed(request: HttpRequest) -> bool:
    from lexp_site.middleware import client_ip

    if not settings.TRUSTED_PROXY_COUNT and "HTTP_X_FORWARDED_FOR" in request.META:
        return False
    return client_ip(request) in settings.METRICS_ALLOWED_ADDRESSES


def metrics_view(request: HttpRequest) -> HttpResponse:
    if request.method not in ("GET", "HEAD") or not allowed(request):
        raise Http404
    return ExportToDjangoView(request)
