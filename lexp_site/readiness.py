"""``/readyz``: is this app server ready to answer holders?

Ready means the database answers and one holding goes the whole way to a rendered page:
the published versions are read and checked (:func:`offers.services.published_versions`),
and the holder page is rendered for $1,000 of Old Notes on the latest version's expected
consummation date, by the holder page's own view. 200 then; 503 with ``Retry-After``
when the database does not answer, no published version can be computed, or the page
fails. A published version left out because its stored terms break the rules (the
others still answer) keeps the server ready, since every server shares the database and
taking them all out would turn one bad row into an outage: the body says
``"status": "degraded"`` and names it, for monitoring to alert on.

``/healthz`` (:mod:`lexp_site.health`) is the liveness check; this one is for routing.
"""

from __future__ import annotations

import logging
from urllib.parse import urlencode

from django.db import DatabaseError
from django.http import HttpRequest, JsonResponse, QueryDict
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from lexp_site.unavailable import RETRY_AFTER_SECONDS
from offers import services, views

logger = logging.getLogger(__name__)

PROBE_PRINCIPAL = "1000"


def _not_ready(body: dict) -> JsonResponse:
    return JsonResponse(body | {"status": "error"}, status=503, headers={"Retry-After": str(RETRY_AFTER_SECONDS)})


@require_safe
@never_cache
def readyz(request: HttpRequest) -> JsonResponse:
    """200 ``{"status": "ok"}`` (or ``"degraded"``, naming left-out versions) when ready, else 503."""
    body: dict = {"database": "ok", "holding": "not tried", "left_out": []}
    try:
        published = services.published_versions()
    except DatabaseError as error:
        return _not_ready(body | {"database": f"unreachable ({type(error).__name__})"})
    body["left_out"] = [version.slug for version in published.left_out]
    if not published.terms:
        return _not_ready(body | {"holding": "no published version can be computed"})
    holding = {"principal": PROBE_PRINCIPAL, "consummation": published.terms[-1].expected_consummation.isoformat()}
    request.GET = QueryDict(urlencode(holding))  # the probe's own holding, whatever the query said
    try:
        page = views.compare(request)
    except DatabaseError as error:
        return _not_ready(body | {"database": f"unreachable ({type(error).__name__})"})
    except Exception:
        logger.exception("readiness: the holder page failed for the probe holding", extra={"holding": holding})
        return _not_ready(body | {"holding": "the holder page failed (logged)"})
    if page.status_code != 200:
        return _not_ready(body | {"holding": f"the holder page answered {page.status_code}"})
    body["holding"] = f"rendered ${PROBE_PRINCIPAL} at {holding['consummation']}"
    return JsonResponse(body | {"status": "degraded" if body["left_out"] else "ok"})
