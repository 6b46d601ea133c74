# Hebei's rural workers' unemployment benefit (HE-2018-3/2.4): the months drawn in the year
# and the employee-medical premium the fund pays, on the unemployment-insurance record.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0015_service_targets"),
    ]

    operations = [
        migrations.AddField(
            model_name="rosterentry",
            name="benefit_months",
            field=models.IntegerField(null=True, verbose_name="本年领取失业保险金月数"),
        ),
        migrations.AddField(
            model_name="rosterentry",
            name="employee_medical_premium",
            field=models.DecimalField(
                decimal_places=2, max_digits=18, null=True, verbose_name="领取期间职工医保缴费金额"
            ),
        ),
    ]
