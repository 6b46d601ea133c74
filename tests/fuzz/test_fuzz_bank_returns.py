"""`doudi bank-return` of hostile return files (issue #19 §7), on SQLite and PostgreSQL,
against a real withholding request of Chongqing's cycle (tests/collection/test_bank.py's
six people, requested on 1 June 2018): exit 0 or 2, never a traceback; a refusal in
Chinese that changes no registry table; and what is booked is dated within the request
and the bank's processing, never in another year."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from tests.collection.test_bank import load
from tests.fuzz.budget import FUZZ
from tests.fuzz.hostile import (
    AMOUNTS,
    CONTROL,
    INVISIBLE,
    LINE_ENDS,
    LONG,
    QUOTES,
    UTF16,
    HostileFile,
    encode,
)
from tests.fuzz.outcome import Outcome, doudi, judge, options  # noqa: F401 (fixture)

from doudi.collection import bankfile
from doudi.collection.withholding import export_withholding
from doudi.store import db

#: every example imports a file: seconds a test, on each database (make test runs them)
pytestmark = pytest.mark.slow

REQUESTED = date(2018, 6, 1)
PROCESSED = date(2018, 7, 10)
DAYS = [
    "20180710",
    "20180601",
    "20180531",
    "20180711",
    "19000101",
    "21000710",
    "20180230",
    "2018-07-10",
    "00000000",
    "99999999",
    "",
    "２０１８０７１０",
]
#: Per field of a detail record (D|seq|account|name|ID|requested|deducted|on|code|message)
FIELD_POOLS = [
    ["D", "d", "H", "T", ""],
    ["0", "-1", "1.0", "99999999999999999999", "１", "", "2", "3"],
    ["6217999999999999999", "", "6217000000000000011", "6217 0000"],
    ["甲一|", *CONTROL, *QUOTES],
    ["50010219750101001X", "", "500102197501010010"],
    AMOUNTS,
    AMOUNTS,
    DAYS,
    ["0000", "0001", "1001", "1002", "9999", "", "00000"],
    ["扣款成功", "", *INVISIBLE],
]
HEADER_POOLS = {
    1: ["DOUDI-DK", "doudi-hp", ""],
    2: ["2", "", "1.0"],
    3: ["", "5001022018999", "x" * 40, "批次1", "5001022018000|1"],
    4: DAYS,
    5: ["0", "-1", "99999999999999999999", "a"],
    6: AMOUNTS,
    7: AMOUNTS,
}


@dataclass(frozen=True)
class Request:
    """The withholding request the returns answer: its batch number and lines."""

    batch_no: str
    lines: list[bankfile.RequestLine]


@pytest.fixture
def request_file(registry: db.Database, tmp_path) -> Request:
    """Chongqing's six people planned for 2018, and a withholding request of 1 June."""
    version = load(registry, tmp_path)
    first = export_withholding(registry, version, "500102", tmp_path / "bank", on=REQUESTED)
    records = [r.split("|") for r in bankfile.decode(first.path.read_bytes()).split(bankfile.EOL)]
    lines = [
        bankfile.RequestLine(int(f[1]), f[2], f[3], f[4], Decimal(f[5]))
        for f in records[1:-1]
        if f and f[0] == "D"
    ]
    return Request(first.batch_no, lines)


def valid_return(request: Request) -> list[list[str]]:
    """The bank's answer as records: the first line paid, the second partly, the rest
    failed (balance short)."""
    results: list[tuple[Decimal, date | None, str]] = []
    for n, line in enumerate(request.lines):
        if n == 0:
            results.append((line.amount, PROCESSED, bankfile.PAID))
        elif n == 1 and line.amount > Decimal("0.01"):
            results.append((Decimal("0.01"), PROCESSED, bankfile.PARTLY_PAID))
        else:
            results.append((Decimal("0.00"), None, "1001"))
    data = bankfile.write_return(request.batch_no, PROCESSED, request.lines, results)
    return [r.split("|") for r in bankfile.decode(data).split(bankfile.EOL) if r]


def retotalled(records: list[list[str]]) -> list[list[str]]:
    """The header's and trailer's counts and totals made to agree with the detail
    records, where they can be added up: so that a mistake in a line reaches the
    matching against the request instead of stopping at a total."""
    details = [r for r in records[1:-1] if len(r) == 10]
    try:
        requested = sum((Decimal(r[5]) for r in details), Decimal("0.00"))
        deducted = sum((Decimal(r[6]) for r in details), Decimal("0.00"))
    except InvalidOperation:
        return records
    head, tail = list(records[0]), list(records[-1])
    count = str(len(records) - 2)
    if len(head) == 8:
        head[5:8] = [count, f"{requested:.2f}", f"{deducted:.2f}"]
    if len(tail) == 3:
        tail[1:3] = [count, f"{deducted:.2f}"]
    return [head, *records[1:-1], tail]


