"""What each version is worth under the holder's own assumptions (issue 6): an estimate, not advice.

Conventions (docs/valuation.md says them in plain English):

- Present value at the consummation date C of every cash flow of a version (fee, cash in
  lieu, coupons on the dates they are paid, principal), at a discount rate y compounded
  quarterly, with t the time from C in 30/360 years: PV = sum CF / (1 + y/4)^(4t).
- Yield to maturity: the y at which the New Notes' coupons and principal, on the same
  basis, are worth ``price`` % of their face (the New Notes principal) at C.
- Break-even discount rate: the lowest y from 0% to 100% at which two versions' present
  values are equal, or None when they never cross there.
- Not tendering: ``recovery`` % x (principal + Old Notes interest to C), not discounted.
- Warrants: Black-Scholes call on one share to the warrants' expiry, from C, time in
  ACT/365F years, continuous risk-free rate, no dividends (so exercising early never pays
  and the European formula holds); with shares outstanding N, times N / (N + M), M being
  the warrant shares of the whole issue under that version.

Numbers. The spec lets estimates use floats; this module uses Decimal anyway, at 34
significant digits in a local context, with exp/ln from the decimal module and the normal
distribution from a series for erf. So the core keeps one number type, every figure is
reproducible digit for digit, and the caller's decimal context does not matter. Results are
rounded once, half up: money to the cent, rates (in percent) to the basis point, 0.01%.

Worked example: $1,000 at Oct 10, 2003, 0% discount rate, so PV = the sum of the cash flows:
september-2003 56.76 + 22 x 46.02 + 1,534 = 2,603.20; original 30.00 + 54.39 + 14 x 44.10
+ 1,534 = 2,235.79. Not tendering with 40% recovery: 0.4 x 1,534.4375 = 613.775 -> 613.78.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, fields
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, localcontext
from functools import partial
from itertools import pairwise
from typing import TYPE_CHECKING, Any

from .daycount import ACT_365F, THIRTY_360, days_between, year_fraction_ratio
from .inputs import InputError, parse_percent, parse_positive
from .money import to_cent_half_up
from .outcome import CashFlow, Holding, VersionOutcome, untendered_claim, version_outcome
from .terms import OldNotesTerms

if TYPE_CHECKING:
    from .versions import Outcome

PRECISION = 34
BASIS_POINT = Decimal("0.01")  # rates are kept in percent, so 0.01 is one basis point
# Solvers stop when the bracket is this narrow, the rate as a fraction: 1e-10 of a
# percentage point, so even the whole issue's present values agree well within a cent.
TOLERANCE = Decimal("1E-12")
BREAK_EVEN_HIGH = Decimal(1)  # 100%: break-even rates are looked for from 0% up to this
BREAK_EVEN_STEPS = 20  # the scan every 5% for the lowest change of sign, when there may be several
PV_TABLE_RATES: tuple[Decimal, ...] = tuple(Decimal(rate) for rate in range(5, 41, 5))
_MAX_WIDENINGS = 64
MAX_YIELD = Decimal(1_000_000)  # percent a year: beyond it a yield is not reported
_PI = Decimal("3.14159265358979323846264338327950288419716939937510582")
ZERO = Decimal(0)


def to_basis_point(rate_percent: Decimal) -> Decimal:
    """A rate in percent, rounded half up to the basis point.

    >>> to_basis_point(Decimal("14.26499")), to_basis_point(Decimal("9.995"))
    (Decimal('14.26'), Decimal('10.00'))
    """
    return rate_percent.quantize(BASIS_POINT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class ValuationInputs:
    """The holder's assumptions; rates and prices in percent (10 for 10%), share price in dollars.

    ``recovery`` None counts as 0%.
    """

    discount_rate: Decimal | None = None
    price: Decimal | None = None
    recovery: Decimal | None = None
    share_price: Decimal | None = None
    volatility: Decimal | None = None
    risk_free_rate: Decimal | None = None
    shares_outstanding: Decimal | None = None

    @property
    def given(self) -> bool:
        """Whether any assumption is given: the valuation is shown only then."""
        return any(getattr(self, field.name) is not None for field in fields(self))


# --- assumption fields as people type them -------------------------------------------

# Every assumption is bounded above as well as below, so that no accepted input can overflow the
# Decimal arithmetic (a share price of 1e27 once made a 500): a test draws from the whole range.
# Each is also refused with more places than the pages show (percentages to the basis point, the share
# price to the cent), so the figure an estimate states is the one it used.
_HUNDRED, _THOUSAND = Decimal(100), Decimal(1000)
MAX_SHARE_PRICE = Decimal(1_000_000)
MAX_SHARES_OUTSTANDING = Decimal(10_000_000_000)
PERCENT_PLACES = 2
ASSUMPTION_PARSERS: dict[str, Callable[[str], Decimal]] = {
    "discount_rate": partial(parse_percent, field="discount_rate", low=ZERO, high=_THOUSAND, example="12",
                             per=" a year", places=PERCENT_PLACES),
    "price": partial(parse_percent, field="price", low=ZERO, high=_THOUSAND, low_inclusive=False, example="95",
                     per=" of face", places=PERCENT_PLACES),
    "recovery": partial(parse_percent, field="recovery", low=ZERO, high=_HUNDRED, example="20",
                        per=" of your claim", places=PERCENT_PLACES),
    "share_price": partial(parse_positive, field="share_price", high=MAX_SHARE_PRICE, example="2.50",
                           unit=" a share", money=True, places=2),
    "volatility": partial(parse_percent, field="volatility", low=ZERO, high=_THOUSAND, low_inclusive=False,
                          example="40", per=" a year", places=PERCENT_PLACES),
    "risk_free_rate": partial(parse_percent, field="risk_free_rate", low=ZERO, high=_THOUSAND, example="4",
                              per=" a year", places=PERCENT_PLACES),
    "shares_outstanding": partial(parse_positive, field="shares_outstanding", high=MAX_SHARES_OUTSTANDING,
                                  whole=True, example="5,000,000", unit=" shares"),
}


def parse_assumption(field: str, text: str | None) -> Decimal | None:
    """One assumption field: blank is None (not given), anything else must be valid.

    >>> parse_assumption("volatility", "40%"), parse_assumption("price", "  ")
    (Decimal('40'), None)
    """
    if text is None or not text.strip():
        return None
    return ASSUMPTION_PARSERS[field](text)


def parse_valuation_inputs(texts: Mapping[str, str | None]) -> tuple[ValuationInputs, dict[str, list[str]]]:
    """Every assumption field at once, for the API and the command: inputs and errors by field."""
    values: dict[str, Decimal | None] = {}
    errors: dict[str, list[str]] = {}
    for field in ASSUMPTION_PARSERS:
        try:
            values[field] = parse_assumption(field, texts.get(field))
        except InputError as error:
            errors.setdefault(error.field, []).append(error.message)
    return ValuationInputs(**values), errors


# --- discounting -------------------------------------------------------------------------

def _brent(f: Callable[[Decimal], Decimal], a: Decimal, b: Decimal, fa: Decimal, fb: Decimal) -> Decimal:
    """A root of ``f`` in [a, b], given that f(a) and f(b) differ in sign (or one is 0). Needs the local context.

    Brent's method (inverse quadratic interpolation, secant, bisection as the safeguard):
    a handful of evaluations where bisection needs forty, to within :data:`TOLERANCE`.
    """
    if fa == 0:
        return a
    if fb == 0:
        return b
    if abs(fa) < abs(fb):
        a, b, fa, fb = b, a, fb, fa
    c, fc, d = a, fa, b - a
    bisected = True
    while fb != 0 and abs(b - a) > TOLERANCE:
        if fa != fc and fb != fc:  # inverse quadratic interpolation
            s = (a * fb * fc / ((fa - fb) * (fa - fc)) + b * fa * fc / ((fb - fa) * (fb - fc))
                 + c * fa * fb / ((fc - fa) * (fc - fb)))
        else:  # secant
            s = b - fb * (b - a) / (fb - fa)
        low, high = sorted(((3 * a + b) / 4, b))
        if (not low < s < high
                or (bisected and abs(s - b) >= abs(b - c) / 2)
                or (not bisected and abs(s - b) >= abs(c - d) / 2)
                or (bisected and abs(b - c) < TOLERANCE)
                or (not bisected and abs(c - d) < TOLERANCE)):
            s, bisected = (a + b) / 2, True
        else:
            bisected = False
        fs = f(s)
        d, c, fc = c, b, fb
        if (fa > 0) != (fs > 0):
            b, fb = s, fs
        else:
            a, fa = s, fs
        if abs(fa) < abs(fb):
            a, b, fa, fb = b, a, fb, fa
    return b


def present_value(cash_flows: Iterable[CashFlow], valuation_date: date, discount_rate_percent: Decimal) -> Decimal:
    """Present value at ``valuation_date``, compounded quarterly, time in 30/360 years; not rounded.

    A year of 360 30/360 days is four quarters: 1,000 in a year at 10% is 1,000 / 1.025^4.

    >>> flow = CashFlow(date(2004, 10, 10), "principal", Decimal(1000))
    >>> present_value([flow], date(2003, 10, 10), Decimal(10)).quantize(Decimal("0.0001"))
    Decimal('905.9506')
    """
    with localcontext(prec=PRECISION):
        rate = discount_rate_percent / 100
        if rate <= -4:
            raise ValueError("a discount rate must be above -400% a year")
        return _NetFlows(cash_flows, (), valuation_date)(_log_discount(rate))


def new_notes_flows(version: VersionOutcome) -> tuple[CashFlow, ...]:
    """The New Notes' own payments: coupons and principal (not the fee or cash in lieu)."""
    return tuple(flow for flow in version.cash_flows() if flow.kind in ("coupon", "principal"))


