"""``doudi lake compare``: the information comparison over a lake export.

Registered in the ``doudi lake`` group (``plan.cli.lake_group``) by the composition
root, ``doudi.cli``: the group is the plan's, the command reads the comparison too.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

import typer

from doudi.console import open_registry, parse_day
from doudi.plan.cli import SparkMaster


def lake_compare(
    region: Annotated[str, typer.Option(help="比对范围：省/市/县区划代码，如 360102")],
    lake: Annotated[str, typer.Option(help="数据湖导出的位置（doudi lake export --to 所写）")],
    as_of: Annotated[str | None, typer.Option("--as-of", help="比对日期，默认今天")] = None,
    engine: Annotated[str, typer.Option(help="计算引擎：spark 或 duckdb")] = "spark",
    spark_master: SparkMaster = "local[2]",
) -> None:
    """在数据湖上做信息比对（各类问题按省、区县写回数据湖）.

    退出码：0 已比对；2 未比对（原因已列出）。
    """
    # imported here: the comparison brings Ibis, which `doudi --help` need not load
    from doudi.comparison.compare import FINDINGS
    from doudi.lakehouse.location import LakeError
    from doudi.lakejobs import comparison

    day = parse_day(as_of, "--as-of") if as_of else date.today()
    try:
        with open_registry().reading() as con:
            read = comparison.open_lake(con, lake, region)
        compared = comparison.compare(read, day, engine, spark_master)
    except (LakeError, ValueError) as exc:
        typer.echo(f"未比对 / nothing compared: {exc}", err=True)
        raise typer.Exit(code=2) from None
    except OSError as exc:  # the lake failed midway (full, gone)
        typer.echo(f"写入数据湖失败，本次比对未完成 / the comparison failed: {exc}", err=True)
        raise typer.Exit(code=2) from None
    typer.echo(f"区划 {compared.region}（截至 {day}）的比对结果写入 {compared.results}")
    for name, label in FINDINGS:
        typer.echo(f"  {label}：{compared.rows[name]} 条")
