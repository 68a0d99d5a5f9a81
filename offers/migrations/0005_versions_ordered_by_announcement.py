"""Versions are ordered by announcement (rule 11), not by a position staff set: ``position`` is retired.

Before it goes, the order it gave is checked against the new rule: at most one published
version may lack an announcement date (the first, whose terms were in force before any
dated amendment). Any other published version without one could not be placed in the
history, so it goes back to draft, with a historical record saying why, for staff to date
and publish again. Nothing is deleted.
"""

from django.db import migrations, models
from django.utils import timezone

REASON = "Back to draft: versions are now ordered by announcement date, and this one has none"


def undated_back_to_draft(apps, schema_editor):
    OfferVersion = apps.get_model("offers", "OfferVersion")
    Historical = apps.get_model("offers", "HistoricalOfferVersion")
    undated = list(OfferVersion.objects.filter(status="published", announced__isnull=True).order_by("position", "pk"))
    for version in undated[1:]:
        version.status = "draft"
        version.save(update_fields=["status"])
        fields = {f.attname: getattr(version, f.attname) for f in OfferVersion._meta.concrete_fields}
        Historical.objects.create(**fields, history_date=timezone.now(), history_type="~",
                                  history_change_reason=REASON)


class Migration(migrations.Migration):

    dependencies = [
        ('offers', '0004_staff_groups_and_largest_holders'),
    ]

    operations = [
        migrations.RunPython(undated_back_to_draft, migrations.RunPython.noop),
        migrations.AlterModelOptions(
            name='offerversion',
            options={'ordering': (models.OrderBy(models.F('announced'), nulls_first=True), 'name', 'pk')},
        ),
        migrations.RemoveField(
            model_name='historicalofferversion',
            name='position',
        ),
        migrations.RemoveField(
            model_name='offerversion',
            name='position',
        ),
        migrations.AlterField(
            model_name='historicalofferversion',
            name='announced',
            field=models.DateField(blank=True, help_text='When these terms were announced, such as 2003-09-18. Versions are ordered by it, and each replaces the one announced before it. Only the first version of the offer (the terms in force before any amendment) may leave it empty.', null=True),
        ),
        migrations.AlterField(
            model_name='offerversion',
            name='announced',
            field=models.DateField(blank=True, help_text='When these terms were announced, such as 2003-09-18. Versions are ordered by it, and each replaces the one announced before it. Only the first version of the offer (the terms in force before any amendment) may leave it empty.', null=True),
        ),
    ]
