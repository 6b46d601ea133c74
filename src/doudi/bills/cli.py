"""The bills' command: import the hospitals' settlement bills."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from doudi.console import open_registry

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

    try:
        report = import_bills(open_registry(), file, jurisdiction, dry_run=dry_run, actor=user)
    except (FileError, UnknownJurisdiction) as exc:
        typer.echo(f"导入失败，数据库未改动 / import failed, nothing written: {exc}", err=True)
        raise typer.Exit(code=2) from None
    except OSError as exc:  # no such file, a folder, no permission
        why = {
            FileNotFoundError: "文件不存在",
            IsADirectoryError: "这是文件夹，不是文件",
            PermissionError: "没有读取权限",
        }.get(type(exc), "读取出错")
        typer.echo(
            f"无法读取文件 {file}：{why}，数据库未改动 / cannot read the file: {exc.strerror}",
            err=True,
        )
        raise typer.Exit(code=2) from None
    for line in report.summary_zh():
        typer.echo(line)
