# Jiangxi's service targets (JX-2017-58/2.4.10): the bank of a withholding mandate on the
# roster entry, and the service points of villages (a list of places, not of people).

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0014_pzh_programmes"),
    ]

    operations = [
        migrations.AddField(
            model_name="rosterentry",
            name="bank_name",
            field=models.CharField(max_length=64, null=True, verbose_name="代扣银行"),
        ),
        migrations.CreateModel(
            name="ServicePoint",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("row_number", models.IntegerField(verbose_name="行号")),
                ("region_code", models.CharField(max_length=12, verbose_name="区划代码")),
                ("county", models.CharField(max_length=6, verbose_name="县级区划")),
                ("township", models.CharField(max_length=64, verbose_name="乡镇(街道)")),
                ("village", models.CharField(max_length=64, verbose_name="村(社区)")),
                ("point_name", models.CharField(max_length=128, verbose_name="服务点名称")),
                ("since", models.DateField(verbose_name="设立日期")),
                (
                    "batch",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="service_points",
                        to="registry.importbatch",
                    ),
                ),
            ],
            options={
                "db_table": "registry_service_point",
                "indexes": [
                    models.Index(
                        fields=["county", "township", "village"], name="service_point_village"
                    )
                ],
            },
        ),
    ]
