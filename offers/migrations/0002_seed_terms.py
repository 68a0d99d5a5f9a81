"""Seed the two published versions (the spec's terms files as they stood when this was written)
and the tender status published with the amendment (Sep 18, 2003: $27,209,000 tendered).

Migrations are history: the values are written here, not read from the shipped terms files or
built with the application's code, so a later change to either cannot change what this did.
"""

from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

from django.db import migrations

NEW_YORK_EDT = timezone(timedelta(hours=-4))

OLD_NOTES = {
    "name": "12 3/4% Senior Subordinated Notes",
    "rate_percent": Decimal("12.75"),
    "accrual_start": date(1999, 8, 1),
    "outstanding": Decimal("27412000"),
    "day_count": "30/360",
}

# What both versions share (the release: "anything not listed as changed is the same").
COMMON = {
    "expected_consummation": date(2003, 10, 10),
    "minimum_tender_percent": Decimal("99"),
    "accrual_end": None,
    "interest_from": None,
    "first_payment": date(2004, 2, 1),
    "payment_months": [2, 5, 8, 11],
    "payment_day": 1,
    "new_day_count": "30/360",
    "increment": Decimal("1"),
    "fractions": "round_down",
    "shares_per_1000": Decimal("10"),
    "exercise_price": Decimal("3.50"),
    "warrant_fractions": "round_down",
    "warrants_may_outlive_notes": False,
}

VERSIONS = (
    COMMON | {
        "slug": "original",
        "name": "Original terms (before the September 2003 amendment)",
        "announced": None,
        "source": "Terms replaced by the press release of September 18, 2003 (items 1-4 give the previous values)",
        "expires_at": datetime(2003, 9, 30, 17, 0, tzinfo=NEW_YORK_EDT),
        "new_rate_percent": Decimal("11.5"),
        "maturity": date(2007, 8, 1),
        "fee_basis": "old_principal",
        "fee_percent": Decimal("3"),
        "fee_per_1000": None,
        "fee_paid_on": ["consummation"],
        "detachable_from": date(2004, 1, 1),
        "exercisable_from": date(2004, 1, 1),
        "warrant_expires": date(2007, 8, 1),
    },
    COMMON | {
        "slug": "september-2003",
        "name": "September 2003 amendment",
        "announced": date(2003, 9, 18),
        "source": "Press release of September 18, 2003 and the offering circular supplement it announces",
        "expires_at": datetime(2003, 10, 7, 17, 0, tzinfo=NEW_YORK_EDT),
        "new_rate_percent": Decimal("12"),
        "maturity": date(2009, 8, 1),
        "fee_basis": "",
        "fee_percent": None,
        "fee_per_1000": None,
        "fee_paid_on": [],
        "detachable_from": date(2005, 8, 1),
        "exercisable_from": date(2005, 8, 1),
        "warrant_expires": date(2009, 8, 1),
    },
)


def seed(apps, schema_editor):
    OldNotes = apps.get_model("offers", "OldNotes")
    OfferVersion = apps.get_model("offers", "OfferVersion")
    TenderReport = apps.get_model("offers", "TenderReport")
    old_notes, _ = OldNotes.objects.get_or_create(
        name=OLD_NOTES["name"], defaults={k: v for k, v in OLD_NOTES.items() if k != "name"})
    for position, fields in enumerate(VERSIONS):
        if not OfferVersion.objects.filter(slug=fields["slug"]).exists():
            OfferVersion.objects.create(old_notes=old_notes, status="published", position=position * 10, **fields)
    if not TenderReport.objects.filter(as_of=date(2003, 9, 18)).exists():
        TenderReport.objects.create(
            old_notes=old_notes, as_of=date(2003, 9, 18), amount_tendered=Decimal("27209000"),
            note="Press release of September 18, 2003: $27,209,000 principal amount, or 99.3% of the "
            "amount outstanding, had been tendered.",
        )


def keep_the_seeded_rows(apps, schema_editor):
    """Going back keeps the seeded rows as they are now: staff may have edited them, and their history
    names them by id. Deleting them here and seeding again on the way forward would put the seed's
    values back over staff's edits and give the rows new ids, so the history would point at rows that
    no longer exist. ``seed`` skips rows that are already there, so forward again changes nothing."""


class Migration(migrations.Migration):
    dependencies = [("offers", "0001_initial")]
    operations = [migrations.RunPython(seed, keep_the_seeded_rows)]
