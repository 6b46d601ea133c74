"""Statistics per region (issue #20 §3, SD-2017-37/3.5) on a small imported Jiangxi
registry (东湖区 360102), on SQLite and PostgreSQL.

The people, imported as of 2018-03-31 (statuses from 2016-06-01, enrollments from
2017-01-01 unless said):

- 李梅 (1980, 豫章街道/一村): registered poor and dibao; resident pension and medical
- 王强 (1990, 豫章街道/一村): dibao; resident medical
- 孙小 (2008, 豫章街道/二村): registered poor; resident medical
- 赵工 (1975, township and village blank): tekun; employee pension and medical
- 周成 (1960, 公园街道/三村): severely disabled from 2018-02-15; nothing
- 钱无 (1990, 公园街道/三村): no status; resident pension
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv
import pytest

from conftest import make_id
from doudi.plan import versions as plan
from doudi.rosters.importing import import_roster
from doudi.statistics.report import StatisticsError, statistics
from doudi.store import db

D = Decimal
MARCH = date(2018, 3, 31)

PEOPLE = {
    "poor": (make_id("360102", "19800512", "011"), "李梅", "豫章街道", "一村"),
    "dibao": (make_id("360102", "19900101", "013"), "王强", "豫章街道", "一村"),
    "child": (make_id("360102", "20080303", "015"), "孙小", "豫章街道", "二村"),
    "tekun": (make_id("360102", "19750101", "017"), "赵工", "", ""),
    "later": (make_id("360102", "19600101", "019"), "周成", "公园街道", "三村"),
    "none": (make_id("360102", "19900707", "021"), "钱无", "公园街道", "三村"),
}
LISTS = {
    "poverty": ["poor", "child"],
    "dibao": ["poor", "dibao"],
    "tekun": ["tekun"],
    "disability": ["later"],
    "resident_pension": ["poor", "none"],
    "resident_medical": ["poor", "dibao", "child"],
    "employee_pension": ["tekun"],
    "employee_medical": ["tekun"],
}
ENROLLMENT = {"resident_pension": {"参保时间": "2017-01-01", "缴费档次": "100"}}
SINCE = {"later": "2018-02-15"}


def roster(path: Path, source: str, keys: list[str]) -> Path:
    table: dict[str, list[str]] = {
        "公民身份号码": [PEOPLE[k][0] for k in keys],
        "姓名": [PEOPLE[k][1] for k in keys],
        "行政区划代码": [PEOPLE[k][0][:6] for k in keys],
        "乡镇(街道)": [PEOPLE[k][2] for k in keys],
        "村(社区)": [PEOPLE[k][3] for k in keys],
    }
    if source in ("resident_pension", "resident_medical", "employee_pension", "employee_medical"):
        for column, value in ENROLLMENT.get(source, {"参保时间": "2017-01-01"}).items():
            table[column] = [value] * len(keys)
    else:
        table["纳入时间"] = [SINCE.get(k, "2016-06-01") for k in keys]
    if source == "disability":
        table["残疾等级"] = ["一级"] * len(keys)
    pacsv.write_csv(pa.table(table), path)
    return path


def load(registry: db.Database, tmp_path: Path) -> None:
    for source, keys in LISTS.items():
        import_roster(registry, roster(tmp_path / f"{source}.csv", source, keys), source, MARCH)


def rows(table: pa.Table) -> dict[tuple[str, str], dict]:
    """A statistics table's rows by (level, region name)."""
    return {(r["level"], r["region_name"]): r for r in table.to_pylist()}


