"""The statistics' work-injury line (issue #21 §3, SD-2017-37/3.5) on a small imported
Jiangxi registry (东湖区 360102, test_region_statistics' people), on SQLite and
PostgreSQL.

The lists, imported as of 2018-03-31:

- P1 建筑, started 2018-01-10, covered from 2018-01-01, no end;
- P2 交通运输, started 2018-02-01, never covered;
- P3 建筑, started 2018-03-10, covered from 2018-03-20 (late, but covered on 31 March);
- P4 水利, started 2017-05-01, covered 2017-05-01 – 2018-02-28, nobody on it after:
  finished, neither covered nor uncovered once its cover ended.
- 李梅 (registered poor, dibao; 豫章街道/一村) on P1 from 2018-01-15;
- 王强 (dibao; 豫章街道/一村) on P1 from 2018-01-15 and on P2 from 2018-02-05;
- 赵工 (tekun; no township) on P2 from 2018-02-05 to 2018-03-15;
- 钱无 (no status) on P2 from 2018-02-05: not poor, not counted.
- Advance payments: GS1 (王强) 20000.00 paid 2018-01-05, 5000.00 recovered 2018-02-10,
  and 3000.00 more paid 2018-04-10 (after the day); GS2 (李梅) 8000.00 paid 2018-03-01.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from tests.statistics.test_region_statistics import MARCH, PEOPLE, load

from doudi.statistics.printout import lines
from doudi.statistics.report import statistics
from doudi.work_injury.importing import import_lists

D = Decimal
COUNTY = "360102"


def _ids(key: str) -> tuple[str, str]:
    return PEOPLE[key][0], PEOPLE[key][1]


def lists(tmp_path: Path) -> dict[str, Path]:
    (li, li_name), (wang, wang_name) = _ids("poor"), _ids("dibao")
    (zhao, zhao_name), (qian, qian_name) = _ids("tekun"), _ids("none")
    texts = {
        "projects": (
            "项目编号,项目名称,行业,所在县区,施工单位,开工日期,工伤保险起保日期,工伤保险终止日期\n"
            f"P1,一号工程,建筑,{COUNTY},甲公司,2018-01-10,2018-01-01,\n"
            f"P2,二号公路,交通运输,{COUNTY},乙公司,2018-02-01,,\n"
            f"P3,三号工程,建筑,{COUNTY},甲公司,2018-03-10,2018-03-20,\n"
            f"P4,四号水库,水利,{COUNTY},丙公司,2017-05-01,2017-05-01,2018-02-28\n"
        ),
        "project-workers": (
            "身份证号码,姓名,项目编号,进场日期,退场日期\n"
            f"{li},{li_name},P1,2018-01-15,\n"
            f"{wang},{wang_name},P1,2018-01-15,\n"
            f"{wang},{wang_name},P2,2018-02-05,\n"
            f"{zhao},{zhao_name},P2,2018-02-05,2018-03-15\n"
            f"{qian},{qian_name},P2,2018-02-05,\n"
        ),
        "cases": (
            "案件编号,身份证号码,姓名,受伤日期,用人单位,工伤认定结论,认定日期,"
            "用人单位是否参加工伤保险,用人单位是否支付工伤保险待遇,申请待遇金额,尘肺病\n"
            f"GS1,{wang},{wang_name},2017-11-01,丁公司,认定为工伤,2017-12-01,否,否,30000.50,否\n"
            f"GS2,{li},{li_name},2017-12-01,戊公司,认定为工伤,2018-01-10,否,否,8000.00,否\n"
        ),
        "advance-payments": (
            "案件编号,先行支付金额,支付日期,已追偿金额,追偿日期\n"
            "GS1,20000.00,2018-01-05,5000.00,2018-02-10\n"
            "GS1,3000.00,2018-04-10,,\n"
            "GS2,8000.00,2018-03-01,,\n"
        ),
    }
    files = {}
    for name, text in texts.items():
        files[name] = tmp_path / f"wi_{name}.csv"
        files[name].write_text(text, encoding="utf-8")
    return files


def loaded(registry: Any, tmp_path: Path) -> Any:
    load(registry, tmp_path)
    import_lists(registry, lists(tmp_path), COUNTY, MARCH)
    return statistics(registry, COUNTY, 2018, MARCH)


def test_SD_2017_37_3_5_projects_covered_and_not_per_sector(registry: Any, tmp_path: Path) -> None:
    found = loaded(registry, tmp_path).work_injury
    rows = [
        (r["level"], r["sector"], r["projects_covered"], r["projects_not_covered"])
        for r in found.projects.to_pylist()
    ]
    # covered on 31 March: P1 and P3 (2); not covered: P2 (1); P4 finished (cover
    # ended 28 February, nobody on it): neither
    assert rows == [
        ("县(区)", None, 2, 1),
        ("行业", "建筑", 2, 0),
        ("行业", "交通运输", 0, 1),
        ("行业", "水利", 0, 0),
    ]


def test_SD_2017_37_3_5_poor_workers_by_place_each_counted_once(
    registry: Any, tmp_path: Path
) -> None:
    found = loaded(registry, tmp_path).work_injury
    rows = [
        (
            r["level"],
            r["region_name"],
            r["poor_workers"],
            r["poor_workers_covered"],
            r["poor_workers_not_covered"],
        )
        for r in found.workers.to_pylist()
    ]
    # on a roster on 31 March and poor: 李梅 (P1: covered) and 王强 (P1 and the uncovered
    # P2: not covered) = 2; 赵工 left P2 on 15 March; 钱无 is not poor
    assert rows == [
        ("县(区)", "东湖区", 2, 1, 1),
        ("乡镇(街道)", "豫章街道", 2, 1, 1),
        ("村(社区)", "一村", 2, 1, 1),
    ]


def test_SIL_2010_35_41_advance_payments_made_and_recovered_by_the_day(
    registry: Any, tmp_path: Path
) -> None:
    [top] = loaded(registry, tmp_path).work_injury.advances.to_pylist()
    # paid by 31 March: 20000.00 + 8000.00 = 28000.00 (the 3000.00 of 10 April is later);
    # recovered 5000.00; outstanding 28000.00 − 5000.00 = 23000.00; 2 cases paid
    assert (top["region_name"], top["advance_cases"]) == ("东湖区", 2)
    assert (top["advance_paid"], top["advance_recovered"], top["advance_outstanding"]) == (
        D("28000.00"),
        D("5000.00"),
        D("23000.00"),
    )


def test_SD_2017_37_3_5_month_ends_series_has_the_work_injury_line(
    registry: Any, tmp_path: Path
) -> None:
    found = loaded(registry, tmp_path)
    series = [
        (
            r["as_of"],
            r["projects_covered"],
            r["projects_not_covered"],
            r["poor_workers_covered"],
            r["poor_workers_not_covered"],
        )
        for r in found.series.to_pylist()
    ]
    # 31 Jan: P1, P4 covered; P2, P3 not started; 李梅, 王强 on P1 only: 2 covered
    # 28 Feb: P1, P4 (cover to 28 Feb inclusive) covered, P2 not; 李梅 covered, 王强
    #         (P1 and P2) and 赵工 (P2) not
    # 31 Mar: P1, P3 covered, P2 not, P4 finished; 李梅 covered, 王强 not (赵工 left)
    assert series == [
        (date(2018, 1, 31), 2, 0, 2, 0),
        (date(2018, 2, 28), 2, 1, 1, 2),
        (date(2018, 3, 31), 2, 1, 1, 1),
    ]
    printed = list(lines(found))
    assert "    2018-02-28：养老 2/3，医疗 4/4，工伤 项目 2/3、贫困劳动力 1/3" in printed
    assert (
        "  工伤保险：工伤保险在保项目 2 个、在建无工伤保险项目 1 个；在项目务工的贫困劳动力 2 人，"
        "所在项目已参加工伤保险 1、所在项目无工伤保险 1；先行支付 2 件 28000.00 元，"
        "已追偿 5000.00 元，待追偿 23000.00 元"
    ) in printed
