"""The load bench's baseline (bench/load.sh): the least a Django request can cost on this server.

Mounted only when ``BENCH_BASELINE`` is set, which bench/load.sh does. It goes through every
middleware like a page, but reads no database and renders no template, so the bench can say
what share of the bare framework's rate the result page reaches.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse


def trivial(request: HttpRequest) -> HttpResponse:
    return HttpResponse(b"ok\n", content_type="text/plain; charset=utf-8")
