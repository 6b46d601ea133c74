# The lists issue #20 §1 adds: the veterans' rows keep their category and the two facts
# that make them qualify (unemployed, not in the employee medical insurance), as the
# disability grade is kept; the new statuses (the 14 categories of veterans, other
# assistance targets, and the facts in school and unable to work, kept as periods so a
# later list ends them) and the employee medical insurance become choices. Choices are
# not enforced by the database: the stored rows stay as they are.

from django.db import migrations, models

SCHEMES = [
    ("resident_pension", "resident_pension"),
    ("employee_pension", "employee_pension"),
    ("resident_medical", "resident_medical"),
    ("employee_medical", "employee_medical"),
    ("unemployment", "unemployment"),
    ("work_injury", "work_injury"),
]


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0010_rejected_row_id_number"),
    ]

    operations = [
        migrations.AddField(
            model_name="rosterentry",
            name="veteran_category",
            field=models.CharField(max_length=64, null=True, verbose_name="退役士兵类别"),
        ),
        migrations.AddField(
            model_name="rosterentry",
            name="unemployed",
            field=models.BooleanField(null=True, verbose_name="是否失业"),
        ),
        migrations.AddField(
            model_name="rosterentry",
            name="in_employee_medical",
            field=models.BooleanField(null=True, verbose_name="是否参加职工医保"),
        ),
        migrations.AlterField(
            model_name="statusperiod",
            name="status",
            field=models.CharField(
                choices=[
                    ("registered_poor", "registered_poor"),
                    ("dibao", "dibao"),
                    ("tekun", "tekun"),
                    ("severe_disability", "severe_disability"),
                    ("low_income_family", "low_income_family"),
                    ("demobilized_14", "demobilized_14"),
                    ("other_assistance", "other_assistance"),
                    ("student", "student"),
                    ("unable_to_work", "unable_to_work"),
                ],
                max_length=32,
                verbose_name="身份",
            ),
        ),
        migrations.AlterField(
            model_name="enrollment",
            name="scheme",
            field=models.CharField(choices=SCHEMES, max_length=32, verbose_name="险种"),
        ),
        migrations.AlterField(
            model_name="contribution",
            name="scheme",
            field=models.CharField(choices=SCHEMES, max_length=32, verbose_name="险种"),
        ),
        migrations.AlterField(
            model_name="payment",
            name="scheme",
            field=models.CharField(choices=SCHEMES, max_length=32, verbose_name="险种"),
        ),
    ]
