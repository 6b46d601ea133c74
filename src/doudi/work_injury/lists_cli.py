"""``doudi work-injury import``: the work-injury lists a county receives, imported
(the group: ``work_injury.cli``)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer

from doudi.console import open_registry, parse_day

if TYPE_CHECKING:
    import pyarrow as pa

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
    from doudi.work_injury.importing import NothingAccepted, import_lists
    from doudi.work_injury.sources import LISTS

    if source not in LISTS:
        typer.echo(f"输入有误 / invalid input: 未知来源 {source!r}；可用：{_SOURCES}", err=True)
        raise typer.Exit(code=2)
    day = parse_day(as_of, "--as-of") if as_of is not None else date.today()
    try:
        reports = import_lists(
            open_registry(), {source: file}, region, day, mode=mode, dry_run=dry_run, actor=user
        )
    except NothingAccepted as exc:
        _show_rejected(exc.read.rejected, rejected_out)
        _failed(exc)
    except FileError as exc:
        _failed(exc)
    for report in reports:
        for line in report.summary_zh():
            typer.echo(line)
        if not report.already_imported:
            _show_rejected(report.read.rejected, rejected_out)


def _failed(exc: Exception) -> NoReturn:
    typer.echo(f"导入失败，数据库未改动 / import failed, nothing written: {exc}", err=True)
    raise typer.Exit(code=2) from None


def _show_rejected(rejected: pa.Table, out: Path | None) -> None:
    """The first 20 rejected rows (row, column, reason); all of them to ``out``."""
    from doudi.console import write_file
    from doudi.store.workbook import rejected_workbook

    for row in rejected.slice(0, 20).to_pylist():
        typer.echo(f"  第 {row['row_number']} 行「{row['column']}」：{row['reason']}")
    if rejected.num_rows > 20:
        typer.echo(f"  …… 另有 {rejected.num_rows - 20} 条（用 --rejected-out 导出全部）")
    if out is not None and rejected.num_rows:
        write_file(lambda path: rejected_workbook(rejected, path), out)
        typer.echo(f"被拒绝的行已写入 {out}")