def yield_to_maturity(version: VersionOutcome, price_percent: Decimal) -> Decimal | None:
    """The yield in percent of the New Notes bought at ``price_percent`` of face on the consummation date.

    Same compounding and time basis as :func:`present_value`, solved like the break-even rate
    (Brent's method in ln v, to about 1e-10 of a percentage point). None when the version does
    not apply or issues no New Notes, and above :data:`MAX_YIELD` (a price near zero for notes
    close to maturity: a yield that large means nothing, and would not fit the arithmetic).

    >>> from offers.core.termsfile import seed_terms
    >>> v = version_outcome(seed_terms()["september-2003"], Holding(Decimal(1000), date(2003, 10, 10)))
    >>> to_basis_point(yield_to_maturity(v, Decimal(100)))
    Decimal('12.00')
    """
    if not version.available or not version.new_principal:
        return None
    consummation = version.holding.consummation
    with localcontext(prec=PRECISION):
        price = CashFlow(consummation, "principal", price_percent * version.new_principal / 100)
        excess = _NetFlows(new_notes_flows(version), [price], consummation)
        # The excess of value over price rises with ln v (v = 1 / (1 + y/4)): widen the bracket
        # [ln v at 100%, ln v at 0%] outward, doubling each time, until the excess changes sign.
        low, high = _SCAN[-1], _SCAN[0]
        f_low, f_high = excess(low), excess(high)
        width = high - low
        for _ in range(_MAX_WIDENINGS):
            if f_high < 0:  # worth less than the price even at 0%: a negative yield
                low, f_low, high = high, f_high, high + width
                f_high = excess(high)
            elif f_low > 0:  # worth more than the price even at 100%
                high, f_high, low = low, f_low, low - width
                f_low = excess(low)
            else:
                found = _rate(_brent(excess, low, high, f_low, f_high)) * 100
                return found if found <= MAX_YIELD else None
            width *= 2
        return None


