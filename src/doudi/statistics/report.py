"""Statistics of a region and year (issue #20 §3): the poor and their insurance per
line, the current plan versions' amounts per programme and payer, each per county,
township and village, and Shandong's periodic statistics (SD-2017-37/3.5).

This package sits above the comparison and the plan (docs/architecture.md): it counts
with the comparison's reading of "poor" and "enrolled" (:mod:`~doudi.statistics.coverage`)
and sums the plan's current versions (:mod:`~doudi.statistics.amounts`), so that the
statistics, the comparison's lists and the ledgers never disagree. Neither domain may
import the other; a package of its own that reads both is what keeps them apart.

Readings:

- **The day** (``as_of``): the coverage is of one day, by default the earlier of today
  and 31 December of the year; the amounts are the year's, whatever the day.
- **Periodic statistics** (SD-2017-37/3.5: "要夯实数据基础，定期统计调度养老保险、医疗保险、
  工伤保险等精准扶贫情况"): the document says "regularly" and names no period. Doudi gives
  the counts at each month's end of the year up to the day (the departments' lists
  arrive monthly, so a month is the finest period the registry can tell apart), and marks
  the quarters' ends among them, from which a quarterly report is read. Each month's end
  is read from the registry as it is now (the periods' dates), not as it was known then.
  Work-injury insurance (issue #21) is its own line (:mod:`~doudi.statistics.work_injury`):
  projects covered and not by their county, poor workers on them by their hukou county.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date

import pyarrow as pa
import pyarrow.compute as pc

from doudi.comparison.compare import ComparisonError, region_prefix
from doudi.comparison.counting import NoTargets
from doudi.core import regions, vocab
from doudi.statistics import amounts as amounts_of
from doudi.statistics import coverage as coverage_of
from doudi.statistics import work_injury as work_injury_of
from doudi.statistics.tree import Region
from doudi.store import db

#: Quarter ends: the month and its Chinese name.
QUARTERS = {3: "第一季度末", 6: "第二季度末", 9: "第三季度末", 12: "第四季度末"}
#: The years a plan can be of (registry_plan_version.year is a small integer).
YEARS = range(2000, 2101)
WORK_INJURY_NOTE = (
    "工伤保险：按统计日期各县区现行的工程项目、实名制用工、先行支付名单统计；项目按所在县区、"
    "行业计，“在保”为已开工且统计日期在工伤保险起止日期内，“在建无工伤保险”与核查名单口径相同；"
    "贫困劳动力为统计日期在项目名册上的贫困人员（按户籍地计，每人计一次，所在任一项目无工伤保险"
    "即计为无工伤保险）；先行支付按统计日期前已支付、已追偿的金额计。"
)


class StatisticsError(ValueError):
    """The statistics cannot be made (bad region, year or day); the message is Chinese."""


@dataclass(frozen=True)
class Statistics:
    region: str
    region_name: str
    year: int
    as_of: date
    coverage: pa.Table  # coverage.coverage's table on ``as_of``
    programmes: tuple[amounts_of.Programme, ...]  # plan.programmes' order
    series: pa.Table  # ``as_of``, ``month``, ``quarter``, then coverage's top and counties
    work_injury: work_injury_of.WorkInjury  # projects, poor workers, advance payments


def month_ends(year: int, until: date) -> list[date]:
    """The last day of each month of ``year`` on or before ``until``."""
    ends = [date(year, m, calendar.monthrange(year, m)[1]) for m in range(1, 13)]
    return [d for d in ends if d <= until]


def statistics(reader: db.Reader, region: str, year: int, as_of: date | None = None) -> Statistics:
    """The statistics of ``region`` (a six-digit province, city or county code) and
    ``year`` on ``as_of``; raises :class:`StatisticsError` (Chinese) on bad input."""
    try:
        level, prefix = region_prefix(region)
    except ComparisonError as exc:
        raise StatisticsError(str(exc)) from None
    if year not in YEARS:
        raise StatisticsError(f"年度应为 {YEARS.start}–{YEARS.stop - 1} 之间的整数，实为 {year!r}")
    day = as_of or min(date.today(), date(year, 12, 31))
    if day.year != year:
        raise StatisticsError(f"统计日期 {day} 不在 {year} 年内 / --as-of is not in the year")
    name = regions.region_name(region) or region
    place = Region(code=region, name=name, level=level, prefix=prefix)
    tables = coverage_tables(reader, place)
    found = tuple(amounts_of.amounts(reader, year, place))
    _check(found)
    lists = work_injury_of.read_lists(reader, place, day)
    try:
        covered = coverage_of.coverage(tables, day, place)
        series = _series(tables, lists, year, day, place)
    except NoTargets as exc:
        raise StatisticsError(str(exc)) from None
    return Statistics(
        region=region,
        region_name=name,
        year=year,
        as_of=day,
        coverage=covered,
        programmes=found,
        series=series,
        work_injury=work_injury_of.work_injury(lists, place, day),
    )


def coverage_tables(reader: db.Reader, place: Region) -> dict[str, pa.Table]:
    """The registry tables the coverage reads, of ``place``'s people only."""
    where = {
        "registry_person": "WHERE hukou_region LIKE ?",
        "registry_status_period": "WHERE person_id IN "
        "(SELECT id FROM registry_person WHERE hukou_region LIKE ?)",
        "registry_enrollment": "WHERE person_id IN "
        "(SELECT id FROM registry_person WHERE hukou_region LIKE ?)",
    }
    return {
        t: reader.read(t, where[t], (place.prefix + "%",)) if t in where else reader.read(t)
        for t in coverage_of.TABLES
    }


