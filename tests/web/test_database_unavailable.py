"""A database that is down answers 503, never 500: the site's page, the API's JSON, the admin's page.

Here every query fails as it does when the server refuses connections (the real thing, a
stopped and a frozen PostgreSQL behind gunicorn, is in ``test_database_faults.py``). Since
every query fails, a 503 page that touched the database would not render at all.
"""

from __future__ import annotations

import json

import pytest
from bs4 import BeautifulSoup
from django.db import InterfaceError, OperationalError, ProgrammingError, connection

from tests.web.security import HOLDING, fast_passwords, logged_in, make_user
from tests.web.test_security_csp import inline_code

pytestmark = pytest.mark.usefixtures(fast_passwords.__name__)

MESSAGE = "The service is temporarily unavailable: try again in a minute."


@pytest.fixture
def fail_queries(db):
    """``fail_queries(error)``: from then on every cursor, the ORM's and the session's included, raises ``error``.

    Undone before the test database's own teardown, which needs a cursor.
    """
    with pytest.MonkeyPatch.context() as patch:
        def fail_with(error: Exception) -> None:
            def fail(*args, **kwargs):
                raise error

            patch.setattr(connection, "_cursor", fail)

        yield fail_with


@pytest.fixture
def database_down(fail_queries):
    fail_queries(OperationalError('connection to server at "127.0.0.1", port 5432 failed: Connection refused'))


def assert_503(response) -> None:
    assert response.status_code == 503
    assert response["Retry-After"] == "60"
    assert "no-cache" in response["Cache-Control"]
    assert "default-src 'self'" in response["Content-Security-Policy"]  # every other middleware still ran


def title(response) -> str:
    return BeautifulSoup(response.content, "html.parser").title.get_text(" ", strip=True)


@pytest.mark.parametrize("path", [
    "/",
    f"/?principal={HOLDING['principal']}&consummation={HOLDING['consummation']}",
    "/how-we-calculate",
    f"/export.csv?principal={HOLDING['principal']}&consummation={HOLDING['consummation']}",
    "/calendar.ics?version=original&principal=1000&consummation=2003-10-10",
])
def test_a_holder_page_gets_the_sites_own_unavailable_page(client, database_down, path):
    response = client.get(path)
    assert_503(response)
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert title(response) == "Temporarily unavailable · Lexington Precision exchange offer"
    assert "Please try again in a minute." in response.content.decode()
    assert inline_code(response) == []  # the content security policy allows none


def test_the_api_answers_in_its_error_format(client, database_down):
    response = client.get("/api/outcome", HOLDING)
    assert_503(response)
    assert response.json() == {"errors": {"service": [MESSAGE]}}


def test_the_admin_gets_a_page_in_the_admins_style(fail_queries):
    client = logged_in(make_user("editor", staff=True))
    fail_queries(OperationalError("server closed the connection unexpectedly"))
    response = client.get("/admin/offers/offerversion/")  # the session and the user are read from the database
    assert_503(response)
    soup = BeautifulSoup(response.content, "html.parser")
    assert title(response) == "Temporarily unavailable | Exchange Outcome staff"
    assert soup.select_one("#site-name").get_text(strip=True) == "Exchange Outcome staff"
    assert "Try again in a minute" in soup.select_one("#content").get_text()
    assert inline_code(response) == []


def test_a_login_while_the_database_is_down_gets_the_admins_page(client, database_down):
    response = client.post("/admin/login/", {"username": "editor", "password": "whatever-it-is-1"})
    assert_503(response)
    assert title(response) == "Temporarily unavailable | Exchange Outcome staff"


def test_a_connection_already_closed_is_unavailable_too(client, fail_queries):
    fail_queries(InterfaceError("the connection is closed"))
    assert_503(client.get("/api/outcome", HOLDING))


def test_an_outage_logs_one_line_saying_why_not_one_per_503(client, database_down, log_lines):
    for n in range(5):
        assert_503(client.get("/", headers={"X-Request-ID": f"outage-{n}"}))
    lines = [json.loads(line) for line in log_lines()]
    assert len(lines) == 1, lines  # neither a line per 503 nor Django's "Service Unavailable: /" for each
    assert (lines[0]["level"], lines[0]["request_id"]) == ("ERROR", "outage-0")
    assert lines[0]["message"].startswith("database unavailable")
    assert "Connection refused" in lines[0]["error"]


def test_a_database_error_that_is_a_bug_is_not_dressed_up_as_unavailable(client, fail_queries):
    fail_queries(ProgrammingError('relation "offers_offerversion" does not exist'))
    with pytest.raises(ProgrammingError):
        client.get("/api/outcome", HOLDING)


def test_the_health_check_is_about_the_process_not_the_database(client, database_down):
    response = client.get("/healthz")
    assert (response.status_code, response.json()) == (200, {"status": "ok"})