class _NetFlows:
    """sum n_i / (1 + y/4)^(4 t_i) for the net flows n_i, evaluated cheaply. Needs the local context.

    A 30/360 quarter is 90 days, so with 4t = k + r/90 (k whole, 0 <= r < 90) the flows that
    share r (coupons on the regular dates, their fee and principal) form a polynomial in
    v = 1 / (1 + y/4), multiplied by v^(r/90): one power per distinct r, then Horner's rule.
    """

    def __init__(self, flows_a: Iterable[CashFlow], flows_b: Iterable[CashFlow], valuation_date: date) -> None:
        by_date: dict[date, Decimal] = {}
        for sign, flows in ((1, flows_a), (-1, flows_b)):
            for flow in flows:
                by_date[flow.paid_on] = by_date.get(flow.paid_on, ZERO) + sign * flow.amount
        by_days = {days_between(THIRTY_360, valuation_date, day): amount for day, amount in by_date.items()}
        self.amounts = tuple(amount for _, amount in sorted(by_days.items()) if amount)
        groups: dict[int, dict[int, Decimal]] = {}
        for days, amount in by_days.items():
            if amount:
                quarters, rest = divmod(days, 90)
                groups.setdefault(rest, {})[quarters] = amount
        self.groups = tuple((Decimal(rest) / 90, tuple(coefficients.get(k, ZERO) for k in range(max(coefficients),
                                                                                                  -1, -1)))
                            for rest, coefficients in groups.items())

    def sign_changes(self) -> int:
        """Descartes' rule of signs: the value has at most this many zeros at positive rates of growth."""
        signs = [amount > 0 for amount in self.amounts]
        return sum(1 for before, after in pairwise(signs) if before != after)

    def __call__(self, log_v: Decimal) -> Decimal:
        """The net value at the rate whose quarterly discount factor is v = e^log_v (two exp, no ln)."""
        v = log_v.exp()
        total = ZERO
        for fraction, coefficients in self.groups:
            acc = ZERO
            for coefficient in coefficients:
                acc = acc * v + coefficient
            total += acc * (fraction * log_v).exp() if fraction else acc
        return total


