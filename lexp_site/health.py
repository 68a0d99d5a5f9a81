"""The load balancer's health check: is this app server able to reach its database?"""

from __future__ import annotations

import logging

from django.db import DatabaseError, connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from lexp_site.unavailable import RETRY_AFTER_SECONDS

logger = logging.getLogger(__name__)


@require_safe
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """200 ``{"status": "ok"}`` when ``SELECT 1`` runs on the default database, else 503 (with ``Retry-After``)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as exc:
        logger.error("health check failed: database unreachable", extra={"error": f"{type(exc).__name__}: {exc}"})
        return JsonResponse({"status": "error"}, status=503, headers={"Retry-After": str(RETRY_AFTER_SECONDS)})
    return JsonResponse({"status": "ok"})
