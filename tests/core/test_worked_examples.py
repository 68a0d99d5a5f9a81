"""Figures worked by hand from the spec (calculation rules 1-8), next to the arithmetic.

Nothing here is copied from the code under test: each expected value is written
out from the rule it comes from. 30/360 days are 360(Y2-Y1) + 30(M2-M1) + (D2-D1).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest

from offers.core.daycount import days_between, year_fraction, year_fraction_ratio
from offers.core.outcome import Holding, version_outcome
from offers.core.terms import BASIS_NEW_PRINCIPAL, CASH_IN_LIEU, OfferTerms, ParticipationFeeTerms
from offers.core.termsfile import seed_terms
from offers.core.validation import validate_terms

SEED = seed_terms()
ORIGINAL, SEPTEMBER = SEED["original"], SEED["september-2003"]
OCT_10_2003 = date(2003, 10, 10)
D = Decimal


def with_new_notes(terms: OfferTerms, **changes) -> OfferTerms:
    return replace(terms, new_notes=replace(terms.new_notes, **changes))


def with_old_notes(terms: OfferTerms, **changes) -> OfferTerms:
    return replace(terms, old_notes=replace(terms.old_notes, **changes))


def consistent(terms: OfferTerms) -> OfferTerms:
    """Derived terms must themselves be valid, or the example would prove nothing."""
    assert validate_terms(terms) == {}
    return terms


# --- The spec's worked example: P = $1,000, C = Oct 10, 2003 -----------------------------------

# accrual: Aug 1, 1999 -> Oct 10, 2003 = 360*4 + 30*(10-8) + (10-1) = 1440 + 60 + 9 = 1509 days
# accrued = 1,000 x 12.75% x 1509/360 = 127.5 x 1509 / 360 = 192,397.5 / 360 = 534.4375
# N = 1,534.4375 rounded down to a multiple of $1 = 1,534; forgone 0.4375
# first period Oct 10, 2003 -> Feb 1, 2004 = 360*1 + 30*(2-10) + (1-10) = 360 - 240 - 9 = 111 days
WORKED_EXAMPLE = [
    pytest.param(
        ORIGINAL,
        {
            # 1,534 x 11.5% = 176.41; x 111/360 = 19,581.51 / 360 = 54.3930833... -> 54.39
            "first_coupon": D("54.39"),
            # 176.41 x 90/360 = 44.1025 -> 44.10
            "later_coupon": D("44.10"),
            # Feb 1, 2004 .. Aug 1, 2007: 4 (2004) + 4 (2005) + 4 (2006) + 3 (Feb, May, Aug 2007)
            "coupon_count": 15,
            "maturity": date(2007, 8, 1),
            # 3% of the Old Notes principal: 1,000 x 3 / 100 = 30.00, paid at consummation
            "fee": [(OCT_10_2003, D("30.00"))],
            # 54.39 + 14 x 44.10 = 54.39 + 617.40
            "total_interest": D("671.79"),
            # 671.79 interest + 30.00 fee + 0 cash in lieu + 1,534 principal
            "total_cash": D("2235.79"),
            "warrants_from": date(2004, 1, 1),
        },
        id="original",
    ),
    pytest.param(
        SEPTEMBER,
        {
            # 1,534 x 12% = 184.08; x 111/360 = 20,432.88 / 360 = 56.758 -> 56.76
            "first_coupon": D("56.76"),
            # 184.08 x 90/360 = 46.02
            "later_coupon": D("46.02"),
            # Feb 1, 2004 .. Aug 1, 2009: 4 x 5 (2004-2008) + 3 (Feb, May, Aug 2009)
            "coupon_count": 23,
            "maturity": date(2009, 8, 1),
            "fee": [],
            # 56.76 + 22 x 46.02 = 56.76 + 1,012.44
            "total_interest": D("1069.20"),
            # 1,069.20 interest + 0 fee + 0 cash in lieu + 1,534 principal
            "total_cash": D("2603.20"),
            "warrants_from": date(2005, 8, 1),
        },
        id="september-2003",
    ),
]


@pytest.mark.parametrize(("terms", "expected"), WORKED_EXAMPLE)
def test_worked_example_matches_the_spec(terms, expected, worked_example_holding):
    v = version_outcome(terms, worked_example_holding)
    assert v.available
    assert v.accrual_days == 1509
    assert v.accrued_interest == D("534.4375")
    assert v.new_principal == D("1534")
    assert v.forgone == D("0.4375")
    assert v.cash_in_lieu == D("0")
    first, *later = v.coupons
    assert (first.period_start, first.period_end, first.paid_on) == (OCT_10_2003, date(2004, 2, 1), date(2004, 2, 1))
    assert first.days == 111
    assert first.amount == expected["first_coupon"]
    assert {c.amount for c in later} == {expected["later_coupon"]}
    assert {c.days for c in later} == {90}
    assert len(v.coupons) == expected["coupon_count"]
    assert v.coupons[-1].period_end == expected["maturity"]
    assert [(p.paid_on, p.amount) for p in v.participation_fee] == expected["fee"]
    # 1,534 x 10 / 1,000 = 15.34 -> 15 shares; 15 x $3.50 = $52.50
    assert v.warrants.shares == 15
    assert v.warrants.exercise_price == D("3.50")
    assert v.warrants.exercise_cost == D("52.50")
    assert v.warrants.detachable_from == v.warrants.exercisable_from == expected["warrants_from"]
    assert v.warrants.expires == expected["maturity"]
    assert (v.principal_repayment.paid_on, v.principal_repayment.amount) == (expected["maturity"], D("1534"))
    assert v.total_interest == expected["total_interest"]
    assert v.total_cash == expected["total_cash"]


def test_a_coupon_of_exactly_half_a_cent_rounds_up():
    # P = 1,009: accrued 1,009 x 534.4375 / 1,000 = 539.2474375; 1,548.2474375 -> N = 1,548
    v = version_outcome(ORIGINAL, Holding(D(1009), OCT_10_2003))
    assert (v.accrued_interest, v.new_principal) == (D("539.2474375"), D("1548"))
    # 1,548 x 11.5% = 178.02; first 178.02 x 111/360 = 19,760.22 / 360 = 54.889 -> 54.89
    # later 178.02 / 4 = 44.505 exactly -> 44.51 half up (half-even would give 44.50)
    assert v.coupons[0].amount == D("54.89")
    assert v.coupons[1].unrounded == D("44.505")
    assert {c.amount for c in v.coupons[1:]} == {D("44.51")}
    assert v.total_interest == D("678.03")  # 54.89 + 14 x 44.51 = 54.89 + 623.14


# --- Long and short first periods ------------------------------------------------------------

# September terms throughout: P = $1,000. Accrual to C = Oct 10, 2003 gives N = 1,534 (above);
# to C = Oct 30, 2003: 1440 + 60 + (30-1) = 1529 days, accrued = 127.5 x 1529 / 360
# = 194,947.5 / 360 = 541.5208333..., N = 1,541. Regular coupon on 1,541: 1,541 x 12% = 184.92 / 4 = 46.23.
FIRST_PERIODS = [
    pytest.param(
        with_new_notes(SEPTEMBER, first_payment=None), OCT_10_2003,
        # short: Oct 10 -> Nov 1, 2003 = 30*(11-10) + (1-10) = 21 days; 184.08 x 21/360 = 3,865.68/360 = 10.738
        {"end": date(2003, 11, 1), "days": 21, "first": D("10.74"), "later": D("46.02"),
         # Nov 1, 2003 + the 23 dates from Feb 1, 2004 to Aug 1, 2009
         "count": 24, "total_interest": D("1069.20")},  # 10.74 + 23 x 46.02 = 10.74 + 1,058.46
        id="short-first-period-first-payment-unset",
    ),
    pytest.param(
        with_new_notes(SEPTEMBER, first_payment=None), date(2003, 10, 30),
        # one day before Nov 1: 30*(11-10) + (1-30) = 1 day; 184.92 x 1/360 = 0.51366... -> 0.51
        {"end": date(2003, 11, 1), "days": 1, "first": D("0.51"), "later": D("46.23"),
         "count": 24, "total_interest": D("1063.80")},  # 0.51 + 23 x 46.23 = 0.51 + 1,063.29
        id="short-first-period-of-one-day",
    ),
    pytest.param(
        SEPTEMBER, date(2003, 10, 30),
        # long: Oct 30, 2003 -> Feb 1, 2004 = 360 + 30*(2-10) + (1-30) = 91 days;
        # 184.92 x 91/360 = 16,827.72 / 360 = 46.7436... -> 46.74
        {"end": date(2004, 2, 1), "days": 91, "first": D("46.74"), "later": D("46.23"),
         "count": 23, "total_interest": D("1063.80")},  # 46.74 + 22 x 46.23 = 46.74 + 1,017.06
        id="long-first-period-just-over-a-quarter",
    ),
    pytest.param(
        with_new_notes(SEPTEMBER, first_payment=date(2004, 5, 1)), OCT_10_2003,
        # long: Oct 10, 2003 -> May 1, 2004 = 360 + 30*(5-10) + (1-10) = 201 days;
        # 184.08 x 201/360 = 37,000.08 / 360 = 102.778 -> 102.78
        {"end": date(2004, 5, 1), "days": 201, "first": D("102.78"), "later": D("46.02"),
         # May, Aug, Nov 2004 + 4 x 4 (2005-2008) + 3 (2009)
         "count": 22, "total_interest": D("1069.20")},  # 102.78 + 21 x 46.02 = 102.78 + 966.42
        id="long-first-period-of-two-quarters",
    ),
]


@pytest.mark.parametrize(("terms", "consummation", "expected"), FIRST_PERIODS)
def test_first_period_runs_from_consummation_to_the_first_payment(terms, consummation, expected):
    v = version_outcome(consistent(terms), Holding(D(1000), consummation))
    first, second, *_ = v.coupons
    assert (first.period_start, first.period_end, first.paid_on) == (consummation, expected["end"], expected["end"])
    assert first.days == expected["days"]
    assert first.amount == expected["first"]
    assert second.period_start == expected["end"]
    assert {c.amount for c in v.coupons[1:]} == {expected["later"]}
    assert len(v.coupons) == expected["count"]
    assert v.total_interest == expected["total_interest"]


def test_consummation_on_a_payment_date_starts_a_full_quarter():
    # C = Nov 1, 2003: accrual 1440 + 30*(11-8) + 0 = 1530 days; 127.5 x 1530 / 360 = 195,075 / 360 = 541.875
    v = version_outcome(consistent(with_new_notes(SEPTEMBER, first_payment=None)), Holding(D(1000), date(2003, 11, 1)))
    assert v.accrual_days == 1530
    assert v.accrued_interest == D("541.875")
    assert (v.new_principal, v.forgone) == (D("1541"), D("0.875"))
    # Nov 1, 2003 itself pays nothing (no empty period): the first period is Nov 1 -> Feb 1, 90 days.
    first = v.coupons[0]
    assert (first.period_start, first.period_end, first.days) == (date(2003, 11, 1), date(2004, 2, 1), 90)
    # 1,541 x 12% / 4 = 184.92 / 4 = 46.23, every coupon; Feb 1, 2004 .. Aug 1, 2009 = 23 coupons
    assert {c.amount for c in v.coupons} == {D("46.23")}
    assert len(v.coupons) == 23
    assert v.total_interest == D("1063.29")  # 23 x 46.23


def test_consummation_on_the_first_payment_date_moves_the_first_coupon_a_quarter_on():
    # C = Feb 1, 2004: accrual 360*4 + 30*(2-8) + 0 = 1620 days; 127.5 x 1620 / 360 = 573.75; N = 1,573
    v = version_outcome(SEPTEMBER, Holding(D(1000), date(2004, 2, 1)))
    assert (v.accrual_days, v.accrued_interest, v.new_principal, v.forgone) == (1620, D("573.75"), D("1573"), D("0.75"))
    first = v.coupons[0]
    assert (first.period_start, first.period_end) == (date(2004, 2, 1), date(2004, 5, 1))
    assert first.paid_on == date(2004, 5, 1)
    # 1,573 x 12% / 4 = 188.76 / 4 = 47.19; May 2004 .. Aug 2009 = 3 + 16 + 3 = 22 coupons
    assert {c.amount for c in v.coupons} == {D("47.19")}
    assert len(v.coupons) == 22
    assert v.total_interest == D("1038.18")  # 22 x 47.19
    assert v.total_cash == D("2611.18")  # 1,038.18 + 1,573


# --- 30/360 against 30E/360 (and actual days) -------------------------------------------------

DAY_COUNT_CASES = [
    # start, end, 30/360, 30E/360, actual days
    # Jan 31 -> Mar 31: D1 31->30, then D2 31->30 under both: 30*2 + 0 = 60; actual 28 + 31 = 59
    (date(2003, 1, 31), date(2003, 3, 31), 60, 60, 59),
    # Feb 28 -> Mar 31: 30/360 keeps D2 = 31 (D1 is 28): 30 + 3 = 33; 30E: 30 + 2 = 32; actual 31
    (date(2003, 2, 28), date(2003, 3, 31), 33, 32, 31),
    # Feb 29, 2004 -> Mar 31: 30/360: 30 + (31-29) = 32; 30E: 30 + (30-29) = 31; actual 31
    (date(2004, 2, 29), date(2004, 3, 31), 32, 31, 31),
    # no February adjustment: Feb 28 -> Mar 1, 2004 = 30 + (1-28) = 3; actual 2 (leap year)
    (date(2004, 2, 28), date(2004, 3, 1), 3, 3, 2),
    # Jan 15 -> Jan 31: 30/360 keeps 31: 16; 30E: 15; actual 16
    (date(2003, 1, 15), date(2003, 1, 31), 16, 15, 16),
    # Jan 30 -> Mar 31: D1 = 30, so D2 31->30 under both: 60; actual 1 + 28 + 31 = 60
    (date(2003, 1, 30), date(2003, 3, 31), 60, 60, 60),
    # Mar 31 -> Apr 30: D1 31->30: 30 + 0 = 30; actual 30
    (date(2003, 3, 31), date(2003, 4, 30), 30, 30, 30),
    # Dec 31, 2003 -> Feb 29, 2004: D1->30: 360 + 30*(2-12) + (29-30) = 59; actual 60
    (date(2003, 12, 31), date(2004, 2, 29), 59, 59, 60),
    # The Old Notes accrual: 1440 + 60 + 9 = 1509 either way; actual 365*4 + 1 (2000) + 31 + 31 + 30 + 9 = 1531
    (date(1999, 8, 1), date(2003, 10, 10), 1509, 1509, 1531),
    # The first New Notes period: 111; actual 22 (Oct) + 30 + 31 + 31 = 114
    (date(2003, 10, 10), date(2004, 2, 1), 111, 111, 114),
]


@pytest.mark.parametrize(("start", "end", "bond_basis", "eurobond", "actual"), DAY_COUNT_CASES)
def test_days_between_under_each_convention(start, end, bond_basis, eurobond, actual):
    assert days_between("30/360", start, end) == bond_basis
    assert days_between("30E/360", start, end) == eurobond
    for code in ("ACT/360", "ACT/365F", "ACT/ACT-ISDA"):
        assert days_between(code, start, end) == actual
    assert year_fraction_ratio("30/360", start, end) == (bond_basis, 360)
    assert year_fraction_ratio("30E/360", start, end) == (eurobond, 360)
    assert year_fraction_ratio("ACT/360", start, end) == (actual, 360)
    assert year_fraction_ratio("ACT/365F", start, end) == (actual, 365)


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        # Dec 1, 2003 -> Jan 31, 2004: 31 days of 2003 (/365) + 30 days of 2004 (/366)
        (date(2003, 12, 1), date(2004, 1, 31), Fraction(31, 365) + Fraction(30, 366)),
        # Jul 1, 2003 -> Jul 1, 2004: 184 days of 2003 + 182 of 2004 (31+29+31+30+31+30)
        (date(2003, 7, 1), date(2004, 7, 1), Fraction(184, 365) + Fraction(182, 366)),
        # wholly inside a leap year: Feb 1 -> Mar 1, 2004 = 29 days / 366
        (date(2004, 2, 1), date(2004, 3, 1), Fraction(29, 366)),
        # across two Jan 1s: Dec 31, 2003 -> Jan 1, 2005 = 1/365 + 366/366
        (date(2003, 12, 31), date(2005, 1, 1), Fraction(1, 365) + 1),
    ],
)
def test_act_act_isda_splits_the_period_at_each_new_year(start, end, expected):
    assert Fraction(*year_fraction_ratio("ACT/ACT-ISDA", start, end)) == expected


def test_year_fraction_is_an_exact_decimal_when_it_terminates():
    # 90/360 = 0.25; 111/360 = 0.308333... (does not terminate: check it times 360)
    assert year_fraction("30/360", date(2003, 11, 1), date(2004, 2, 1)) == D("0.25")
    # Jan 1 -> Mar 15, 2003 = 31 + 28 + 14 = 73 actual days: 73/365 = 0.2; 73/360 = 0.202777...
    assert year_fraction("ACT/365F", date(2003, 1, 1), date(2003, 3, 15)) == D("0.2")
    # Jan 1 -> Jan 19 = 18 days: 18/360 = 0.05
    assert year_fraction("ACT/360", date(2003, 1, 1), date(2003, 1, 19)) == D("0.05")
    assert (year_fraction("30/360", OCT_10_2003, date(2004, 2, 1)) * 360).quantize(D(1)) == 111


# --- A fixed accrual cut-off, New Notes interest from a fixed earlier date ---------------------

# Old Notes accrue through Sep 30, 2003 (E = Oct 1): 1440 + 30*(10-8) + 0 = 1500 days;
# accrued = 127.5 x 1500 / 360 = 531.25 whatever the consummation date; N = 1,531, forgone 0.25.
# New Notes interest runs from Oct 1, 2003; payments from Nov 1, 2003 (no first_payment).
# Coupons on 1,531: 1,531 x 12% = 183.72. Oct 1 -> Nov 1 = 30 days: 183.72 / 12 = 15.31; later 183.72 / 4 = 45.93.
FIXED_DATES = consistent(
    with_new_notes(
        with_old_notes(SEPTEMBER, accrual_end=date(2003, 9, 30)),
        interest_from=date(2003, 10, 1),
        first_payment=None,
    )
)


@pytest.mark.parametrize(
    ("consummation", "paid_on"),
    [
        # C before the first payment date: every coupon is paid on its own date
        (OCT_10_2003, [date(2003, 11, 1), date(2004, 2, 1), date(2004, 5, 1)]),
        # C on a payment date: that date's coupon is paid at C, which is the same day
        (date(2003, 11, 1), [date(2003, 11, 1), date(2004, 2, 1), date(2004, 5, 1)]),
        # C after two payment dates: both are caught up at consummation
        (date(2004, 2, 15), [date(2004, 2, 15), date(2004, 2, 15), date(2004, 5, 1)]),
    ],
)
def test_payment_dates_on_or_before_consummation_are_paid_at_consummation(consummation, paid_on):
    v = version_outcome(FIXED_DATES, Holding(D(1000), consummation))
    assert v.accrual_days == 1500
    assert v.accrued_interest == D("531.25")
    assert (v.new_principal, v.forgone) == (D("1531"), D("0.25"))
    first, second, third = v.coupons[:3]
    assert (first.period_start, first.period_end, first.days) == (date(2003, 10, 1), date(2003, 11, 1), 30)
    assert (second.period_start, second.period_end) == (date(2003, 11, 1), date(2004, 2, 1))
    assert [first.paid_on, second.paid_on, third.paid_on] == paid_on
    assert (first.amount, second.amount, third.amount) == (D("15.31"), D("45.93"), D("45.93"))
    assert len(v.coupons) == 24  # Nov 1, 2003 + 23 dates Feb 1, 2004 .. Aug 1, 2009
    assert v.total_interest == D("1071.70")  # 15.31 + 23 x 45.93 = 15.31 + 1,056.39
    assert v.total_cash == D("2602.70")  # 1,071.70 + 1,531
    flows = v.cash_flows()
    assert [f.paid_on for f in flows] == sorted(f.paid_on for f in flows)
    assert [(f.paid_on, f.amount) for f in flows[:2]] == list(zip(paid_on[:2], [D("15.31"), D("45.93")], strict=True))


# --- A participation fee per $1,000 of New Notes, in three instalments ------------------------

INSTALMENT_DATES = (date(2003, 12, 1), date(2004, 3, 1), date(2004, 6, 1))


def fee_in_instalments(per_1000: str, paid_on=INSTALMENT_DATES) -> OfferTerms:
    fee = ParticipationFeeTerms(basis=BASIS_NEW_PRINCIPAL, percent=None, per_1000=D(per_1000), paid_on=paid_on)
    return consistent(replace(SEPTEMBER, participation_fee=fee))


@pytest.mark.parametrize(
    ("principal", "per_1000", "total", "instalments"),
    [
        # N = 1,534: 1,534 x 25 / 1,000 = 38.35; 38.35 / 3 = 12.7833 -> 12.78, 12.78; last 38.35 - 25.56 = 12.79
        (1000, "25", "38.35", ["12.78", "12.78", "12.79"]),
        # N = 1,534: 15.34 / 3 = 5.1133 -> 5.11, 5.11; last 15.34 - 10.22 = 5.12
        (1000, "10", "15.34", ["5.11", "5.11", "5.12"]),
        # N = 1,534: 46.02 / 3 = 15.34 exactly: three equal instalments
        (1000, "30", "46.02", ["15.34", "15.34", "15.34"]),
        # N = 1,534: 1,534 x 12.345 / 1,000 = 18.93723 -> 18.94 (half up); 6.3133 -> 6.31, 6.31; 18.94 - 12.62 = 6.32
        (1000, "12.345", "18.94", ["6.31", "6.31", "6.32"]),
        # P = 25,000: accrued 25 x 534.4375 = 13,360.9375, N = 38,360; x 20 / 1,000 = 767.20;
        # 767.20 / 3 = 255.7333 -> 255.73, 255.73; last 767.20 - 511.46 = 255.74
        (25000, "20", "767.20", ["255.73", "255.73", "255.74"]),
    ],
)
def test_fee_instalments_round_down_and_the_last_takes_the_remainder(principal, per_1000, total, instalments):
    v = version_outcome(fee_in_instalments(per_1000), Holding(D(principal), OCT_10_2003))
    assert [p.paid_on for p in v.participation_fee] == list(INSTALMENT_DATES)
    assert [p.amount for p in v.participation_fee] == [D(a) for a in instalments]
    assert v.total_participation_fee == D(total)
    assert sum(p.amount for p in v.participation_fee) == D(total)
    # September interest on N = 1,534 is 1,069.20 (worked example); cash = interest + fee + principal
    if principal == 1000:
        assert v.total_cash == D("1069.20") + D(total) + D("1534")


def test_a_fee_instalment_dated_before_consummation_is_paid_at_consummation():
    terms = fee_in_instalments("25", (date(2003, 10, 1), date(2003, 12, 1), date(2004, 3, 1)))
    v = version_outcome(terms, Holding(D(1000), OCT_10_2003))
    # Oct 1, 2003 is before C = Oct 10: paid on Oct 10; amounts as above (12.78, 12.78, 12.79)
    assert [(p.paid_on, p.amount) for p in v.participation_fee] == [
        (OCT_10_2003, D("12.78")), (date(2003, 12, 1), D("12.78")), (date(2004, 3, 1), D("12.79"))]


# --- Cash in lieu of fractions ------------------------------------------------------------------

@pytest.mark.parametrize(
    ("principal", "consummation", "increment", "new_principal", "cash_in_lieu"),
    [
        # 1,000 + 534.4375 = 1,534.4375 -> N = 1,000 in $1,000s; 534.4375 -> 534.44
        (1000, OCT_10_2003, "1000", "1000", "534.44"),
        # C = Oct 7, 2003: 1440 + 60 + 6 = 1506 days; 3,000 x 12.75% x 1506/360 = 576,045 / 360 = 1,600.125;
        # 4,600.125 -> N = 4,000; 600.125 -> 600.13 half up (half-even would give 600.12)
        (3000, date(2003, 10, 7), "1000", "4000", "600.13"),
        # same holding in $1 multiples: N = 4,600; 0.125 -> 0.13 half up (half-even: 0.12)
        (3000, date(2003, 10, 7), "1", "4600", "0.13"),
        # 1,000 at Oct 10 in $1 multiples: N = 1,534; 0.4375 -> 0.44
        (1000, OCT_10_2003, "1", "1534", "0.44"),
    ],
)
def test_cash_in_lieu_pays_the_fraction_rounded_half_up(principal, consummation, increment, new_principal,
                                                        cash_in_lieu):
    terms = consistent(with_new_notes(SEPTEMBER, increment=D(increment), fractions=CASH_IN_LIEU))
    v = version_outcome(terms, Holding(D(principal), consummation))
    assert v.new_principal == D(new_principal)
    assert v.cash_in_lieu == D(cash_in_lieu)
    assert v.forgone == 0
    flows = [(f.paid_on, f.kind, f.amount) for f in v.cash_flows() if f.kind == "cash_in_lieu"]
    assert flows == [(consummation, "cash_in_lieu", D(cash_in_lieu))]


def test_cash_in_lieu_is_part_of_total_cash():
    terms = consistent(with_new_notes(SEPTEMBER, increment=D(1000), fractions=CASH_IN_LIEU))
    v = version_outcome(terms, Holding(D(1000), OCT_10_2003))
    # N = 1,000: first coupon 1,000 x 12% x 111/360 = 120 x 111 / 360 = 37.00; later 120 / 4 = 30.00
    assert [c.amount for c in v.coupons[:2]] == [D("37.00"), D("30.00")]
    assert v.total_interest == D("697.00")  # 37.00 + 22 x 30.00
    assert v.total_cash == D("2231.44")  # 697.00 interest + 534.44 cash in lieu + 1,000 principal
    # 1,000 x 10 / 1,000 = 10 warrant shares, 10 x 3.50 = 35.00
    assert (v.warrants.shares, v.warrants.exercise_cost) == (10, D("35.00"))


# --- Availability (rule 1) --------------------------------------------------------------------

@pytest.mark.parametrize(
    ("consummation", "original", "september"),
    [
        # before both expiries (Sep 30 and Oct 7, 2003)
        (date(2003, 9, 29), "Sep 30, 2003", "Oct 7, 2003"),
        # on the original expiry date: it applies; September has not expired yet
        (date(2003, 9, 30), None, "Oct 7, 2003"),
        (date(2003, 10, 6), None, "Oct 7, 2003"),
        (date(2003, 10, 7), None, None),
        (date(2007, 7, 31), None, None),
        # on the original maturity: not before it, so original no longer applies
        (date(2007, 8, 1), "Aug 1, 2007", None),
        (date(2009, 8, 1), "Aug 1, 2007", "Aug 1, 2009"),
    ],
)
def test_a_version_applies_from_its_expiry_up_to_its_maturity(consummation, original, september):
    for terms, reason_date in ((ORIGINAL, original), (SEPTEMBER, september)):
        v = version_outcome(terms, Holding(D(1000), consummation))
        if reason_date is None:
            assert v.available and v.unavailable_reason is None
            assert v.new_principal is not None and v.coupons
        else:
            assert not v.available
            assert reason_date in v.unavailable_reason
            assert (v.accrued_interest, v.new_principal, v.total_cash, v.warrants) == (None, None, None, None)
            assert v.coupons == () and v.cash_flows() == ()


def test_the_other_version_still_computes_when_one_does_not_apply():
    # C = Oct 1, 2003: accrual 1440 + 60 + 0 = 1500 days, 127.5 x 1500 / 360 = 531.25, N = 1,531
    original = version_outcome(ORIGINAL, Holding(D(1000), date(2003, 10, 1)))
    september = version_outcome(SEPTEMBER, Holding(D(1000), date(2003, 10, 1)))
    assert not september.available
    assert "expires" in september.unavailable_reason
    assert (original.accrued_interest, original.new_principal) == (D("531.25"), D("1531"))
    # C = Aug 1, 2007: 360*8 = 2880 days, 127.5 x 2880 / 360 = 1,020.00, N = 2,020
    original = version_outcome(ORIGINAL, Holding(D(1000), date(2007, 8, 1)))
    september = version_outcome(SEPTEMBER, Holding(D(1000), date(2007, 8, 1)))
    assert "maturity" in original.unavailable_reason
    assert (september.accrued_interest, september.new_principal) == (D("1020"), D("2020"))
