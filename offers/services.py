"""What the holder pages need from the database and the core, in one place.

Views call these and render; the arithmetic stays in :mod:`offers.core` (the versions'
order, the version in force and what changed in :mod:`offers.core.versions`, the tender
percentage in :mod:`offers.core.issue`, the untendered claim in :mod:`offers.core.outcome`).
Every page, the API, the CSV and the calendar read the terms through :func:`versions_for`,
so they never disagree about which terms are current.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from fractions import Fraction

from django.http import HttpRequest
from icalendar import Alarm, Calendar, Event

from offers import pictures
from offers.adapter import stored_problems
from offers.charts import Chart
from offers.core import issue
from offers.core.compare import LINES, Difference, Line, differences
from offers.core.outcome import (
    Claim,
    Coupon,
    Holding,
    VersionOutcome,
    coupon_exact,
    long_date,
    untendered_claim,
    version_outcome,
)
from offers.core.terms import OfferTerms
from offers.core.valuation import Comparison as ValuationComparison
from offers.core.valuation import PvRow, ValuationInputs, VersionValuation, value_outcome
from offers.core.versions import Change, Outcome, answer, in_announcement_order, in_force_applies, version_in_force
from offers.formatting import NEW_YORK, money, new_york, new_york_time
from offers.models import OfferVersion, TenderReport
from offers.preview import preview_version

logger = logging.getLogger(__name__)

LEFT_OUT_NOTE = ("this version's stored terms failed our checks, so no figures are given for it rather than wrong "
                 "ones; staff have been told. The other versions are given without it.")


@dataclass(frozen=True)
class LeftOut:
    """A stored version the figures cannot use (written past the admin's checks, say with SQL), and why."""

    slug: str
    name: str
    problems: tuple[str, ...]  # "new_notes.payment_months: must be month numbers from 1 to 12, ..."


@dataclass(frozen=True)
class Published:
    """The versions a request may see, in announcement order (rule 11). (When staff last edited them is on the
    staff pages only: holders read when each version was announced.)

    ``left_out`` are the stored versions that break the core's rules: the pages leave them out
    and say so, and the other versions still answer.
    """

    terms: tuple[OfferTerms, ...]
    shares_outstanding: int | None = None  # staff's default for the warrant dilution estimate
    left_out: tuple[LeftOut, ...] = ()


_reported: set[tuple[str, tuple[str, ...]]] = set()  # logged once per process for each version and problem


def checked(rows: list[OfferVersion]) -> tuple[list[OfferTerms], tuple[LeftOut, ...]]:
    """Each row as core terms, with the ones that break the core's rules left out (logged once each)."""
    usable, left_out = [], []
    for row in rows:
        terms, problems = stored_problems(row)
        if terms is not None:
            usable.append(terms)
            continue
        left_out.append(LeftOut(row.slug, row.name, problems))
        if (row.slug, problems) not in _reported:
            _reported.add((row.slug, problems))
            logger.error("stored version left out of the holder pages: it breaks the terms rules",
                         extra={"slug": row.slug, "problems": list(problems)})
    return usable, tuple(left_out)


def published_versions(draft: OfferVersion | None = None) -> Published:
    """The published versions (and ``draft``, a staff preview), the unusable ones left out (one query)."""
    rows = list(OfferVersion.objects.published())
    if draft is not None:
        rows.append(draft)
    usable, left_out = checked(rows)
    return Published(
        terms=in_announcement_order(usable),
        shares_outstanding=rows[0].old_notes.shares_outstanding if rows else None,
        left_out=left_out,
    )


def versions_for(request: HttpRequest) -> Published:
    """The published versions of the terms (one query).

    The one place the holder pages get their versions from, so a staff preview of
    a draft can be added here without touching the views, and a stored version that
    breaks the core's rules is left out here, once, for every page and the API.
    """
    return published_versions(preview_version(request))  # ?preview=SLUG: staff only; anyone else gets a 404


@dataclass(frozen=True)
class Report:
    """What the holder pages read of the latest tender report: its date, the amount tendered, the amount
    outstanding (from its Old Notes)."""

    as_of: date
    amount_tendered: Decimal
    outstanding: Decimal


def latest_tender_report() -> Report | None:
    """The most recent tender report, with its Old Notes' amount outstanding (one query, three columns: no model
    rows to build)."""
    row = (TenderReport.objects.order_by("-as_of", "-pk")
           .values_list("as_of", "amount_tendered", "old_notes__outstanding").first())
    return None if row is None else Report(row[0], Decimal(row[1]), Decimal(row[2]))


@dataclass(frozen=True)
class HolderData:
    """What the holder pages read from the database: the versions and the latest tender report."""

    published: Published
    report: Report | None


def holder_data(request: HttpRequest) -> HolderData:
    """:func:`versions_for` and :func:`latest_tender_report` (two queries).

    Read afresh on every request, like the API's, so the page and the API always show the same terms.
    Nothing is cached: the figures for a new holding cost a few milliseconds, and a cache keyed by the
    holding would only serve the same request again.
    """
    return HolderData(versions_for(request), latest_tender_report())


def tender_status(report: Report | None, terms: tuple[OfferTerms, ...],
                  on: date | None = None) -> issue.TenderStatus | None:
    """The latest report against the minimum tender of the version in force on ``on`` (the latest one
    when no date is given); the arithmetic is the core's."""
    if report is None:
        return None
    current = version_in_force(terms, on) if on is not None else (terms[-1] if terms else None)
    return issue.tender_status(report.as_of, report.amount_tendered, report.outstanding,
                               current)


@dataclass(frozen=True)
class Cell:
    """One version's value on one line; ``applies`` is False where the version does not apply."""

    version: VersionOutcome
    value: object
    applies: bool


@dataclass(frozen=True)
class Row:
    """One line of the comparison, a cell per version, and the difference when the line differs."""

    line: Line
    cells: tuple[Cell, ...]
    difference: Difference | None


@dataclass(frozen=True)
class Column:
    """A version's column: whether it is in force, and which version had replaced it by the holder's date."""

    version: VersionOutcome
    in_force: bool
    replaced_by: VersionOutcome | None


@dataclass(frozen=True)
class Working:
    """One coupon and its exact, unrounded amount (the core's), for the working."""

    coupon: Coupon
    exact: Fraction


@dataclass(frozen=True)
class CouponCell:
    """The coupons one version pays on a date (usually one; none when it pays nothing that day)."""

    version: VersionOutcome
    workings: tuple[Working, ...]


@dataclass(frozen=True)
class CouponRow:
    paid_on: date
    cells: tuple[CouponCell, ...]


@dataclass(frozen=True)
class Comparison:
    outcome: Outcome
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    compared: tuple[VersionOutcome, VersionOutcome] | None  # (replaced, in force), when both apply
    changes: tuple[Change, ...]  # what the version in force changed from the one it replaced (rule 12)

    @property
    def would_have_given(self) -> tuple[Difference, ...]:
        """The answer's list of differences, a line each: the fee's total is left out when the fee's own line,
        which names each payment with its amount, already says it."""
        found = {row.line.key for row in self.rows if row.difference}
        return tuple(row.difference for row in self.rows if row.difference
                     and not (row.line.key == "total_participation_fee" and "participation_fee" in found))


def comparison(result: Outcome) -> Comparison:
    """The answer's figures and the side-by-side table: every line of :data:`LINES` per version.

    The differences are the version in force against the one it replaced (rule 11).
    """
    versions = result.versions
    compared = None
    found: dict[str, Difference] = {}
    current, replaced = result.in_force, result.replaced
    if current is not None and replaced is not None and current.available and replaced.available:
        compared = (replaced, current)
        found = {d.line.key: d for d in differences(*compared)}
    columns = tuple(Column(v, v is current, result.replaced_by(v)) for v in versions)
    rows = tuple(
        Row(line, tuple(Cell(v, line.get(v) if v.available else None, v.available) for v in versions),
            found.get(line.key))
        for line in LINES
    )
    changes = result.link(current).changes if current is not None and replaced is not None else ()
    return Comparison(result, columns, rows, compared, changes)


def coupon_rows(result: Outcome) -> tuple[CouponRow, ...]:
    """The coupon schedule by payment date, a cell per version, each coupon with its exact amount."""
    versions = result.versions
    dates = sorted({c.paid_on for v in versions for c in v.coupons})
    return tuple(
        CouponRow(day, tuple(CouponCell(v, tuple(Working(c, coupon_exact(v, c)) for c in v.coupons if c.paid_on == day))
                             for v in versions))
        for day in dates
    )


@dataclass(frozen=True)
class HolderPage:
    """What the holder page shows for a holding: the answer, with what not tendering and the replaced terms give.

    The figures are :func:`offers.core.versions.answer`'s: on the holder's date, or, while the offer in force
    has not expired on it, on that version's figures date (rule 11); ``per_1000`` is the release's own measure,
    $1,000 of Old Notes under the version in force on the same date.
    """

    comparison: Comparison
    claim: Claim
    tender: issue.TenderStatus | None
    per_1000: VersionOutcome | None

    @property
    def outcome(self) -> Outcome:
        return self.comparison.outcome

    @property
    def before_rounding(self) -> Decimal | None:
        """The holder's Old Notes principal plus accrued interest: the New Notes principal before rounding (rule 3)."""
        current = self.outcome.in_force
        if current is None or not current.available:
            return None
        return current.holding.principal + current.accrued_interest

    @property
    def per_1000_before_rounding(self) -> Decimal | None:
        """The same for $1,000 of Old Notes: the release's own figure ($1,534.4375 on Oct 10, 2003)."""
        return None if self.per_1000 is None else self.per_1000.holding.principal + self.per_1000.accrued_interest

    @property
    def one_warrant_share_needs(self) -> Decimal | None:
        """The New Notes principal that carries one warrant share under the version in force (rule 8)."""
        current = self.outcome.in_force
        if current is None or not current.terms.warrants.shares_per_1000:
            return None
        return Decimal(1000) / current.terms.warrants.shares_per_1000


def holder_page(stored: HolderData, holding: Holding) -> HolderPage:
    """Everything the holder page shows for ``holding``; the details and the estimate have their own pages
    (:func:`details`, :func:`estimate`)."""
    terms = stored.published.terms
    result = answer(terms, holding)
    current = result.in_force
    return HolderPage(
        comparison=comparison(result),
        claim=untendered_claim(terms[-1].old_notes, result.holding),
        tender=tender_status(stored.report, terms, result.asked or holding.consummation),
        per_1000=(version_outcome(current.terms, Holding(Decimal(1000), result.holding.consummation))
                  if current is not None and current.available else None),
    )


@dataclass(frozen=True)
class Details:
    """The details page: the side-by-side table, every coupon with its working, the charts, the key dates,
    the consummation-date table."""

    comparison: Comparison
    coupon_rows: tuple[CouponRow, ...]
    cash_chart: Chart | None
    timeline: pictures.Timeline
    sensitivity: pictures.Sensitivity


def details(stored: HolderData, holding: Holding) -> Details:
    """The details of the holder's answer: on the figures date when the offer in force has not expired (rule 11)."""
    terms = stored.published.terms
    result = answer(terms, holding)
    return Details(comparison(result), coupon_rows(result), pictures.cash_chart(result), pictures.timeline(result),
                   pictures.sensitivity(terms, result.holding))


def date_hints(terms: tuple[OfferTerms, ...]) -> list[date]:
    """Dates worth offering in the consummation field: each version's expiry and expected consummation, but
    only those on which the version then in force applies (rules 1 and 11: Sep 30, 2003, the original terms'
    expiry, is after the amendment replaced them and before it applies)."""
    return sorted({d for t in terms for d in (t.expiry_date, t.expected_consummation) if in_force_applies(terms, d)})


CASH_FLOW_TITLES = {
    "cash_in_lieu": "cash in lieu of fractional New Notes",
    "participation_fee": "participation fee",
    "coupon": "New Notes interest",
    "principal": "New Notes mature: principal repaid",
}


DEADLINE_WINDOW = timedelta(hours=1)  # the deadline's event: the last hour before the offer expires
DEADLINE_REMINDER = timedelta(days=1)  # and a reminder a day before it expires
REPLACED_TITLE = " (replaced terms, for comparison only)"


def payment_calendar(version: VersionOutcome, stamp: datetime, replaced_by: VersionOutcome | None = None,
                     asked: date | None = None) -> Calendar:
    """The holder's dates under one version: the offer's deadline, every payment and the warrants' dates.

    The deadline is timed (in UTC, which every client shows in its own zone: 5:00 p.m. New
    York time on Oct 7, 2003 is 21:00 UTC): an hour ending when the offer expires, with a
    reminder a day before. The rest are all-day events, titled like "Lexington New Notes
    interest $46.02". Warrants that become detachable and exercisable on the same day get one
    event saying both.

    UIDs name the version, the holding (principal and consummation date) and what happens
    (payments also their date): two holdings' calendars imported side by side keep every
    event, and importing the same holding's calendar again updates its events instead of
    duplicating them.

    A version ``replaced_by`` another by the consummation date (rule 11) is for comparison
    only: its calendar and each event's title say so, and it has no deadline, since its offer
    is not the one to act on. ``asked`` is the holder's own date when the figures are for
    another one (rule 11: the exchange cannot complete before the offer expires).
    """
    calendar = Calendar()
    calendar.add("prodid", "-//Exchange Outcome//Lexington Precision exchange offer//EN")
    calendar.add("version", "2.0")
    replaced = f" (replaced by {replaced_by.name}: for comparison only)" if replaced_by else ""
    title_note = REPLACED_TITLE if replaced_by else ""
    holding = version.holding
    calendar.add("x-wr-calname", f"Lexington exchange offer: {version.name}, {money(holding.principal)} exchanged "
                                 f"{long_date(holding.consummation)}{replaced}")
    for_holding = (f"{version.name}{replaced}: for {money(holding.principal)} of Old Notes exchanged on "
                   f"{long_date(holding.consummation)}.")
    if asked is not None and asked != holding.consummation:
        for_holding += (f" You asked about {long_date(asked)}, before the offer expires: the exchange cannot "
                        f"complete before then, so these are the figures for {long_date(holding.consummation)}.")
    holding_uid = f"{version.slug}-{holding.principal}-{holding.consummation:%Y%m%d}"
    events: list[tuple[date, Event]] = []

    def add(uid: str, start: date | datetime, summary: str, description: str) -> Event:
        event = Event()
        event.add("uid", f"{holding_uid}-{uid}@exchange-outcome")
        event.add("dtstamp", stamp)
        event.add("dtstart", start)
        if isinstance(start, datetime):
            day = start.astimezone(NEW_YORK).date()
        else:
            day = start
            event.add("dtend", start + timedelta(days=1))
            event.add("transp", "TRANSPARENT")
        event.add("summary", f"{summary}{title_note}")
        event.add("description", f"{description} {for_holding}".lstrip())
        events.append((day, event))
        return event

    seen: dict[tuple[str, date], int] = {}
    for flow in version.cash_flows():
        n = seen[flow.kind, flow.paid_on] = seen.get((flow.kind, flow.paid_on), 0) + 1
        add(f"{flow.kind}-{flow.paid_on:%Y%m%d}-{n}", flow.paid_on,
            f"Lexington {CASH_FLOW_TITLES[flow.kind]} {money(flow.amount)}", "")

    deadline = version.terms.expires_at
    if replaced_by is None:
        text = (f"The exchange offer expires {new_york(deadline)}: tender your Old Notes, or withdraw "
                f"tendered ones, before then. Brokers often set an earlier cut-off: ask yours.")
        event = add("deadline", (deadline - DEADLINE_WINDOW).astimezone(UTC),
                    f"Lexington exchange offer deadline: tender or withdraw by {new_york_time(deadline)}", text)
        event.add("dtend", deadline.astimezone(UTC))
        reminder = Alarm()
        reminder.add("action", "DISPLAY")
        reminder.add("description", f"Tomorrow: {text}")
        reminder.add("trigger", -DEADLINE_REMINDER, parameters={"RELATED": "END"})
        event.add_component(reminder)

    warrants = version.warrants
    if warrants is not None and warrants.shares:
        what = (f"Warrants for {warrants.shares:,} share{'' if warrants.shares == 1 else 's'} at "
                f"{money(warrants.exercise_price)} a share, expiring {long_date(warrants.expires)}.")
        if warrants.detachable_from == warrants.exercisable_from:
            add("warrants-exercisable", warrants.exercisable_from,
                "Lexington warrants become detachable and exercisable", what)
        else:
            add("warrants-detachable", warrants.detachable_from,
                "Lexington warrants become detachable from the New Notes", what)
            add("warrants-exercisable", warrants.exercisable_from, "Lexington warrants become exercisable", what)
        add("warrants-expire", warrants.expires, "Lexington warrants expire", what)

    for _, event in sorted(events, key=lambda dated: dated[0]):  # stable: same-day events keep this order
        calendar.add_component(event)
    return calendar


@dataclass(frozen=True)
class ValuedVersion:
    """One version beside its estimated value, for the valuation table."""

    version: VersionOutcome
    valuation: VersionValuation


@dataclass(frozen=True)
class Estimate:
    """What each version is worth under the holder's assumptions (the core's valuation), for the page."""

    inputs: ValuationInputs
    versions: tuple[ValuedVersion, ...]
    comparison: ValuationComparison
    better: VersionOutcome | None
    in_force: VersionOutcome | None
    table: tuple[tuple[PvRow, tuple[tuple[Decimal | None, str], ...]], ...]  # each row, its values by version name
    table_versions: tuple[VersionOutcome, ...]
    chart: Chart | None


def estimate(result: Outcome, inputs: ValuationInputs) -> Estimate:
    valuation = value_outcome(result, inputs)
    by_slug = {v.slug: v for v in valuation.versions}
    better = valuation.comparison.better_version
    return Estimate(
        inputs=inputs,
        versions=tuple(ValuedVersion(v, by_slug[v.slug]) for v in result.versions),
        comparison=valuation.comparison,
        better=next((v for v in result.versions if v.slug == better), None),
        in_force=result.in_force,
        table=tuple((row, tuple(zip(row.present_values, (v.name for v in result.versions), strict=True)))
                    for row in valuation.table),
        table_versions=result.versions,
        chart=pictures.present_value_chart(result, valuation),
    )
