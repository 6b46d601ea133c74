"""``doudi work-injury import``: the work-injury lists a county receives, imported
(the group: ``work_injury.cli``)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from doudi.console import import_failed, open_registry, parse_day, readable_file, show_rejected

_SOURCES = (
    "projects（工程项目）、project-workers（实名制用工）、cases（工伤案件）、"
    "advance-payments（先行支付）"
)


def import_(
    source: Annotated[str, typer.Option(help=f"名单来源：{_SOURCES}")],
    file: Annotated[Path, typer.Option(help="名单文件（XLSX 或 CSV，UTF-8/GBK）")],
    region: Annotated[str, typer.Option(help="导入区县（六位区县代码）：名单属于此区县")],
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="名单截止日期 YYYY-MM-DD，默认今天")
    ] = None,
    mode: Annotated[
        str,
        typer.Option(
            help="导入方式：snapshot（全量快照：本区县的此类名单以本文件为准）"
            "或 addendum（增量名单：只新增或更新）"
        ),
    ] = "snapshot",
    dry_run: Annotated[bool, typer.Option("--dry-run", help="只检查、预览，不写入")] = False,
    rejected_out: Annotated[
        Path | None, typer.Option("--rejected-out", help="把被拒绝的行写入此 Excel 文件")
    ] = None,
    user: Annotated[str, typer.Option(help="经办人（写入审计日志）")] = "cli",
) -> None:
    """导入工伤保险名单（先校验全部行，再在一个事务中写入） / import a work-injury list."""
    from datetime import date

    from doudi.core.textfile import FileError
    from doudi.rosters.closing import check_mode
    from doudi.work_injury.importing import NothingAccepted, county_of, import_lists
    from doudi.work_injury.sources import LISTS

    if source not in LISTS:
        typer.echo(f"输入有误 / invalid input: 未知来源 {source!r}；可用：{_SOURCES}", err=True)
        raise typer.Exit(code=2)
    day = parse_day(as_of, "--as-of") if as_of is not None else date.today()
    readable_file(file)
    try:
        # what needs no registry is refused before it is opened (and perhaps created)
        check_mode(mode)
        county_of(region)
        reports = import_lists(
            open_registry(), {source: file}, region, day, mode=mode, dry_run=dry_run, actor=user
        )
    except NothingAccepted as exc:
        show_rejected(exc.read.rejected, rejected_out)
        import_failed(exc)
    except FileError as exc:
        import_failed(exc)
    for report in reports:
        for line in report.summary_zh():
            typer.echo(line)
        if not report.already_imported:
            show_rejected(report.read.rejected, rejected_out)