def test_SD_2017_37_3_5_coverage_per_line_and_region_counts_the_comparisons_poor(
    registry, tmp_path
):
    load(registry, tmp_path)
    found = statistics(registry, "360102", 2018, MARCH)
    by = rows(found.coverage)
    top = by[("县(区)", "东湖区")]
    # counted on 31 March (decision 0015, Jiangxi): 李梅, 王强, 孙小, 赵工 = 4; 周成,
    # severely disabled, is no Jiangxi pension target (JX-2017-58/2.1.1) nor, an adult
    # able to work, a medical subsidy group (/2.1.2); 钱无 holds no status
    assert top["poor"] == 4
    # by status: registered poor 李梅 孙小 = 2; dibao 李梅 王强 = 2; tekun 赵工
    assert (top["registered_poor"], top["dibao"], top["tekun"], top["severe_disability"]) == (
        2,
        2,
        1,
        0,
    )
    # pension targets of 16 and over: all but 孙小 (10) = 3; 李梅 resident, 赵工 employee
    assert top["pension_poor"] == 3
    assert (top["resident_pension"], top["employee_pension"]) == (1, 1)
    assert (top["pension_enrolled"], top["pension_not_enrolled"]) == (2, 1)  # 王强
    assert top["pension_rate"] == D("66.67")  # 2 / 3 = 66.666…
    # medical groups: all 4; 李梅 王强 孙小 resident, 赵工 employee = 4 of 4
    assert top["medical_poor"] == 4
    assert (top["resident_medical"], top["employee_medical"]) == (3, 1)
    assert (top["medical_enrolled"], top["medical_not_enrolled"]) == (4, 0)
    assert top["medical_rate"] == D("100.00")  # 4 / 4

    # townships by the lists' names, a blank one as （未填写）, in code point order
    townships = [r for r in found.coverage.to_pylist() if r["level"] == "乡镇(街道)"]
    assert [(r["region_name"], r["poor"]) for r in townships] == [
        ("（未填写）", 1),  # 赵工
        ("豫章街道", 3),  # 李梅, 王强, 孙小
    ]
    villages = {
        (r["township"], r["region_name"]): r
        for r in found.coverage.to_pylist()
        if r["level"] == "村(社区)"
    }
    assert villages[("", "（未填写）")]["employee_pension"] == 1
    one = villages[("豫章街道", "一村")]
    assert (one["poor"], one["pension_enrolled"], one["pension_not_enrolled"]) == (2, 1, 1)


def test_amounts_per_programme_and_payer_are_the_current_versions_and_name_them(registry, tmp_path):
    load(registry, tmp_path)
    run = plan.run_plans(registry, "360000", 2018, region="360102", snapshots=tmp_path / "plans")
    versions = {r.programme: r for r in run.results}
    found = statistics(registry, "360102", 2018, MARCH)
    by = {p.code: p for p in found.programmes}

    # pension, JX-2017-58/2.1.1: 100 yuan for 李梅 (registered poor) paid by the county;
    # 钱无 (no status, tier 100) owes 100.00 himself
    pension = by["resident_pension"]
    assert [c.version.id for c in pension.versions] == [versions["resident_pension"].version_id]
    top = rows(pension.by_region)[("县(区)", "东湖区")]
    assert (top["paid_by_county"], top["gov_paid"], top["self_due"]) == (
        D("100.00"),
        D("100.00"),
        D("100.00"),
    )
    # medical, JX-2017-58/2.1.2: 220.00 each for 李梅, 王强, 孙小 split 1:1:1 (local
    # config): 73.34 + 73.33 + 73.33; three people: 220.02, 219.99, 219.99 = 660.00
    medical = rows(by["resident_medical"].by_region)
    top = medical[("县(区)", "东湖区")]
    assert (top["paid_by_province"], top["paid_by_city"], top["paid_by_county"]) == (
        D("220.02"),
        D("219.99"),
        D("219.99"),
    )
    assert top["gov_paid"] == D("660.00") == versions["resident_medical"].gov_paid
    assert top["targets"] == 3
    # 一村: 李梅 and 王强 = 2 × 220.00 = 440.00; 二村: 孙小 220.00
    assert medical[("村(社区)", "一村")]["gov_paid"] == D("440.00")
    assert medical[("村(社区)", "二村")]["gov_paid"] == D("220.00")
    # every programme's total is its version's total
    for p in found.programmes:
        if p.by_region is None:
            continue
        total = p.by_region.to_pylist()[0]
        assert (total["gov_paid"], total["self_due"]) == (
            versions[p.code].gov_paid,
            versions[p.code].self_due,
        ), p.code


