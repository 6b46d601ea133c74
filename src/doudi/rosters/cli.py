"""The rosters' commands: import a department's file, list what was imported."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from doudi.console import import_failed, open_registry, parse_day, readable_file, show_rejected

app = typer.Typer()


@app.command("import")
def import_(
    file: Annotated[Path, typer.Argument(help="名单文件（XLSX 或 CSV，UTF-8/GBK）")],
    source: Annotated[
        str, typer.Option(help="来源：poverty, dibao, tekun, disability, …, certificates, …")
    ],
    as_of: Annotated[str, typer.Option("--as-of", help="名单截止日期 YYYY-MM-DD")],
    dry_run: Annotated[bool, typer.Option("--dry-run", help="只检查、预览，不写入")] = False,
    mode: Annotated[
        str,
        typer.Option(
            help="导入方式：snapshot（全量快照：本区划内名单未列出的人员被关闭）"
            "或 addendum（增量名单：只新增或保持，不关闭任何人）"
        ),
    ] = "snapshot",
    region: Annotated[
        str | None,
        typer.Option(
            help="导入区划（六位代码）：全量快照只关闭此区划内的人员；"
            "默认取占接受行 80% 以上的最小区划（区县、地市或省）"
        ),
    ] = None,
    confirm_closing: Annotated[
        bool,
        typer.Option(
            "--confirm-closing",
            help="确认关闭：全量快照关闭的人数超过快照关闭比例上限"
            "（DOUDI_SNAPSHOT_CLOSE_SHARE，默认 10%）或在导入区划之外时，须加此项才导入",
        ),
    ] = False,
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
    from doudi.rosters.importing import NothingAccepted, import_roster
    from doudi.rosters.sources import IMPORTED, SOURCES

    if source not in IMPORTED:
        known = "、".join(f"{k}（{SOURCES[k].label}）" for k in IMPORTED)
        typer.echo(f"输入有误 / invalid input: 未知来源 {source!r}；可用：{known}", err=True)
        raise typer.Exit(code=2)
    day = parse_day(as_of, "--as-of")
    counties = [c.strip() for c in scope.split(",")] if scope else None
    readable_file(file)
    try:
        report = import_roster(
            open_registry(),
            file,
            source,
            day,
            dry_run=dry_run,
            actor=user,
            scope=counties,
            mode=mode,
            region=region,
            confirm_closing=confirm_closing,
        )
    except NothingAccepted as exc:  # the rows still go back to the caseworker to fix
        show_rejected(exc.read.rejected, rejected_out)
        import_failed(exc)
    except FileError as exc:
        import_failed(exc)
    for line in report.summary_zh():
        typer.echo(line)
    show_rejected(report.read.rejected, rejected_out)
    if dry_run:
        for line in report.change_lines_zh(20):
            typer.echo(line)
    if dry_run and report.needs_confirmation:
        typer.echo("须确认关闭：核对无误后加 --confirm-closing 导入", err=True)


@app.command("service-points")
def service_points(
    file: Annotated[Path, typer.Argument(help="村级金融便民服务点名单（XLSX 或 CSV，UTF-8/GBK）")],
    as_of: Annotated[str, typer.Option("--as-of", help="名单截止日期 YYYY-MM-DD")],
    mode: Annotated[
        str,
        typer.Option(
            help="导入方式：snapshot（全量快照：覆盖区县的服务点以本名单为准）"
            "或 addendum（增量名单：只新增服务点）"
        ),
    ] = "snapshot",
    scope: Annotated[
        str | None, typer.Option(help="名单覆盖的区县代码（逗号分隔）；默认取名单中出现的区县")
    ] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="只检查、预览，不写入")] = False,
    rejected_out: Annotated[
        Path | None, typer.Option("--rejected-out", help="把被拒绝的行写入此 Excel 文件")
    ] = None,
    user: Annotated[str, typer.Option(help="经办人（写入审计日志）")] = "cli",
) -> None:
    """导入村级金融便民服务点名单（JX-2017-58/2.4.10） / import village service points."""
    from doudi.core.textfile import FileError
    from doudi.rosters.service_points import NoPointAccepted, import_points

    day = parse_day(as_of, "--as-of")
    counties = [c.strip() for c in scope.split(",")] if scope else None
    readable_file(file)
    try:
        report = import_points(
            open_registry(), file, day, mode=mode, dry_run=dry_run, actor=user, scope=counties
        )
    except NoPointAccepted as exc:
        show_rejected(exc.read.rejected, rejected_out)
        import_failed(exc)
    except FileError as exc:
        import_failed(exc)
    for line in report.summary_zh():
        typer.echo(line)
    show_rejected(report.read.rejected, rejected_out)


@app.command()
def imports() -> None:
    """列出已导入的名单批次 / list imported rosters."""
    from doudi.core.vocab import IMPORT_MODE
    from doudi.rosters.importing import batches_of
    from doudi.rosters.service_sources import SERVICE_POINTS
    from doudi.rosters.sources import IMPORTED, SOURCES

    places = {SERVICE_POINTS.name: SERVICE_POINTS}
    for b in batches_of(open_registry()):
        source = SOURCES.get(b["source"]) or places.get(b["source"])
        label = source.label if source is not None else b["source"]
        if b["source"] in (*IMPORTED, *places):  # a bill import has no mode
            label += f"（{IMPORT_MODE.label(b['mode'])}）"
        # a record list's accepted rows are its records, a place list's its places:
        # they open and close nothing
        kind = source.kind if source is not None else ""
        done = {
            "record": f"记录 {b['rows_accepted']} 条",
            "place": f"服务点 {b['rows_accepted']} 个",
        }.get(kind, f"新开 {b['periods_opened']}，关闭 {b['periods_closed']}")
        typer.echo(
            f"#{b['id']} {label} 截至 {b['as_of']} {b['file_name']}：接受 {b['rows_accepted']}，"
            f"拒绝 {b['rows_rejected']}，新增人员 {b['people_added']}，{done}（{b['imported_by']}）"
        )
