"""The statistics' work-injury line of a city whose two counties number their projects
alike (issue #21 §3, SD-2017-37/3.5; decision 0016: a project is its county's, the
county and its number together, as ``work_injury.reading`` reads the lists): a worker
on one county's P1 is on that P1 only.

东湖区 (360102) has test_work_injury_statistics' lists; 西湖区 (360103), of the same city
南昌市, has a P1 of its own, covered 2017-01-01 – 2017-12-31 and nobody on its roster:
finished by 31 March 2018, counted in neither column.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.statistics.test_region_statistics import MARCH, load
from tests.statistics.test_work_injury_statistics import COUNTY, lists

from doudi.statistics.report import statistics
from doudi.work_injury.importing import import_lists

OTHER_COUNTY = "360103"  # 西湖区, 南昌市 as 东湖区
CITY = "360100"


def city_statistics(registry: Any, tmp_path: Path) -> Any:
    load(registry, tmp_path)
    import_lists(registry, lists(tmp_path), COUNTY, MARCH)
    other = tmp_path / "wi_projects_360103.csv"
    other.write_text(
        "项目编号,项目名称,行业,所在县区,施工单位,开工日期,工伤保险起保日期,工伤保险终止日期\n"
        f"P1,西湖工程,建筑,{OTHER_COUNTY},己公司,2017-01-01,2017-01-01,2017-12-31\n",
        encoding="utf-8",
    )
    import_lists(registry, {"projects": other}, OTHER_COUNTY, MARCH)
    return statistics(registry, CITY, 2018, MARCH).work_injury


def test_SD_2017_37_3_5_a_worker_is_on_their_own_countys_project(
    registry: Any, tmp_path: Path
) -> None:
    [city] = [
        r for r in city_statistics(registry, tmp_path).workers.to_pylist() if r["level"] == "市"
    ]
    # 东湖区's P1 is covered: 李梅 (on it alone) covered, 王强 (also on the uncovered P2)
    # not: 2 = 1 + 1, as in 东湖区's own statistics; 西湖区's finished P1 is nobody's
    assert (city["poor_workers"], city["poor_workers_covered"]) == (2, 1)
    assert city["poor_workers_not_covered"] == 1


def test_SD_2017_37_3_5_another_countys_roster_keeps_no_project_running(
    registry: Any, tmp_path: Path
) -> None:
    found = city_statistics(registry, tmp_path).projects.to_pylist()
    counties = {
        r["region_code"]: (r["projects_covered"], r["projects_not_covered"])
        for r in found
        if r["sector"] is None and r["region_code"] != CITY
    }
    # 东湖区: P1, P3 covered, P2 not (2, 1); 西湖区: its P1's cover ended and nobody is
    # on its roster (东湖区's P1 workers are not its): finished, (0, 0)
    assert counties == {COUNTY: (2, 1), OTHER_COUNTY: (0, 0)}
