"""Error responses Django makes before a view runs, in the site's own formats.

A request the framework refuses (a wrong ``Host``, more than 1,000 query parameters) gets
Django's 400 page; under ``/api/`` it gets the API's JSON errors format instead, like every
other API error (:func:`api_errors_middleware` words the rest: 404, 405, 500).
"""

from __future__ import annotations

from collections.abc import Callable
from http import HTTPStatus

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


API_EXAMPLE = "/api/outcome?principal=1000&consummation=2003-10-10"


def _api_error(request: HttpRequest, status: int) -> tuple[str, str]:
    """The field and the message of an API error the view did not word itself."""
    if status == 404:
        return "path", f"path: the API has nothing at this address; ask /api/outcome, such as {API_EXAMPLE}."
    if status == 405:
        return "method", f"method: {request.method} is not allowed here; send GET or HEAD, such as GET {API_EXAMPLE}."
    if status >= 500:
        request_id = getattr(request, "request_id", None)
        quote = f" and quote the request id {request_id}" if request_id else ""
        return "server", (f"server: the request failed on our side and the failure has been logged; try again, "
                          f"and if it fails again tell us{quote}.")
    try:
        refused = f"{status} {HTTPStatus(status).phrase}"
    except ValueError:  # a status with no standard name
        refused = str(status)
    return "request", f"request: refused ({refused}); send a plain GET, such as {API_EXAMPLE}."


def api_errors_middleware(get_response: Callable[[HttpRequest], HttpResponse]) -> Callable:
    """Every 4xx and 5xx under ``/api/`` in the API's own JSON format, ``{"errors": {field: [message]}}``.

    The API's views word their own errors (a bad principal, an unknown preview); anything else
    that ends in an error (an unknown address, a POST, an exception turned into Django's 500
    page) is an HTML page from Django, and is replaced here, keeping the status and the
    ``Allow`` and ``Retry-After`` headers.
    """

    def middleware(request: HttpRequest) -> HttpResponse:
        response = get_response(request)
        if (response.status_code < 400 or not request.path_info.startswith("/api/")
                or response.get("Content-Type", "").startswith("application/json")):
            return response
        field, message = _api_error(request, response.status_code)
        answer = JsonResponse({"errors": {field: [message]}}, status=response.status_code)
        for header in ("Allow", "Retry-After", "Cache-Control"):
            if header in response:
                answer[header] = response[header]
        return answer

    return middleware
