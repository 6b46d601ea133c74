"""The comparison, the statistics and the dashboard count the same people (decision
0015), on SQLite and PostgreSQL: a small Tangshan registry (路北区 130203), imported
as of 2018-03-31, read on 2018-06-30.

- 甲 (1980): registered poor, exit-marked on 2017-06-30; nothing. Hebei counts the
  exited for the pension (HE-2018-3/1 "包括已脱贫人口和未脱贫人口") and, exited after
  2016-08-01, for the medical subsidy (HE-2018-3/2.2.1).
- 乙 (2010): urban low-income family; resident medical. A medical subsidy group in
  Hebei (HE-2018-3/2.2.1 其他困难保障救助对象, 60%), no pension target.
- 丙 (1970): dibao; resident pension.
- 丁 (1985): no status; nothing.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv

from conftest import make_id
from doudi.comparison.compare import TABLES, compare
from doudi.rosters.importing import import_roster
from doudi.statistics.report import statistics
from doudi.store import db

MARCH = date(2018, 3, 31)
JUNE = date(2018, 6, 30)
PEOPLE = {
    "甲": make_id("130203", "19800101", "011"),
    "乙": make_id("130203", "20100101", "013"),
    "丙": make_id("130203", "19700101", "015"),
    "丁": make_id("130203", "19850101", "017"),
}
LISTS: dict[str, tuple[list[str], dict[str, list[str]]]] = {
    "poverty": (
        ["甲"],
        {"纳入时间": ["2016-06-01"], "是否标注脱贫": ["是"], "脱贫时间": ["2017-06-30"]},
    ),
    "low_income": (["乙"], {"纳入时间": ["2016-06-01"]}),
    "dibao": (["丙"], {"纳入时间": ["2016-06-01"]}),
    "resident_medical": (["乙"], {"参保时间": ["2017-01-01"]}),
    "resident_pension": (["丙"], {"参保时间": ["2017-01-01"], "缴费档次": ["100"]}),
}
COUNTS = ("poor", "pension_poor", "pension_insured", "medical_poor", "medical_insured")


def load(registry: db.Database, tmp_path: Path) -> None:
    for source, (names, columns) in LISTS.items():
        table = {
            "公民身份号码": [PEOPLE[n] for n in names],
            "姓名": names,
            "行政区划代码": ["130203"] * len(names),
            "乡镇(街道)": ["文化路街道"] * len(names),
            "村(社区)": ["一社区"] * len(names),
            **columns,
        }
        path = tmp_path / f"{source}.csv"
        pacsv.write_csv(pa.table(table), path)
        import_roster(registry, path, source, MARCH)


def test_decision_0015_comparison_statistics_and_dashboard_count_the_same_poor(registry, tmp_path):
    from doudi.web.dashboard import county_coverage
    from doudi.web.roles import Scope

    load(registry, tmp_path)
    [compared] = (
        compare({t: registry.read(t) for t in TABLES}, "130203", JUNE)
        .summary.slice(0, 1)
        .to_pylist()
    )
    [counted] = statistics(registry, "130203", 2018, JUNE).coverage.slice(0, 1).to_pylist()
    [board] = county_coverage(registry, Scope("t", "province_admin", "130200"), JUNE)
    # poor: 甲 乙 丙 = 3; pension: 甲 (exited, HE-2018-3/1) 丙 = 2, insured 丙 = 1;
    # medical: 甲 (exited after 2016-08-01) 乙 (low income) 丙 = 3, insured 乙 = 1
    expected = (3, 2, 1, 3, 1)
    assert tuple(compared[k] for k in COUNTS) == expected
    stats = ("poor", "pension_poor", "pension_enrolled", "medical_poor", "medical_enrolled")
    assert tuple(counted[k] for k in stats) == expected
    assert tuple(board[k] for k in stats) == expected
    assert board["region_code"] == "130203"