def _series(
    tables: dict[str, pa.Table],
    lists: work_injury_of.Lists,
    year: int,
    day: date,
    place: Region,
) -> pa.Table:
    """The coverage at each month's end: the region's months first, then each county's
    (a county region: its own rows only), so that a chart reads one range per region;
    each row with its work-injury line (a county without a coverage row is counted in
    the region's row only)."""
    parts = []
    for end in month_ends(year, day) or [day]:
        found = coverage_of.coverage(tables, end, place)
        rows = found.filter(pc.is_null(found.column("township")))
        n = rows.num_rows
        injury = work_injury_of.month_end_counts(lists, place, end)
        codes = [place.code, *rows.column("region_code").to_pylist()[1:]]
        rows = rows.drop_columns(["township", "village"])
        for m in work_injury_of.SERIES_MEASURES:
            counted = [injury.get(c, {}).get(m, 0) for c in codes]
            rows = rows.append_column(m, pa.array(counted, pa.int64()))
        parts.append(
            rows.add_column(0, "as_of", pa.array([end] * n, pa.date32()))
            .add_column(1, "month", pa.array([f"{end.year}年{end.month}月"] * n, pa.string()))
            .add_column(2, "quarter", pa.array([QUARTERS.get(end.month)] * n, pa.string()))
            .append_column("k", pa.array([0] + [1] * (n - 1), pa.int8()))
        )
    series = pa.concat_tables(parts)
    if not month_ends(year, day):  # before the first month's end: no period yet
        series = series.slice(0, 0)
    ordered = series.sort_by(
        [("k", "ascending"), ("region_code", "ascending"), ("as_of", "ascending")]
    )
    return ordered.drop_columns(["k"])


def _check(found: tuple[amounts_of.Programme, ...]) -> None:
    """Each programme's region total is the sum of what its versions give the region,
    and a version inside the region gives all it holds."""
    for p in found:
        if p.by_region is None:
            continue
        top = p.by_region.slice(0, 1).to_pylist()[0]
        gov = sum((v.gov_in_region for v in p.versions), top["gov_paid"] * 0)
        own = sum((v.self_in_region for v in p.versions), top["self_due"] * 0)
        whole = [v for v in p.versions if v.whole]
        wrong = [
            v for v in whole if (v.gov_in_region, v.self_in_region) != (v.gov_paid, v.self_due)
        ]
        if (top["gov_paid"], top["self_due"]) != (gov, own) or wrong:
            raise StatisticsError(
                f"{vocab.PROGRAMME.label(p.code)}：统计合计与计划版本合计不符"
                " / the statistics do not add up to the plan versions"
            )
