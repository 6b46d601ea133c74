"""Plan versions numbered per region and year; a booking once per person, year and payer.

Decision 0010 (issue #19): a region's year is one lineage of plan versions, and a
government part is booked once for a person and year whatever the version. Bookings
made again under a later version (the statement counted them twice) are removed,
keeping the first, which an earlier statement may already have reported. Versions of
one region under two jurisdictions that share a number are renumbered in the order
they were made; two of them with the same inputs cannot be told apart and stop the
migration with the versions named.
"""

from typing import Any

from django.db import migrations, models


def one_booking_per_person_year(apps: Any, schema_editor: Any) -> None:
    Booking = apps.get_model("registry", "Booking")
    rows = Booking.objects.using(schema_editor.connection.alias)
    first = rows.values("person", "year", "payer").annotate(first=models.Min("id")).values("first")
    rows.exclude(id__in=first).delete()


def numbers_per_region(apps: Any, schema_editor: Any) -> None:
    PlanVersion = apps.get_model("registry", "PlanVersion")
    versions = PlanVersion.objects.using(schema_editor.connection.alias)
    same_inputs = (
        versions.values("region", "year", "inputs_checksum")
        .annotate(n=models.Count("id"))
        .filter(n__gt=1)
    )
    for clash in same_inputs:
        named = versions.filter(
            region=clash["region"], year=clash["year"], inputs_checksum=clash["inputs_checksum"]
        )
        listed = "、".join(f"#{v.pk}（统筹地区 {v.jurisdiction}）" for v in named)
        raise RuntimeError(
            f"区划 {clash['region']} {clash['year']}年的计划版本 {listed} 输入相同、分属不同"
            "统筹地区，无法自动迁移：请删除其中之一后再迁移 / plan versions of one region "
            "under two jurisdictions have the same inputs; remove one and migrate again"
        )
    shared = (
        versions.values("region", "year", "number").annotate(n=models.Count("id")).filter(n__gt=1)
    )
    for region, year in {(c["region"], c["year"]) for c in shared}:
        made = versions.filter(region=region, year=year).order_by("created_at", "id")
        for number, version in enumerate(made, start=1):
            version.number = number
            version.save(update_fields=["number"])


class Migration(migrations.Migration):
    dependencies = [("registry", "0007_withholding_requested_on")]

    operations = [
        migrations.RemoveConstraint(model_name="planversion", name="one_plan_number"),
        migrations.RemoveConstraint(model_name="planversion", name="one_plan_per_input"),
        migrations.RemoveConstraint(model_name="booking", name="one_booking_per_part"),
        migrations.RunPython(numbers_per_region, migrations.RunPython.noop),
        migrations.RunPython(one_booking_per_person_year, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="planversion",
            constraint=models.UniqueConstraint(
                fields=("region", "year", "number"), name="one_plan_number_per_region"
            ),
        ),
        migrations.AddConstraint(
            model_name="planversion",
            constraint=models.UniqueConstraint(
                fields=("region", "year", "inputs_checksum"), name="one_plan_per_region_input"
            ),
        ),
        migrations.AddConstraint(
            model_name="booking",
            constraint=models.UniqueConstraint(
                fields=("person", "year", "payer"), name="one_booking_per_person_year"
            ),
        ),
    ]
