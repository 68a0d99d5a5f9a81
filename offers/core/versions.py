"""The versions of the offer over time (rules 11-13 of the spec).

Each amendment replaces the terms before it: versions are a history, not alternatives.
Published versions are ordered by the day they were announced (no date first: the terms
in force before any dated amendment), ties by name; each supersedes the one before it.
The version *in force* on a consummation date is the latest one announced on or before
it; a holder's outcome is the outcome under that version, and every other version is
shown for comparison only.

Worked example (the seeded terms): the original terms (announced: none) and the September
2003 amendment (announced Sep 18, 2003). On Sep 17, 2003 the original terms are in force;
from Sep 18 on the amendment is (it applies only from its expiry, Oct 7, 2003: rule 1).
The amendment changed the offer's expiry, the New Notes rate and maturity, the three
warrant dates, and dropped the participation fee: the release's items 1-4 and its new
expiration date.
"""

from __future__ import annotations

from calendar import monthrange
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from .dates import regular_payment_dates
from .outcome import Holding, VersionOutcome, unavailable_reason, version_outcome
from .terms import OfferTerms
from .termsfile import terms_to_dict
from .valuation import break_even_discount_rate, to_basis_point

# Fields that name a version rather than state its terms (rule 12): never changes.
IDENTITY_FIELDS = frozenset({"slug", "name", "announced", "source"})
# Groups that may be absent as a whole (null in the terms file).
GROUPS = frozenset({"participation_fee"})

# Plain-English names for the terms file's fields, as holders read them.
LABELS: dict[str, str] = {
    "expires_at": "Offer expires",
    "expected_consummation": "Expected consummation",
    "minimum_tender_percent": "Minimum tender condition",
    "old_notes.name": "Old Notes",
    "old_notes.rate_percent": "Old Notes interest rate",
    "old_notes.accrual_start": "Old Notes interest accrues from",
    "old_notes.accrual_end": "Old Notes interest accrues through",
    "old_notes.day_count": "Old Notes day count",
    "old_notes.outstanding": "Old Notes outstanding",
    "new_notes.rate_percent": "New Notes interest rate",
    "new_notes.interest_from": "New Notes interest runs from",
    "new_notes.first_payment": "First interest payment",
    "new_notes.payment_months": "Interest payment months",
    "new_notes.payment_day": "Interest payment day of the month",
    "new_notes.maturity": "New Notes maturity",
    "new_notes.day_count": "New Notes day count",
    "new_notes.increment": "New Notes issued in multiples of",
    "new_notes.fractions": "Fractions of a New Notes multiple",
    "participation_fee": "Participation fee",
    "participation_fee.basis": "Participation fee basis",
    "participation_fee.percent": "Participation fee (% of the basis)",
    "participation_fee.per_1000": "Participation fee per $1,000 of the basis",
    "participation_fee.paid_on": "Participation fee paid on",
    "warrants.shares_per_1000": "Warrant shares per $1,000 of New Notes",
    "warrants.exercise_price": "Warrant exercise price per share",
    "warrants.detachable_from": "Warrants detachable from",
    "warrants.exercisable_from": "Warrants exercisable from",
    "warrants.expires": "Warrants expire",
    "warrants.fractions": "Fractional warrant shares",
    "warrants.may_expire_after_maturity": "Warrants may outlive the New Notes",
}


def in_announcement_order(versions: Iterable[OfferTerms]) -> tuple[OfferTerms, ...]:
    """Versions ordered by announcement: no date first, then by date, ties by name (rule 11).

    >>> from offers.core.termsfile import seed_terms
    >>> [t.slug for t in in_announcement_order(reversed(seed_terms().values()))]
    ['original', 'september-2003']
    """
    return tuple(sorted(versions, key=lambda t: (t.announced is not None, t.announced or date.min, t.name)))


def version_in_force(ordered: Iterable[OfferTerms], consummation: date) -> OfferTerms | None:
    """The latest version (of versions in announcement order) announced on or before ``consummation``.

    >>> from offers.core.termsfile import seed_terms
    >>> ordered = in_announcement_order(seed_terms().values())
    >>> version_in_force(ordered, date(2003, 9, 17)).slug, version_in_force(ordered, date(2003, 9, 18)).slug
    ('original', 'september-2003')
    """
    found = None
    for terms in ordered:
        if terms.announced is None or terms.announced <= consummation:
            found = terms
    return found


@dataclass(frozen=True)
class Change:
    """One term that differs from the version superseded: its path in the terms file format,
    its plain-English label, and the values as the terms file writes them."""

    field: str
    label: str
    before: Any
    after: Any


