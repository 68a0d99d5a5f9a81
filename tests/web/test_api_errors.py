"""Every 4xx and 5xx under /api/ is JSON in the API's own format: {"errors": {field: [message]}}."""

from __future__ import annotations

import pytest
from django.test import Client

from offers import services
from tests.web.security import HOLDING

pytestmark = pytest.mark.django_db


def api_errors(response, status: int, field: str) -> str:
    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    errors = response.json()["errors"]
    assert list(errors) == [field]
    (message,) = errors[field]
    assert message.startswith(f"{field}: ")
    return message


def test_an_unknown_api_address_is_a_json_404(client):
    message = api_errors(client.get("/api/outcomes", HOLDING), 404, "path")
    assert "/api/outcome" in message


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_a_method_the_api_does_not_take_is_a_json_405_that_still_says_what_is_allowed(method):
    response = getattr(Client(enforce_csrf_checks=True), method)("/api/outcome")
    message = api_errors(response, 405, "method")
    assert message.startswith(f"method: {method.upper()} is not allowed here; send GET or HEAD")
    assert set(response["Allow"].replace(" ", "").split(",")) == {"GET", "HEAD"}


def test_a_failure_inside_the_api_is_a_json_500_with_the_request_id(monkeypatch):
    def fails(request):
        raise RuntimeError("a bug")

    monkeypatch.setattr(services, "versions_for", fails)
    client = Client(raise_request_exception=False)
    response = client.get("/api/outcome", HOLDING, headers={"X-Request-ID": "req-500-test"})
    message = api_errors(response, 500, "server")
    assert "req-500-test" in message
    assert "a bug" not in message  # what went wrong is in the log, not handed to the caller


def test_the_apis_own_errors_keep_their_fields(client):
    response = client.get("/api/outcome", {"principal": "-5", "consummation": "2003-10-10"})
    assert response.status_code == 400
    assert "principal" in response.json()["errors"]


def test_pages_outside_the_api_keep_their_html_errors(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
