"""Jiangxi's service targets (JX-2017-58/2.4.10) on a small registry, hand-computed, on
SQLite and PostgreSQL: the share of townships with bank withholding, the withholding
rate of resident-pension contributors, the share of villages with a service point, each
against its 2020 target, and the places short of them; limited to the region asked."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from tests.fuzz.outcome import invoke
from tests.support import read

from conftest import make_id
from doudi.core.textfile import FileError
from doudi.plan.service_targets import Indicator, service_targets
from doudi.rosters.importing import import_roster
from doudi.rosters.service_points import import_points
from doudi.store import db

MARCH, JUNE = date(2018, 3, 31), date(2018, 6, 30)
A = make_id("360102", "19800101", "011")  # 龙潭镇东村, contributes, mandate 2018-01-10
B = make_id("360102", "19810202", "021")  # 龙潭镇西村, contributes, mandate 2018-05-01
C = make_id("360102", "19820303", "031")  # 湖滨街道南村, contributes, no mandate
D = make_id("360102", "19500404", "041")  # 湖滨街道南村, draws the pension, mandate 2017-12-01
E = make_id("360102", "19830505", "051")  # 青山镇北村, contributes, mandate, died 2018-03-01
F = make_id("360103", "19840606", "061")  # 西湖区朝阳镇中村, contributes, mandate 2018-01-01


def write_gbk(path: Path, rows: list[list[str]]) -> Path:
    path.write_bytes("\n".join(",".join(r) for r in rows).encode("gbk") + b"\n")
    return path


@pytest.fixture
def county(registry: db.Database, tmp_path: Path) -> db.Database:
    """Two counties' enrollment extract, a death list, mandates and service points."""
    where = {
        A: ("360102", "龙潭镇", "东村"),
        B: ("360102", "龙潭镇", "西村"),
        C: ("360102", "湖滨街道", "南村"),
        D: ("360102", "湖滨街道", "南村"),
        E: ("360102", "青山镇", "北村"),
        F: ("360103", "朝阳镇", "中村"),
    }
    pension = [
        [
            "公民身份号码",
            "姓名",
            "行政区划代码",
            "乡镇(街道)",
            "村(社区)",
            "参保时间",
            "是否领取待遇",
        ]
    ]
    for i, (person, place) in enumerate(where.items()):
        pension.append([person, f"参保人{i}", *place, "2015-01-01", "是" if person == D else "否"])
    import_roster(
        registry, write_gbk(tmp_path / "居民养老.csv", pension), "resident_pension", MARCH
    )
    deaths = [["公民身份号码", "姓名", "死亡日期"], [E, "参保人4", "2018-03-01"]]
    import_roster(registry, write_gbk(tmp_path / "死亡.csv", deaths), "death", MARCH)
    signed = {A: "2018-01-10", B: "2018-05-01", D: "2017-12-01", E: "2018-02-01", F: "2018-01-01"}
    mandates = [["公民身份号码", "姓名", "代扣银行", "银行账号", "签约日期"]]
    for i, (person, day) in enumerate(signed.items()):
        mandates.append([person, f"参保人{i}", "江西农商银行", f"62284800123456789{i:02d}", day])
    path = write_gbk(tmp_path / "代扣协议.csv", mandates)
    import_roster(registry, path, "withholding_mandates", JUNE, mode="addendum")
    points = [
        ["行政区划代码", "乡镇(街道)", "村(社区)", "服务点名称", "设立日期"],
        ["360102", "龙潭镇", "东村", "东村金融服务站", "2017-06-01"],
        ["360102", "湖滨街道", "南村", "南村便民点", "2018-06-01"],
        ["360102", "青山镇", "北村", "北村服务点", "2016-01-01"],
        ["360102", "龙潭镇", "东林村", "东林村服务点", "2017-01-01"],  # no list names 东林村
        ["360103", "朝阳镇", "中村", "中村服务点", "2016-01-01"],
    ]
    import_points(registry, write_gbk(tmp_path / "服务点.csv", points), MARCH)
    return registry


def shares(found: object) -> list[tuple[int, int, Decimal | None, bool]]:
    return [(i.numerator, i.denominator, i.percent, i.met) for i in found.indicators]  # type: ignore[attr-defined]


def test_service_targets_of_a_county_hand_computed_jx_2017_58_2_4_10(county: db.Database) -> None:
    found = service_targets(county, "360102", MARCH)
    assert shares(found) == [
        # townships 龙潭镇 (A), 湖滨街道 (D: drawing, but the bank withholds there) of 3;
        # 青山镇's only mandate holder E died on 1 March: 2/3 = 66.666… → 66.67
        (2, 3, Decimal("66.67"), False),
        # contributors alive and enrolled: A, B, C (D draws, E dead) = 3; signed by
        # 31 March: A (B signed in May) → 1/3 = 33.33
        (1, 3, Decimal("33.33"), False),
        # villages 东村, 西村, 南村, 北村 = 4; points open by 31 March in 东村 and 北村
        # (南村's opens 1 June; 东林村 is no listed village) → 2/4 = 50.00
        (2, 4, Decimal("50.00"), False),
    ]
    assert found.townships_missing.to_pylist() == [{"county": "360102", "township": "青山镇"}]
    assert found.villages_missing.to_pylist() == [
        {"county": "360102", "township": "湖滨街道", "village": "南村"},
        {"county": "360102", "township": "龙潭镇", "village": "西村"},
    ]
    assert found.unknown_villages.column("village").to_pylist() == ["东林村"]
    assert [i.target for i in found.indicators] == [Decimal(100), Decimal(90), Decimal(100)]


