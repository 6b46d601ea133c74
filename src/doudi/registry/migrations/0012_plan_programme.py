# A plan version is of one programme (decision 0012): the resident pension's
# government-paid part, as every version so far, the resident-medical contribution
# subsidy, or what the unemployment fund pays rural workers. Numbers and inputs are
# unique per programme, so the medical lineage of a region's year numbers its versions
# 1, 2, … beside the pension's. The checksum of a version's rows lets a run whose
# inputs changed but whose rows did not keep it (the versions made before have none,
# and are never matched by it).

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0011_new_roster_sources"),
    ]

    operations = [
        migrations.AddField(
            model_name="planversion",
            name="programme",
            field=models.CharField(
                choices=[
                    ("resident_pension", "resident_pension"),
                    ("resident_medical", "resident_medical"),
                    ("unemployment", "unemployment"),
                ],
                default="resident_pension",
                max_length=32,
                verbose_name="项目",
            ),
        ),
        migrations.AddField(
            model_name="planversion",
            name="rows_checksum",
            field=models.CharField(default="", max_length=64, verbose_name="结果校验和"),
        ),
        migrations.RemoveConstraint(
            model_name="planversion",
            name="one_plan_number_per_region",
        ),
        migrations.RemoveConstraint(
            model_name="planversion",
            name="one_plan_per_region_input",
        ),
        migrations.AddConstraint(
            model_name="planversion",
            constraint=models.UniqueConstraint(
                fields=("region", "year", "programme", "number"),
                name="one_plan_number_per_programme",
            ),
        ),
        migrations.AddConstraint(
            model_name="planversion",
            constraint=models.UniqueConstraint(
                fields=("region", "year", "programme", "inputs_checksum"),
                name="one_plan_per_programme_input",
            ),
        ),
    ]
