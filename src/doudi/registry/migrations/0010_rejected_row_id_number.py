# A rejected row keeps its valid ID number (issue #19 §2): a snapshot closed the periods
# of people whose only row in it was refused for another cell (an empty name, a bad date,
# both rows of a conflicting duplicate), as if the department had dropped them. Rows
# rejected before this migration name nobody ("").

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0009_import_mode"),
    ]

    operations = [
        migrations.AddField(
            model_name="rejectedrow",
            name="id_number",
            field=models.CharField(
                blank=True, db_default="", max_length=18, verbose_name="身份证号"
            ),
        ),
    ]
