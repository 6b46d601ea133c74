# Panzhihua's government contribution subsidy and third-party funding as programmes of
# the yearly plan (decision 0013): a version's programme and its rows' scheme may name
# them. Choices only: nothing in the tables changes.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0013_record_sources"),
    ]

    operations = [
        migrations.AlterField(
            model_name="contribution",
            name="scheme",
            field=models.CharField(
                choices=[
                    ("resident_pension", "resident_pension"),
                    ("employee_pension", "employee_pension"),
                    ("resident_medical", "resident_medical"),
                    ("employee_medical", "employee_medical"),
                    ("unemployment", "unemployment"),
                    ("work_injury", "work_injury"),
                    ("resident_pension_subsidy", "resident_pension_subsidy"),
                    ("third_party_funding", "third_party_funding"),
                ],
                max_length=32,
                verbose_name="险种（项目）",
            ),
        ),
        migrations.AlterField(
            model_name="planversion",
            name="programme",
            field=models.CharField(
                choices=[
                    ("resident_pension", "resident_pension"),
                    ("resident_medical", "resident_medical"),
                    ("unemployment", "unemployment"),
                    ("resident_pension_subsidy", "resident_pension_subsidy"),
                    ("third_party_funding", "third_party_funding"),
                ],
                default="resident_pension",
                max_length=32,
                verbose_name="项目",
            ),
        ),
    ]
