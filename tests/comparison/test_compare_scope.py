"""信息比对 of one region shows that region's rejected rows only (issue #19 §5).

Two counties import their own poverty list, each with one number whose check character
is wrong and one duplicated row: 东湖区 (Jiangxi, 360102) as of 1 June, 渝中区
(Chongqing, 500102) as of 30 June. Chongqing's file is the newer of the source, but it is
not Jiangxi's latest file: each county's comparison lists its own two bad rows and none
of the other's, on SQLite and on PostgreSQL (the ``registry`` fixture).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv

from conftest import make_id
from doudi.comparison.compare import TABLES, Comparison, compare
from doudi.rosters.importing import import_roster
from doudi.store import db

JUNE_1, JUNE_30 = date(2024, 6, 1), date(2024, 6, 30)


def bad_check(number: str) -> str:
    """The number with a wrong check character (one that GB 11643 does not give)."""
    return number[:17] + ("0" if number[17] != "0" else "1")


def poverty_file(path: Path, county: str) -> tuple[Path, str, str]:
    """A poverty list of ``county``: two good people, one bad check character (row 4),
    the first person again (row 5); returns the file, the bad and the duplicated number."""
    good = [make_id(county, "19800512", "002"), make_id(county, "19700101", "005")]
    bad = bad_check(make_id(county, "19900101", "013"))
    ids = [*good, bad, good[0]]
    table = pa.table(
        {
            "公民身份号码": ids,
            "姓名": ["甲", "乙", "丙", "甲"],
            "纳入时间": ["2017-06-01"] * 4,
        }
    )
    pacsv.write_csv(table, path)
    return path, bad, good[0]


def comparison(registry: db.Database, region: str) -> Comparison:
    return compare({t: registry.read(t) for t in TABLES}, region, JUNE_30)


def test_each_regions_comparison_lists_only_its_own_rejected_rows(
    registry: db.Database, tmp_path: Path
) -> None:
    jx, jx_bad, jx_dup = poverty_file(tmp_path / "jx.csv", "360102")
    cq, cq_bad, cq_dup = poverty_file(tmp_path / "cq.csv", "500102")
    import_roster(registry, jx, "poverty", JUNE_1)
    import_roster(registry, cq, "poverty", JUNE_30)  # the newer file of the source

    # CSV rows: header = 1, so the bad number is row 4 and the duplicate row 5
    jiangxi = comparison(registry, "360102")
    assert jiangxi.invalid_ids.select(["file_name", "row_number", "value"]).to_pylist() == [
        {"file_name": "jx.csv", "row_number": 4, "value": jx_bad}
    ]
    assert jiangxi.duplicates.select(["file_name", "row_number", "value"]).to_pylist() == [
        {"file_name": "jx.csv", "row_number": 5, "value": jx_dup}
    ]
    assert jiangxi.summary.to_pylist()[0]["invalid_ids"] == 1  # 1 row, not 2

    chongqing = comparison(registry, "500102")
    assert chongqing.invalid_ids.select(["file_name", "value"]).to_pylist() == [
        {"file_name": "cq.csv", "value": cq_bad}
    ]
    assert chongqing.duplicates.select(["file_name", "value"]).to_pylist() == [
        {"file_name": "cq.csv", "value": cq_dup}
    ]

    # a region of neither sees neither's rows
    other = comparison(registry, "360103")
    assert (other.invalid_ids.num_rows, other.duplicates.num_rows) == (0, 0)


def test_a_file_covering_two_counties_shows_each_county_its_own_rows(
    registry: db.Database, tmp_path: Path
) -> None:
    # one city-wide file (南昌市: 东湖区 360102 and 西湖区 360103), bad rows in both
    a, a_bad, _ = poverty_file(tmp_path / "a.csv", "360102")
    b, b_bad, _ = poverty_file(tmp_path / "b.csv", "360103")
    both = tmp_path / "city.csv"
    rows = pacsv.read_csv(a, convert_options=pacsv.ConvertOptions(strings_can_be_null=False))
    more = pacsv.read_csv(b, convert_options=pacsv.ConvertOptions(strings_can_be_null=False))
    table = pa.concat_tables([rows.slice(0, 3), more.slice(0, 3)])  # no duplicates
    table = table.cast(pa.schema([(n, pa.string()) for n in table.column_names]))
    pacsv.write_csv(table, both)
    import_roster(registry, both, "poverty", JUNE_1)

    east = comparison(registry, "360102")
    assert east.invalid_ids.column("value").to_pylist() == [a_bad]
    west = comparison(registry, "360103")
    assert west.invalid_ids.column("value").to_pylist() == [b_bad]
    city = comparison(registry, "360100")
    assert city.invalid_ids.column("value").to_pylist() == [a_bad, b_bad]


def test_an_addendum_is_not_the_countys_latest_list(registry: db.Database, tmp_path: Path) -> None:
    """An addendum (增量名单) adds people to the county's list; it is not that list: the
    comparison keeps reading the county's latest snapshot for its bad rows (before: the
    newer addendum hid the snapshot's invalid and duplicated numbers)."""
    jx, jx_bad, jx_dup = poverty_file(tmp_path / "jx.csv", "360102")
    import_roster(registry, jx, "poverty", JUNE_1)
    new = tmp_path / "new.csv"
    pacsv.write_csv(
        pa.table(
            {
                "公民身份号码": [make_id("360102", "19850303", "021")],
                "姓名": ["丁"],
                "纳入时间": ["2024-06-10"],
            }
        ),
        new,
    )
    import_roster(registry, new, "poverty", JUNE_30, mode="addendum")

    jiangxi = comparison(registry, "360102")
    assert jiangxi.invalid_ids.select(["file_name", "value"]).to_pylist() == [
        {"file_name": "jx.csv", "value": jx_bad}
    ]
    assert jiangxi.duplicates.select(["file_name", "value"]).to_pylist() == [
        {"file_name": "jx.csv", "value": jx_dup}
    ]
