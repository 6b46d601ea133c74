"""Chongqing's list deadlines (CQ-2018-82/2.1.1): a plan of year Y says, per department
and list, when a target list of Y-1 is missing or was imported after its deadline; on
SQLite and PostgreSQL.

渝人社发〔2018〕82号 二、（一）1: “由区县民政局、扶贫办负责代缴对象认定，并于上年12月20日前，
分别将代缴对象数据提供给区县社保局（各区县民政局、扶贫办应于2018年6月30日前将2017年认定的
代缴对象数据提供给区县社保局）。” The targets: 建档立卡未标注脱贫的贫困人口、低保对象、
特困人员. A 2018 plan of 渝中区 (500102) reads the 2017 lists, due by 30 June 2018.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from conftest import make_id
from doudi.plan import versions as plan
from doudi.rosters.importing import import_roster
from doudi.store import db

DIBAO = make_id("500102", "19750101", "003")
YEAR_END = date(2017, 12, 31)
DIBAO_DUE = "民政 最低生活保障对象名单：2017 年名单应于 2018-06-30 前报送（CQ-2018-82/2.1.1），"


def write(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def imported_at(registry: db.Database, source: str, utc: str) -> None:
    """Date the batches of ``source`` as imported at ``utc`` ("YYYY-MM-DD HH:MM:SS")."""
    stamp = utc if registry.dialect == "sqlite" else f"{utc}+00"
    with registry.transaction() as con:
        # a literal: a time zone-aware datetime binds differently in the two drivers
        db.execute(
            con,
            f"UPDATE registry_import_batch SET imported_at = '{stamp}' WHERE source = ?",
            (source,),
        )


def load(registry: db.Database, tmp_path: Path, region: str = "500102") -> None:
    """The poverty office's and the tekun list of 2017, both received on 1 May 2018."""
    poor, tekun = (make_id(region, "19800101", "001"), make_id(region, "19700101", "005"))
    head = "公民身份号码,姓名,纳入时间"
    files = {
        "poverty": write(tmp_path / "poverty.csv", [head, f"{poor},甲,2016-06-01"]),
        "tekun": write(tmp_path / "tekun.csv", [head, f"{tekun},丙,2016-06-01"]),
    }
    for source, path in files.items():
        import_roster(registry, path, source, YEAR_END)
        imported_at(registry, source, "2018-05-01 02:00:00")


def import_dibao(registry: db.Database, tmp_path: Path, as_of: date, utc: str) -> None:
    head = "公民身份号码,姓名,纳入时间"
    path = write(tmp_path / f"dibao-{as_of}.csv", [head, f"{DIBAO},乙,2016-06-01"])
    import_roster(registry, path, "dibao", as_of)
    imported_at(registry, "dibao", utc)


def late_lists(registry: db.Database, tmp_path: Path, jurisdiction: str = "500000") -> list[str]:
    result = plan.run_plan(registry, jurisdiction, 2018, snapshots=tmp_path / "plans")
    assert result.version_id, "a warning does not stop the plan"
    assert list(result.late_lists) == [
        line for line in result.summary_zh(jurisdiction, 2018) if line in result.late_lists
    ]
    return list(result.late_lists)


def test_CQ_2018_82_2_1_1_a_2017_dibao_list_imported_after_30_june_2018_is_late(registry, tmp_path):
    load(registry, tmp_path)
    import_dibao(registry, tmp_path, YEAR_END, "2018-07-15 02:00:00")  # 10:00 in Chongqing
    assert late_lists(registry, tmp_path) == [
        DIBAO_DUE + "登记库中的 2017 年名单最早于 2018-07-15 导入（逾期）"
    ]


def test_CQ_2018_82_2_1_1_the_deadline_is_a_day_in_beijing_time(registry, tmp_path):
    """20:00 UTC on 30 June 2018 is 04:00 on 1 July in Chongqing (UTC+8): late."""
    load(registry, tmp_path)
    import_dibao(registry, tmp_path, YEAR_END, "2018-06-30 20:00:00")
    assert late_lists(registry, tmp_path) == [
        DIBAO_DUE + "登记库中的 2017 年名单最早于 2018-07-01 导入（逾期）"
    ]