def _log_discount(rate: Decimal) -> Decimal:
    """ln v for a yearly rate y compounded quarterly: v = 1 / (1 + y/4). Needs the local context."""
    return -(1 + rate / 4).ln()


def _rate(log_v: Decimal) -> Decimal:
    """The yearly rate, compounded quarterly, whose quarterly discount factor is e^log_v."""
    return 4 * ((-log_v).exp() - 1)


with localcontext(prec=PRECISION):
    # Where the scan looks: ln v at 0%, 5%, ... 100% (v falls as the rate rises).
    _SCAN = tuple(_log_discount(BREAK_EVEN_HIGH * step / BREAK_EVEN_STEPS) for step in range(BREAK_EVEN_STEPS + 1))


def break_even_discount_rate(flows_a: Iterable[CashFlow], flows_b: Iterable[CashFlow],
                             valuation_date: date) -> Decimal | None:
    """The lowest discount rate in percent, from 0% to 100%, at which both sets of flows are worth the same.

    Not rounded; None when the values never cross there (one is worth more at every rate in
    the range, or the flows are identical). By Descartes' rule of signs, net flows whose sign
    changes once in date order cross at most once, so the ends of the range bracket the rate;
    otherwise the range is first scanned every 5% for the lowest change of sign. Brent's
    method then narrows the bracket to about 1e-10 of a percentage point. Example: 100 now against
    121.84029 in two years is even at 10%, since 1.025^8 = 1.2184029.

    >>> now, later = date(2003, 10, 10), date(2005, 10, 10)
    >>> a = [CashFlow(now, "participation_fee", Decimal(100))]
    >>> b = [CashFlow(later, "principal", Decimal("121.8402897509918212890625"))]
    >>> to_basis_point(break_even_discount_rate(a, b, now))
    Decimal('10.00')
    """
    with localcontext(prec=PRECISION):
        difference = _NetFlows(flows_a, flows_b, valuation_date)
        changes = difference.sign_changes()
        if changes == 0:
            return None
        # Solved in ln v, where each evaluation needs two exponentials and no logarithm.
        scan = (_SCAN[0], _SCAN[-1]) if changes == 1 else _SCAN
        previous_at, previous = scan[0], difference(scan[0])
        if previous == 0:
            return ZERO
        for at in scan[1:]:
            current = difference(at)
            if current == 0 or (current > 0) != (previous > 0):
                return _rate(_brent(difference, previous_at, at, previous, current)) * 100
            previous_at, previous = at, current
        return None


