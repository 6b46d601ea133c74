"""A resident-pension roster's tiers against the tier list (issue #19 §4: a tier below
the minimum was imported and planned as 50), through the registry on SQLite and
PostgreSQL, and the check itself (rosters.tiers) on the tables a file reads into.

GF-2014-8/5.1: the tiers are 100, 200, …, 1000, 1500 and 2000 yuan; Jiangxi adds none
and keeps the national minimum tier of 100, so its 2018 list is the national one.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from conftest import make_id
from doudi.rosters.importing import import_roster
from doudi.rosters.reading import read_roster
from doudi.store import db

MARCH, JUNE = date(2018, 3, 31), date(2018, 6, 30)
JIANGXI_2018 = "100、200、300、400、500、600、700、800、900、1000、1500、2000 元"
#: three enrolled in 东湖区 (360102), Jiangxi
DONGHU = [make_id("360102", "19800101", f"{i:03d}") for i in range(1, 4)]
#: one enrolled in 东城区 (110101), Beijing: no jurisdiction's rules cover it
BEIJING = make_id("110101", "19800101", "001")
HEADER = "公民身份号码,姓名,行政区划代码,参保时间,缴费档次"


def write(path: Path, rows: list[tuple[str, ...]], header: str = HEADER) -> Path:
    path.write_text("\n".join([header, *(",".join(r) for r in rows)]) + "\n", encoding="utf-8")
    return path


def pension(path: Path, tiers_by_id: dict[str, str], county: str = "360102") -> Path:
    rows = [
        (i, f"参保{n}", county, "2015-01-01", t) for n, (i, t) in enumerate(tiers_by_id.items())
    ]
    return write(path, rows)


def stored_tiers(database: db.Database) -> dict[str, object]:
    ids = {p["id"]: p["id_number"] for p in database.read("registry_person").to_pylist()}
    return {
        ids[e["person_id"]]: e["contribution_tier"]
        for e in database.read("registry_enrollment").to_pylist()
        if e["valid_to"] is None
    }


def test_GF_2014_8_5_1_tiers_50_and_150_are_rejected_in_jiangxi_2018_and_100_accepted(
    registry, tmp_path
):
    path = pension(tmp_path / "p.csv", {DONGHU[0]: "50", DONGHU[1]: "150", DONGHU[2]: "100"})
    report = import_roster(registry, path, "resident_pension", MARCH)
    refused = [
        (r["row_number"], r["column"], r["code"], r["value"], r["reason"])
        for r in report.read.rejected.to_pylist()
    ]
    reason = "缴费档次 {} 元不在江西省 2018 年的档次表内（" + JIANGXI_2018 + "）"
    assert refused == [
        (2, "缴费档次", "tier", "50", reason.format(50)),
        (3, "缴费档次", "tier", "150", reason.format(150)),
    ]
    # three rows read, each counted once: one accepted, two rejected
    assert report.read.rows_read == 3 and report.read.accepted.num_rows == 1
    assert "读取 3 行：接受 1 行，拒绝 2 行" in report.summary_zh()
    [batch] = registry.read("registry_import_batch").to_pylist()
    assert (batch["rows_read"], batch["rows_accepted"], batch["rows_rejected"]) == (3, 1, 2)
    stored = registry.read("registry_rejected_row").to_pylist()
    assert [(r["row_number"], r["code"]) for r in stored] == [(2, "tier"), (3, "tier")]
    # only the 100-yuan tier reaches an enrollment, which the plan would read
    assert {k: str(v) for k, v in stored_tiers(registry).items()} == {DONGHU[2]: "100.00"}


def test_a_region_no_jurisdictions_rules_cover_is_not_rejected_on_its_tier(registry, tmp_path):
    path = pension(tmp_path / "bj.csv", {BEIJING: "50"}, county="110101")
    report = import_roster(registry, path, "resident_pension", MARCH)
    assert report.read.rejected.num_rows == 0 and report.read.accepted.num_rows == 1
    assert {k: str(v) for k, v in stored_tiers(registry).items()} == {BEIJING: "50.00"}


def test_a_row_refused_for_its_tier_keeps_the_persons_enrollment_in_a_later_snapshot(
    registry, tmp_path
):
    """The department still lists the person (rosters.held): June's snapshot with a
    mistyped tier neither closes the March enrollment nor changes its tier."""
    march = pension(tmp_path / "march.csv", dict.fromkeys(DONGHU, "100"))
    import_roster(registry, march, "resident_pension", MARCH)
    june = pension(tmp_path / "june.csv", {DONGHU[0]: "50", DONGHU[1]: "200", DONGHU[2]: "100"})
    report = import_roster(registry, june, "resident_pension", JUNE)
    assert [r["code"] for r in report.read.rejected.to_pylist()] == ["tier"]
    assert report.periods_closed == 0
    assert {k: str(v) for k, v in stored_tiers(registry).items()} == {
        DONGHU[0]: "100.00",
        DONGHU[1]: "200.00",
        DONGHU[2]: "100.00",
    }


def test_the_tier_column_is_named_as_the_file_writes_it_and_without_a_year_nothing_is_refused(
    tmp_path,
):
    """The header 档次 (an alias) is the column the department looks for; a retired
    county code an ID number keeps (362101, before 赣州 was renumbered 3607) is still
    Jiangxi's; in 2013 no tier list was in force (GF-2014-8 is of 2014): nothing to
    hold a tier against."""
    from doudi.rosters import tiers

    retired = make_id("362101", "19800101", "001")
    rows = [
        (DONGHU[0], "甲", "360102", "2015-01-01", "50"),
        (retired, "乙", "", "2015-01-01", "50"),
    ]
    header = "公民身份号码,姓名,行政区划代码,参保时间,档次"
    read = read_roster(write(tmp_path / "p.csv", rows, header), "resident_pension")
    checked = tiers.checked(read, MARCH)
    assert [(r["row_number"], r["column"]) for r in checked.rejected.to_pylist()] == [
        (2, "档次"),
        (3, "档次"),
    ]
    assert checked.accepted.num_rows == 0 and checked.rows_read == 2
    assert checked.held.column("id_number").to_pylist() == [DONGHU[0], retired]
    assert tiers.checked(read, date(2013, 12, 31)) is read


def test_a_tier_that_is_an_id_number_is_masked_in_the_reason(tmp_path):
    """A 15-digit ID number typed into the tier column is read as an amount of yuan and
    refused: the reason, shown on the report and the import page, masks it (the cell
    itself stays in ``value`` for the department)."""
    from doudi.rosters import tiers

    typed = "360102198001010"
    row = (DONGHU[0], "甲", "360102", "2015-01-01", typed)
    read = read_roster(write(tmp_path / "p.csv", [row]), "resident_pension")
    [refused] = tiers.checked(read, MARCH).rejected.to_pylist()
    assert refused["value"] == typed and typed not in refused["reason"]
    assert refused["reason"].startswith("缴费档次 3601*******1010 元不在江西省 2018 年的档次表内")