def test_service_targets_count_what_was_signed_and_opened_by_the_day_jx_2017_58_2_4_10(
    county: db.Database,
) -> None:
    found = service_targets(county, "360102", JUNE)
    assert shares(found) == [
        (2, 3, Decimal("66.67"), False),  # B's township 龙潭镇 was covered already
        (2, 3, Decimal("66.67"), False),  # A and B of A, B, C: 66.67
        (3, 4, Decimal("75.00"), False),  # 南村's point opened 1 June: 3/4 = 75.00
    ]


def test_service_targets_stay_within_the_region_asked_jx_2017_58_2_4_10(
    county: db.Database,
) -> None:
    # 西湖区 alone: 朝阳镇 (F's mandate), F contributing and signed, 中村's point
    assert shares(service_targets(county, "360103", MARCH)) == [
        (1, 1, Decimal("100.00"), True),
        (1, 1, Decimal("100.00"), True),
        (1, 1, Decimal("100.00"), True),
    ]
    # 南昌市 holds both counties: townships 2+1 = 3 of 3+1 = 4 → 75.00; contributors
    # A, B, C, F, signed A, F → 2/4 = 50.00; villages 2+1 = 3 of 4+1 = 5 → 60.00
    assert shares(service_targets(county, "360100", MARCH)) == [
        (3, 4, Decimal("75.00"), False),
        (2, 4, Decimal("50.00"), False),
        (3, 5, Decimal("60.00"), False),
    ]


def test_service_targets_are_jiangxis_and_refuse_another_province_in_chinese(
    registry: db.Database,
) -> None:
    with pytest.raises(FileError, match="不在江西省内"):
        service_targets(registry, "500102", MARCH)
    with pytest.raises(FileError, match="未知的行政区划代码「999999」"):
        service_targets(registry, "999999", MARCH)


def test_a_target_is_met_on_the_exact_share_not_the_rounded_one_jx_2017_58_2_4_10() -> None:
    def rate(numerator: int, denominator: int) -> Indicator:
        return Indicator(
            "withholding_rate", "养老保险费代扣代缴率", numerator, denominator, Decimal(90)
        )

    assert (rate(9, 10).percent, rate(9, 10).met) == (Decimal("90.00"), True)
    # 89,999/100,000 = 89.999 % shows as 90.00 % but falls short of 90 %
    assert (rate(89_999, 100_000).percent, rate(89_999, 100_000).met) == (Decimal("90.00"), False)
    assert (rate(0, 0).percent, rate(0, 0).met) == (None, False)
    assert "0/0 = 无数据" in rate(0, 0).line_zh()


def test_doudi_service_targets_prints_the_shares_and_writes_the_workbook(
    county: db.Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import doudi.plan.cli

    monkeypatch.setattr(doudi.plan.cli, "open_registry", lambda: county)
    out = tmp_path / "服务目标.xlsx"
    done = invoke(
        ["service-targets", "--region", "360102", "--as-of", "2018-03-31", "--out", str(out)],
        county,
    )
    assert (done.exit_code, done.error, done.changed) == (0, "", [])
    assert (
        "金融机构代扣代缴乡镇（街道）覆盖率：2/3 = 66.67%，2020年目标 100%，未达标"
        "（JX-2017-58/2.4.10）" in done.output
    )
    assert "养老保险费代扣代缴率：1/3 = 33.33%，2020年目标 90%，未达标" in done.output
    assert "村级金融便民服务点在行政村覆盖率：2/4 = 50.00%" in done.output
    assert "未实现金融机构代扣代缴的乡镇（街道）（1）：360102 青山镇" in done.output
    assert (
        "未设村级金融便民服务点的行政村（2）：360102 湖滨街道南村、360102 龙潭镇西村" in done.output
    )
    assert "依据 【JX-2017-58/2.4.10】" in done.output
    sheet = read(out, "服务目标").to_pylist()
    assert [(r["指标"], r["分子"], r["分母"], r["是否达标"]) for r in sheet] == [
        ("金融机构代扣代缴乡镇（街道）覆盖率", "2", "3", "未达标"),  # cells read as text
        ("养老保险费代扣代缴率", "1", "3", "未达标"),
        ("村级金融便民服务点在行政村覆盖率", "2", "4", "未达标"),
    ]
    assert read(out, "未设服务点的行政村").num_rows == 2

    refused = invoke(["service-targets", "--region", "500102", "--as-of", "2018-03-31"], county)
    assert (refused.exit_code, refused.error) == (2, "")
    assert "未统计" in refused.output and "不在江西省内" in refused.output
