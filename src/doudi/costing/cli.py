"""The costing's command: ``doudi cost REFORM.yaml`` (政策测算)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from doudi.console import open_registry, readable_file, write_file
from doudi.plan.cli import SparkMaster

app = typer.Typer()


@app.command()
def cost(
    reform_file: Annotated[
        Path,
        typer.Argument(metavar="REFORM.yaml", help="测算方案文件（YAML，见 examples/reforms/）"),
    ],
    region: Annotated[
        str | None,
        typer.Option(help="测算人群：区划代码（区县或统筹地区，如 360102），默认基准统筹地区"),
    ] = None,
    year: Annotated[int | None, typer.Option(help="年度，默认测算方案的基准年度")] = None,
    out: Annotated[
        Path | None,
        typer.Option(help="写出 Excel 工作簿（汇总、地区、人群、增减分布、人员明细、说明）"),
    ] = None,
    person: Annotated[
        str | None, typer.Option(help="列出此人（公民身份号码）基准与测算的金额和说明")
    ] = None,
    engine: Annotated[
        str, typer.Option(help="计算引擎：duckdb（默认，本进程）或 spark（与年度计划相同的规则）")
    ] = "duckdb",
    spark_master: SparkMaster = "local[2]",
    lake: Annotated[
        str | None,
        typer.Option(
            help="数据湖导出的位置（doudi lake export --to 所写）：两方的规则在其文件上计算"
            "（--engine spark 时由 Spark 的执行器读取）；改变缴费档次或证件等级的测算方案"
            "须从登记库测算"
        ),
    ] = None,
) -> None:
    """政策测算：按测算方案（参数调整或其他统筹地区的规则）测算登记人员的费用.

    只读：不生成计划版本，不写入登记库（--lake 时计算结果写入数据湖的临时文件夹，读回后删除）。
    退出码：0 已测算；2 未测算（原因已列出）。
    """
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    from doudi.costing.lake import cost_on_lake
    from doudi.costing.printout import lines
    from doudi.costing.reform import ReformError, load
    from doudi.costing.run import CostingError, Engine
    from doudi.costing.run import cost as run_cost
    from doudi.costing.workbook import costing_workbook

    readable_file(reform_file)
    try:
        reform = load(reform_file, year)
    except ReformError as exc:
        typer.echo(f"测算方案有误，未测算 / invalid reform: {reform_file}", err=True)
        for problem in exc.problems:
            typer.echo(f"  - {problem}", err=True)
        raise typer.Exit(code=2) from None
    if out is not None and not out.parent.is_dir():
        # said before a province is read, not after
        typer.echo(
            f"无法写出文件 {out}：文件夹 {out.parent} 不存在，未测算 / no such folder", err=True
        )
        raise typer.Exit(code=2)
    database = open_registry()
    columns = (SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn())
    try:
        with Progress(*columns, transient=True) as bar:
            task = bar.add_task("准备 / starting", total=None)

            def progress(stage: str) -> None:
                bar.update(task, description=stage)

            on = Engine(engine, spark_master)
            if lake is None:
                found = run_cost(database, reform, region, progress, person, on)
            else:
                found = cost_on_lake(database, reform, lake, region, progress, person, on)
    except CostingError as exc:
        typer.echo(f"未测算 / nothing costed: {exc}", err=True)
        raise typer.Exit(code=2) from None
    if out is not None:
        write_file(lambda path: costing_workbook(found, path), out)
    for line in lines(found):
        typer.echo(line)
    if out is not None:
        typer.echo(f"已写出 {out}")
