"""People's own payments (`doudi payments`) that must not be recorded (issue #19 §7,
found by tests/fuzz/test_fuzz_payments.py), on SQLite and PostgreSQL.

Before: a file of which every row was rejected exited 0 and wrote an audit row; a
payment of 0.00 was recorded; a payment dated in another year than the one imported
(2099 for 2018) was recorded, and would have booked its post-hoc subsidy in that year;
a year beyond a small integer (99999) ended in an OverflowError traceback, and year 0
was recorded.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from tests.fuzz.checksum import table_checksums
from tests.fuzz.outcome import doudi  # noqa: F401 (fixture)

from conftest import make_id
from doudi.collection.payments import import_payments
from doudi.core.textfile import FileError
from doudi.rosters.importing import import_roster
from doudi.store import db
from support import MARCH, roster

HEADER = "公民身份号码,姓名,缴费金额,到账日期,缴费流水号\n"
PEOPLE = [
    (make_id("500102", "19750101", "001"), "甲一"),
    (make_id("500102", "19760202", "002"), "乙二"),
    (make_id("500102", "19770303", "003"), "丙三"),
]


@pytest.fixture
def people(registry: db.Database, tmp_path: Path) -> None:
    path = roster(tmp_path / "poverty.csv", PEOPLE, {"纳入时间": ["2016-06-01"] * 3})
    import_roster(registry, path, "poverty", MARCH)


def payments(tmp_path: Path, *rows: str) -> Path:
    path = tmp_path / "payments.csv"
    path.write_text(HEADER + "".join(f"{r}\n" for r in rows), encoding="utf-8")
    return path


def test_a_file_of_which_no_payment_is_accepted_is_refused_and_writes_nothing(
    registry,
    people,
    tmp_path,
    doudi,  # noqa: F811
):
    path = payments(tmp_path, f"{PEOPLE[0][0]},甲一,abc,2018-02-10,JF1")
    before = table_checksums(registry)
    with pytest.raises(FileError, match="没有可导入的行，未写入任何数据：第 2 行「缴费金额」"):
        import_payments(registry, path, 2018)
    outcome = doudi("payments", str(path), "--year", "2018")
    assert outcome.exit_code == 2 and "第 2 行「缴费金额」" in outcome.output
    assert table_checksums(registry) == before  # no audit row either


@pytest.mark.parametrize(
    ("amount", "paid_on", "column", "reason"),
    [
        ("0.00", "2018-02-10", "缴费金额", "缴费金额 0.00 应大于 0"),
        ("30.00", "2099-12-31", "到账日期", "到账日期 2099-12-31 不在 2018 年内"),
        ("30.00", "2017-12-31", "到账日期", "到账日期 2017-12-31 不在 2018 年内"),
    ],
)
def test_cq_2018_82_2_1_1_a_payment_of_nothing_or_of_another_year_is_rejected(
    registry, people, tmp_path, amount, paid_on, column, reason
):
    """事后补助 is booked on the day the payments complete the contribution: a payment
    of another year, or of nothing, would book it in the wrong year or for nothing."""
    path = payments(
        tmp_path,
        f"{PEOPLE[0][0]},甲一,{amount},{paid_on},JF1",
        f"{PEOPLE[1][0]},乙二,100.00,2018-02-10,JF2",
    )
    report = import_payments(registry, path, 2018)
    assert report.recorded == 1
    rejected = report.read.rejected.to_pylist()
    assert [(r["row_number"], r["column"]) for r in rejected] == [(2, column)]
    assert rejected[0]["reason"].startswith(reason)
    stored = registry.read("registry_payment").to_pylist()
    assert [(r["reference"], r["paid_on"]) for r in stored] == [("JF2", date(2018, 2, 10))]


def test_a_payment_dated_after_today_is_rejected(registry, people, tmp_path):
    this_year = date.today().year
    path = payments(
        tmp_path,
        f"{PEOPLE[0][0]},甲一,30.00,{this_year}-12-31,JF1",
        f"{PEOPLE[1][0]},乙二,30.00,{this_year}-01-01,JF2",
    )
    if date.today() == date(this_year, 12, 31):  # nothing is after today on 31 December
        pytest.skip("31 December")
    report = import_payments(registry, path, this_year)
    assert [r["column"] for r in report.read.rejected.to_pylist()] == ["到账日期"]
    assert "晚于今天" in report.read.rejected.column("reason")[0].as_py()


@pytest.mark.parametrize("year", ["99999", "0", "1999", "2101"])
def test_a_payment_year_outside_the_policies_is_refused_in_chinese(
    registry,
    people,
    tmp_path,
    doudi,  # noqa: F811
    year,
):
    path = payments(tmp_path, f"{PEOPLE[0][0]},甲一,30.00,2018-02-10,JF1")
    outcome = doudi("payments", str(path), "--year", year)
    assert outcome.exit_code == 2, outcome
    assert f"缴费年度应为 2000–2100 之间的年份，实为 {year}" in outcome.output
    assert not outcome.changed
