"""Running a command as a caseworker does, and judging what came back.

What every importer owes a caseworker, whatever the file: an exit status of 0 (done) or
2 (refused), never 1 or a traceback; a refusal in Chinese that leaves every registry
table as it was; an acceptance whose rejected rows each name their row, column and a
Chinese reason, and which accepted something (a file of which no row is accepted is
refused, issue #19 §2). A dry run changes nothing either way.
"""

from __future__ import annotations

import re
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import pytest
from tests.fuzz.checksum import changed_tables, table_checksums
from typer.testing import CliRunner

from doudi.store import db

CHINESE = re.compile(r"[\u3400-\u9fff]")
#: A rejected row as `doudi import` and `doudi payments` print it, and as `doudi bills` does.
ROW_REASON = (
    re.compile(r"^\s*第 (\d+) 行「([^」]+)」：(.+)$"),
    re.compile(r"^\s*第 (\d+) 行，列 ([^：]+)：(.+)$"),
)
#: A summary of an import that accepted nothing: it must have been refused (exit 2).
NOTHING_ACCEPTED = re.compile(r"接受 0 [行张]")
#: The command modules that open the registry (console.open_registry).
COMMANDS = ("doudi.rosters.cli", "doudi.bills.cli", "doudi.collection.cli")


@dataclass(frozen=True)
class Outcome:
    exit_code: int
    output: str  # standard output and error, as the caseworker's terminal shows them
    changed: list[str]  # the registry tables the command changed
    error: str  # the traceback of an exception the command let through, if any


def invoke(args: Sequence[str], registry: db.Database | None = None) -> Outcome:
    """The command line run in this process (typer's runner), with the registry's tables
    checksummed before and after when there is one."""
    from doudi.cli import app

    before = table_checksums(registry) if registry else {}
    result = CliRunner().invoke(app, list(args))
    error = ""
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        error = "".join(traceback.format_exception(result.exception))
    changed = changed_tables(before, table_checksums(registry)) if registry else []
    return Outcome(result.exit_code, result.output, changed, error)


@pytest.fixture
def doudi(registry: db.Database, monkeypatch: pytest.MonkeyPatch) -> Callable[..., Outcome]:
    """``doudi(*args)``: the command line on the test's registry (SQLite or PostgreSQL).
    The commands open ``DOUDI_DATABASE_URL``'s registry, which Django fixed when it was set
    up; each test's registry is another alias, so their ``open_registry`` gives it."""
    import importlib

    for name in COMMANDS:
        monkeypatch.setattr(importlib.import_module(name), "open_registry", lambda: registry)
    return lambda *args: invoke(args, registry)


def judge(outcome: Outcome, what: Any, *, dry_run: bool = False, utf16: bool = False) -> None:
    """Fail, naming ``what`` (the drawn file), unless ``outcome`` is what a caseworker is
    owed (this module's docstring)."""
    shown = f"{what!r}\n--- output:\n{outcome.output}{outcome.error}"
    assert not outcome.error, f"an exception reached the caseworker: {shown}"
    assert "Traceback" not in outcome.output, f"a traceback was printed: {shown}"
    assert outcome.exit_code in (0, 2), f"exit status {outcome.exit_code}: {shown}"
    if utf16:
        assert outcome.exit_code == 2 and "UTF-16" in outcome.output, f"UTF-16 not named: {shown}"
    if outcome.exit_code == 2:
        assert CHINESE.search(outcome.output), f"refused without a Chinese reason: {shown}"
        assert not outcome.changed, f"refused, but {outcome.changed} changed: {shown}"
    if dry_run:
        assert not outcome.changed, f"a dry run changed {outcome.changed}: {shown}"
    if outcome.exit_code == 0:
        assert not NOTHING_ACCEPTED.search(outcome.output), (
            f"nothing accepted, not refused: {shown}"
        )
    for line in outcome.output.splitlines():
        reason = row_reason(line)
        if reason is not None:
            row, column, text = reason
            assert row >= 1 and column.strip(), f"a rejection without row or column: {shown}"
            assert CHINESE.search(text), f"a rejection without a Chinese reason: {line!r}\n{shown}"


def row_reason(line: str) -> tuple[int, str, str] | None:
    """(row, column, reason) of a printed rejection, or None for any other line."""
    for pattern in ROW_REASON:
        found = pattern.match(line)
        if found:
            return int(found[1]), found[2], found[3]
    return None


def options(dry_run: bool, *rest: str) -> Sequence[str]:
    """A command's options, with ``--dry-run`` when drawn."""
    return [*rest, "--dry-run"] if dry_run else list(rest)