def test_CQ_2018_82_2_1_1_a_missing_2017_dibao_list_is_named(registry, tmp_path):
    """A dibao list as of 31 March 2018 is a 2018 list, not the 2017 one."""
    load(registry, tmp_path)
    import_dibao(registry, tmp_path, date(2018, 3, 31), "2018-04-01 02:00:00")
    assert late_lists(registry, tmp_path) == [DIBAO_DUE + "登记库中未导入 2017 年名单"]


def test_CQ_2018_82_2_1_1_lists_imported_by_30_june_2018_give_no_warning(registry, tmp_path):
    """Imported at 15:59 UTC on 30 June = 23:59 in Chongqing, the deadline day itself."""
    load(registry, tmp_path)
    import_dibao(registry, tmp_path, YEAR_END, "2018-06-30 15:59:00")
    assert late_lists(registry, tmp_path) == []


def test_CQ_2018_82_2_1_1_another_districts_list_is_not_the_regions(registry, tmp_path):
    """渝中区's plan: the 2017 dibao list of 大渡口区 (500104) received in time is not
    渝中区's; the poverty and tekun lists of 渝中区 are missing too."""
    load(registry, tmp_path, region="500104")
    head = "公民身份号码,姓名,纳入时间"
    other = make_id("500104", "19750101", "003")
    path = write(tmp_path / "dibao.csv", [head, f"{other},丁,2016-06-01"])
    import_roster(registry, path, "dibao", YEAR_END)
    imported_at(registry, "dibao", "2018-05-01 02:00:00")
    import_dibao(registry, tmp_path, date(2018, 3, 31), "2018-04-01 02:00:00")  # 渝中区's
    result = plan.run_plan(registry, "500000", 2018, snapshots=tmp_path / "plans", region="500102")
    due = "2017 年名单应于 2018-06-30 前报送（CQ-2018-82/2.1.1），登记库中未导入 2017 年名单"
    # sorted by department code: civil_affairs (dibao, tekun), then poverty_office
    assert list(result.late_lists) == [
        f"民政 最低生活保障对象名单：{due}",
        f"民政 特困供养人员名单：{due}",
        f"扶贫办 建档立卡贫困人口名单：{due}",
    ]


def test_a_jiangxi_plan_has_no_chongqing_list_deadline(registry, tmp_path):
    """JX-2017-58 sets no date for the lists: no dibao list at all, and no warning."""
    head = "公民身份号码,姓名,纳入时间"
    poor = make_id("360102", "19800101", "001")
    path = write(tmp_path / "poverty.csv", [head, f"{poor},甲,2016-06-01"])
    import_roster(registry, path, "poverty", date(2018, 3, 31))
    assert late_lists(registry, tmp_path, "360000") == []


def test_CQ_2018_82_2_1_1_a_later_update_of_a_list_received_in_time_is_not_late(registry, tmp_path):
    """The 2017 dibao list came on 1 June 2018; an update as of 31 December 2017 came on
    15 July. The list was provided before the deadline: no warning (review finding)."""
    load(registry, tmp_path)
    import_dibao(registry, tmp_path, date(2017, 6, 30), "2018-06-01 02:00:00")
    path = write(
        tmp_path / "dibao-update.csv", ["公民身份号码,姓名,纳入时间", f"{DIBAO},乙,2016-06-01"]
    )
    import_roster(registry, path, "dibao", YEAR_END)
    stamp = "2018-07-15 02:00:00" if registry.dialect == "sqlite" else "2018-07-15 02:00:00+00"
    with registry.transaction() as con:
        db.execute(
            con,
            f"UPDATE registry_import_batch SET imported_at = '{stamp}' "
            "WHERE id = (SELECT max(id) FROM registry_import_batch WHERE source = ?)",
            ("dibao",),
        )
    assert late_lists(registry, tmp_path) == []
