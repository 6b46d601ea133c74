"""Registry commands of the ``doudi`` command line: import, imports, compare, synth.

Every command works on the database of ``DOUDI_DATABASE_URL`` (default: the
embedded SQLite file var/doudi.sqlite3) and creates or upgrades its tables first.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from doudi.store import db


def _database() -> db.Database:
    db.setup()
    database = db.Database()
    database.migrate()
    db.Database("jobs").migrate()  # the web application's job table (decision 0007)
    return database


def _day(text: str, option: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        typer.echo(
            f"输入有误 / invalid input: {option} 应为 YYYY-MM-DD 格式的日期，实为 {text!r}",
            err=True,
        )
        raise typer.Exit(code=2) from None


def import_(
    file: Annotated[Path, typer.Argument(help="名单文件（XLSX 或 CSV，UTF-8/GBK）")],
    source: Annotated[str, typer.Option(help="来源：poverty, dibao, tekun, disability, …")],
    as_of: Annotated[str, typer.Option("--as-of", help="名单截止日期 YYYY-MM-DD")],
    dry_run: Annotated[bool, typer.Option("--dry-run", help="只检查、预览，不写入")] = False,
    scope: Annotated[
        str | None, typer.Option(help="名单覆盖的区县代码（逗号分隔）；默认取名单中出现的区县")
    ] = None,
    rejected_out: Annotated[
        Path | None, typer.Option("--rejected-out", help="把被拒绝的行写入此 Excel 文件")
    ] = None,
    user: Annotated[str, typer.Option(help="经办人（写入审计日志）")] = "cli",
) -> None:
    """导入部门名单（先校验全部行，再在一个事务中写入） / import a department roster."""
    from doudi.core.textfile import FileError
    from doudi.rosters.importing import import_roster
    from doudi.rosters.sources import ROSTERS, SOURCES
    from doudi.store.workbook import rejected_workbook

    if source not in ROSTERS:
        known = "、".join(f"{k}（{SOURCES[k].label}）" for k in ROSTERS)
        typer.echo(f"输入有误 / invalid input: 未知来源 {source!r}；可用：{known}", err=True)
        raise typer.Exit(code=2)
    day = _day(as_of, "--as-of")
    counties = [c.strip() for c in scope.split(",")] if scope else None
    try:
        report = import_roster(
            _database(), file, source, day, dry_run=dry_run, actor=user, scope=counties
        )
    except (FileError, FileNotFoundError) as exc:
        typer.echo(f"导入失败，数据库未改动 / import failed, nothing written: {exc}", err=True)
        raise typer.Exit(code=2) from None
    for line in report.summary_zh():
        typer.echo(line)
    rejected = report.read.rejected
    for row in rejected.slice(0, 20).to_pylist():
        typer.echo(f"  第 {row['row_number']} 行「{row['column']}」：{row['reason']}")
    if rejected.num_rows > 20:
        typer.echo(f"  …… 另有 {rejected.num_rows - 20} 条（用 --rejected-out 导出全部）")
    if rejected_out is not None and rejected.num_rows:
        rejected_workbook(rejected, rejected_out)
        typer.echo(f"被拒绝的行已写入 {rejected_out}")
    if report.changes is not None and dry_run:
        for row in report.changes.slice(0, 20).to_pylist():
            typer.echo(f"  {row['change']}: {row['id_number']} {row['name']}")


def bills(
    file: Annotated[Path, typer.Argument(help="住院结算单据（CSV，UTF-8/GBK）")],
    jurisdiction: Annotated[str, typer.Option(help="结算的统筹地区代码，如 360000")],
    dry_run: Annotated[bool, typer.Option("--dry-run", help="只检查、预览，不写入")] = False,
    user: Annotated[str, typer.Option(help="经办人（写入审计日志）")] = "cli",
) -> None:
    """导入医院的住院结算单据（先校验全部行，再在一个事务中写入） / import hospital bills."""
    from doudi.bills.importing import import_bills
    from doudi.core.textfile import FileError
    from doudi.policy.jurisdictions import UnknownJurisdiction

    try:
        report = import_bills(_database(), file, jurisdiction, dry_run=dry_run, actor=user)
    except (FileError, FileNotFoundError, UnknownJurisdiction) as exc:
        typer.echo(f"导入失败，数据库未改动 / import failed, nothing written: {exc}", err=True)
        raise typer.Exit(code=2) from None
    for line in report.summary_zh():
        typer.echo(line)


def imports() -> None:
    """列出已导入的名单批次 / list imported rosters."""
    from doudi.rosters.importing import batches_of
    from doudi.rosters.sources import SOURCES

    for b in batches_of(_database()):
        label = SOURCES[b["source"]].label if b["source"] in SOURCES else b["source"]
        typer.echo(
            f"#{b['id']} {label} 截至 {b['as_of']} {b['file_name']}：接受 {b['rows_accepted']}，"
            f"拒绝 {b['rows_rejected']}，新增人员 {b['people_added']}，"
            f"新开 {b['periods_opened']}，关闭 {b['periods_closed']}（{b['imported_by']}）"
        )


def compare(
    region: Annotated[str, typer.Option(help="比对范围：省/市/县区划代码，如 360102")],
    as_of: Annotated[str | None, typer.Option("--as-of", help="比对日期，默认今天")] = None,
    out: Annotated[Path | None, typer.Option(help="写出 Excel 工作簿（每类问题一张表）")] = None,
) -> None:
    """信息比对：未参保的贫困人员、异地参保、死亡冒领、姓名不一致…… / comparison."""
    from doudi.comparison.compare import FINDINGS, TABLES, ComparisonError
    from doudi.comparison.compare import compare as run_comparison
    from doudi.comparison.workbook import comparison_workbook

    day = _day(as_of, "--as-of") if as_of else date.today()
    database = _database()
    try:
        result = run_comparison({t: database.read(t) for t in TABLES}, region, day)
    except ComparisonError as exc:
        typer.echo(f"输入有误 / invalid input: {exc}", err=True)
        raise typer.Exit(code=2) from None
    top = result.summary.slice(0, 1).to_pylist()
    if top:
        row = top[0]
        typer.echo(
            f"{result.region_name}（截至 {day}）：贫困人员 {row['poor']} 人；"
            f"养老保险参保率 {row['pension_rate']}%，医疗保险参保率 {row['medical_rate']}%"
        )
    for name, label in FINDINGS:
        typer.echo(f"  {label}：{result.finding(name).num_rows} 条")
    if out is not None:
        comparison_workbook(result, out)
        typer.echo(f"已写出 {out}")


def synth(
    region: Annotated[str, typer.Option(help="区划代码（省、市或县）")],
    people: Annotated[int, typer.Option(help="人数")],
    out: Annotated[Path, typer.Option(help="输出目录")],
    seed: Annotated[int, typer.Option(help="随机种子")] = 0,
    error_rate: Annotated[float, typer.Option("--error-rate", help="错误行比例")] = 0.02,
    file_format: Annotated[str, typer.Option("--format", help="csv、xlsx 或 mixed")] = "mixed",
) -> None:
    """生成模拟的部门名单（用于演示、测试、基准） / write synthetic department files."""
    from doudi.synth.synth import synthesize

    manifest = synthesize(
        region, people, out, seed=seed, error_rate=error_rate, file_format=file_format
    )
    for f in manifest.files:
        typer.echo(f"{f.path}  {f.source}  {f.encoding}  {f.rows} 行")


def plan(
    jurisdiction: Annotated[str, typer.Option(help="统筹地区代码，如 500000")],
    year: Annotated[int, typer.Option(help="年度")],
    user: Annotated[str, typer.Option(help="经办人（记入计划版本）")] = "cli",
    engine: Annotated[str, typer.Option(help="计算引擎：duckdb 或 spark")] = "duckdb",
    spark_master: Annotated[
        str, typer.Option("--spark-master", help="Spark 地址，默认本地 local[2]")
    ] = "local[2]",
) -> None:
    """生成年度城乡居民养老保险缴费计划（冻结版本） / the year's contribution plan."""
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    from doudi.plan.versions import PlanError, run_plan
    from doudi.policy import jurisdictions

    columns = (SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn())
    try:
        with Progress(*columns, transient=True) as bar:
            task = bar.add_task("准备 / starting", total=None)
            result = run_plan(
                _database(),
                jurisdiction,
                year,
                actor=user,
                engine=engine,
                spark_master=spark_master,
                progress=lambda stage: bar.update(task, description=stage),
            )
    except (jurisdictions.UnknownJurisdiction, PlanError) as exc:
        typer.echo(f"无法生成计划，未写入任何数据 / no plan written: {exc}", err=True)
        raise typer.Exit(code=2) from None
    for line in result.summary_zh(jurisdiction, year):
        typer.echo(line)


def plan_diff(
    old: Annotated[int, typer.Argument(help="旧版本编号（registry_plan_version.id）")],
    new: Annotated[int, typer.Argument(help="新版本编号")],
) -> None:
    """比较两个计划版本：谁的哪一项金额变了 / what changed between two plan versions."""
    from doudi.plan.versions import diff

    changes = diff(_database(), old, new)
    typer.echo(f"共 {changes.num_rows} 项变化")
    for r in changes.to_pylist():
        typer.echo(
            f"  {r['id_number']} {r['name']} {r['payer']}：{r['old_amount']} → {r['new_amount']}"
        )


def ledger(
    version: Annotated[int, typer.Argument(help="计划版本编号（registry_plan_version.id）")],
    out: Annotated[Path, typer.Option(help="写出 Excel 工作簿（台账、分区统计、付款方、说明）")],
) -> None:
    """导出计划版本的管理台账与统计（含图表） / the ledger and statistics of a plan."""
    from doudi.plan.ledger import LedgerError, ledger_workbook

    try:
        ledger_workbook(_database(), version, out)
    except LedgerError as exc:
        typer.echo(f"输入有误 / invalid input: {exc}", err=True)
        raise typer.Exit(code=2) from None
    typer.echo(f"已写出 {out}")
