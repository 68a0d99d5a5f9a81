"""Seed the two published versions from the shipped terms files, and the tender status
published with the amendment (Sep 18, 2003: $27,209,000 tendered)."""

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

from django.db import migrations

SEED_DIR = Path(__file__).resolve().parent.parent / "seed_terms"
SEED_FILES = ("original.json", "september-2003.json")


def seed(apps, schema_editor):
    # Read with the core's reader, so the seed is checked like any imported file.
    from offers.adapter import version_fields
    from offers.core.termsfile import terms_from_dict

    OldNotes = apps.get_model("offers", "OldNotes")
    OfferVersion = apps.get_model("offers", "OfferVersion")
    TenderReport = apps.get_model("offers", "TenderReport")
    old_notes = None
    for position, filename in enumerate(SEED_FILES):
        terms = terms_from_dict(json.loads((SEED_DIR / filename).read_text(encoding="utf-8")))
        if old_notes is None:
            old = terms.old_notes
            old_notes, _ = OldNotes.objects.get_or_create(
                name=old.name,
                defaults={"rate_percent": old.rate_percent, "accrual_start": old.accrual_start,
                          "outstanding": old.outstanding, "day_count": old.day_count},
            )
        if not OfferVersion.objects.filter(slug=terms.slug).exists():
            OfferVersion.objects.create(old_notes=old_notes, status="published", position=position * 10,
                                        **version_fields(terms))
    if old_notes is not None and not TenderReport.objects.filter(as_of=date(2003, 9, 18)).exists():
        TenderReport.objects.create(
            old_notes=old_notes, as_of=date(2003, 9, 18), amount_tendered=Decimal("27209000"),
            note="Press release of September 18, 2003: $27,209,000 principal amount, or 99.3% of the "
            "amount outstanding, had been tendered.",
        )


def unseed(apps, schema_editor):
    apps.get_model("offers", "TenderReport").objects.filter(as_of=date(2003, 9, 18)).delete()
    apps.get_model("offers", "OfferVersion").objects.filter(slug__in=["original", "september-2003"]).delete()
    apps.get_model("offers", "OldNotes").objects.filter(versions__isnull=True, tender_reports__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("offers", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
