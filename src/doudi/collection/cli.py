"""The withholding cycle's commands (docs/bank.md): payments, withhold, bank-return,
cutoff."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from doudi.console import fail, open_registry, parse_day, readable_file

app = typer.Typer()


@app.command()
def payments(
    file: Annotated[Path, typer.Argument(help="个人缴费明细（XLSX 或 CSV，UTF-8/GBK）")],
    year: Annotated[int, typer.Option(help="缴费年度")],
    dry_run: Annotated[bool, typer.Option("--dry-run", help="只检查、预览，不写入")] = False,
    user: Annotated[str, typer.Option(help="经办人（写入审计日志）")] = "cli",
) -> None:
    """导入征缴系统的个人缴费明细（用于事后补助） / import the payments made by people."""
    from doudi.collection.payments import import_payments
    from doudi.core.textfile import FileError

    readable_file(file)
    try:
        report = import_payments(open_registry(), file, year, actor=user, dry_run=dry_run)
    except FileError as exc:
        fail("导入失败，数据库未改动 / import failed, nothing written", exc)
    for line in report.summary_zh():
        typer.echo(line)
    for row in report.read.rejected.slice(0, 20).to_pylist():
        typer.echo(f"  第 {row['row_number']} 行「{row['column']}」：{row['reason']}")


@app.command()
def withhold(
    version: Annotated[int, typer.Argument(help="计划版本编号（registry_plan_version.id）")],
    region: Annotated[str, typer.Option(help="区县代码，如 500102")],
    out: Annotated[Path, typer.Option(help="代扣文件的输出目录")],
    on: Annotated[str | None, typer.Option(help="生成日期 YYYY-MM-DD，默认今天")] = None,
    user: Annotated[str, typer.Option(help="经办人")] = "cli",
) -> None:
    """生成银行代扣文件（代缴对象的剩余自付部分） / export the bank-withholding file."""
    from doudi.collection.cycle import BankError
    from doudi.collection.withholding import export_withholding

    day = parse_day(on, "--on") if on else None
    try:
        result = export_withholding(open_registry(), version, region, out, actor=user, on=day)
    except BankError as exc:
        fail("无法生成代扣文件，未写入任何数据 / nothing written", exc)
    for line in result.summary_zh():
        typer.echo(line)


@app.command("bank-return")
def bank_return(
    file: Annotated[Path, typer.Argument(help="银行回盘文件（GBK）")],
    dry_run: Annotated[bool, typer.Option("--dry-run", help="只检查、预览，不入账")] = False,
    user: Annotated[str, typer.Option(help="经办人")] = "cli",
) -> None:
    """导入银行回盘文件并对账、记账 / import the bank's return file and reconcile."""
    from doudi.collection.bankfile import BankFileError
    from doudi.collection.cycle import BankError
    from doudi.collection.returns import import_return

    readable_file(file)
    try:
        report = import_return(open_registry(), file, actor=user, dry_run=dry_run)
    except BankFileError as exc:
        typer.echo("回盘文件有误，未入账任何数据 / nothing booked:", err=True)
        for problem in exc.problems[:50]:
            typer.echo(f"  {problem}", err=True)
        raise typer.Exit(code=2) from None
    except BankError as exc:
        fail("回盘文件有误，未入账任何数据 / nothing booked", exc)
    for line in report.summary_zh():
        typer.echo(line)


@app.command()
def cutoff(
    jurisdiction: Annotated[str, typer.Option(help="统筹地区代码，如 500000")],
    year: Annotated[int, typer.Option(help="清算年度")],
    region: Annotated[str | None, typer.Option(help="区县代码，默认整个统筹地区")] = None,
    out: Annotated[Path | None, typer.Option(help="写出 Excel 工作簿")] = None,
) -> None:
    """截至8月31日的实际代缴和事后补助汇总（分部门） / the 31 August statement."""
    from doudi.collection.cycle import BankError
    from doudi.collection.statement import cutoff_statement, statement_workbook
    from doudi.policy.jurisdictions import UnknownJurisdiction

    try:
        statement = cutoff_statement(open_registry(), jurisdiction, year, region)
    except (BankError, UnknownJurisdiction) as exc:
        fail("输入有误 / invalid input", exc)
    for line in statement.summary_zh():
        typer.echo(line)
    if out is not None:
        statement_workbook(statement, out)
        typer.echo(f"已写出 {out}")
