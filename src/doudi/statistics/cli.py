"""The statistics' command (社会保险扶贫统计)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from doudi.console import open_registry, parse_day, write_file

app = typer.Typer()


@app.command()
def statistics(
    region: Annotated[str, typer.Option(help="统计地区：省/市/县区划代码，如 360102")],
    year: Annotated[int, typer.Option(help="统计年度，如 2018")],
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="参保统计日期，默认今天与年末中较早者")
    ] = None,
    out: Annotated[Path | None, typer.Option(help="写出 Excel 工作簿")] = None,
) -> None:
    """分地区统计：贫困人员参保情况、各项目金额、定期统计 / statistics per region."""
    from doudi.statistics.printout import lines
    from doudi.statistics.report import StatisticsError
    from doudi.statistics.report import statistics as run_statistics
    from doudi.statistics.workbook import statistics_workbook

    day = parse_day(as_of, "--as-of") if as_of else None
    database = open_registry()
    try:
        found = run_statistics(database, region, year, day)
    except StatisticsError as exc:
        typer.echo(f"无法统计 / no statistics: {exc}", err=True)
        raise typer.Exit(code=2) from None
    if out is not None:
        write_file(lambda path: statistics_workbook(found, path), out)
    for line in lines(found):
        typer.echo(line)
    if out is not None:
        typer.echo(f"已写出 {out}")
