"""Staff groups, the largest holders' figure published with the Sep 18, 2003 tender report,
and a first history record for each seeded row (so the first change made in the admin
shows what it changed from).

"Offer editors" add, change and view versions, the Old Notes and tender reports (never
delete: versions are archived); "Offer viewers" only view them. Permissions are normally
created after migrations run, so they are created here first.
"""

from datetime import date
from decimal import Decimal

from django.contrib.auth.management import create_permissions
from django.db import migrations
from django.utils import timezone

MODELS = ("offerversion", "oldnotes", "tenderreport")
GROUPS = {
    "Offer editors": ("add", "change", "view"),
    "Offer viewers": ("view",),
}


def make_groups(apps, schema_editor):
    offers = apps.get_app_config("offers")
    offers.models_module = True  # create_permissions skips app configs without models
    create_permissions(offers, apps=apps, verbosity=0)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, actions in GROUPS.items():
        group, created = Group.objects.get_or_create(name=name)
        if created:  # a group kept from before (see keep_groups) keeps the permissions staff gave it
            codenames = [f"{action}_{model}" for action in actions for model in MODELS]
            group.permissions.set(Permission.objects.filter(content_type__app_label="offers", codename__in=codenames))


def keep_groups(apps, schema_editor):
    """Going back keeps the groups: once made they are staff's, with their members and any permissions
    staff changed, and deleting them would delete every membership. ``make_groups`` finds them again."""


def seed_largest_holders(apps, schema_editor):
    # Press release of Sep 18, 2003: "The four largest holders control, in the aggregate,
    # $20,490,000 principal amount of the Old Notes, or 74.7% of the $27,412,000 outstanding."
    seeded = {"largest_holders_count": 4, "largest_holders_amount": Decimal("20490000")}
    apps.get_model("offers", "TenderReport").objects.filter(
        as_of=date(2003, 9, 18), largest_holders_amount__isnull=True).update(**seeded)
    # After a way back past 0003 (which drops these columns) and forward again, the seeded report's
    # first history record gets the figure back too (on a new database there is no record yet).
    apps.get_model("offers", "HistoricalTenderReport").objects.filter(
        as_of=date(2003, 9, 18), history_type="+", history_user__isnull=True, largest_holders_amount__isnull=True,
    ).update(**seeded)


def baseline_history(apps, schema_editor):
    now = timezone.now()
    for name in ("OldNotes", "OfferVersion", "TenderReport"):
        model = apps.get_model("offers", name)
        history = apps.get_model("offers", f"Historical{name}")
        columns = [field.attname for field in model._meta.concrete_fields]
        for row in model.objects.all():
            if not history.objects.filter(id=row.pk).exists():
                history.objects.create(**{c: getattr(row, c) for c in columns}, history_date=now, history_type="+",
                                       history_change_reason="Seeded from the shipped terms files")


class Migration(migrations.Migration):
    dependencies = [
        ("offers", "0003_staff_fields_and_help_text"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = [
        migrations.RunPython(make_groups, keep_groups),
        migrations.RunPython(seed_largest_holders, migrations.RunPython.noop),
        migrations.RunPython(baseline_history, migrations.RunPython.noop),
    ]
