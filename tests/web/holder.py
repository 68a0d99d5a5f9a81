"""Helpers for the holder page tests: fetch and read the page like a person would."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from django.test import Client

WORKED_EXAMPLE = {"principal": "1000", "consummation": "2003-10-10"}


@pytest.fixture(scope="module")
def shared_client() -> Client:
    """One test client per module, used as ``client = shared_client`` in the holder page tests.

    Building a client builds the middleware stack, and whitenoise scans the static files
    each time; these views only read, and set no cookie, so nothing leaks between tests.
    """
    return Client()


def page(client: Client, query: dict[str, str] | None = None, status: int = 200) -> BeautifulSoup:
    response = client.get("/", query or {})
    assert response.status_code == status, response.content[:2000]
    return BeautifulSoup(response.content, "html.parser")


def details(client: Client, query: dict[str, str], status: int = 200) -> BeautifulSoup:
    """The details page of a holding: every coupon with its working, the charts, key dates, the date table."""
    response = client.get("/details", query)
    assert response.status_code == status, response.content[:2000]
    return BeautifulSoup(response.content, "html.parser")


def estimate(client: Client, query: dict[str, str] | None = None, status: int = 200) -> BeautifulSoup:
    """The estimate page: the holding and the holder's assumptions, and what each version is worth under them."""
    response = client.get("/estimate", query or {})
    assert response.status_code == status, response.content[:2000]
    return BeautifulSoup(response.content, "html.parser")


def text(element) -> str:
    """The element's text with whitespace collapsed, as it reads."""
    return " ".join(element.get_text(" ").split())


def comparison_rows(soup: BeautifulSoup) -> dict[str, list[str]]:
    """The side-by-side table: line label -> the text of each cell after it."""
    table = soup.select_one("table.comparison")
    assert table is not None, "no comparison table"
    rows = {}
    for tr in table.select("tbody tr"):
        label = tr.find("th")
        # The label without its assumption marker.
        words = [s for s in label.find_all(string=True) if not s.find_parent("a", class_="assumption")]
        rows[" ".join(" ".join(words).split())] = [text(td) for td in tr.find_all("td")]
    return rows


def column_headings(soup: BeautifulSoup) -> list[str]:
    """Each column's heading, without the notes under it (in force or replaced, why it does not apply)."""
    return [" ".join(th.find(string=True, recursive=False).split()) for th in soup.select("table.comparison thead th")]
