from django.db import migrations, models


def jurisdiction_wide(apps, schema_editor):
    """Versions made before a plan could be limited to a county covered the jurisdiction."""
    PlanVersion = apps.get_model("registry", "PlanVersion")
    versions = PlanVersion.objects.using(schema_editor.connection.alias)
    versions.filter(region="").update(region=models.F("jurisdiction"))


class Migration(migrations.Migration):
    dependencies = [("registry", "0003_bank_cycle")]

    operations = [
        migrations.AddField(
            model_name="planversion",
            name="region",
            field=models.CharField(default="", max_length=12, verbose_name="范围"),
        ),
        migrations.RunPython(jurisdiction_wide, migrations.RunPython.noop),
    ]
