"""Script payloads in any query parameter never come back as markup: every response escapes them."""

from __future__ import annotations

import pytest

from tests.web.security import HOLDING

PAYLOADS = ["<script>alert(1)</script>", '"><img src=x onerror=alert(1)>']
PATHS = ["/", "/api/outcome", "/export.csv", "/calendar.ics"]
# The form's fields, the calendar's version, the staff preview, and one the site does not know.
PARAMETERS = ["principal", "consummation", "tendered", "version", "preview", "utm_source"]
VALID = {**HOLDING, "tendered": "yes", "version": "original"}


@pytest.mark.django_db
@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("payload", PAYLOADS, ids=["script", "attribute"])
def test_a_payload_in_any_parameter_is_never_echoed_raw(client, path, payload):
    raw = {}
    for parameter in PARAMETERS:
        response = client.get(path, {**VALID, parameter: payload})
        body = response.content.decode()
        if response.status_code >= 500 or payload in body:
            raw[parameter] = response.status_code
    assert raw == {}


@pytest.mark.django_db
def test_the_page_shows_the_entered_text_escaped(client):
    """The form keeps what the holder typed: here that is the payload, as text, not markup."""
    body = client.get("/", {**VALID, "principal": PAYLOADS[0]}).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body
