"""The two lists behind Jiangxi's service targets (JX-2017-58/2.4.10), on SQLite and
PostgreSQL: bank withholding mandates (a record list of people, ``doudi import``) and
village service points (a list of places without ID numbers, ``doudi service-points``).
Both are read from GBK files with header variants, refuse a bad row by its row, column
and a Chinese reason, and write nothing when no row is accepted."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from tests.fuzz.outcome import invoke

from conftest import make_id
from doudi.core.textfile import FileError
from doudi.rosters.importing import import_roster
from doudi.rosters.service_points import NoPointAccepted, import_points, points_as_of
from doudi.rosters.sources import IMPORTED, RECORDS, SERVICE_RECORDS, SOURCES
from doudi.store import db

MARCH, APRIL, JUNE = date(2018, 3, 31), date(2018, 4, 30), date(2018, 6, 30)
GOOD = make_id("360102", "19800101", "011")
OTHER = make_id("360102", "19850505", "023")
THIRD = make_id("360102", "19900909", "035")


def write_gbk(path: Path, rows: list[list[str]]) -> Path:
    path.write_bytes("\n".join(",".join(r) for r in rows).encode("gbk") + b"\n")
    return path


def counts(database: db.Database) -> dict[str, int]:
    return {t: database.read(t).num_rows for t in db.registry_tables()}


def test_the_mandates_are_a_record_list_doudi_import_takes_apart_from_synth_records() -> None:
    assert SERVICE_RECORDS == ("withholding_mandates",)
    assert SOURCES["withholding_mandates"].kind == "record"
    assert "withholding_mandates" in IMPORTED and "withholding_mandates" not in RECORDS


# -- withholding mandates (代扣协议) ------------------------------------------------------


def test_mandates_import_from_gbk_with_header_variants_and_refuse_bad_rows_jx_2017_58_2_4_10(
    registry: db.Database, tmp_path: Path
) -> None:
    header = ["身份证号", "人员姓名", "乡镇", "行政村", "开户银行", "代扣账号", "签订日期"]
    path = write_gbk(
        tmp_path / "代扣协议.csv",
        [
            header,
            [
                GOOD,
                "张三",
                "龙潭镇",
                "东村",
                "江西农商银行",
                "6228 4800 1234 5678 901",
                "2018/1/10",
            ],
            [OTHER, "李四", "龙潭镇", "西村", "江西农商银行", "6.22848E+18", "2018-01-10"],
            [THIRD, "王五", "龙潭镇", "西村", "", "6228480012345678902", "2018-02-30"],
        ],
    )
    report = import_roster(registry, path, "withholding_mandates", MARCH, actor="测试")
    read = report.read
    assert read.encoding == "gb18030"
    assert set(read.header_map) == set(header)
    refused = {(r["row_number"], r["column"], r["code"]) for r in read.rejected.to_pylist()}
    assert refused == {
        (3, "代扣账号", "account"),
        (4, "开户银行", "missing"),
        (4, "签订日期", "date"),
    }
    reasons = {r["code"]: r["reason"] for r in read.rejected.to_pylist()}
    assert reasons["missing"] == "必填项「代扣银行」为空"
    assert "银行账号应为 8 至 32 位数字" in reasons["account"]
    [entry] = registry.read("registry_roster_entry").to_pylist()
    assert (entry["id_number"], entry["bank_name"], entry["bank_account"], entry["since"]) == (
        GOOD,
        "江西农商银行",
        "6228480012345678901",  # the grouping spaces dropped
        date(2018, 1, 10),
    )
    assert report.records_stored == 1 and report.periods_opened == 0
    actions = sorted(a["action"] for a in registry.read("registry_audit_log").to_pylist())
    assert actions == ["add_person", "add_record"]


# -- service points (村级金融便民服务点) -------------------------------------------------

POINT_HEADER = ["区划代码", "乡镇", "行政村", "网点名称", "开设日期"]


def points_file(tmp_path: Path, rows: list[list[str]], name: str = "服务点.csv") -> Path:
    """A GBK list with a title row above its header, as counties send them."""
    return write_gbk(tmp_path / name, [["东湖区村级金融便民服务点名单"], POINT_HEADER, *rows])


def test_service_points_import_from_gbk_with_a_title_and_refuse_bad_rows_jx_2017_58_2_4_10(
    registry: db.Database, tmp_path: Path
) -> None:
    path = points_file(
        tmp_path,
        [
            ["360102", "龙潭镇", "东村", "东村金融服务站", "2017-06-01"],
            ["999999", "龙潭镇", "西村", "西村服务点", "2017-06-01"],
            ["360102", "龙潭镇", "", "无名服务点", "2017-06-01"],
            ["360102", "湖滨街道", "南村", "南村便民点", "2018年13月1日"],
            ["360102", "龙潭镇", "东村", "东村金融服务站", "2017-06-01"],
            ["360102001", "青山镇", "北村", "北村服务点", "2016-01-01"],
        ],
    )
    report = import_points(registry, path, MARCH, actor="测试")
    read = report.read
    assert (read.encoding, read.rows_read) == ("gb18030", 6)
    refused = [(r["row_number"], r["column"], r["code"]) for r in read.rejected.to_pylist()]
    # the title is row 1, the header row 2: data starts at row 3
    assert refused == [
        (4, "区划代码", "region"),
        (5, "行政村", "missing"),
        (6, "开设日期", "date"),
        (7, "网点名称", "duplicate"),
    ]
    reasons = [r["reason"] for r in read.rejected.to_pylist()]
    assert reasons[0] == "「999999」不是现行的区县级行政区划代码"
    assert reasons[1] == "必填项「村(社区)」为空"
    assert reasons[3] == "与第 3 行为同一服务点（同一区县、乡镇、村和名称），未重复导入"
    stored = registry.read("registry_service_point").sort_by("row_number").to_pylist()
    assert [(p["row_number"], p["county"], p["township"], p["village"]) for p in stored] == [
        (3, "360102", "龙潭镇", "东村"),
        (8, "360102", "青山镇", "北村"),  # a township-level code belongs to its county
    ]
    [batch] = registry.read("registry_import_batch").to_pylist()
    assert (batch["source"], batch["mode"], batch["region"]) == (
        "service_points",
        "snapshot",
        "360102",
    )
    assert (batch["rows_read"], batch["rows_accepted"], batch["rows_rejected"]) == (6, 2, 4)
    assert registry.read("registry_import_scope").column("county").to_pylist() == ["360102"]
    assert registry.read("registry_rejected_row").num_rows == 4
    audit = registry.read("registry_audit_log").to_pylist()
    assert [a["action"] for a in audit] == ["add_service_point"] * 2
    assert {a["row_id"] for a in audit} == {p["id"] for p in stored}
    assert "第 3 行：龙潭镇东村 东村金融服务站" in audit[0]["detail"]

    again = import_points(registry, path, MARCH, actor="测试")  # the same file, same day
    assert again.already_imported and registry.read("registry_service_point").num_rows == 2


def test_a_service_point_list_of_no_good_row_or_outside_the_users_region_writes_nothing(
    registry: db.Database, tmp_path: Path
) -> None:
    before = counts(registry)
    bad = points_file(tmp_path, [["360102", "龙潭镇", "", "无名服务点", "2017-06-01"]])
    with pytest.raises(NoPointAccepted, match="必填项「村\\(社区\\)」为空"):
        import_points(registry, bad, MARCH)
    other = points_file(
        tmp_path, [["360103", "朝阳镇", "中村", "中村服务点", "2017-06-01"]], "西湖区.csv"
    )
    with pytest.raises(FileError, match="不在您管辖范围（360102）内的区县：360103"):
        import_points(registry, other, MARCH, within="360102")
    no_header = write_gbk(tmp_path / "无表头.csv", [["名称", "日期"], ["某服务点", "2017-06-01"]])
    with pytest.raises(FileError, match="缺少必填列「村\\(社区\\)」"):
        import_points(registry, no_header, MARCH)
    assert counts(registry) == before


def test_service_points_on_a_day_are_the_latest_snapshot_and_the_addenda_after_it(
    registry: db.Database, tmp_path: Path
) -> None:
    first = points_file(
        tmp_path,
        [
            ["360102", "龙潭镇", "东村", "东村金融服务站", "2017-06-01"],
            ["360102", "青山镇", "北村", "北村服务点", "2016-01-01"],
            ["360103", "朝阳镇", "中村", "中村服务点", "2016-01-01"],
        ],
        "三月.csv",
    )
    import_points(registry, first, MARCH)
    # April's snapshot of 360102 no longer lists 北村's point; an addendum adds 南村's
    second = points_file(
        tmp_path, [["360102", "龙潭镇", "东村", "东村金融服务站", "2017-06-01"]], "四月.csv"
    )
    import_points(registry, second, APRIL)
    added = points_file(
        tmp_path, [["360102", "湖滨街道", "南村", "南村便民点", "2018-05-20"]], "五月.csv"
    )
    import_points(registry, added, date(2018, 5, 31), mode="addendum")

    def villages(region: str, day: date) -> list[str]:
        return sorted(points_as_of(registry, region, day).column("village").to_pylist())

    assert villages("360102", MARCH) == ["东村", "北村"]
    assert villages("360102", APRIL) == ["东村"]
    assert villages("360102", date(2018, 5, 31)) == ["东村", "南村"]
    assert villages("360102", date(2018, 5, 19)) == ["东村"]  # 南村's point not yet open
    assert villages("360103", JUNE) == ["中村"]  # April's snapshot covered 360102 only
    assert villages("360100", JUNE) == ["东村", "中村", "南村"]


def test_doudi_service_points_prints_the_rejected_rows_and_refuses_an_empty_list(
    registry: db.Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import doudi.rosters.cli

    monkeypatch.setattr(doudi.rosters.cli, "open_registry", lambda: registry)
    path = points_file(
        tmp_path,
        [
            ["360102", "龙潭镇", "东村", "东村金融服务站", "2017-06-01"],
            ["360102", "龙潭镇", "西村", "西村服务点", "去年"],
        ],
    )
    done = invoke(["service-points", str(path), "--as-of", "2018-03-31"], registry)
    assert (done.exit_code, done.error) == (0, "")
    assert "读取 2 行：接受 1 行，拒绝 1 行" in done.output
    assert "第 4 行「开设日期」：" in done.output
    listed = invoke(["imports"], registry).output
    assert "村级金融便民服务点名单（全量快照） 截至 2018-03-31" in listed
    assert "服务点 1 个" in listed
    empty = points_file(tmp_path, [["360102", "龙潭镇", "", "无名", "2017-06-01"]], "空.csv")
    refused = invoke(["service-points", str(empty), "--as-of", "2018-03-31"], registry)
    assert (refused.exit_code, refused.error, refused.changed) == (2, "", [])
    assert "导入失败，数据库未改动" in refused.output
