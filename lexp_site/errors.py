"""Error responses Django makes before a view runs, in the site's own formats.

A request the framework refuses (a wrong ``Host``, more than 1,000 query parameters) gets
Django's 400 page; under ``/api/`` it gets the API's JSON errors format instead, like every
other API error.
"""

from __future__ import annotations

from django.core.exceptions import TooManyFieldsSent
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views import defaults


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    if not request.path.startswith("/api/"):
        return defaults.bad_request(request, exception)
    if isinstance(exception, TooManyFieldsSent):
        message = ("request: more than 1,000 query parameters. Send only the ones the API reads, such as "
                   "/api/outcome?principal=1000&consummation=2003-10-10.")
    else:
        message = ("request: the request was refused as malformed. Send a plain GET, such as "
                   "/api/outcome?principal=1000&consummation=2003-10-10.")
    return JsonResponse({"errors": {"request": [message]}}, status=400)
