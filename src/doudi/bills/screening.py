"""One row of a bills file as a bill the settlement takes, or why it is rejected.

Everything the file alone can tell, before the registry is asked: a row of another
width than the header, a control character in any cell, the settlement's own checks of
a bill (engine.settlement.screen_bills: amounts exact to the fen and within what it
computes, dates from 1950 to the day of the import and not before the patient's birth,
a discharge year the jurisdiction has parameters for), and a text longer than the
registry keeps. Each problem names the cell it is about; importing turns the name into
the file's header.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from doudi.bills import cells
from doudi.bills.reading import ROW, BillsFile, normalized
from doudi.engine import nhsa, settlement

#: A problem of a row: (the cell's name or ROW, code, Chinese reason).
Problem = tuple[str, str, str]


def screen_row(
    read: BillsFile, number: int, raw: Mapping[str, str | None], jurisdiction: str
) -> tuple[dict[str, Any] | None, list[Problem]]:
    """Row ``number``'s bill as screened for ``jurisdiction``, or None and its problems."""
    problems = _unreadable(read, number, raw)
    if problems:  # the rest would be read from cells that are not what the file meant
        return None, problems
    try:
        bill = normalized(nhsa.read_bill(raw))
    except nhsa.PlatformCodeError as exc:  # a platform level that gives none to settle by
        return None, [(exc.field, "invalid", exc.reason)]
    if not bill.get("bill_id"):  # the engine would number it #1: a number no hospital gave it
        reason = "单据号为空：每张单据须有医院结算系统的单据号，不能补编"
        return None, [("bill_id", "missing", reason)]
    good, screened_out = settlement.screen_bills([bill], jurisdiction)
    if screened_out or not good:
        return None, [(p.field or "bill_id", "invalid", p.reason) for p in screened_out]
    problems = _too_long(good[0])
    return (None if problems else good[0]), problems


def cell(raw: Mapping[str, str | None], name: str) -> str:
    """The cell of field ``name`` under Doudi's name or the platform's (the last such
    column, as nhsa.read_bill reads it), or ""."""
    found = [v for k, v in raw.items() if name in (k, nhsa.INPUT.get(k))]
    return (found[-1] if found else None) or ""


def _unreadable(read: BillsFile, number: int, raw: Mapping[str, str | None]) -> list[Problem]:
    """A row whose cells cannot be trusted: of another width than the header, or with
    an invisible control character in any cell (PostgreSQL refuses a NUL, SQLite cut
    the text at it)."""
    out: list[Problem] = []
    if number in read.misshapen:
        reason = (
            f"本行有 {read.misshapen[number]} 个单元格，表头有 {read.width} 列："
            "可能有未加引号的逗号或缺少的单元格"
        )
        out.append((ROW, "shape", reason))
    for name, value in raw.items():
        problem = cells.text_problem(value or "", 0)
        if problem is not None:
            out.append((name, *problem))
    return out


def _too_long(bill: Mapping[str, Any]) -> list[Problem]:
    """The bill's texts longer than the registry's columns hold (PostgreSQL ended the
    import with "value too long", SQLite stored them)."""
    out: list[Problem] = []
    for name, limit in cells.text_limits("Bill").items():
        value = bill.get(name)
        problem = cells.text_problem(value, limit) if isinstance(value, str) else None
        if problem is not None:
            out.append((name, *problem))
    return out
