"""A holder's outcome under one version of the terms (rules 1-8 of the spec).

Worked example (P = $1,000, consummation Oct 10, 2003, September 2003 terms):
accrued = 1,000 x 12.75% x 1509/360 = 534.4375; New Notes 1,534 ($0.4375 forgone);
first coupon Feb 1, 2004 = 1,534 x 12% x 111/360 = 56.758 -> 56.76; 22 more of 46.02;
15 warrant shares at $3.50.

Everything that does not depend on the size of the holding (availability, the
coupon periods and their year fractions) is worked out by :func:`schedule`, kept
per (dates and day counts, consummation): a bulk run over thousands of holders
only multiplies. What it keeps are dates and whole numbers, so what one caller
gets never depends on what another asked before.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction
from functools import cached_property, lru_cache

from .dates import payment_dates
from .daycount import accrue, days_between, year_fraction_ratio
from .money import down_to_multiple, to_cent_down, to_cent_half_up, whole_units
from .terms import BASIS_NEW_PRINCIPAL, CASH_IN_LIEU, OfferTerms, OldNotesTerms

ZERO = Decimal("0.00")


@lru_cache(maxsize=16384)
def long_date(day: date) -> str:
    """``Feb 1, 2004``: the one way dates are written for people (memoised: a result page writes thousands)."""
    return f"{day:%b} {day.day}, {day.year}"


@dataclass(frozen=True, init=False)
class Holding:
    """What the holder tells us: Old Notes principal and the consummation date."""

    principal: Decimal
    consummation: date

    # One per account of a custodian's book: written as Coupon's are (see there).
    def __init__(self, principal: Decimal, consummation: date) -> None:
        self.__dict__.update(principal=principal, consummation=consummation)


@dataclass(frozen=True)
class Period:
    """One New Notes interest period; ``paid_on`` is ``end`` or the consummation date."""

    start: date
    end: date
    paid_on: date
    days: int
    ratio: tuple[int, int]


@dataclass(frozen=True)
class Schedule:
    """The holding-independent part of an outcome: dates, day counts and whole-number ratios only."""

    consummation: date
    unavailable_reason: str | None
    accrual_end: date
    accrual_days: int
    accrual_ratio: tuple[int, int]
    interest_from: date
    periods: tuple[Period, ...]
    fee_dates: tuple[date, ...]

    @property
    def available(self) -> bool:
        return self.unavailable_reason is None

    @cached_property
    def ratio_counts(self) -> tuple[tuple[tuple[int, int], int], ...]:
        """The distinct period lengths (year fractions) and how many periods have each: a holding's coupon is
        worked out once per length, and its total interest is their sum times these counts."""
        counts: dict[tuple[int, int], int] = {}
        for period in self.periods:
            counts[period.ratio] = counts.get(period.ratio, 0) + 1
        return tuple(counts.items())


@dataclass(frozen=True, init=False)
class Coupon:
    period_start: date
    period_end: date
    paid_on: date
    days: int
    ratio: tuple[int, int]  # the year fraction, numerator and denominator (111/360)
    unrounded: Decimal
    amount: Decimal

    # A bulk run builds about twenty coupons per holder and version; the generated
    # frozen __init__ (one object.__setattr__ per field) was half of its time.
    # Writing the instance dict directly keeps the class frozen, hashable and equal-by-value.
    def __init__(self, period_start: date, period_end: date, paid_on: date, days: int,
                 ratio: tuple[int, int], unrounded: Decimal, amount: Decimal) -> None:
        self.__dict__.update(period_start=period_start, period_end=period_end, paid_on=paid_on, days=days,
                             ratio=ratio, unrounded=unrounded, amount=amount)


@dataclass(frozen=True, init=False)
class Payment:
    paid_on: date
    amount: Decimal

    # Built for every holding of a custodian's book: written as Coupon's are (see there).
    def __init__(self, paid_on: date, amount: Decimal) -> None:
        self.__dict__.update(paid_on=paid_on, amount=amount)


@dataclass(frozen=True, init=False)
class Warrants:
    shares: int
    exercise_price: Decimal
    exercise_cost: Decimal
    detachable_from: date
    exercisable_from: date
    expires: date

    # Built for every holding of a custodian's book: written as Coupon's are (see there).
    def __init__(self, shares: int, exercise_price: Decimal, exercise_cost: Decimal, detachable_from: date,
                 exercisable_from: date, expires: date) -> None:
        self.__dict__.update(shares=shares, exercise_price=exercise_price, exercise_cost=exercise_cost,
                             detachable_from=detachable_from, exercisable_from=exercisable_from, expires=expires)


@dataclass(frozen=True)
class CashFlow:
    """A dated payment to the holder; ``kind`` is one of :data:`CASH_FLOW_KINDS`."""

    paid_on: date
    kind: str
    amount: Decimal


CASH_FLOW_KINDS = ("cash_in_lieu", "participation_fee", "coupon", "principal")


@dataclass(frozen=True, init=False)
class VersionOutcome:
    """Everything one version gives the holding. Figures are None when it does not apply."""

    terms: OfferTerms
    holding: Holding
    unavailable_reason: str | None
    accrual_days: int | None = None
    accrued_interest: Decimal | None = None
    new_principal: Decimal | None = None
    cash_in_lieu: Decimal | None = None
    forgone: Decimal | None = None
    periods: tuple[Period, ...] = ()
    # Per period length (year fraction): the coupon (unrounded, rounded to the cent).
    ratio_amounts: tuple[tuple[tuple[int, int], tuple[Decimal, Decimal]], ...] = ()
    principal_repayment: Payment | None = None
    participation_fee: tuple[Payment, ...] = ()
    warrants: Warrants | None = None
    total_interest: Decimal | None = None
    total_participation_fee: Decimal | None = None
    total_cash: Decimal | None = None

    # The result page's consummation-date table builds dozens of these per page: as for Coupon,
    # the instance dict is written directly instead of one object.__setattr__ per field.
    def __init__(self, terms: OfferTerms, holding: Holding, unavailable_reason: str | None, *,
                 accrual_days: int | None = None, accrued_interest: Decimal | None = None,
                 new_principal: Decimal | None = None, cash_in_lieu: Decimal | None = None,
                 forgone: Decimal | None = None, periods: tuple[Period, ...] = (),
                 ratio_amounts: tuple[tuple[tuple[int, int], tuple[Decimal, Decimal]], ...] = (),
                 principal_repayment: Payment | None = None, participation_fee: tuple[Payment, ...] = (),
                 warrants: Warrants | None = None, total_interest: Decimal | None = None,
                 total_participation_fee: Decimal | None = None, total_cash: Decimal | None = None) -> None:
        self.__dict__.update(
            terms=terms, holding=holding, unavailable_reason=unavailable_reason, accrual_days=accrual_days,
            accrued_interest=accrued_interest, new_principal=new_principal, cash_in_lieu=cash_in_lieu,
            forgone=forgone, periods=periods, ratio_amounts=ratio_amounts, principal_repayment=principal_repayment,
            participation_fee=participation_fee, warrants=warrants, total_interest=total_interest,
            total_participation_fee=total_participation_fee, total_cash=total_cash)

    @property
    def available(self) -> bool:
        return self.unavailable_reason is None

    @cached_property
    def coupons(self) -> tuple[Coupon, ...]:
        """A coupon per interest period (rule 5), from the per-length amounts the total interest was summed from.

        Built when first asked for: a bulk run (a custodian's book) needs only their sum.
        """
        amounts = dict(self.ratio_amounts)
        return tuple(Coupon(p.start, p.end, p.paid_on, p.days, p.ratio, *amounts[p.ratio]) for p in self.periods)

    @property
    def slug(self) -> str:
        return self.terms.slug

    @property
    def name(self) -> str:
        return self.terms.name

    def cash_flows(self) -> tuple[CashFlow, ...]:
        """Every dated payment in date order (same-day payments in CASH_FLOW_KINDS order)."""
        if not self.available:
            return ()
        flows: list[CashFlow] = []
        if self.cash_in_lieu:
            flows.append(CashFlow(self.holding.consummation, "cash_in_lieu", self.cash_in_lieu))
        flows.extend(CashFlow(p.paid_on, "participation_fee", p.amount) for p in self.participation_fee)
        flows.extend(CashFlow(c.paid_on, "coupon", c.amount) for c in self.coupons)
        assert self.principal_repayment is not None
        flows.append(CashFlow(self.principal_repayment.paid_on, "principal", self.principal_repayment.amount))
        order = {kind: i for i, kind in enumerate(CASH_FLOW_KINDS)}
        return tuple(sorted(flows, key=lambda f: (f.paid_on, order[f.kind])))


def unavailable_reason(terms: OfferTerms, consummation: date) -> str | None:
    """Why this version cannot be consummated on that date, or None (rule 1)."""
    return _unavailable(terms.expiry_date, terms.new_notes.maturity, consummation)


def _unavailable(expiry: date, maturity: date, consummation: date) -> str | None:
    if consummation < expiry:
        return (
            f"Consummation on {long_date(consummation)} is before this version's offer "
            f"expires ({long_date(expiry)}); it applies from that day on."
        )
    if consummation >= maturity:
        return (
            f"Consummation on {long_date(consummation)} is not before the New Notes "
            f"maturity ({long_date(maturity)})."
        )
    return None


def schedule(terms: OfferTerms, consummation: date) -> Schedule:
    """The part of the outcome that does not depend on the principal (rules 1, 2 and 4).

    >>> from offers.core.termsfile import seed_terms
    >>> plan = schedule(seed_terms()["september-2003"], date(2003, 10, 10))
    >>> plan.accrual_days, len(plan.periods), plan.periods[0].days
    (1509, 23, 111)
    """
    return _schedule(_Written(terms), consummation)


class _Written:
    """Terms as the schedule cache's key: equal when written alike (:attr:`OfferTerms.text`), one string compared."""

    __slots__ = ("terms", "text")

    def __init__(self, terms: OfferTerms) -> None:
        self.terms, self.text = terms, terms.text

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Written) and self.text == other.text

    def __hash__(self) -> int:
        return hash(self.text)


