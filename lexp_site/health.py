"""``/healthz``: the load balancer's liveness probe. Is this app server's process answering?

It never touches the database (whether the database answers is a readiness question, and
a database outage must not make a balancer restart or drop every app server at once), and
it answers whatever ``Host`` the probe sends: a balancer probing an app server by its
address is not refused for a Host missing from ``ALLOWED_HOSTS``. For that,
:func:`lexp_site.middleware.operational_endpoints_middleware` calls it before Django
validates the Host; it reads nothing from the request and writes nothing of it back.
"""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe


@require_safe
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """200 ``{"status": "ok"}``: the process serves requests."""
    return JsonResponse({"status": "ok"})