def not_tendering_value(principal: Decimal, old_notes: OldNotesTerms, consummation: date,
                        recovery_percent: Decimal) -> Decimal:
    """``recovery_percent`` of the claim kept by not tendering: principal plus old-rate interest to consummation.

    >>> from offers.core.termsfile import seed_terms
    >>> old = seed_terms()["original"].old_notes
    >>> not_tendering_value(Decimal(1000), old, date(2003, 10, 10), Decimal(40))
    Decimal('613.78')
    """
    claim = untendered_claim(old_notes, Holding(principal, consummation)).total
    return to_cent_half_up(claim * recovery_percent / 100)


# --- warrants ----------------------------------------------------------------------------

def _normal_cdf(x: Decimal) -> Decimal:
    """Phi(x) = (1 + erf(x / sqrt 2)) / 2. Needs the local context.

    erf(z) = 2/sqrt(pi) exp(-z^2) sum_n 2^n z^(2n+1) / (1 x 3 x ... x (2n+1)): every term is
    positive, so nothing cancels; ten extra digits cover the sum's growth up to z = 10.
    """
    with localcontext() as context:
        context.prec += 10
        z = abs(x) / Decimal(2).sqrt()
        if z > 10:  # erfc(10) < 1e-44: erf is 1 to this precision
            erf = Decimal(1)
        else:
            step, term, total, n = 2 * z * z, z, z, 0
            # Terms grow while 2z^2 > 2n + 1, then fall geometrically.
            while n <= z * z or term > total * Decimal("1E-50"):
                n += 1
                term = term * step / (2 * n + 1)
                total += term
            erf = 2 / _PI.sqrt() * (-z * z).exp() * total
        phi = (1 + erf) / 2 if x >= 0 else (1 - erf) / 2
    return +phi


def black_scholes_call(share_price: Decimal, exercise_price: Decimal, volatility_percent: Decimal,
                       risk_free_percent: Decimal, start: date, expiry: date) -> Decimal:
    """Black-Scholes value of a call on one share, no dividends, t in ACT/365F years; not rounded.

    Hull's textbook case: S = K = 100, 20% volatility, 5% continuous rate, one year: 10.4506.

    >>> value = black_scholes_call(Decimal(100), Decimal(100), Decimal(20), Decimal(5),
    ...                            date(2003, 1, 1), date(2004, 1, 1))
    >>> value.quantize(Decimal("0.0001"))
    Decimal('10.4506')
    """
    with localcontext(prec=PRECISION):
        days, per_year = year_fraction_ratio(ACT_365F, start, expiry)
        if days < 0:
            return ZERO  # expired
        if days == 0 or share_price <= 0:
            return max(share_price - exercise_price, ZERO)
        years = Decimal(days) / per_year
        rate, sigma = risk_free_percent / 100, volatility_percent / 100
        discounted_strike = exercise_price * (-rate * years).exp()
        if sigma == 0 or exercise_price == 0:
            return max(share_price - discounted_strike, ZERO)
        spread = sigma * years.sqrt()
        d1 = ((share_price / exercise_price).ln() + (rate + sigma * sigma / 2) * years) / spread
        value = share_price * _normal_cdf(d1) - discounted_strike * _normal_cdf(d1 - spread)
        # Far out of the money both terms are tiny and the difference can round below zero.
        return max(value, ZERO)


def issue_warrant_shares(version: VersionOutcome) -> int:
    """M: the warrant shares of the whole issue (all Old Notes outstanding) under this version."""
    terms = version.terms
    whole_issue = version_outcome(terms, Holding(terms.old_notes.outstanding, version.holding.consummation))
    assert whole_issue.warrants is not None
    return whole_issue.warrants.shares


