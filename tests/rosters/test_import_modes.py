"""Snapshot or addendum, the large-close guard and the file's region, through the registry
on SQLite and PostgreSQL (issue #19 §2: a partial list wiped a county; one row of another
district closed that district's enrollments and a 70.00 payment left the next plan)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from conftest import make_id
from doudi.core.textfile import FileError
from doudi.rosters.guard import ClosingNotConfirmed
from doudi.rosters.importing import import_roster
from doudi.store import db

MARCH, JUNE, SEPT = date(2018, 3, 31), date(2018, 6, 30), date(2018, 9, 30)
#: twenty registered poor of 东湖区 (360102)
PEOPLE = [make_id("360102", "19800101", f"{i:03d}") for i in range(1, 21)]
NEW = [make_id("360102", "19900101", f"{i:03d}") for i in range(1, 4)]


def write(path: Path, rows: list[tuple[str, ...]], header: str = "公民身份号码,姓名") -> Path:
    path.write_text("\n".join([header, *(",".join(r) for r in rows)]) + "\n", encoding="utf-8")
    return path


def named_rows(ids: list[str]) -> list[tuple[str, ...]]:
    return [(i, f"人{n}") for n, i in enumerate(ids)]


def counts(database: db.Database) -> dict[str, int]:
    return {t: database.read(t).num_rows for t in db.registry_tables()}


def open_people(database: db.Database, table: str = "registry_status_period") -> set[str]:
    ids = {
        p["id"]: p["id_number"]
        for p in database.read("registry_person", columns=("id", "id_number")).to_pylist()
    }
    return {ids[p["person_id"]] for p in database.read(table).to_pylist() if p["valid_to"] is None}


@pytest.fixture
def county(registry: db.Database, tmp_path: Path) -> db.Database:
    """The twenty as of 31 March, a snapshot."""
    import_roster(registry, write(tmp_path / "march.csv", named_rows(PEOPLE)), "poverty", MARCH)
    return registry


def test_an_addendum_closes_nobody_and_is_recorded_as_one(county, tmp_path):
    new = write(tmp_path / "new.csv", named_rows(NEW))
    report = import_roster(county, new, "poverty", JUNE, mode="addendum")
    assert (report.periods_opened, report.periods_closed) == (3, 0)
    assert not report.needs_confirmation
    assert "导入方式：增量名单（只新增或保持，不关闭任何人）" in report.summary_zh()
    assert open_people(county) == set(PEOPLE) | set(NEW)
    modes = {b["as_of"]: b["mode"] for b in county.read("registry_import_batch").to_pylist()}
    assert modes == {MARCH: "snapshot", JUNE: "addendum"}


def test_a_snapshot_after_an_addendum_still_closes(county, tmp_path):
    import_roster(
        county, write(tmp_path / "new.csv", named_rows(NEW)), "poverty", JUNE, mode="addendum"
    )
    stay = PEOPLE[1:] + NEW[1:]  # the first of each has left by September
    report = import_roster(county, write(tmp_path / "sept.csv", named_rows(stay)), "poverty", SEPT)
    assert report.periods_closed == 2 and not report.needs_confirmation
    assert open_people(county) == set(stay)


@pytest.mark.parametrize("dry_run", [True, False])
def test_a_partial_list_as_a_snapshot_is_refused_unless_confirmed(county, tmp_path, dry_run):
    # five of twenty re-sent as a snapshot would close 15 (75% > 快照关闭比例上限 10%)
    part = write(tmp_path / "part.csv", named_rows(PEOPLE[:5]))
    before = counts(county)
    if dry_run:
        report = import_roster(county, part, "poverty", JUNE, dry_run=True)
        assert report.needs_confirmation and report.periods_closed == 15
        check = report.closing_check
        assert (check.closing, check.open_before, check.outside) == (15, 20, 0)
        warning = report.summary_zh()[-1]
        assert warning.startswith("警告：本次全量快照将关闭 15 人") and "75.0%" in warning
        assert report.confirmation_zh().startswith("我已确认：本次导入将关闭 15 人的")
    else:
        with pytest.raises(ClosingNotConfirmed) as refused:
            import_roster(county, part, "poverty", JUNE)
        assert "未确认关闭，未写入任何数据" in refused.value.chinese
    assert counts(county) == before


def test_the_dry_run_names_each_change_in_chinese_not_by_its_code(county, tmp_path):
    # issue #23 §1: the command printed "close: 3601…"; the 15 left out are closed, 关闭
    # as the confirmation the import asks for (须确认关闭) names it
    part = write(tmp_path / "part.csv", named_rows(PEOPLE[:5]))
    report = import_roster(county, part, "poverty", JUNE, dry_run=True)
    lines = report.change_lines_zh(20)
    assert len(lines) == 15 and lines[0] == f"  关闭：{PEOPLE[5]} 人5"
    assert not any("close" in line for line in lines)
    assert len(report.change_lines_zh(3)) == 3


def test_a_confirmed_large_close_is_imported(county, tmp_path):
    part = write(tmp_path / "part.csv", named_rows(PEOPLE[:5]))
    report = import_roster(county, part, "poverty", JUNE, confirm_closing=True)
    assert report.periods_closed == 15 and report.batch_id is not None
    assert open_people(county) == set(PEOPLE[:5])


def test_a_close_within_the_share_needs_no_confirmation(county, tmp_path, monkeypatch):
    two_left = write(tmp_path / "june.csv", named_rows(PEOPLE[2:]))
    assert not import_roster(county, two_left, "poverty", JUNE).needs_confirmation
    monkeypatch.setenv("DOUDI_SNAPSHOT_CLOSE_SHARE", "60%")  # a setting, not policy
    ten_left = write(tmp_path / "sept.csv", named_rows(PEOPLE[12:]))
    assert import_roster(county, ten_left, "poverty", SEPT).periods_closed == 10


# -- a row of another district (issue #19: 3 enrollments closed, 70.00 gone) ------------

FULING, YUZHONG = "500102", "500103"
#: 渝中区's three enrolled; the first is registered poor (the plan pays part of it)
YZ = [make_id(YUZHONG, "19700101", f"{i:03d}") for i in range(1, 4)]
STRAY = make_id(YUZHONG, "19650101", "009")  # a 渝中区 person on 涪陵区's list
FL = [make_id(FULING, "19750101", f"{i:03d}") for i in range(1, 10)]
PENSION = "公民身份号码,姓名,行政区划代码,参保时间,缴费档次"


def pension_rows(ids: list[str], county: str) -> list[tuple[str, ...]]:
    return [(i, f"参保{n}", county, "2015-01-01", "100") for n, i in enumerate(ids)]


def plan_row(database: db.Database, version: int, id_number: str) -> list[dict[str, Any]]:
    person = database.read("registry_person", "WHERE id_number = ?", (id_number,))
    rows = database.read(
        "registry_contribution",
        "WHERE plan_version_id = ? AND person_id = ?",
        (version, person["id"][0].as_py()),
    )
    return sorted(
        ({k: r[k] for k in ("year", "scheme", "payer", "amount")} for r in rows.to_pylist()),
        key=lambda r: (r["scheme"], r["payer"]),
    )


def test_a_row_of_another_district_never_closes_that_districts_periods(registry, tmp_path):
    from doudi.plan import versions as plan

    july = date(2017, 6, 30)
    poor = write(
        tmp_path / "poor.csv", [(YZ[0], "渝一", YUZHONG)], "公民身份号码,姓名,行政区划代码"
    )
    import_roster(registry, poor, "poverty", july)
    yz = write(tmp_path / "yz.csv", pension_rows(YZ, YUZHONG), PENSION)
    import_roster(registry, yz, "resident_pension", july)
    before = plan.run_plan(registry, "500000", 2018, snapshots=tmp_path / "plans", region=YUZHONG)
    paid = plan_row(registry, before.version_id, YZ[0])
    assert any(r["payer"] != "self" and r["amount"] > 0 for r in paid)

    # 涪陵区's list as of the year's end: nine of its own and one row of 渝中区
    rows = pension_rows(FL, FULING) + pension_rows([STRAY], YUZHONG)
    fl = write(tmp_path / "fl.csv", rows, PENSION)
    report = import_roster(registry, fl, "resident_pension", date(2017, 12, 31))
    assert report.closing.region == FULING and report.periods_closed == 0
    assert "第 11 行（500103）不在导入区划 500102 内" in "".join(report.summary_zh())
    assert set(YZ) | {STRAY} <= open_people(registry, "registry_enrollment")

    after = plan.run_plan(registry, "500000", 2018, snapshots=tmp_path / "plans", region=YUZHONG)
    assert plan_row(registry, after.version_id, YZ[0]) == paid


def test_a_given_region_outside_the_rows_names_them_all(county, tmp_path):
    # the caseworker says the file is 青云谱区's: none of its rows is; nobody is closed
    report = import_roster(
        county, write(tmp_path / "x.csv", named_rows(PEOPLE[:5])), "poverty", JUNE, region="360104"
    )
    assert report.periods_closed == 0 and report.closing.outside.num_rows == 5


def test_an_unknown_mode_is_refused_in_chinese(county, tmp_path):
    with pytest.raises(FileError) as refused:
        import_roster(
            county, write(tmp_path / "x.csv", named_rows(NEW)), "poverty", JUNE, mode="full"
        )
    assert "导入方式应为" in refused.value.chinese


def test_a_valid_row_after_a_rejected_one_of_the_same_number_is_imported(county, tmp_path):
    # issue #19 §2: the second row was dropped as a duplicate of a row itself rejected
    rows = [f"{NEW[0]},甲,2017-02-30", f"{NEW[0]},甲,2017-02-01"]
    path = tmp_path / "dup.csv"
    path.write_text("公民身份号码,姓名,纳入时间\n" + "\n".join(rows) + "\n", encoding="utf-8")
    report = import_roster(county, path, "poverty", JUNE, mode="addendum")
    assert report.read.accepted["row_number"].to_pylist() == [3]
    assert NEW[0] in open_people(county)


def cli(database: db.Database, tmp_path: Path, *args: str) -> Any:
    import os
    import subprocess
    import sys

    return subprocess.run(
        [sys.executable, "-c", "from doudi.cli import app; app()", "import", *args],
        capture_output=True,
        text=True,
        env={**os.environ, "DOUDI_DATABASE_URL": database.url(), "DOUDI_HOME": str(tmp_path)},
        timeout=120,
    )


@pytest.mark.slow
def test_the_import_command_takes_the_mode_and_the_confirmation(county, tmp_path):
    part = str(write(tmp_path / "part.csv", named_rows(PEOPLE[:5])))
    base = ("--source", "poverty", "--as-of", "2018-06-30")
    before = counts(county)
    dry = cli(county, tmp_path, part, *base, "--dry-run")
    assert dry.returncode == 0 and "警告：本次全量快照将关闭 15 人" in dry.stdout
    assert "导入方式：全量快照" in dry.stdout and "--confirm-closing" in dry.stderr
    refused = cli(county, tmp_path, part, *base)
    assert refused.returncode == 2 and "未确认关闭，未写入任何数据" in refused.stderr
    assert "Traceback" not in refused.stderr and counts(county) == before
    wrong = cli(county, tmp_path, part, *base, "--mode", "full")
    assert wrong.returncode == 2 and "导入方式应为" in wrong.stderr
    addendum = cli(county, tmp_path, part, *base, "--mode", "addendum")
    assert addendum.returncode == 0 and "导入方式：增量名单" in addendum.stdout
    confirmed = cli(county, tmp_path, part, *base[:3], "2018-09-30", "--confirm-closing")
    assert confirmed.returncode == 0 and "关闭期间 15" in confirmed.stdout


def wrong_check(id_number: str) -> str:
    """The same number with a wrong check character."""
    return id_number[:17] + ("1" if id_number[17] != "1" else "2")


def test_a_snapshot_does_not_close_people_whose_rows_it_refused(county, tmp_path):
    """A refused row that names a person by a valid ID number (an empty name, both rows
    of a conflicting duplicate, a line with unpaired quotes, a line with extra cells)
    keeps their period open (reading 30); a wrong check character names nobody, and
    the person is closed as one the list left out."""
    june = tmp_path / "june.csv"
    lines = [
        "公民身份号码,姓名",
        f"{PEOPLE[0]},",  # 姓名 empty
        f"{PEOPLE[1]},甲",  # two rows of one number that differ
        f"{PEOPLE[1]},乙",
        f'{PEOPLE[2]},"人2',  # quotes do not pair up
        f"{PEOPLE[3]},人3,多,余",  # more cells than the header
        f"{wrong_check(PEOPLE[4])},人4",
        *(f"{i},人" for i in PEOPLE[5:]),
    ]
    june.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = import_roster(county, june, "poverty", JUNE)
    assert report.periods_closed == 1
    assert open_people(county) == set(PEOPLE) - {PEOPLE[4]}
    stored = county.read("registry_rejected_row").to_pylist()
    named = {r["row_number"]: r["id_number"] for r in stored}
    assert named == {
        2: PEOPLE[0],
        3: PEOPLE[1],
        4: PEOPLE[1],
        5: PEOPLE[2],
        6: PEOPLE[3],
        7: "",
    }

    # September lists everyone but the first: closed then, not in June
    sept = write(tmp_path / "sept.csv", named_rows(PEOPLE[1:]))
    import_roster(county, sept, "poverty", SEPT)
    first = {
        (p["valid_from"], p["valid_to"])
        for p in county.read("registry_status_period").to_pylist()
        if p["person_id"] == 1
    }
    assert first == {(MARCH, SEPT)}
    assert open_people(county) == set(PEOPLE[1:])


def test_a_disability_row_of_grade_three_closes_the_severe_disability(registry, tmp_path):
    """Grade 三级 is a refusal that says the person is not severely disabled (not a typing
    mistake): the snapshot closes them, and the stored row names nobody."""
    header = "公民身份号码,姓名,残疾等级"
    march = write(tmp_path / "m.csv", [(i, "某", "二级") for i in PEOPLE], header)
    import_roster(registry, march, "disability", MARCH)
    june = write(
        tmp_path / "j.csv",
        [(PEOPLE[0], "某", "三级"), *((i, "某", "二级") for i in PEOPLE[1:])],
        header,
    )
    report = import_roster(registry, june, "disability", JUNE)
    assert report.periods_closed == 1
    assert open_people(registry) == set(PEOPLE[1:])
    assert {r["id_number"] for r in registry.read("registry_rejected_row").to_pylist()} == {""}


def test_a_broken_line_holds_only_the_person_of_its_id_column(county, tmp_path):
    """A refused line naming someone else's number in another cell (a household head's,
    a guardian's) does not keep that person's period open: only the ID column counts
    (reading 30). The list leaves PEOPLE[6] out; their number stands in a broken line
    whose own ID cell is empty, so they are closed."""
    june = tmp_path / "june.csv"
    lines = [
        "公民身份号码,姓名",
        *(f"{i},人" for i in PEOPLE if i != PEOPLE[6]),
        f',"张小,{PEOPLE[6]}',  # quotes do not pair up; the ID cell is empty
    ]
    june.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = import_roster(county, june, "poverty", JUNE)
    assert report.periods_closed == 1
    assert open_people(county) == set(PEOPLE) - {PEOPLE[6]}
