"""`/api/openapi.json`: a valid OpenAPI 3.1 document whose examples are what the API really answers.

Each example names its request: a response example called "worked-example" is the answer to the request
built from the parameter and request-body examples of the same name.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.urls import reverse
from openapi_spec_validator import validate
from openapi_spec_validator.validation.exceptions import OpenAPIValidationError

from tests.web.holder import shared_client

pytestmark = pytest.mark.django_db
client = shared_client

ROOT = Path(__file__).resolve().parents[2]
DOCUMENT = json.loads((ROOT / "offers" / "openapi.json").read_text(encoding="utf-8"))


def _examples() -> list[tuple[str, str, str, str, str | None]]:
    """(path, method, status, example name, request media type or None) for every response example."""
    found = []
    for path, operations in DOCUMENT["paths"].items():
        for method, operation in operations.items():
            bodies = operation.get("requestBody", {}).get("content", {})
            for status, response in operation["responses"].items():
                for name in response.get("content", {}).get("application/json", {}).get("examples", {}):
                    kinds = [kind for kind, media in bodies.items() if name in media.get("examples", {})]
                    found += [(path, method, status, name, kind) for kind in kinds or [None]]
    return found


def _answer(client, path: str, method: str, name: str, kind: str | None):
    operation = DOCUMENT["paths"][path][method]
    query = {p["name"]: p["examples"][name]["value"] for p in operation.get("parameters", [])
             if name in p.get("examples", {})}
    if method == "get":
        return client.get(path, query)
    value = operation["requestBody"]["content"][kind]["examples"][name]["value"]
    body = value if isinstance(value, str) else json.dumps(value)
    url = f"{path}?consummation={query['consummation']}" if kind == "text/csv" and "consummation" in query else path
    return client.post(url, body, content_type=kind)


def _json(response) -> object:
    return json.loads(b"".join(response.streaming_content) if response.streaming else response.content)


def test_it_is_served_at_its_url(client):
    assert reverse("offers-api-openapi") == "/api/openapi.json"
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert json.loads(response.content) == DOCUMENT


def test_it_is_a_valid_openapi_3_1_document():
    assert DOCUMENT["openapi"].startswith("3.1")
    validate(DOCUMENT)  # raises on any error


def test_the_validator_would_notice_a_broken_document():
    """So the test above can fail: a response without a description is not valid OpenAPI."""
    broken = json.loads(json.dumps(DOCUMENT))
    del broken["paths"]["/api/outcome"]["get"]["responses"]["200"]["description"]
    with pytest.raises(OpenAPIValidationError):
        validate(broken)


def test_it_describes_both_operations_and_every_parameter_the_outcome_reads():
    assert set(DOCUMENT["paths"]) == {"/api/outcome", "/api/holdings"}
    parameters = {p["name"] for p in DOCUMENT["paths"]["/api/outcome"]["get"]["parameters"]}
    assert parameters == {"principal", "consummation", "discount_rate", "price", "recovery", "share_price",
                          "volatility", "risk_free_rate", "shares_outstanding", "preview"}
    assert set(DOCUMENT["paths"]["/api/outcome"]["get"]["responses"]) >= {"200", "400", "404"}
    assert set(DOCUMENT["paths"]["/api/holdings"]["post"]["requestBody"]["content"]) == {"text/csv",
                                                                                         "application/json"}
    assert set(DOCUMENT["paths"]["/api/holdings"]["post"]["responses"]) >= {"200", "400", "413", "415"}


def test_every_kind_of_answer_has_an_example():
    statuses = {(path, status) for path, _, status, _, _ in _examples()}
    assert statuses >= {("/api/outcome", "200"), ("/api/outcome", "400"), ("/api/outcome", "404"),
                        ("/api/holdings", "200"), ("/api/holdings", "400")}


@pytest.mark.parametrize(("path", "method", "status", "name", "kind"), _examples(),
                         ids=lambda value: str(value))
def test_each_example_is_the_real_response(client, path, method, status, name, kind):
    response = _answer(client, path, method, name, kind)
    assert response.status_code == int(status)
    example = DOCUMENT["paths"][path][method]["responses"][status]["content"]["application/json"]["examples"][name]
    assert _json(response) == example["value"]


def test_the_readme_and_how_we_calculate_link_to_it(client):
    assert "/api/openapi.json" in (ROOT / "README.md").read_text(encoding="utf-8")
    page = client.get("/how-we-calculate").content.decode()
    assert 'href="/api/openapi.json"' in page
