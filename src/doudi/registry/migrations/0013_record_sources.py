# The record sources issue #20 §1 adds (rosters.sources, kind "record"): the
# unemployment-insurance records, vocational certificates, third-party funding and the
# pension applications of Hebei's 60+ and Shandong's severely disabled. Their rows are
# kept on the roster entry, one nullable column per fact; they open and close no period.

from django.db import migrations, models


def _field(name, field):
    return migrations.AddField(model_name="rosterentry", name=name, field=field)


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0012_plan_programme"),
    ]

    operations = [
        _field("unit_name", models.CharField(max_length=128, null=True, verbose_name="单位名称")),
        _field(
            "rural_contract_worker",
            models.BooleanField(null=True, verbose_name="是否农民合同制工人"),
        ),
        _field("months_at_unit", models.IntegerField(null=True, verbose_name="本单位连续工作月数")),
        _field("unit_paid", models.BooleanField(null=True, verbose_name="单位是否缴纳失业保险费")),
        _field(
            "contract_ending",
            models.CharField(max_length=32, null=True, verbose_name="劳动合同终止情形"),
        ),
        _field("contract_end_date", models.DateField(null=True, verbose_name="劳动合同终止日期")),
        _field("insured_months", models.IntegerField(null=True, verbose_name="累计参保月数")),
        _field("contribution_months", models.IntegerField(null=True, verbose_name="累计缴费月数")),
        _field(
            "benefit_qualified",
            models.BooleanField(null=True, verbose_name="是否符合领取失业保险金条件"),
        ),
        _field(
            "medical_scheme",
            models.CharField(max_length=16, null=True, verbose_name="领取期间参加的医疗保险"),
        ),
        _field(
            "resident_medical_paid",
            models.DecimalField(
                decimal_places=2, max_digits=18, null=True, verbose_name="居民医保个人实缴金额"
            ),
        ),
        _field("certificate_level", models.SmallIntegerField(null=True, verbose_name="证书等级")),
        _field("certificate_date", models.DateField(null=True, verbose_name="发证日期")),
        _field(
            "certificate_number",
            models.CharField(max_length=64, null=True, verbose_name="证书编号"),
        ),
        _field("funder", models.CharField(max_length=128, null=True, verbose_name="资助方")),
        _field(
            "funding_amount",
            models.DecimalField(
                decimal_places=2, max_digits=18, null=True, verbose_name="资助金额"
            ),
        ),
        _field("funding_year", models.SmallIntegerField(null=True, verbose_name="资助年度")),
        _field("application_date", models.DateField(null=True, verbose_name="申请日期")),
        _field(
            "review_result", models.CharField(max_length=16, null=True, verbose_name="审核结果")
        ),
    ]