#: One mistake: (kind, record, field, value); kind "detail", "header", "processed" (the
#: bank's processing day, and every deduction's with it) or "duplicate" (a line twice).
Edit = tuple[str, int, int, str]


@dataclass(frozen=True)
class Recipe:
    """What is done to the valid return, drawn apart from the request so that a found
    case can be kept as an ``@example``."""

    edits: tuple[Edit, ...]
    retotal: bool  # counts and totals made to agree with the edited lines
    eol: str
    encoding: str
    keep: float  # the share of the bytes kept (1.0: the whole file)


@st.composite
def edits(draw: st.DrawFn) -> Edit:
    kind = draw(st.sampled_from(["detail"] * 3 + ["header", "processed", "duplicate"]))
    if kind == "detail":
        j = draw(st.integers(0, 9))
        value = draw(st.one_of(st.sampled_from(FIELD_POOLS[j]), LONG, st.text(max_size=8)))
        return kind, draw(st.integers(1, 4)), j, value
    if kind == "header":
        j = draw(st.sampled_from(sorted(HEADER_POOLS)))
        return kind, 0, j, draw(st.sampled_from(HEADER_POOLS[j]))
    if kind == "processed":
        return kind, 0, 4, draw(st.sampled_from(DAYS))
    return kind, draw(st.integers(1, 4)), 0, ""


RECIPES = st.builds(
    Recipe,
    edits=st.lists(edits(), max_size=4).map(tuple),
    retotal=st.booleans(),
    eol=st.sampled_from(["\r\n", "\r\n", *LINE_ENDS]),
    encoding=st.sampled_from(["gbk", "gbk", "gb18030", "utf-8", "utf-8-sig", *UTF16]),
    keep=st.sampled_from([1.0, 1.0, 1.0, 0.0, 0.3, 0.97]),
)


def hostile_return(request: Request, recipe: Recipe) -> HostileFile:
    """The valid return of ``request`` with ``recipe`` done to it."""
    records = valid_return(request)
    for kind, i, j, value in recipe.edits:
        i = min(i, len(records) - 2)
        if kind == "detail" and len(records[i]) == 10:
            records[i][j] = value
        elif kind == "header":
            records[0][j] = value
        elif kind == "processed":
            records = [[*r[:4], value, *r[5:]] if r[0] == "H" else r for r in records]
            records = [[*r[:7], value, *r[8:]] if len(r) == 10 and r[7] else r for r in records]
        elif kind == "duplicate":
            records.insert(i, list(records[i]))
    if recipe.retotal:
        records = retotalled(records)
    text = recipe.eol.join("|".join(r) for r in records) + recipe.eol
    data, encoding = encode(text, recipe.encoding)
    data = data[: int(len(data) * recipe.keep)]
    return HostileFile("HP.txt", data, (repr(recipe), f"encoding={encoding}"))


#: Issue #19 §7's finds, kept: a processing day of 2100 (the failed lines were recorded
#: as paid in 2100) and one before the request; a return saved as UTF-16.
PROCESSED_IN_2100 = Recipe((("processed", 0, 4, "21000710"),), False, "\r\n", "gbk", 1.0)
PROCESSED_EARLY = Recipe((("processed", 0, 4, "20180531"),), False, "\r\n", "gbk", 1.0)
UTF16_RETURN = Recipe((), False, "\r\n", "utf-16-le", 1.0)


@FUZZ
@example(recipe=PROCESSED_IN_2100, dry_run=False)
@example(recipe=PROCESSED_EARLY, dry_run=False)
@example(recipe=UTF16_RETURN, dry_run=False)
@given(recipe=RECIPES, dry_run=st.booleans())
def test_a_hostile_bank_return_is_refused_in_chinese_or_booked_in_its_dates(
    recipe: Recipe,
    dry_run: bool,
    request_file: Request,
    registry: db.Database,
    doudi: Callable[..., Outcome],  # noqa: F811
    tmp_path,
) -> None:
    hostile = hostile_return(request_file, recipe)
    path = hostile.written_in(tmp_path)
    outcome = doudi("bank-return", str(path), *options(dry_run))
    judge(outcome, hostile, dry_run=dry_run, utf16=hostile.utf16)
    # CQ-2018-82/2.1.1 从到款的当月……作视同实收处理: money arrives between the request and
    # the bank's processing, never in another year (issue #19 §1)
    for r in registry.read("registry_payment", "WHERE channel = 'bank'").to_pylist():
        assert REQUESTED <= r["paid_on"] <= date.today(), f"paid on {r['paid_on']}: {hostile!r}"
    for r in registry.read("registry_booking").to_pylist():
        assert r["booked_on"] <= date.today(), f"booked on {r['booked_on']}: {hostile!r}"
    for r in registry.read("registry_bank_return").to_pylist():
        assert REQUESTED <= r["processed_on"] <= date.today(), f"processed: {hostile!r}"
