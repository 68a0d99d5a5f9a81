"""Fixtures shared by every test folder."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from offers.core.outcome import Holding
from offers.core.termsfile import seed_terms


@pytest.fixture(scope="session")
def seeded_terms():
    """The two seeded versions as core terms, by slug (read from the shipped terms files)."""
    return seed_terms()


@pytest.fixture
def worked_example_holding() -> Holding:
    """The spec's worked example: $1,000 of Old Notes, consummation Oct 10, 2003."""
    return Holding(Decimal(1000), date(2003, 10, 10))
