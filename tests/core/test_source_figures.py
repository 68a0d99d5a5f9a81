"""The figures printed in the source document, the press release of September 18, 2003.

The literal values below are quoted from the release; the test checks that the
calculation (and the release's own arithmetic) reproduces them.
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import pytest

from offers.core.issue import percent_of, to_thousand_half_up
from offers.core.outcome import Holding, version_outcome

OCT_10_2003 = date(2003, 10, 10)


@pytest.mark.parametrize("slug", ["original", "september-2003"])
def test_accrued_interest_per_1000_is_the_releases_534_4375(seeded_terms, slug):
    # "If the amended exchange offer is consummated on October 10, 2003, the accrued interest
    # would total $534.4375 for each $1,000 principal amount of Old Notes tendered."
    per_1000_in_release = Decimal("534.4375")
    v = version_outcome(seeded_terms[slug], Holding(Decimal(1000), OCT_10_2003))
    assert v.accrued_interest == per_1000_in_release


@pytest.mark.parametrize("slug", ["original", "september-2003"])
def test_accrued_interest_for_the_whole_issue_is_the_releases_14_650_000(seeded_terms, slug):
    # "If all of the Old Notes are tendered, and the exchange offer is completed on October 10,
    # 2003, $14,650,000 of accrued interest will be converted into New Notes."
    # "... 74.7% of the $27,412,000 outstanding."
    whole_issue_in_release = Decimal("27412000")
    accrued_in_release = Decimal("14650000")
    v = version_outcome(seeded_terms[slug], Holding(whole_issue_in_release, OCT_10_2003))
    # exactly 27,412 x 534.4375 = 14,638,008 + 11,992.75 = 14,650,000.75 ...
    assert v.accrued_interest == Decimal("14650000.75")
    # ... which the release rounds to the nearest $1,000
    assert (v.accrued_interest / 1000).quantize(Decimal(1), rounding=ROUND_HALF_UP) * 1000 == accrued_in_release
    assert to_thousand_half_up(v.accrued_interest) == accrued_in_release


def percent_to_one_decimal(part: Decimal, whole: Decimal) -> Decimal:
    return (part * 100 / whole).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def test_tendered_percentage_is_the_releases_99_3():
    # "As of September 18, 2003, $27,209,000 principal amount of Old Notes, or 99.3% of the
    # amount outstanding, had been tendered."
    tendered, outstanding, percent = Decimal("27209000"), Decimal("27412000"), Decimal("99.3")
    # 27,209,000 / 27,412,000 = 0.992594... -> 99.3%
    assert percent_to_one_decimal(tendered, outstanding) == percent
    assert percent_of(tendered, outstanding) == percent
    # and it meets the 99% minimum tender condition of both versions
    assert tendered * 100 >= 99 * outstanding


def test_four_largest_holders_percentage_is_the_releases_74_7():
    # "The four largest holders control, in the aggregate, $20,490,000 principal amount of the
    # Old Notes, or 74.7% of the $27,412,000 outstanding."
    largest, outstanding, percent = Decimal("20490000"), Decimal("27412000"), Decimal("74.7")
    # 20,490,000 / 27,412,000 = 0.747483... -> 74.7%
    assert percent_to_one_decimal(largest, outstanding) == percent
    assert percent_of(largest, outstanding) == percent


def test_seeded_outstanding_amount_is_the_releases(seeded_terms):
    # "... 74.7% of the $27,412,000 outstanding."
    for terms in seeded_terms.values():
        assert terms.old_notes.outstanding == Decimal("27412000")