def _flatten(data: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for key, value in data.items():
        path = f"{prefix}{key}"
        if isinstance(value, dict) and path not in GROUPS:
            flat |= _flatten(value, f"{path}.")
        elif isinstance(value, dict):
            flat[path] = value  # a group: compared member by member below
        else:
            flat[path] = value
    return flat


def changes(before: OfferTerms, after: OfferTerms) -> tuple[Change, ...]:
    """The term fields whose values differ from ``before`` to ``after`` (rule 12), in terms file order.

    A group that appears or disappears as a whole (a participation fee dropped) is one
    change named by the group; within a group present in both, each differing member is one.

    >>> from offers.core.termsfile import seed_terms
    >>> seed = seed_terms()
    >>> [c.field for c in changes(seed["original"], seed["september-2003"])]  # doctest: +NORMALIZE_WHITESPACE
    ['expires_at', 'new_notes.rate_percent', 'new_notes.maturity', 'participation_fee',
     'warrants.detachable_from', 'warrants.exercisable_from', 'warrants.expires']
    """
    old, new = _flatten(terms_to_dict(before)), _flatten(terms_to_dict(after))
    found: list[Change] = []
    for path in [*old, *(p for p in new if p not in old)]:
        if path in IDENTITY_FIELDS:
            continue
        a, b = old.get(path), new.get(path)
        if path in GROUPS and a is not None and b is not None:
            for key in [*a, *(k for k in b if k not in a)]:
                if a.get(key) != b.get(key):
                    member = f"{path}.{key}"
                    found.append(Change(member, LABELS.get(member, member), a.get(key), b.get(key)))
        elif a != b:
            found.append(Change(path, LABELS.get(path, path), a, b))
    return tuple(found)


@dataclass(frozen=True)
class Link:
    """Where one version stands in the history: whom it supersedes, who superseded it, what it changed."""

    supersedes: OfferTerms | None
    superseded_by: OfferTerms | None
    changes: tuple[Change, ...]


def links(ordered: tuple[OfferTerms, ...]) -> tuple[Link, ...]:
    """A :class:`Link` per version, for versions in announcement order."""
    return tuple(
        Link(
            supersedes=ordered[i - 1] if i else None,
            superseded_by=ordered[i + 1] if i + 1 < len(ordered) else None,
            changes=changes(ordered[i - 1], terms) if i else (),
        )
        for i, terms in enumerate(ordered)
    )


def break_even(current: VersionOutcome, previous: VersionOutcome) -> Decimal | None:
    """Rule 13: the discount rate in percent at which both versions' cash is worth the same for this
    holding, not rounded; None when either does not apply or they never cross in [0%, 100%].

    $1,000 at Oct 10, 2003: the amendment against the original terms, 11.62% to the basis point.
    """
    if not (current.available and previous.available):
        return None
    return break_even_discount_rate(previous.cash_flows(), current.cash_flows(), current.holding.consummation)


@dataclass(frozen=True)
class Outcome:
    """The holding under every published version, in announcement order, with the history around them.

    ``in_force`` is the version in force on the consummation date (rule 11), ``replaced``
    the one it superseded; ``break_even_discount_rate`` is between those two (rule 13).
    """

    holding: Holding
    versions: tuple[VersionOutcome, ...]
    links: tuple[Link, ...]
    in_force: VersionOutcome | None
    break_even_unrounded: Decimal | None  # the solver's figure, percent
    asked: date | None = None  # the holder's own date, when the figures are for another one (rule 11)

    @property
    def figures_moved(self) -> bool:
        """True when the figures are for the version's figures date, not the date the holder asked about."""
        return self.asked is not None and self.asked != self.holding.consummation

    @property
    def earliest_consummation(self) -> date | None:
        """The first date the version in force applies (rule 11): its offer's expiry date."""
        return None if self.in_force is None else self.in_force.terms.expiry_date

    @property
    def break_even_discount_rate(self) -> Decimal | None:
        """Percent, to the basis point (rule 13)."""
        return None if self.break_even_unrounded is None else to_basis_point(self.break_even_unrounded)

    @property
    def better_below_break_even(self) -> VersionOutcome | None:
        """Of the version in force and the one it replaced, the one worth more at discount rates below the
        break-even: the one paying more cash in all (its value at 0%); None without a break-even."""
        if self.break_even_unrounded is None or self.in_force is None or self.replaced is None:
            return None
        assert self.in_force.total_cash is not None and self.replaced.total_cash is not None
        return self.in_force if self.in_force.total_cash > self.replaced.total_cash else self.replaced

    @property
    def replaced(self) -> VersionOutcome | None:
        """The version that the one in force superseded."""
        return self.superseded(self.in_force) if self.in_force is not None else None

    def link(self, version: VersionOutcome) -> Link:
        return self.links[self.versions.index(version)]

    def superseded(self, version: VersionOutcome) -> VersionOutcome | None:
        """The version before ``version`` in the history, or None for the first."""
        i = self.versions.index(version)
        return self.versions[i - 1] if i else None

    def superseded_by(self, version: VersionOutcome) -> VersionOutcome | None:
        i = self.versions.index(version)
        return self.versions[i + 1] if i + 1 < len(self.versions) else None

    def replaced_by(self, version: VersionOutcome) -> VersionOutcome | None:
        """The version that had replaced ``version`` by the consummation date; None for the version in
        force and for versions announced after that date (shown for comparison only, like replaced ones)."""
        if self.in_force is None or version is self.in_force:
            return None
        if self.versions.index(version) > self.versions.index(self.in_force):
            return None
        return self.superseded_by(version)


def outcome(versions: Iterable[OfferTerms], holding: Holding) -> Outcome:
    """The holding under every version: the figures (rules 1-9), the history and the break-even (rules 11-13).

    >>> from offers.core.termsfile import seed_terms
    >>> result = outcome(seed_terms().values(), Holding(Decimal(1000), date(2003, 10, 10)))
    >>> result.in_force.slug, result.replaced.slug, result.break_even_discount_rate
    ('september-2003', 'original', Decimal('11.62'))
    """
    ordered = in_announcement_order(versions)
    return _outcome(ordered, holding, version_in_force(ordered, holding.consummation))


def _outcome(ordered: tuple[OfferTerms, ...], holding: Holding, current: OfferTerms | None,
             asked: date | None = None) -> Outcome:
    results = tuple(version_outcome(terms, holding) for terms in ordered)
    in_force = results[ordered.index(current)] if current is not None else None
    rate = None
    if in_force is not None and ordered.index(current) > 0:
        rate = break_even(in_force, results[ordered.index(current) - 1])
    return Outcome(holding, results, links(ordered), in_force, rate, asked)


def figures_date(terms: OfferTerms) -> date:
    """The date a version's figures are given for while its offer has not expired (rule 11): its expected
    consummation when that is on or after its expiry, else its expiry date.

    >>> from offers.core.termsfile import seed_terms
    >>> figures_date(seed_terms()["september-2003"])  # expires Oct 7, 2003; expected Oct 10
    datetime.date(2003, 10, 10)
    """
    return max(terms.expected_consummation, terms.expiry_date)


def answer(versions: Iterable[OfferTerms], holding: Holding) -> Outcome:
    """The holder's answer (rule 11): the outcome on the holder's date, or, when that date is before the
    expiry of the version in force (the exchange cannot complete yet), the outcome on that version's
    :func:`figures_date`, the version in force still the one in force on the holder's date. Not tendering
    and the replaced version are compared on the same date. ``asked`` keeps the holder's date.

    Worked example: $1,000 asked about on Oct 1, 2003. The September amendment is in force (announced
    Sep 18) but its offer expires Oct 7, so the figures are for Oct 10, its expected consummation.

    >>> from offers.core.termsfile import seed_terms
    >>> result = answer(seed_terms().values(), Holding(Decimal(1000), date(2003, 10, 1)))
    >>> result.in_force.slug, result.holding.consummation, result.asked, result.in_force.new_principal
    ('september-2003', datetime.date(2003, 10, 10), datetime.date(2003, 10, 1), Decimal('1534'))
    """
    ordered = in_announcement_order(versions)
    current = version_in_force(ordered, holding.consummation)
    if current is None or holding.consummation >= current.expiry_date:
        return _outcome(ordered, holding, current, holding.consummation)
    return _outcome(ordered, replace(holding, consummation=figures_date(current)), current, holding.consummation)


CONSUMMATION_DATES_STEP = timedelta(days=14)
CONSUMMATION_DATES_MONTHS_AFTER = 6


def consummation_dates(versions: Iterable[OfferTerms], entered: date) -> tuple[date, ...]:
    """The consummation dates worth showing side by side: every two weeks from the first expiry to six
    months after the latest expected consummation, plus the dates that matter.

    Added: each version's expiry and expected consummation, the date entered (when in
    range) and each regular payment date in range (where the first period changes from
    long to regular, or the first payment moves). Dates on which the version in force then does not
    apply are left out: nothing could be consummated under it (rules 1 and 11).

    >>> from offers.core.termsfile import seed_terms
    >>> days = consummation_dates(seed_terms().values(), date(2003, 10, 10))
    >>> days[0], days[-1], date(2003, 11, 1) in days
    (datetime.date(2003, 10, 7), datetime.date(2004, 4, 30), True)
    """
    ordered = in_announcement_order(versions)
    if not ordered:
        return ()
    first = min(t.expiry_date for t in ordered)
    expected = ordered[-1].expected_consummation
    year, month = divmod(expected.month - 1 + CONSUMMATION_DATES_MONTHS_AFTER, 12)
    last = date(expected.year + year, month + 1, monthrange(expected.year + year, month + 1)[1])
    days = {first + CONSUMMATION_DATES_STEP * n for n in range((last - first) // CONSUMMATION_DATES_STEP + 1)}
    days |= {t.expiry_date for t in ordered} | {t.expected_consummation for t in ordered} | {last}
    for t in ordered:
        days |= set(regular_payment_dates(t.new_notes, first, last))
    if first <= entered <= last:
        days.add(entered)
    return tuple(sorted(d for d in days if first <= d <= last and in_force_applies(ordered, d)))


def in_force_applies(ordered: tuple[OfferTerms, ...], consummation: date) -> bool:
    """True when a version is in force on ``consummation`` and applies on it (rules 1 and 11)."""
    current = version_in_force(ordered, consummation)
    return current is not None and unavailable_reason(current, consummation) is None
