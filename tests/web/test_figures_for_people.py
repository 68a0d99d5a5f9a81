"""Spec, "Figures for people": money to the cent, the accrued interest and the amount forgone with at
most 4 places, marked "≈" when rounded, the exact fraction in the working (issue 11)."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from hypothesis import given

from offers.core.compare import LINES
from offers.core.outcome import Holding, version_outcome
from offers.templatetags.offers_format import show
from tests.core.strategies import reproducible, seeded_variant_and_holding, terms_and_holding

FIGURE = re.compile(r"\d[\d,]*\.(\d+)")


@reproducible(10_000)
@given(seeded_variant_and_holding())
def test_no_figure_of_the_comparison_has_more_than_four_places(case):
    _check_places(*case)


@reproducible(500)
@given(terms_and_holding())
def test_no_figure_has_more_than_four_places_for_any_terms(case):
    _check_places(*case)


def _check_places(terms, holding):
    result = version_outcome(terms, holding)
    if not result.available:
        return
    for line in LINES:
        written = show(line.get(result), line.kind)
        for places in FIGURE.findall(written):
            assert len(places) <= 4, (line.key, written)


def test_the_release_figure_is_shown_as_the_release_writes_it(seeded_terms):
    v = version_outcome(seeded_terms["september-2003"], Holding(Decimal(1000), date(2003, 10, 10)))
    assert show(v.accrued_interest, "exact") == "$534.4375"
    assert show(v.forgone, "exact") == "$0.4375"


def test_a_repeating_figure_is_rounded_to_four_places_and_marked(seeded_terms):
    # 1,000 x 12.75% x 1,577/360 = 558 25/48 = 558.520833...
    v = version_outcome(seeded_terms["september-2003"], Holding(Decimal(1000), date(2003, 12, 18)))
    assert show(v.accrued_interest, "exact") == "≈ $558.5208"
    assert show(v.forgone, "exact") == "≈ $0.5208"
