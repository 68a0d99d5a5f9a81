"""Fixtures shared by the web tests."""

from __future__ import annotations

import io
import logging

import pytest

from lexp_site.breaker import outage
from lexp_site.middleware import JsonLineFormatter
from offers.models import OfferVersion
from tests.web.admin_client import logged_in, staff_user


@pytest.fixture(autouse=True)
def no_outage_known():
    """Each test starts with this process knowing of no database outage (lexp_site/breaker.py)."""
    outage.reset()
    yield
    outage.reset()


@pytest.fixture
def log_lines():
    """Lines written while the test runs (Django's loggers' too), through the filters and formatter of the
    handler settings.LOGGING configures."""
    [configured] = [h for h in logging.getLogger().handlers if isinstance(h.formatter, JsonLineFormatter)]
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    for log_filter in configured.filters:
        handler.addFilter(log_filter)
    handler.setFormatter(configured.formatter)
    loggers = [logging.getLogger(), logging.getLogger("django")]  # "django" does not propagate to the root
    for logger in loggers:
        logger.addHandler(handler)
    try:
        yield lambda: stream.getvalue().splitlines()
    finally:
        for logger in loggers:
            logger.removeHandler(handler)


@pytest.fixture
def editor():
    """A client logged in as Edith, an offer editor (the admin tests' usual staff member)."""
    return logged_in(staff_user("edith", "Offer editors"))


@pytest.fixture
def draft():
    """A draft copied from the September 2003 amendment."""
    return OfferVersion.objects.get(slug="september-2003").copy_as_draft()