def warrant_value_per_share(version: VersionOutcome, inputs: ValuationInputs) -> Decimal | None:
    """Black-Scholes value of one warrant share from consummation to expiry, diluted when N is given; unrounded."""
    if (not version.available or version.warrants is None or inputs.share_price is None
            or inputs.volatility is None or inputs.risk_free_rate is None):
        return None
    warrants = version.warrants
    value = black_scholes_call(inputs.share_price, warrants.exercise_price, inputs.volatility,
                               inputs.risk_free_rate, version.holding.consummation, warrants.expires)
    if inputs.shares_outstanding is None:
        return value
    with localcontext(prec=PRECISION):
        shares = inputs.shares_outstanding
        return value * shares / (shares + issue_warrant_shares(version))


# --- per version, comparison, table ------------------------------------------------------

@dataclass(frozen=True)
class VersionValuation:
    """Rounded figures for one version (money to the cent, rates in percent to the basis point).

    None where the inputs it needs are missing or the version does not apply.
    ``warrant_value`` is the holding's warrant shares times the per-share value as given (to the cent), so the
    two figures always agree. ``yield_above`` is :data:`MAX_YIELD` when a price is given but the yield is beyond it.
    """

    slug: str
    present_value: Decimal | None = None
    yield_to_maturity: Decimal | None = None
    warrant_intrinsic_value_per_share: Decimal | None = None
    warrant_value_per_share: Decimal | None = None
    warrant_value: Decimal | None = None
    total_value: Decimal | None = None
    yield_above: Decimal | None = None


def value_version(version: VersionOutcome, inputs: ValuationInputs) -> VersionValuation:
    """Present value, yield, warrant value and total (PV + warrant value) of one version."""
    if not version.available:
        return VersionValuation(version.slug)
    assert version.warrants is not None
    pv = None
    if inputs.discount_rate is not None:
        pv = to_cent_half_up(present_value(version.cash_flows(), version.holding.consummation, inputs.discount_rate))
    ytm = None if inputs.price is None else yield_to_maturity(version, inputs.price)
    intrinsic = None
    if inputs.share_price is not None:
        intrinsic = to_cent_half_up(max(inputs.share_price - version.warrants.exercise_price, ZERO))
    unrounded = warrant_value_per_share(version, inputs)
    per_share = None if unrounded is None else to_cent_half_up(unrounded)
    holding_value = None if per_share is None else per_share * version.warrants.shares
    return VersionValuation(
        slug=version.slug,
        present_value=pv,
        yield_to_maturity=None if ytm is None else to_basis_point(ytm),
        warrant_intrinsic_value_per_share=intrinsic,
        warrant_value_per_share=per_share,
        warrant_value=holding_value,
        total_value=None if pv is None or holding_value is None else pv + holding_value,
        yield_above=MAX_YIELD if ytm is None and inputs.price is not None and version.new_principal else None,
    )


@dataclass(frozen=True)
class Comparison:
    """The version in force against the one it replaced (rule 11), under the holder's assumptions.

    ``break_even_discount_rate`` (percent, to the basis point) is between ``break_even_versions``
    (replaced, in force); ``break_even_unrounded`` is the solver's figure. ``better_version`` has
    the higher total value, or the higher present value when some warrant value is missing
    (``compared_on`` says which); None on a tie or when there are not two versions to compare.
    ``not_tendering_value`` uses a recovery of 0% when none is given.
    """

    break_even_discount_rate: Decimal | None
    break_even_unrounded: Decimal | None
    break_even_versions: tuple[str, str] | None
    better_version: str | None
    difference: Decimal | None
    compared_on: str | None
    not_tendering_value: Decimal | None


