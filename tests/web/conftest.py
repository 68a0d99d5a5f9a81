"""Fixtures shared by the web tests."""

from __future__ import annotations

import io
import logging

import pytest

from lexp_site.middleware import JsonLineFormatter, RequestContextFilter


@pytest.fixture
def log_lines():
    """Lines written by the site's own filter and formatter while the test runs."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RequestContextFilter())
    handler.setFormatter(JsonLineFormatter())
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield lambda: stream.getvalue().splitlines()
    finally:
        root.removeHandler(handler)
