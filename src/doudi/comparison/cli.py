"""The comparison's command (信息比对)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from doudi.console import open_registry, parse_day

app = typer.Typer()


@app.command()
def compare(
    region: Annotated[str, typer.Option(help="比对范围：省/市/县区划代码，如 360102")],
    as_of: Annotated[str | None, typer.Option("--as-of", help="比对日期，默认今天")] = None,
    out: Annotated[Path | None, typer.Option(help="写出 Excel 工作簿（每类问题一张表）")] = None,
) -> None:
    """信息比对：未参保的贫困人员、异地参保、死亡冒领、姓名不一致…… / comparison."""
    from doudi.comparison.compare import FINDINGS, TABLES, ComparisonError
    from doudi.comparison.compare import compare as run_comparison
    from doudi.comparison.workbook import comparison_workbook

    day = parse_day(as_of, "--as-of") if as_of else date.today()
    database = open_registry()
    try:
        result = run_comparison({t: database.read(t) for t in TABLES}, region, day)
    except ComparisonError as exc:
        typer.echo(f"输入有误 / invalid input: {exc}", err=True)
        raise typer.Exit(code=2) from None
    top = result.summary.slice(0, 1).to_pylist()
    if top:
        row = top[0]
        typer.echo(
            f"{result.region_name}（截至 {day}）：贫困人员 {row['poor']} 人"
            f"（养老保险计入政府代缴对象 {row['pension_poor']} 人，参保率 {row['pension_rate']}%；"
            f"医疗保险计入参保资助对象 {row['medical_poor']} 人，参保率 {row['medical_rate']}%）"
        )
    for name, label in FINDINGS:
        typer.echo(f"  {label}：{result.finding(name).num_rows} 条")
    if out is not None:
        comparison_workbook(result, out)
        typer.echo(f"已写出 {out}")
