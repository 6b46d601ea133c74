"""`doudi payments` of hostile collection-system records (issue #19 §7), on SQLite and
PostgreSQL, into a registry that knows three Chongqing people: exit 0 or 2, never a
traceback; a refusal in Chinese that changes no registry table; rejected rows with row,
column and a Chinese reason."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from tests.fuzz.budget import FUZZ
from tests.fuzz.hostile import AMOUNTS, DATES, HostileFile, Table, files
from tests.fuzz.outcome import Outcome, doudi, judge, options  # noqa: F401 (fixture)

from conftest import make_id
from doudi.rosters.importing import import_roster
from doudi.rosters.sources import SOURCES
from doudi.store import db
from support import MARCH, roster

#: every example imports a file: seconds a test, on each database (make test runs them)
pytestmark = pytest.mark.slow

PEOPLE = [
    (make_id("500102", "19750101", "001"), "甲一"),
    (make_id("500102", "19760202", "002"), "乙二"),
    (make_id("500102", "19770303", "003"), "丙三"),
]
SOURCE = SOURCES["pension_payment"]
PAYMENTS = Table(
    header=[c.label for c in SOURCE.columns],
    rows=[
        [PEOPLE[0][0], PEOPLE[0][1], "100.00", "2018-02-10", "JF2018000001"],
        [PEOPLE[1][0], PEOPLE[1][1], "200", "2018-03-01", "JF2018000002"],
        [make_id("500102", "19900101", "009"), "丁四", "30.5", "2018-03-05", "JF2018000003"],
    ],
    pools={
        "缴费金额": AMOUNTS,
        "到账日期": [*DATES, "2017-12-31", "2019-01-01", "1975-01-01"],
        "缴费流水号": ["", "JF2018000001", "JF" + "9" * 80, "流水 1", "JF\x002018"],
    },
    aliases={c.label: list(c.aliases) for c in SOURCE.columns},
)


@pytest.fixture
def people(registry: db.Database, tmp_path) -> None:
    """Three Chongqing people on the poverty list (the payments' fourth is unknown)."""
    path = roster(tmp_path / "poverty.csv", PEOPLE, {"纳入时间": ["2016-06-01"] * 3})
    import_roster(registry, path, "poverty", MARCH)


#: Issue #19 §7's finds, kept: a file of which no row is accepted exited 0 and wrote an
#: audit row; a year beyond a small integer ended in an OverflowError traceback.
NOTHING_ACCEPTED = HostileFile(
    "payments.csv",
    (
        f"公民身份号码,姓名,缴费金额,到账日期,缴费流水号\n{PEOPLE[0][0]},甲一,abc,2018-02-10,JF1\n"
    ).encode(),
    ("cell(0,缴费金额)='abc'",),
)
ONE_PAYMENT = HostileFile(
    "payments.csv",
    (
        "公民身份号码,姓名,缴费金额,到账日期,缴费流水号\n"
        f"{PEOPLE[0][0]},甲一,30.00,2018-02-10,JF1\n"
    ).encode(),
    (),
)


@FUZZ
@example(hostile=NOTHING_ACCEPTED, year="2018", dry_run=False)
@example(hostile=ONE_PAYMENT, year="99999", dry_run=False)
@given(
    hostile=files(PAYMENTS, "payments"),
    year=st.sampled_from(["2018", "2017", "1900", "2100", "0", "-1", "99999"]),
    dry_run=st.booleans(),
)
def test_hostile_payments_are_refused_in_chinese_or_recorded(
    hostile: HostileFile,
    year: str,
    dry_run: bool,
    people: None,
    doudi: Callable[..., Outcome],  # noqa: F811
    tmp_path,
) -> None:
    path = hostile.written_in(tmp_path)
    outcome = doudi("payments", str(path), *options(dry_run, "--year", year))
    # a UTF-16 file is named as such, unless the year is refused first
    utf16 = hostile.utf16 and year in ("2017", "2018")
    judge(outcome, (year, hostile), dry_run=dry_run, utf16=utf16)