def test_a_programme_without_a_version_says_so(registry, tmp_path):
    load(registry, tmp_path)
    found = statistics(registry, "360102", 2018, MARCH)
    pension = next(p for p in found.programmes if p.code == "resident_pension")
    assert pension.by_region is None and pension.versions == ()
    from doudi.statistics.amounts import trace

    notes = [r["note"] for r in trace(found.programmes, 2018).to_pylist()]
    assert "尚无2018年城乡居民养老保险代缴计划版本，本项目金额未统计" in notes


def test_SD_2017_37_3_5_month_ends_series_marks_the_quarter_end(registry, tmp_path):
    load(registry, tmp_path)
    found = statistics(registry, "360102", 2018, MARCH)
    series = [
        (r["as_of"], r["quarter"], r["poor"], r["pension_enrolled"], r["pension_poor"])
        for r in found.series.to_pylist()
    ]
    # 周成, severely disabled from 15 February, is counted by neither Jiangxi line
    # (decision 0015): the same 4 at each month's end, 3 of them pension targets
    assert series == [
        (date(2018, 1, 31), None, 4, 2, 3),
        (date(2018, 2, 28), None, 4, 2, 3),
        (date(2018, 3, 31), "第一季度末", 4, 2, 3),
    ]


@pytest.mark.parametrize(
    ("region", "year", "day", "message"),
    [
        ("36010", 2018, MARCH, "区划代码应为6位数字"),
        ("360102", 2018, date(2019, 1, 1), "不在 2018 年内"),
        ("360102", 1800, MARCH, "年度应为"),
    ],
)
def test_bad_input_is_refused_in_chinese(registry, region, year, day, message):
    with pytest.raises(StatisticsError, match=message):
        statistics(registry, region, year, day)


def test_the_command_prints_and_writes_a_chinese_workbook(registry, tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from doudi.cli import app
    from support import read_typed

    load(registry, tmp_path)
    plan.run_plans(registry, "360000", 2018, region="360102", snapshots=tmp_path / "plans")
    monkeypatch.setattr("doudi.statistics.cli.open_registry", lambda: registry)
    out = tmp_path / "统计.xlsx"
    result = CliRunner().invoke(
        app,
        [
            "statistics",
            "--region",
            "360102",
            "--year",
            "2018",
            "--as-of",
            "2018-03-31",
            "--out",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "贫困人员 4 人" in result.output and "财政资助合计 660.00 元" in result.output
    townships = [
        r["名称"] for r in read_typed(out, "参保情况").to_pylist() if r["层级"] == "乡镇(街道)"
    ]
    assert townships == ["（未填写）", "豫章街道"]  # 周成 is counted by neither line
    versions = read_typed(out, "计划版本").to_pylist()
    assert {r["项目"] for r in versions} >= {"城乡居民养老保险代缴", "城乡居民医保缴费资助"}
    assert [r["月份"] for r in read_typed(out, "定期统计").to_pylist()] == [
        "2018年1月",
        "2018年2月",
        "2018年3月",
    ]
    bad = CliRunner().invoke(app, ["statistics", "--region", "36010", "--year", "2018"])
    assert bad.exit_code == 2 and "区划代码应为6位数字" in bad.output


def test_a_workbook_that_cannot_be_written_is_a_chinese_refusal_not_a_traceback(
    registry, tmp_path, monkeypatch
):
    from typer.testing import CliRunner

    from doudi.cli import app

    load(registry, tmp_path)
    monkeypatch.setattr("doudi.statistics.cli.open_registry", lambda: registry)
    out = tmp_path / "没有的文件夹" / "统计.xlsx"
    args = ["statistics", "--region", "360102", "--year", "2018", "--as-of", "2018-03-31"]
    result = CliRunner().invoke(app, [*args, "--out", str(out)])
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "无法写出文件" in result.output and not out.exists()
