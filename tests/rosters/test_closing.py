"""Where a list closes (rosters.closing) and the large-close guard (rosters.guard), without
a database: the region a file is imported for, and when a snapshot's closings need the
caseworker's acknowledgement (issue #19 §2)."""

from __future__ import annotations

from decimal import Decimal

import pyarrow as pa
import pytest

from doudi.core.textfile import FileError
from doudi.rosters import guard
from doudi.rosters.closing import closing, infer_region


def rows(counties: list[str]) -> pa.Table:
    return pa.table(
        {"row_number": pa.array(range(2, len(counties) + 2), pa.int32()), "county": counties}
    )


def test_the_region_is_the_county_of_80_percent_of_the_rows():
    assert infer_region(rows(["500102"] * 8 + ["500103"] * 2)["county"]) == "500102"


def test_below_80_percent_in_a_county_the_region_is_its_city_else_its_province():
    assert infer_region(rows(["500102"] * 7 + ["500103"] * 3)["county"]) == "500100"
    spread = ["130203"] * 5 + ["130302"] * 4 + ["360102"]
    assert infer_region(rows(spread)["county"]) == "130000"


def test_rows_no_province_holds_80_percent_of_are_the_whole_countrys_and_it_is_said():
    mixed = rows(["130203"] * 5 + ["360102"] * 5)
    assert infer_region(mixed["county"]) == "000000"
    where = closing("snapshot", None, mixed, None, "status")
    assert where.counties == ["130203", "360102"]  # as every import closed before modes
    assert "导入区划：全国（000000），没有一个省份占接受行的 80% 以上" in where.lines_zh()[1]


def test_a_snapshot_closes_in_the_counties_it_covers_within_its_region_and_names_the_rest():
    where = closing("snapshot", None, rows(["500102"] * 9 + ["500103"]), None, "enrollment")
    assert (where.region, where.inferred) == ("500102", True)
    assert where.covered == ["500102", "500103"] and where.counties == ["500102"]
    assert where.outside.to_pylist() == [{"row_number": 11, "county": "500103"}]
    assert "第 11 行（500103）不在导入区划 500102 内，按增量导入" in "".join(where.lines_zh())


def test_an_addendum_closes_nowhere_and_needs_no_region():
    where = closing("addendum", None, rows(["130203", "360102"]), None, "status")
    assert where.counties == [] and where.region == ""
    assert where.lines_zh() == ["导入方式：增量名单（只新增或保持，不关闭任何人）"]


@pytest.mark.parametrize("region", ["999999", "5001", "ABCDEF", "5001020"])
def test_a_region_that_does_not_exist_is_refused_in_chinese(region):
    with pytest.raises(FileError) as refused:
        closing("snapshot", region, rows(["500102"]), None, "status")
    assert "不是有效的六位行政区划代码" in refused.value.chinese


def test_scope_counties_outside_the_region_are_refused():
    with pytest.raises(FileError) as refused:
        closing("snapshot", "500102", rows(["500102"]), ["500102", "500103"], "status")
    assert "500103 不在导入区划 500102 内" in refused.value.chinese


def changes(closed: dict[int, str | None]) -> pa.Table:
    return pa.table(
        {
            "person_id": pa.array(list(closed), pa.int64()),
            "county": pa.array(list(closed.values()), pa.string()),
            "change": ["close"] * len(closed),
        }
    )


def open_before(people: dict[int, str]) -> pa.Table:
    return pa.table(
        {"person_id": pa.array(list(people), pa.int64()), "county": list(people.values())}
    )


def test_closing_more_than_the_share_of_open_periods_needs_confirmation():
    before = open_before({i: "360102" for i in range(20)})
    two = guard.check(changes({1: "360102", 2: "360102"}), before, ["360102"])
    assert (two.closing, two.open_before, two.outside) == (2, 20, 0)
    assert not two.needs_confirmation  # 10% of 20 may close unacknowledged
    three = guard.check(changes({1: "360102", 2: "360102", 3: "360102"}), before, ["360102"])
    assert three.needs_confirmation
    assert "关闭 3 人" in three.warning_zh("建档立卡贫困人口名单", "东湖区（360102）")
    assert "现有 20 人的 15.0%" in three.warning_zh("建档立卡贫困人口名单", "东湖区（360102）")
    assert three.confirmation_zh("建档立卡贫困人口名单").startswith(
        "我已确认：本次导入将关闭 3 人的"
    )


def test_any_closing_outside_the_region_needs_confirmation():
    before = open_before({i: "360102" for i in range(100)} | {200: "360103"})
    check = guard.check(changes({200: "360103"}), before, ["360102"])
    assert (check.closing, check.outside) == (0, 1) and check.needs_confirmation
    assert "导入区划之外 1 人" in check.warning_zh("低保", "东湖区（360102）")


@pytest.mark.parametrize(("setting", "share"), [("", "0.10"), ("0.25", "0.25"), ("15%", "0.15")])
def test_the_snapshot_close_share_is_a_setting(monkeypatch, setting, share):
    monkeypatch.setenv(guard.SETTING, setting)
    assert guard.close_share() == Decimal(share)


@pytest.mark.parametrize("setting", ["abc", "1.5", "-0.1", "NaN", "200%"])
def test_a_bad_snapshot_close_share_is_a_chinese_error(monkeypatch, setting):
    monkeypatch.setenv(guard.SETTING, setting)
    with pytest.raises(FileError) as refused:
        guard.close_share()
    assert "快照关闭比例上限" in refused.value.chinese
