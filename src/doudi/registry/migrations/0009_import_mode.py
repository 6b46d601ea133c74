# An import's mode (snapshot or addendum) and the region a snapshot closes in (issue #19
# §2): a partial list imported as a snapshot closed a county, and one row of another
# district closed that district's periods. Earlier batches are snapshots that closed in
# every county they covered (region empty), as they did.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0008_plan_region_versions"),
    ]

    operations = [
        migrations.AddField(
            model_name="importbatch",
            name="mode",
            field=models.CharField(db_default="snapshot", max_length=16, verbose_name="导入方式"),
        ),
        migrations.AddField(
            model_name="importbatch",
            name="region",
            field=models.CharField(db_default="", max_length=12, verbose_name="导入区划"),
        ),
    ]