def compare_versions(result: Outcome, valuations: Sequence[VersionValuation], inputs: ValuationInputs) -> Comparison:
    """Compare the version in force with the one it replaced, given every version's valuation in order."""
    by_slug = {val.slug: val for val in valuations}
    current, replaced = result.in_force, result.replaced
    pair = better = difference = compared_on = None
    if current is not None and replaced is not None and current.available and replaced.available:
        pair = (replaced.slug, current.slug)
        for key in ("total_value", "present_value"):
            a, b = getattr(by_slug[replaced.slug], key), getattr(by_slug[current.slug], key)
            if a is not None and b is not None:
                compared_on, difference = key, abs(b - a)
                better = None if a == b else current.slug if b > a else replaced.slug
                break
    holding = result.holding
    not_tendering = None
    if result.versions:
        old_notes = (current or result.versions[-1]).terms.old_notes
        not_tendering = not_tendering_value(holding.principal, old_notes, holding.consummation,
                                            inputs.recovery or ZERO)
    return Comparison(
        break_even_discount_rate=result.break_even_discount_rate,
        break_even_unrounded=result.break_even_unrounded,
        break_even_versions=pair if result.break_even_unrounded is not None else None,
        better_version=better,
        difference=difference,
        compared_on=compared_on,
        not_tendering_value=not_tendering,
    )


@dataclass(frozen=True)
class PvRow:
    """Present values (to the cent, None where a version does not apply) at one discount rate."""

    rate_percent: Decimal
    present_values: tuple[Decimal | None, ...]
    break_even: bool = False


def pv_table(versions: Sequence[VersionOutcome], rates: Iterable[Decimal] = PV_TABLE_RATES,
             break_even: Decimal | None = None) -> tuple[PvRow, ...]:
    """Rows of present value by discount rate for the page's table and chart, one value per version.

    With ``break_even`` (the unrounded rate), a row at that rate is added in its place and
    marked: its rate is shown to the basis point, its values computed at the exact rate so
    the two versions agree to the cent.
    """
    def row(rate: Decimal, marked: bool) -> PvRow:
        values = tuple(
            to_cent_half_up(present_value(v.cash_flows(), v.holding.consummation, rate)) if v.available else None
            for v in versions
        )
        return PvRow(to_basis_point(rate), values, marked)

    rows = [row(rate, False) for rate in rates]
    if break_even is not None:
        rows.append(row(break_even, True))
    return tuple(sorted(rows, key=lambda r: r.rate_percent))


@dataclass(frozen=True)
class Valuation:
    """Everything the page and the contract show about value, for one outcome."""

    inputs: ValuationInputs
    versions: tuple[VersionValuation, ...]
    comparison: Comparison
    table: tuple[PvRow, ...]


def value_outcome(result: Outcome, inputs: ValuationInputs, rates: Iterable[Decimal] = PV_TABLE_RATES) -> Valuation:
    """The one call for a page or a document: every version valued, compared and tabulated."""
    valuations = tuple(value_version(v, inputs) for v in result.versions)
    comparison = compare_versions(result, valuations, inputs)
    table = pv_table(result.versions, rates, comparison.break_even_unrounded)
    return Valuation(inputs, valuations, comparison, table)


# --- the JSON contract -------------------------------------------------------------------

def _s(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def add_valuation_to_contract(contract: dict[str, Any], valuations: Sequence[VersionValuation],
                              comparison: Comparison) -> dict[str, Any]:
    """A copy of ``contract`` with each version's ``valuation`` and the top-level ``comparison``.

    Numbers are strings, money to the cent ("2603.20"), rates in percent to the basis point
    ("14.27"); missing figures are null. Versions are matched by slug.
    """
    by_slug = {val.slug: val for val in valuations}
    versions = []
    for version in contract["versions"]:
        val = by_slug.get(version["slug"], VersionValuation(version["slug"]))
        versions.append(version | {"valuation": {
            "present_value": _s(val.present_value),
            "yield_to_maturity": _s(val.yield_to_maturity),
            "warrant_value_per_share": _s(val.warrant_value_per_share),
            "warrant_value": _s(val.warrant_value),
            "total_value": _s(val.total_value),
        }})
    return contract | {
        "versions": versions,
        "comparison": {
            "break_even_discount_rate": _s(comparison.break_even_discount_rate),
            "better_version": comparison.better_version,
            "not_tendering_value": _s(comparison.not_tendering_value),
        },
    }
