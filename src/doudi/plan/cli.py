"""The plan's commands: a plan version, the difference of two, its ledger, the lists, the
lake export of its inputs (``doudi lake export``) and the settlement of a year of bills
on it (``doudi lake settle``)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from doudi.console import open_registry, write_file
from doudi.core import vocab

app = typer.Typer()
#: Where Spark runs (``doudi plan``, ``doudi lake settle``).
SparkMaster = Annotated[
    str,
    typer.Option(
        "--spark-master",
        help="Spark 地址：默认本地 local[2]；集群如 spark://host:7077、yarn、k8s://…",
    ),
]
lake_group = typer.Typer(
    help="数据湖：计划与结算的输入按省、区县导出为 Parquet，在其上结算 / the lakehouse"
)
app.add_typer(lake_group, name="lake")


@app.command()
def plan(
    jurisdiction: Annotated[str, typer.Option(help="统筹地区代码，如 500000")],
    year: Annotated[int, typer.Option(help="年度")],
    region: Annotated[
        str | None, typer.Option(help="只计划该区划（如区县 360102），默认整个统筹地区")
    ] = None,
    programme: Annotated[
        list[str] | None,
        typer.Option(
            help="只计算该项目：resident_pension（养老保险代缴）、resident_medical"
            "（医保缴费资助）、unemployment（失业保险待遇，江西、河北），可重复；默认全部"
        ),
    ] = None,
    user: Annotated[str, typer.Option(help="经办人（记入计划版本）")] = "cli",
    engine: Annotated[str, typer.Option(help="计算引擎：duckdb 或 spark")] = "duckdb",
    spark_master: SparkMaster = "local[2]",
    lake: Annotated[
        str | None,
        typer.Option(
            help="数据湖导出的位置（doudi lake export --to 所写）：由 Spark 的执行器直接读取"
            "其文件；--engine duckdb 时在本进程读取同一批文件（核对 Spark 的结果）"
        ),
    ] = None,
) -> None:
    """生成年度计划（养老保险代缴、医保缴费资助、失业保险待遇，各项目各自冻结版本）.

    退出码：0 全部生成；1 部分项目未生成（原因已列出）；2 未写入任何数据。
    """
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    from doudi.plan.programmes import UnknownProgramme
    from doudi.plan.versions import PlanError, run_plans
    from doudi.policy import jurisdictions

    columns = (SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn())
    try:
        with Progress(*columns, transient=True) as bar:
            task = bar.add_task("准备 / starting", total=None)
            result = run_plans(
                open_registry(),
                jurisdiction,
                year,
                programmes=tuple(programme) if programme else None,
                actor=user,
                engine=engine,
                spark_master=spark_master,
                progress=lambda stage: bar.update(task, description=stage),
                region=region,
                lake=lake,
            )
    except (jurisdictions.UnknownJurisdiction, UnknownProgramme, PlanError) as exc:
        typer.echo(f"无法生成计划，未写入任何数据 / no plan written: {exc}", err=True)
        raise typer.Exit(code=2) from None
    for line in result.summary_zh(region or jurisdiction, year):
        typer.echo(line)
    if result.refused:
        # some programme's plan was not written (another region's plan of it overlaps):
        # the others were; a script can tell from the exit code
        raise typer.Exit(code=1)


@lake_group.command("export")
def lake_export(
    region: Annotated[str, typer.Option(help="区划代码（省、市或区县，如 360000）")],
    year: Annotated[int, typer.Option(help="年度")],
    to: Annotated[
        str, typer.Option("--to", help="数据湖位置：已有的文件夹、file:// 或 s3:// 地址")
    ],
    jurisdiction: Annotated[
        str | None, typer.Option(help="按哪个统筹地区的政策读取（默认：区划所在的统筹地区）")
    ] = None,
) -> None:
    """导出区划的计划输入到数据湖（按省、区县分区的 Parquet 与清单）.

    人员及其当年情况、身份时段按户籍区县分区写出，每个文件的行数与 SHA-256 记入清单
    manifest.json；再次导出时只重写有变化的区县。

    退出码：0 已导出；2 未导出（原因已列出）。
    """
    from doudi.core import regions
    from doudi.lakehouse.location import LakeError
    from doudi.lakehouse.manifest import MANIFEST
    from doudi.plan.lake import export, target

    try:
        where = target(region, to, jurisdiction)  # before the registry is opened
        written = export(open_registry(), region, year, where)
    except LakeError as exc:
        typer.echo(f"未导出 / nothing exported: {exc}", err=True)
        raise typer.Exit(code=2) from None
    except OSError as exc:  # the folder or bucket failed midway (full, gone)
        typer.echo(f"写入数据湖失败，本次导出未完成 / the export failed: {exc}", err=True)
        raise typer.Exit(code=2) from None
    m = written.manifest
    typer.echo(
        f"已导出区划 {m.region} {regions.region_name(m.region) or ''} {m.year}年"
        f"（统筹地区 {m.jurisdiction}）：人员 {m.rows('people')} 人，身份时段 "
        f"{m.rows('statuses')} 条，区县 {len(m.parts)} 个（重写 {len(written.rewritten)} 个，"
        f"未变 {len(written.kept)} 个，移除 {len(written.removed)} 个）"
    )
    typer.echo(f"清单 {written.location.path(MANIFEST)}，校验和 {m.checksum}")


@lake_group.command("settle")
def lake_settle(
    lake: Annotated[str, typer.Option(help="数据湖导出的位置（doudi lake export --to 所写）")],
    jurisdiction: Annotated[str, typer.Option(help="结算的统筹地区代码，如 360000")],
    year: Annotated[int, typer.Option(help="出院年度")],
    region: Annotated[
        str | None, typer.Option(help="只结算该区划（如区县 360102），默认整个统筹地区")
    ] = None,
    engine: Annotated[str, typer.Option(help="计算引擎：spark 或 duckdb")] = "spark",
    spark_master: SparkMaster = "local[2]",
) -> None:
    """结算数据湖中一年的住院结算单据（各支付方依次支付，结果按省、区县写回数据湖）.

    退出码：0 已结算；2 未结算（原因已列出）。
    """
    from doudi.lakehouse.location import LakeError
    from doudi.plan import lake_inputs, lake_settlement

    try:
        with open_registry().reading() as con:
            read = lake_inputs.open_export(con, lake, jurisdiction, year, region or jurisdiction)
        settled = lake_settlement.settle(read, engine, spark_master)
    except LakeError as exc:
        typer.echo(f"未结算 / nothing settled: {exc}", err=True)
        raise typer.Exit(code=2) from None
    except OSError as exc:  # the lake failed midway (full, gone)
        typer.echo(f"写入数据湖失败，本次结算未完成 / the settlement failed: {exc}", err=True)
        raise typer.Exit(code=2) from None
    typer.echo(f"已结算 {settled.bills} 张单据，结果写入 {settled.results}")
    for name, amount in settled.totals.items():
        label = _LAYERS_ZH.get(name, "个人支付")
        typer.echo(f"  {label}：{amount} 元")
    typer.echo(f"依据 {'、'.join(settled.basis)}")


#: A settled bill's amount columns (lake_settlement.TOTALS) as a summary names them.
_LAYERS_ZH = {f"{code}_paid": name for code, name in vocab.SETTLEMENT_LAYER.items()}


@app.command("plan-diff")
def plan_diff(
    old: Annotated[int, typer.Argument(help="旧版本编号（registry_plan_version.id）")],
    new: Annotated[int, typer.Argument(help="新版本编号")],
) -> None:
    """比较两个计划版本：谁的哪一项金额变了 / what changed between two plan versions."""
    from doudi.plan.outcome import PlanError
    from doudi.plan.version_diff import diff

    try:
        changes = diff(open_registry(), old, new)
    except PlanError as exc:
        typer.echo(f"无法比较 / cannot compare: {exc}", err=True)
        raise typer.Exit(code=2) from None
    typer.echo(f"共 {changes.num_rows} 项变化")
    for r in changes.to_pylist():
        typer.echo(
            f"  {r['id_number']} {r['name']} {vocab.PAYER.label(r['payer'])}："
            f"{r['old_amount']} → {r['new_amount']}"
        )


@app.command()
def ledger(
    version: Annotated[int, typer.Argument(help="计划版本编号（registry_plan_version.id）")],
    out: Annotated[Path, typer.Option(help="写出 Excel 工作簿（台账、分区统计、付款方、说明）")],
) -> None:
    """导出计划版本的管理台账与统计（含图表） / the ledger and statistics of a plan."""
    from doudi.plan.ledger import LedgerError
    from doudi.plan.ledger_workbook import ledger_workbook

    try:
        ledger_workbook(open_registry(), version, out)
    except LedgerError as exc:
        typer.echo(f"输入有误 / invalid input: {exc}", err=True)
        raise typer.Exit(code=2) from None
    typer.echo(f"已写出 {out}")


@app.command("income-list")
def income_list(
    jurisdiction: Annotated[str, typer.Option(help="统筹地区代码，如 360000")],
    year: Annotated[int, typer.Option(help="年度")],
    out: Annotated[Path, typer.Option(help="写出 Excel 名单（交民政、扶贫部门）")],
    region: Annotated[str | None, typer.Option(help="只列该区划（如区县 360102）")] = None,
) -> None:
    """基础养老金不计入家庭收入人员名单（交民政、扶贫部门） / the civil-affairs list."""
    from doudi.plan import income_list as income
    from doudi.policy import jurisdictions

    try:
        found = income.income_list(open_registry(), jurisdiction, year, region)
    except (jurisdictions.UnknownJurisdiction, income.IncomeListError) as exc:
        typer.echo(f"未生成名单 / no list written: {exc}", err=True)
        raise typer.Exit(code=2) from None
    write_file(lambda path: income.write(found, path), out)
    for line in found.summary_zh():
        typer.echo(line)
    typer.echo(f"已写出 {out}")


@app.command("pension-starts")
def pension_starts(
    region: Annotated[str, typer.Option(help="区划代码（区县、市或省，如 370102、130281）")],
    year: Annotated[int, typer.Option(help="年度")],
    out: Annotated[Path | None, typer.Option(help="写出 Excel 名单")] = None,
) -> None:
    """养老金领取申请名单：河北60周岁以上未参保贫困人员领取待遇、山东重度残疾人提前领取养老金.

    退出码：0 已生成；2 未生成（原因已列出）。
    """
    from doudi.plan import pension_starts as starts
    from doudi.policy import jurisdictions

    try:
        found = starts.pension_starts(open_registry(), region, year)
    except (jurisdictions.UnknownJurisdiction, starts.PensionStartsError) as exc:
        typer.echo(f"未生成名单 / no list written: {exc}", err=True)
        raise typer.Exit(code=2) from None
    if out is not None:
        write_file(lambda path: starts.write(found, path), out)
    for line in found.summary_zh():
        typer.echo(line)
    if out is not None:
        typer.echo(f"已写出 {out}")
        return
    for r in found.people.to_pylist():  # without a workbook, the list on the terminal
        review = f"（{r['review_result']}）" if r["review_result"] else ""
        start = f"，{found.rule.start} {r['pension_from']}" if r["pension_from"] else ""
        typer.echo(
            f"  {r['id_number']} {r['name']} 申请 {r['application_date']}{review}："
            f"{'符合' if r['qualifies'] == '是' else '不符合'}{start}；{r['reason']}"
            f"（{r['basis']}）"
        )


@app.command("service-targets")
def service_targets_(
    region: Annotated[str, typer.Option(help="江西省内的区划代码（区县、市或省，如 360102）")],
    as_of: Annotated[str, typer.Option("--as-of", help="统计日期 YYYY-MM-DD")],
    out: Annotated[
        Path | None, typer.Option(help="写出 Excel（指标及未覆盖的乡镇、行政村）")
    ] = None,
) -> None:
    """便民服务目标（JX-2017-58/2.4.10）：代扣代缴乡镇覆盖率、代扣代缴率、服务点行政村覆盖率.

    退出码：0 已统计；2 未统计（原因已列出）。
    """
    from doudi.console import parse_day
    from doudi.core.textfile import FileError
    from doudi.plan.service_targets import service_targets

    day = parse_day(as_of, "--as-of")
    try:
        found = service_targets(open_registry(), region, day)
    except FileError as exc:
        typer.echo(f"未统计 / nothing computed: {exc}", err=True)
        raise typer.Exit(code=2) from None
    if out is not None:
        write_file(found.write_workbook, out)
    for line in found.lines_zh():
        typer.echo(line)
    if out is not None:
        typer.echo(f"已写出 {out}")
