"""The bills' command: import the hospitals' settlement bills."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from doudi.console import open_registry, readable_file

app = typer.Typer()


@app.command()
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

    readable_file(file)
    try:
        report = import_bills(open_registry(), file, jurisdiction, dry_run=dry_run, actor=user)
    except (FileError, UnknownJurisdiction) as exc:
        typer.echo(f"导入失败，数据库未改动 / import failed, nothing written: {exc}", err=True)
        raise typer.Exit(code=2) from None
    for line in report.summary_zh():
        typer.echo(line)
