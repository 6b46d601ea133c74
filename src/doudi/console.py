"""What every registry command shares: opening the registry, reading a date option,
checking an input file, writing an output file and failing in Chinese with exit status
2 (never a traceback).

The domains' ``cli`` modules import this and nothing heavy at module level, so that
``doudi --help`` and ``doudi evaluate`` do not pay for the database drivers.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import typer

if TYPE_CHECKING:
    import pyarrow as pa

    from doudi.store.db import Database


def open_registry() -> Database:
    """The registry of ``DOUDI_DATABASE_URL`` (default var/doudi.sqlite3), its tables
    created or upgraded first, and the web application's job table (decision 0007).

    A writing command that finds another writing job (or another process migrating)
    at work says so on standard error and waits; past the limit it fails with exit
    status 2 (decision 0011), as it does at once, before anything is opened, when
    ``DOUDI_WRITER_WAIT`` is no number of seconds."""
    from doudi.store import db, writer

    try:
        writer.wait_seconds()
    except writer.InvalidWait as exc:
        _refuse(exc)
    db.setup()
    waiting = writer.Waiting(notice=_tell_waiting, refuse=_refuse)
    database = db.Database(waiting=waiting)
    database.migrate()
    db.Database("jobs", waiting=waiting).migrate()
    return database


def _tell_waiting() -> None:
    typer.echo(
        "另一项写入任务正在进行，等待其完成… / another writing job is running, waiting for it",
        err=True,
    )


def _refuse(error: Exception) -> NoReturn:
    """The error's own Chinese-first text, exit status 2."""
    typer.echo(str(error), err=True)
    raise typer.Exit(code=2) from None


def parse_day(text: str, option: str) -> date:
    """An option's YYYY-MM-DD date; anything else exits 2 naming the option."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        typer.echo(
            f"输入有误 / invalid input: {option} 应为 YYYY-MM-DD 格式的日期，实为 {text!r}",
            err=True,
        )
        raise typer.Exit(code=2) from None


def fail(message: str, exc: Exception) -> NoReturn:
    """``message: exc`` on standard error, exit status 2."""
    typer.echo(f"{message}: {exc}", err=True)
    raise typer.Exit(code=2) from None


def readable_file(path: Path) -> Path:
    """``path``, once it opens for reading; else why not in Chinese (找不到文件, 是一个
    文件夹, 没有读取权限: ``textfile.unreadable``) and exit status 2. The reading
    counterpart of :func:`write_file`, called before the registry is opened, so that a
    mistyped path changes nothing and shows no Python error."""
    from doudi.core.textfile import unreadable

    try:
        with path.open("rb"):
            pass
    except OSError as exc:
        error = unreadable(path, exc)
        typer.echo(f"{error.chinese}，未做任何更改 / {error.english}, nothing done", err=True)
        raise typer.Exit(code=2) from None
    return path


def write_file(write: Callable[[Path], None], out: Path) -> None:
    """``write(out)``, or, where the file cannot be written (no such folder, no
    permission), a Chinese refusal and exit status 2 — never xlsxwriter's traceback."""
    from xlsxwriter.exceptions import FileCreateError

    try:
        write(out)
    except (OSError, FileCreateError) as exc:
        typer.echo(f"无法写出文件 {out}（文件夹不存在或没有写入权限） / {exc}", err=True)
        raise typer.Exit(code=2) from None


def import_failed(exc: Exception) -> NoReturn:
    """An import that wrote nothing: why, in Chinese, and exit status 2."""
    typer.echo(f"导入失败，数据库未改动 / import failed, nothing written: {exc}", err=True)
    raise typer.Exit(code=2) from None


def show_rejected(rejected: pa.Table, out: Path | None) -> None:
    """The first 20 rejected rows of an import (row, column, reason), and all of them to
    ``out`` (a workbook the department can correct), for every importer's command."""
    from doudi.store.workbook import rejected_workbook

    for row in rejected.slice(0, 20).to_pylist():
        typer.echo(f"  第 {row['row_number']} 行「{row['column']}」：{row['reason']}")
    if rejected.num_rows > 20:
        typer.echo(f"  …… 另有 {rejected.num_rows - 20} 条（用 --rejected-out 导出全部）")
    if out is not None and rejected.num_rows:
        write_file(lambda path: rejected_workbook(rejected, path), out)
        typer.echo(f"被拒绝的行已写入 {out}")