@lru_cache(maxsize=4096)
def _schedule(written: _Written, consummation: date) -> Schedule:
    # Kept per (terms as written, date). It holds dates and whole numbers only, nothing of the terms
    # object itself, so what one caller gets never depends on what another asked before.
    terms = written.terms
    old, notes, fee = terms.old_notes, terms.new_notes, terms.participation_fee
    accrual_start, accrual_last, old_day_count = old.accrual_start, old.accrual_end, old.day_count
    fee_paid_on = None if fee is None else fee.paid_on
    expiry = terms.expiry_date
    accrual_end = consummation if accrual_last is None else accrual_last + timedelta(days=1)
    interest_from = notes.interest_from or consummation
    reason = _unavailable(expiry, notes.maturity, consummation)
    periods: list[Period] = []
    if reason is None:
        start = interest_from
        code = notes.day_count
        for end in payment_dates(notes, interest_from):
            periods.append(
                Period(
                    start=start,
                    end=end,
                    paid_on=max(end, consummation),
                    days=days_between(code, start, end),
                    ratio=year_fraction_ratio(code, start, end),
                )
            )
            start = end
    fee_dates = () if fee_paid_on is None else tuple(max(d or consummation, consummation) for d in fee_paid_on)
    return Schedule(
        consummation=consummation,
        unavailable_reason=reason,
        accrual_end=accrual_end,
        accrual_days=days_between(old_day_count, accrual_start, accrual_end),
        accrual_ratio=year_fraction_ratio(old_day_count, accrual_start, accrual_end),
        interest_from=interest_from,
        periods=tuple(periods),
        fee_dates=fee_dates,
    )


