"""What holders will see change, before a staff change reaches them.

The admin asks for confirmation before it publishes, unpublishes, archives or saves a
published version, and shows the holder page's key figures for $1,000 of Old Notes at
the version's expected consummation, under every published version, now and after the
change.

"After" is read with the change applied inside a transaction that is then rolled back:
the published versions come from the very query the holder page uses, in its order,
so this module never keeps a second copy of which versions holders see or in what order.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import transaction

from offers.adapter import stored_problems
from offers.core.outcome import Holding, VersionOutcome, long_date
from offers.core.terms import OfferTerms
from offers.core.versions import outcome
from offers.formatting import money
from offers.models import OfferVersion

THOUSAND = Decimal(1000)
# The key figures of the holder page, as its rows name them.
FIGURES = (
    ("new_principal", "New Notes principal"),
    ("total_interest", "Total interest"),
    ("total_participation_fee", "Participation fee"),
    ("total_cash", "Total cash"),
)
NOT_SHOWN = "not shown"

Published = list[tuple[int, OfferTerms]]  # (row pk, terms) in the holder page's order


@dataclass(frozen=True)
class Row:
    label: str
    before: str
    after: str

    @property
    def changed(self) -> bool:
        return self.before != self.after


@dataclass(frozen=True)
class VersionEffect:
    name: str
    rows: tuple[Row, ...]

    @property
    def changed(self) -> bool:
        return any(row.changed for row in self.rows)


@dataclass(frozen=True)
class HolderEffect:
    """Every version holders see before or after the change, for one holding."""

    holding: Holding
    shown_before: tuple[str, ...]
    shown_after: tuple[str, ...]
    versions: tuple[VersionEffect, ...]

    @property
    def changed(self) -> bool:
        return any(version.changed for version in self.versions)

    @property
    def consummation(self) -> str:
        return long_date(self.holding.consummation)


def published_now() -> Published:
    """As holders see them: a version whose stored terms break the rules is left out (as by
    :func:`offers.services.versions_for`), so staff can open and correct it."""
    return [(row.pk, terms) for row in OfferVersion.objects.published()
            if (terms := stored_problems(row)[0]) is not None]


def published_after(change: Callable[[], object]) -> Published:
    """The published versions as they would be after ``change`` (run, read, then rolled back)."""
    with transaction.atomic():
        change()
        after = published_now()
        transaction.set_rollback(True)
    return after


def holder_effects(before: Published, after: Published, consummations: list[date]) -> list[HolderEffect]:
    """One :class:`HolderEffect` per consummation date, for $1,000 of Old Notes."""
    return [holder_effect(before, after, Holding(THOUSAND, day)) for day in sorted(set(consummations))]


def _by_row(published: Published, holding: Holding) -> tuple[dict[int, VersionOutcome], int | None]:
    """Each published row's outcome, and which row is in force on the consummation date."""
    result = outcome([t for _, t in published], holding)
    pks = {t.slug: pk for pk, t in published}
    in_force = pks[result.in_force.slug] if result.in_force else None
    return {pks[v.slug]: v for v in result.versions}, in_force


def holder_effect(before: Published, after: Published, holding: Holding) -> HolderEffect:
    (was, was_in_force), (will, will_in_force) = _by_row(before, holding), _by_row(after, holding)
    order = [pk for pk, _ in after] + [pk for pk, _ in before if pk not in will]
    return HolderEffect(
        holding=holding,
        shown_before=tuple(t.name for _, t in before),
        shown_after=tuple(t.name for _, t in after),
        versions=tuple(_version_effect(was.get(pk), will.get(pk), holding.consummation,
                                       (pk == was_in_force, pk == will_in_force)) for pk in order),
    )


def _version_effect(before: VersionOutcome | None, after: VersionOutcome | None, day: date,
                    in_force: tuple[bool, bool]) -> VersionEffect:
    name = (after or before).name
    if before is not None and after is not None and before.name != after.name:
        name = f"{before.name}, renamed {after.name}"
    rows = [Row("Shown to holders", "yes" if before else "no", "yes" if after else "no"),
            Row(f"In force on {long_date(day)}", *("yes" if now else "no" for now in in_force)),
            Row(f"Applies on {long_date(day)}", _applies(before), _applies(after))]
    rows += [Row(label, _figure(before, key), _figure(after, key)) for key, label in FIGURES]
    return VersionEffect(name, tuple(rows))


def _applies(result: VersionOutcome | None) -> str:
    if result is None:
        return NOT_SHOWN
    return "yes" if result.available else f"no: {result.unavailable_reason}"


def _figure(result: VersionOutcome | None, key: str) -> str:
    if result is None:
        return NOT_SHOWN
    if not result.available:
        return "does not apply"
    return money(getattr(result, key))
