"""Chongqing's list deadlines: did the agency receive last year's target lists in time?

CQ-2018-82/2.1.1 (渝人社发〔2018〕82号 二、（一）1): “由区县民政局、扶贫办负责代缴对象
认定，并于上年12月20日前，分别将代缴对象数据提供给区县社保局（各区县民政局、扶贫办应于
2018年6月30日前将2017年认定的代缴对象数据提供给区县社保局）。” A plan of year Y pays the
people recognised in Y-1 (上年经认定), so a list of Y-1 missing or received late leaves
targets out of the plan, or puts them in late: the plan says so, per department and list,
and is computed all the same.

The deadline and the statuses whose lists are meant are the jurisdiction's parameters
(``resident_pension.target_list_due``, ``resident_pension.target_list_statuses``): a
jurisdiction without them (every one but Chongqing) gets no warning. A list is "received"
when an import batch of its source, dated (as of) in Y-1 and covering a county of the
plan's region, was imported; the first such import counts, by its day in Beijing time —
a list imported on the deadline day is in time (于……前 includes the day), and a later
list of the same year is an update (dynamic management), not a late delivery.
"""

from __future__ import annotations

from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from doudi.core import regions, vocab
from doudi.policy import shown
from doudi.policy.params import Params
from doudi.rosters.sources import SOURCES, Source
from doudi.store import db

#: The agency's clock: an import at 2018-06-30 20:00 UTC is on 1 July in Chongqing.
CHINA = ZoneInfo("Asia/Shanghai")


def warnings(
    con: Any, database: db.Database, jurisdiction: str, region: str, year: int
) -> list[str]:
    """One Chinese line per target list of ``year`` - 1 the region's agency did not
    receive by the deadline (missing, or its first batch imported after it)."""
    params = Params(jurisdiction, year)
    due = params.value("resident_pension.target_list_due")
    statuses = params.value("resident_pension.target_list_statuses")
    if due is None or statuses is None:
        return []
    lists = [s for s in SOURCES.values() if s.kind == "status" and s.status in statuses.value]
    first = _first_imports(con, database, lists, region, year - 1)
    cited = due.basis or "示例参数，需按本地政策配置"
    lines = []
    for source in sorted(lists, key=lambda s: (s.department, s.name)):
        head = (
            f"{vocab.DEPARTMENT[source.department]} {source.label}：{year - 1} 年名单应于 "
            f"{shown.day(due.value)} 前报送（{cited}），登记库中"
        )
        imported = first.get(source.name)
        if imported is None:
            lines.append(f"{head}未导入 {year - 1} 年名单")
        elif imported > due.value:
            lines.append(f"{head}的 {year - 1} 年名单最早于 {imported.isoformat()} 导入（逾期）")
    return lines


def _first_imports(
    con: Any, database: db.Database, lists: list[Source], region: str, list_year: int
) -> dict[str, date]:
    """Per source, the first import day (Beijing time) of a batch as of ``list_year``
    that covers a county of ``region`` (any mode: an addendum is a list received too)."""
    if not lists:
        return {}
    names = [s.name for s in lists]
    marks = ", ".join("?" for _ in names)
    batches = db.read(
        con,
        database,
        "registry_import_batch",
        f"WHERE source IN ({marks}) AND as_of >= ? AND as_of <= ?",
        (*names, date(list_year, 1, 1), date(list_year, 12, 31)),
        columns=["id", "source", "as_of", "imported_at"],
    ).to_pylist()
    prefix = regions.hukou_prefix(region)
    scope = db.read(
        con,
        database,
        "registry_import_scope",
        "WHERE county LIKE ?",
        (f"{prefix}%",),
        columns=["batch_id"],
    )
    in_region = set(scope.column("batch_id").to_pylist())
    first: dict[str, date] = {}
    for b in batches:
        if b["id"] not in in_region:
            continue
        day = b["imported_at"].astimezone(CHINA).date()
        if b["source"] not in first or day < first[b["source"]]:
            first[b["source"]] = day
    return first
