# The withholding request's day, so that a return's deduction before it is refused
# (issue #19); empty for batches exported before.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0006_import_per_file_and_date"),
    ]

    operations = [
        migrations.AddField(
            model_name="withholdingbatch",
            name="requested_on",
            field=models.DateField(null=True, verbose_name="代扣请求日期"),
        ),
    ]
