"""The result page's pictures: cash received over time, the key dates, and how the figures move with the date.

Each takes what the page has already computed or loaded (the outcome, the published
terms) and adds no query. Figures come from the core: :func:`sensitivity` calls
:func:`~offers.core.outcome.version_outcome` once per date and version; the only
arithmetic here is the running total of the core's cash flows for the chart.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from itertools import groupby

from offers.charts import Chart, Marker, Series, dollars, line_chart
from offers.core.dates import first_period_length
from offers.core.outcome import Coupon, Holding, VersionOutcome, long_date, version_outcome
from offers.core.terms import OfferTerms
from offers.core.valuation import Valuation
from offers.core.versions import Outcome, consummation_dates
from offers.formatting import count, money, new_york, percent

# The terms format has no record date: it is a fact about the offer, the same in every version.
# Press release of September 18, 2003, first paragraph: "its exchange offer to holders of
# record, as of July 1, 2002, of its 12 3/4% Senior Subordinated Notes".
RECORD_DATE = date(2002, 7, 1)


@dataclass(frozen=True)
class Pictures:
    cash_chart: Chart | None
    sensitivity: Sensitivity


def for_outcome(terms: tuple[OfferTerms, ...], result: Outcome) -> Pictures:
    """The result page's charts and consummation-date table, from the terms it already loaded.

    The key dates (:func:`timeline`) are drawn apart: they depend on the consummation date
    only, so the page keeps them per date.
    """
    return Pictures(cash_chart(result), sensitivity(terms, result.holding))


# Cash received to date


def cash_to_date(version: VersionOutcome) -> tuple[tuple[date, Decimal], ...]:
    """Running total of the version's cash flows, a point per payment date, starting from $0 at consummation.

    $1,000 at Oct 10, 2003, original terms: (Oct 10, 2003, 0), (Oct 10, 2003, 30.00),
    (Feb 1, 2004, 84.39), (May 1, 2004, 128.49), ... (Aug 1, 2007, 2,235.79).
    """
    total = Decimal("0.00")
    points = [(version.holding.consummation, total)]
    for day, flows in groupby(version.cash_flows(), key=lambda flow: flow.paid_on):
        total += sum((flow.amount for flow in flows), Decimal("0.00"))
        points.append((day, total))
    return tuple(points)


def cash_chart(result: Outcome) -> Chart | None:
    """The step chart of cash received to date, one line per version that applies; None if none does."""
    versions = [v for v in result.versions if v.available]
    if not versions:
        return None
    holding = result.holding
    markers = [Marker(holding.consummation, f"Consummation {long_date(holding.consummation)}")]
    for maturity in sorted({v.terms.new_notes.maturity for v in versions}):
        owners = [i for i, v in enumerate(versions) if v.terms.new_notes.maturity == maturity]
        markers.append(Marker(maturity, f"Maturity {long_date(maturity)}", owners[0] if len(owners) == 1 else None))
    ends = "; ".join(
        f"{v.name}: {money(v.total_cash)} by {long_date(v.terms.new_notes.maturity)}, when it repays the "
        f"{money(v.new_principal)} of New Notes" for v in versions
    )
    return line_chart(
        [Series(v.name, cash_to_date(v)) for v in versions],
        chart_id="cash-chart",
        title=f"Cash received to date for {money(holding.principal)} of Old Notes exchanged on "
              f"{long_date(holding.consummation)}",
        description=f"A step chart of the total cash each version has paid by each date, from the consummation "
                    f"date to the last maturity (fee, coupons, then principal at maturity). {ends}.",
        x_label="Year",
        y_label="Cash received to date (US dollars)",
        step=True,
        markers=markers,
        y_format=dollars,
        value_format=money,
    )


# Key dates


@dataclass(frozen=True)
class KeyDateCell:
    day: date | None
    text: str
    moved_from: str | None = None  # the previous version's date, written out, when this one differs
    name: str = ""  # the version's name


@dataclass(frozen=True)
class KeyDate:
    label: str
    cells: tuple[KeyDateCell, ...]
    note: str = ""

    @property
    def moved(self) -> bool:
        return any(cell.moved_from for cell in self.cells)


@dataclass(frozen=True)
class Timeline:
    versions: tuple[VersionOutcome, ...]
    rows: tuple[KeyDate, ...]


def _first_payment(version: VersionOutcome) -> date | None:
    if version.coupons:
        return version.coupons[0].paid_on
    return version.terms.new_notes.first_payment


def _row(names: list[str], label: str, days: list[date | None], texts: list[str], note: str = "") -> KeyDate:
    cells = []
    for i, (day, text) in enumerate(zip(days, texts, strict=True)):
        before = days[i - 1] if i else None
        moved = texts[i - 1] if i and day != before else None
        cells.append(KeyDateCell(day, text, moved, names[i]))
    return KeyDate(label, tuple(cells), note)


def timeline(result: Outcome) -> Timeline:
    """The dates that matter, a row each, a column per version; a date that differs from the version before is marked.

    Versions line up in the same rows, so "Warrants detachable: Aug 1, 2005 (moved from
    Jan 1, 2004)" reads across.
    """
    versions = result.versions

    def dates(get) -> tuple[list[date | None], list[str]]:
        days = [get(v) for v in versions]
        return days, [long_date(d) if d else "none" for d in days]

    names = [v.name for v in versions]
    expiry = [v.terms.expires_at for v in versions]
    rows = [
        _row(names, "Record date (who the offer is made to)", [RECORD_DATE] * len(versions),
             [long_date(RECORD_DATE)] * len(versions),
             "Holders of record as of this date (press release of September 18, 2003); the same in every version."),
        _row(names, "Offer expires", [e.date() for e in expiry], [new_york(e) for e in expiry],
             "Unless the company extends it."),
        _row(names, "Consummation (the date you entered)", *dates(lambda v: v.holding.consummation)),
        _row(names, "First interest payment", *dates(_first_payment)),
        _row(names, "Warrants detachable from the New Notes", *dates(lambda v: v.terms.warrants.detachable_from)),
        _row(names, "Warrants exercisable from", *dates(lambda v: v.terms.warrants.exercisable_from)),
        _row(names, "Warrants expire", *dates(lambda v: v.terms.warrants.expires)),
        _row(names, "New Notes mature (principal repaid)", *dates(lambda v: v.terms.new_notes.maturity)),
    ]
    return Timeline(versions, tuple(rows))


# Sensitivity to the consummation date


@dataclass(frozen=True)
class FirstCoupon:
    coupon: Coupon
    length: str  # LONG, REGULAR or SHORT: the first period against a regular one ending on the same date


@dataclass(frozen=True)
class SensitivityCell:
    version: VersionOutcome
    first: FirstCoupon | None
    changes: tuple[str, ...]  # what jumped since the row before, in words


@dataclass(frozen=True)
class SensitivityRow:
    consummation: date
    cells: tuple[SensitivityCell, ...]
    expected: bool
    entered: bool

    @property
    def conversion(self) -> VersionOutcome | None:
        """The first version that applies: where every version converts alike, its figures stand for all."""
        return next((cell.version for cell in self.cells if cell.version.available), None)

    @property
    def jumped(self) -> bool:
        return any(cell.changes for cell in self.cells)

    @property
    def notes(self) -> tuple[str, ...]:
        """What changed on this date, in words: "every version: ..." when all that apply changed alike."""
        applying = [cell for cell in self.cells if cell.version.available or cell.changes]
        if len(applying) > 1 and all(cell.changes == applying[0].changes for cell in applying):
            return tuple(f"Every version: {change}" for change in applying[0].changes)
        return tuple(f"{cell.version.name}: {change}" for cell in self.cells for change in cell.changes)


@dataclass(frozen=True)
class Sensitivity:
    principal: Decimal
    names: tuple[str, ...]
    rows: tuple[SensitivityRow, ...]
    same_conversion: bool  # accrued interest and New Notes principal equal in every version on every date
    chart: Chart | None

    @property
    def first_date(self) -> date | None:
        return self.rows[0].consummation if self.rows else None

    @property
    def last_date(self) -> date | None:
        return self.rows[-1].consummation if self.rows else None


def first_coupon(version: VersionOutcome) -> FirstCoupon | None:
    """The first coupon and whether its period is long, regular or short (the rule is the core's)."""
    if not version.coupons:
        return None
    coupon = version.coupons[0]
    return FirstCoupon(coupon, first_period_length(version.terms.new_notes, coupon.period_start, coupon.period_end))


def _changes(before: SensitivityCell | None, version: VersionOutcome, first: FirstCoupon | None) -> tuple[str, ...]:
    if before is None:
        return ()
    if before.version.available != version.available:
        return ("applies from this date",) if version.available else ("no longer applies",)
    if before.first is None or first is None:
        return ()
    changes = []
    if first.coupon.paid_on != before.first.coupon.paid_on:
        changes.append(f"first payment moves to {long_date(first.coupon.paid_on)}")
    if first.length != before.first.length:
        days = count(first.coupon.days, "day")
        changes.append(f"first period now {first.length} ({days}, was {before.first.length})")
    return tuple(changes)


def sensitivity(terms: tuple[OfferTerms, ...], holding: Holding) -> Sensitivity:
    """The holder's accrued interest, New Notes principal and first coupon as the consummation date moves."""
    rows: list[SensitivityRow] = []
    for day in consummation_dates(terms, holding.consummation):
        cells = []
        for i, t in enumerate(terms):
            version = version_outcome(t, Holding(holding.principal, day))
            first = first_coupon(version)
            cells.append(SensitivityCell(version, first, _changes(rows[-1].cells[i] if rows else None, version, first)))
        expected = any(t.expected_consummation == day for t in terms)
        rows.append(SensitivityRow(day, tuple(cells), expected, day == holding.consummation))
    same = all(
        len({(c.version.accrued_interest, c.version.new_principal) for c in row.cells if c.version.available}) <= 1
        for row in rows
    )
    return Sensitivity(holding.principal, tuple(t.name for t in terms), tuple(rows), same,
                       _first_coupon_chart(terms, holding, rows))


def _first_coupon_chart(terms: tuple[OfferTerms, ...], holding: Holding, rows: list[SensitivityRow]) -> Chart | None:
    series = [
        Series(t.name, tuple((row.consummation, row.cells[i].first.coupon.amount)
                             for row in rows if row.cells[i].first is not None))
        for i, t in enumerate(terms)
    ]
    if not any(s.points for s in series):
        return None
    expected = terms[-1].expected_consummation
    markers = [Marker(expected, f"Expected {long_date(expected)}")]
    if holding.consummation != expected and rows and rows[0].consummation <= holding.consummation:
        markers.append(Marker(holding.consummation, f"Entered {long_date(holding.consummation)}"))
    return line_chart(
        series,
        chart_id="first-coupon-chart",
        title=f"First coupon on {money(holding.principal)} of Old Notes, by consummation date",
        description="The first New Notes interest payment for each consummation date in the table below. "
                    "It shrinks as the first period shortens, then jumps up when the consummation date "
                    "passes a payment date and the first payment moves a quarter later.",
        x_label="Consummation date",
        y_label="First coupon (US dollars)",
        markers=markers,
        height=300,
        y_format=dollars,
        value_format=money,
        end_values=False,
    )



def present_value_chart(result: Outcome, valuation: Valuation) -> Chart | None:
    """Present value of each applicable version by discount rate (the valuation table's rows), break-even marked."""
    series = [
        Series(version.name, tuple((row.rate_percent, row.present_values[i]) for row in valuation.table
                                   if row.present_values[i] is not None and not row.break_even))
        for i, version in enumerate(result.versions) if version.available
    ]
    if not any(s.points for s in series):
        return None
    rate = valuation.comparison.break_even_discount_rate
    markers = [Marker(rate, f"Break-even {percent(rate)}")] if rate is not None else []
    return line_chart(
        series, chart_id="pv-chart", title="Present value by discount rate",
        description="The present value at the consummation date of each version's cash, at discount rates from "
                    "5% to 40%; a higher rate gives a lower value." + (
                        f" The two latest versions are worth the same at {percent(rate)}." if rate is not None else ""),
        x_label="Discount rate (% a year)", y_label="Present value (US dollars)", x_kind="number",
        markers=markers, x_format=percent, y_format=dollars, value_format=money,
    )
