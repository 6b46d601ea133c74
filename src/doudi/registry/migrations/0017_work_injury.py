# Work injury (RULES.md §5, decision 0016): projects insured per project, workers on
# projects, work-injury cases and advance payments, each row kept with its import batch.

import django.db.models.deletion
from django.db import migrations, models


def _key() -> tuple[str, models.BigAutoField]:
    return (
        "id",
        models.BigAutoField(
            auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
        ),
    )


def _batch() -> tuple[str, models.ForeignKey]:
    return (
        "batch",
        models.ForeignKey(
            on_delete=django.db.models.deletion.CASCADE,
            related_name="+",
            to="registry.importbatch",
        ),
    )


def _money(label: str) -> models.DecimalField:
    return models.DecimalField(decimal_places=2, max_digits=18, verbose_name=label)


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0016_unemployment_benefit_months"),
    ]

    operations = [
        migrations.CreateModel(
            name="AdvancePayment",
            fields=[
                _key(),
                ("row_number", models.IntegerField(verbose_name="行号")),
                ("county", models.CharField(max_length=6, verbose_name="县级区划")),
                ("case_id", models.CharField(max_length=32, verbose_name="案件编号")),
                ("amount", _money("先行支付金额")),
                ("paid_on", models.DateField(verbose_name="支付日期")),
                ("recovered", _money("已追偿金额")),
                ("recovered_on", models.DateField(null=True, verbose_name="追偿日期")),
                _batch(),
            ],
            options={
                "db_table": "registry_advance_payment",
                "indexes": [models.Index(fields=["county", "case_id"], name="wi_payment_county")],
            },
        ),
        migrations.CreateModel(
            name="ProjectWorker",
            fields=[
                _key(),
                ("row_number", models.IntegerField(verbose_name="行号")),
                ("county", models.CharField(max_length=6, verbose_name="县级区划")),
                ("person_id", models.CharField(max_length=18, verbose_name="身份证号")),
                ("name", models.CharField(max_length=64, verbose_name="姓名")),
                ("project_id", models.CharField(max_length=32, verbose_name="项目编号")),
                ("from_date", models.DateField(verbose_name="进场日期")),
                ("to_date", models.DateField(null=True, verbose_name="退场日期")),
                _batch(),
            ],
            options={
                "db_table": "registry_project_worker",
                "indexes": [models.Index(fields=["county", "person_id"], name="wi_worker_county")],
            },
        ),
        migrations.CreateModel(
            name="WorkInjuryCase",
            fields=[
                _key(),
                ("row_number", models.IntegerField(verbose_name="行号")),
                ("county", models.CharField(max_length=6, verbose_name="县级区划")),
                ("case_id", models.CharField(max_length=32, verbose_name="案件编号")),
                ("person_id", models.CharField(max_length=18, verbose_name="身份证号")),
                ("name", models.CharField(max_length=64, verbose_name="姓名")),
                ("injury_date", models.DateField(verbose_name="受伤日期")),
                ("employer", models.CharField(max_length=128, verbose_name="用人单位")),
                ("recognition", models.CharField(max_length=16, verbose_name="工伤认定结论")),
                ("recognition_date", models.DateField(null=True, verbose_name="认定日期")),
                (
                    "employer_insured",
                    models.BooleanField(verbose_name="用人单位是否参加工伤保险"),
                ),
                (
                    "employer_paid",
                    models.BooleanField(verbose_name="用人单位是否支付工伤保险待遇"),
                ),
                ("claimed", _money("申请待遇金额")),
                ("pneumoconiosis", models.BooleanField(verbose_name="尘肺病")),
                _batch(),
            ],
            options={
                "db_table": "registry_work_injury_case",
                "indexes": [models.Index(fields=["county", "case_id"], name="wi_case_county")],
            },
        ),
        migrations.CreateModel(
            name="WorkInjuryProject",
            fields=[
                _key(),
                ("row_number", models.IntegerField(verbose_name="行号")),
                ("county", models.CharField(max_length=6, verbose_name="所在县区")),
                ("project_id", models.CharField(max_length=32, verbose_name="项目编号")),
                ("name", models.CharField(max_length=128, verbose_name="项目名称")),
                ("sector", models.CharField(max_length=16, verbose_name="行业")),
                ("contractor", models.CharField(max_length=128, verbose_name="施工单位")),
                ("start_date", models.DateField(verbose_name="开工日期")),
                ("insured_from", models.DateField(null=True, verbose_name="工伤保险起保日期")),
                ("insured_to", models.DateField(null=True, verbose_name="工伤保险终止日期")),
                _batch(),
            ],
            options={
                "db_table": "registry_work_injury_project",
                "indexes": [
                    models.Index(fields=["county", "project_id"], name="wi_project_county")
                ],
            },
        ),
    ]
