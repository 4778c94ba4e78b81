"""Per-organization reference numbers for concerns ("2026-0003").

Existing concerns are numbered in submission order (created_at, then id) within
their organization and the year of submission in the project's time zone, as
`concern_submit` numbers new ones.
"""

from collections import defaultdict
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import migrations, models


def number_existing_concerns(apps, schema_editor):
    Concern = apps.get_model("dialogue", "Concern")
    zone = ZoneInfo(settings.TIME_ZONE)
    last = defaultdict(int)  # (organization, year) -> last number given
    batch = []
    rows = Concern.objects.order_by("organization_id", "created_at", "id").only(
        "pk", "organization_id", "created_at"
    )
    for concern in rows.iterator(chunk_size=2000):
        year = concern.created_at.astimezone(zone).year
        last[concern.organization_id, year] += 1
        concern.reference = f"{year}-{last[concern.organization_id, year]:04d}"
        batch.append(concern)
        if len(batch) >= 2000:
            Concern.objects.bulk_update(batch, ["reference"])
            batch = []
    if batch:
        Concern.objects.bulk_update(batch, ["reference"])


class Migration(migrations.Migration):
    dependencies = [
        ("dialogue", "0005_api_tokens"),
    ]

    operations = [
        migrations.AddField(
            model_name="concern",
            name="reference",
            field=models.CharField(
                default="", editable=False, max_length=16, verbose_name="reference number"
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="historicalconcern",
            name="reference",
            field=models.CharField(
                default="", editable=False, max_length=16, verbose_name="reference number"
            ),
            preserve_default=False,
        ),
        migrations.RunPython(number_existing_concerns, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="concern",
            constraint=models.UniqueConstraint(
                fields=("organization", "reference"), name="concern_reference_unique_per_org"
            ),
        ),
    ]