def participation_fee(terms: OfferTerms, old_principal: Decimal, new_principal: Decimal,
                      paid_on: tuple[date, ...]) -> tuple[Payment, ...]:
    """The fee (rule 7): rounded half up to the cent, instalments round down, the last takes the rest.

    >>> from offers.core.termsfile import seed_terms
    >>> t = seed_terms()["original"]
    >>> participation_fee(t, Decimal(1000), Decimal(1534), (date(2003, 10, 10),))
    (Payment(paid_on=datetime.date(2003, 10, 10), amount=Decimal('30.00')),)
    """
    fee = terms.participation_fee
    if fee is None:
        return ()
    basis = new_principal if fee.basis == BASIS_NEW_PRINCIPAL else old_principal
    if fee.percent is not None:
        total = to_cent_half_up(basis * fee.percent / 100)
    else:
        assert fee.per_1000 is not None
        total = to_cent_half_up(basis * fee.per_1000 / 1000)
    count = len(paid_on)
    instalment = to_cent_down(total / count)
    amounts = [instalment] * (count - 1) + [total - instalment * (count - 1)]
    return tuple(Payment(day, amount) for day, amount in zip(paid_on, amounts, strict=True))


def _conversion(terms: OfferTerms, plan: Schedule, holding: Holding) -> tuple[Decimal, Decimal, Decimal, Decimal]:
    """Rules 2-3: (accrued interest, New Notes principal, cash in lieu, forgone)."""
    numerator, denominator = plan.accrual_ratio
    accrued = holding.principal * terms.old_notes.rate_percent * numerator / (denominator * 100)
    new_principal = down_to_multiple(holding.principal + accrued, terms.new_notes.increment)
    remainder = holding.principal + accrued - new_principal
    if terms.new_notes.fractions == CASH_IN_LIEU:
        return accrued, new_principal, to_cent_half_up(remainder), ZERO
    return accrued, new_principal, ZERO, remainder


def accrued_interest_exact(terms: OfferTerms, holding: Holding) -> Fraction:
    """Rule 2 as an exact fraction: a Decimal keeps 28 digits of a repeating value, the working shows all of it.

    >>> from offers.core.termsfile import seed_terms
    >>> accrued_interest_exact(seed_terms()["original"], Holding(Decimal(1000), date(2003, 12, 18)))
    Fraction(26809, 48)
    """
    numerator, denominator = schedule(terms, holding.consummation).accrual_ratio
    return Fraction(holding.principal) * Fraction(terms.old_notes.rate_percent) * numerator / (denominator * 100)


def coupon_exact(version: VersionOutcome, coupon: Coupon) -> Fraction:
    """Rule 5 before rounding, as an exact fraction (``Coupon.unrounded`` keeps 28 digits of a repeating value).

    >>> from offers.core.termsfile import seed_terms
    >>> v = version_outcome(seed_terms()["september-2003"], Holding(Decimal(1000), date(2003, 10, 10)))
    >>> coupon_exact(v, v.coupons[0])
    Fraction(28379, 500)
    """
    assert version.new_principal is not None
    numerator, denominator = coupon.ratio
    return (Fraction(version.new_principal) * Fraction(version.terms.new_notes.rate_percent) * numerator
            / (denominator * 100))


def _coupon_amount(rate_amount: Decimal, ratio: tuple[int, int]) -> tuple[Decimal, Decimal]:
    """Rule 5 for one period: (unrounded, rounded half up to the cent); rate_amount = N x rate %."""
    unrounded = rate_amount * ratio[0] / (ratio[1] * 100)
    return unrounded, to_cent_half_up(unrounded)


def _warrant_shares(terms: OfferTerms, new_principal: Decimal) -> int:
    """Rule 8: whole shares, rounded down."""
    return whole_units(new_principal * terms.warrants.shares_per_1000 / 1000)


def version_outcome(terms: OfferTerms, holding: Holding) -> VersionOutcome:
    """The outcome of one version for one holding (rules 1-8): the one path from a holding to its figures.

    >>> from offers.core.termsfile import seed_terms
    >>> v = version_outcome(seed_terms()["original"], Holding(Decimal(1000), date(2003, 10, 10)))
    >>> v.new_principal, v.total_interest, v.total_participation_fee, v.total_cash
    (Decimal('1534'), Decimal('671.79'), Decimal('30.00'), Decimal('2235.79'))
    """
    plan = schedule(terms, holding.consummation)
    if not plan.available:
        return VersionOutcome(terms=terms, holding=holding, unavailable_reason=plan.unavailable_reason)
    new = terms.new_notes
    accrued, new_principal, cash_in_lieu, forgone = _conversion(terms, plan, holding)

    rate_amount = new_principal * new.rate_percent
    # Periods of equal length pay equal coupons: each length is worked out once; the total is each
    # length's coupon times its number of periods, and the coupons are built from the same amounts.
    by_ratio = []
    total_interest = ZERO
    for ratio, count in plan.ratio_counts:
        unrounded, amount = _coupon_amount(rate_amount, ratio)
        by_ratio.append((ratio, (unrounded, amount)))
        total_interest += amount * count
    fee = participation_fee(terms, holding.principal, new_principal, plan.fee_dates)
    total_fee = sum([p.amount for p in fee], ZERO)

    warrant_terms = terms.warrants
    shares = _warrant_shares(terms, new_principal)
    warrants = Warrants(
        shares=shares,
        exercise_price=warrant_terms.exercise_price,
        exercise_cost=shares * warrant_terms.exercise_price,
        detachable_from=warrant_terms.detachable_from,
        exercisable_from=warrant_terms.exercisable_from,
        expires=warrant_terms.expires,
    )
    return VersionOutcome(
        terms=terms,
        holding=holding,
        unavailable_reason=None,
        accrual_days=plan.accrual_days,
        accrued_interest=accrued,
        new_principal=new_principal,
        cash_in_lieu=cash_in_lieu,
        forgone=forgone,
        periods=plan.periods,
        ratio_amounts=tuple(by_ratio),
        principal_repayment=Payment(new.maturity, new_principal),
        participation_fee=fee,
        warrants=warrants,
        total_interest=total_interest,
        total_participation_fee=total_fee,
        total_cash=total_interest + total_fee + cash_in_lieu + new_principal,
    )


@dataclass(frozen=True)
class Claim:
    """What an untendered holder keeps a claim for (rule 9): principal plus interest at the old rate."""

    principal: Decimal
    rate_percent: Decimal
    interest_from: date
    interest_to: date
    interest: Decimal  # exact, unrounded
    total: Decimal


def untendered_claim(old_notes: OldNotesTerms, holding: Holding) -> Claim:
    """Rule 9: principal plus Old Notes interest from the accrual start to consummation, not rounded.

    >>> from offers.core.termsfile import seed_terms
    >>> untendered_claim(seed_terms()["original"].old_notes, Holding(Decimal(1000), date(2003, 10, 10))).total
    Decimal('1534.4375')
    """
    interest = accrue(holding.principal, old_notes.rate_percent, old_notes.day_count, old_notes.accrual_start,
                      holding.consummation)
    return Claim(
        principal=holding.principal,
        rate_percent=old_notes.rate_percent,
        interest_from=old_notes.accrual_start,
        interest_to=holding.consummation,
        interest=interest,
        total=holding.principal + interest,
    )
