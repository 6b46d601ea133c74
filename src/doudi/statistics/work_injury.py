"""Work-injury insurance of the poor and of projects per region on a day (issue #21 §3),
the work-injury line of the statistics beside pension and medical (SD-2017-37/3.5:
"定期统计调度养老保险、医疗保险、工伤保险等精准扶贫情况").

Why here: the statistics rank above the domains (docs/architecture.md), so they read
the work-injury lists as the checks do — their current rows through
:mod:`doudi.work_injury.reading`, who is poor through :mod:`doudi.work_injury.poor` —
and a count here is the number of rows of the matching list of ``doudi work-injury
findings`` on the same day.

Readings (those of :mod:`doudi.work_injury.checks`, counted):

- **Projects** are counted in the county whose list holds them, per sector. *Covered*:
  started on or before the day and covered on it (``insured_from <= d <= insured_to``,
  an empty end open). *Not covered*: the checks' 在建无工伤保险项目 — started, not
  covered, and never covered, covered only later, or with someone on its roster that
  day (a project whose cover ended and whose roster is empty is read as finished and
  counted in neither).
- **Poor workers**: the poor of the day (``work_injury.poor_worker_statuses``, local
  config) on the roster of one of the region's projects that day, each counted once
  and placed by their hukou (county, township, village), as the comparison places
  the poor. *Not covered*: on at least one uncovered project that day (the checks'
  无工伤保险项目的贫困劳动力, per person); *covered*: every project they are on that day
  is covered.
- **Advance payments** (先行支付), per county whose list holds them: the cases paid
  anything by the day, the amounts paid by the day, recovered by the day and the
  difference still to recover (the checks' 先行支付待追偿, summed), exact yuan.
- **Month ends**: the lists as current on the statistics' day, read at each month's
  end by their own dates (start, cover, entry and exit), as the coverage reads the
  status periods.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import duckdb
import pyarrow as pa

from doudi.core import regions, vocab
from doudi.policy import jurisdictions, parameters
from doudi.statistics.tree import Region, tree
from doudi.store import db
from doudi.work_injury import poor as poor_of
from doudi.work_injury.checks import POOR_WORKER_STATUSES
from doudi.work_injury.reading import county_tables

#: The counts of the poor workers' table, in order.
WORKER_MEASURES = ("poor_workers", "poor_workers_covered", "poor_workers_not_covered")
#: The counts of the projects' table, in order.
PROJECT_MEASURES = ("projects_covered", "projects_not_covered")
#: The columns of the advance payments' table after its place, in order.
ADVANCE_MEASURES = ("advance_cases", "advance_paid", "advance_recovered", "advance_outstanding")
#: What the month ends' series gains per region row.
SERIES_MEASURES = (*PROJECT_MEASURES, "poor_workers_covered", "poor_workers_not_covered")


@dataclass(frozen=True)
class WorkInjury:
    """The work-injury statistics of a region on a day: ``projects`` (level,
    region_code, region_name, sector, :data:`PROJECT_MEASURES`: the region, each
    county, each county's sectors), ``workers`` (:data:`tree.PLACE` then
    :data:`WORKER_MEASURES`) and ``advances`` (level, region_code, region_name, then
    :data:`ADVANCE_MEASURES`: the region and each county)."""

    projects: pa.Table
    workers: pa.Table
    advances: pa.Table


@dataclass(frozen=True)
class Lists:
    """The region's current work-injury lists (with each row's county), the registry's
    people they name and the statuses that make a worker poor."""

    tables: dict[str, pa.Table]
    registry: dict[str, pa.Table]
    statuses: tuple[str, ...]

    def poor_on(self, day: date) -> pa.Table:
        named = pa.concat_arrays(
            [
                self.tables["project_workers"].column("person_id").combine_chunks(),
                self.tables["cases"].column("person_id").combine_chunks(),
            ]
        )
        return poor_of.poor_on(self.registry, named, self.statuses, day)


#: The people the lists name, and their status periods (a worker's hukou may be anywhere).
def read_lists(reader: db.Reader, place: Region, day: date) -> Lists:
    """What the work-injury statistics of ``place`` on ``day`` read from the registry."""
    registry = poor_of.named_registry(reader, place.code)
    try:
        jurisdiction = jurisdictions.resolve(place.code)
    except jurisdictions.UnknownJurisdiction:
        statuses: tuple[str, ...] = ()
    else:
        found = parameters.lookup(POOR_WORKER_STATUSES, jurisdiction, day)
        statuses = tuple(found.value) if found is not None else ()
    return Lists(county_tables(reader, place.code, day), registry, statuses)


_COVERED = (
    "(pr.insured_from IS NOT NULL AND pr.insured_from <= $d"
    " AND (pr.insured_to IS NULL OR $d <= pr.insured_to))"
)
_ON_ROSTER = "(w.from_date <= $d AND (w.to_date IS NULL OR $d <= w.to_date))"

#: A worker's project: the same number in the same county's list (decision 0016: each
#: list is one county's, and two counties may number their projects alike).
_ON_PROJECT = "pr.county = w.county AND pr.project_id = w.project_id"

#: One row per project of the day: its county, sector and 0/1 flags.
_PROJECT_FACTS = f"""
WITH crew AS (
    SELECT w.county, w.project_id, count(DISTINCT w.person_id) AS n FROM workers w
    WHERE {_ON_ROSTER} GROUP BY w.county, w.project_id
)
SELECT pr.county AS county_code, pr.sector,
       CAST(pr.start_date <= $d AND {_COVERED} AS INTEGER) AS projects_covered,
       CAST(pr.start_date <= $d AND NOT {_COVERED}
            AND (pr.insured_to IS NULL OR pr.insured_from > $d OR coalesce(k.n, 0) > 0)
            AS INTEGER) AS projects_not_covered
FROM projects pr LEFT JOIN crew k ON k.county = pr.county AND k.project_id = pr.project_id
"""

#: One row per poor worker on a roster that day: their hukou place and 0/1 flags.
_WORKER_FACTS = f"""
WITH on_day AS (
    SELECT w.person_id, bool_or(NOT {_COVERED}) AS uncovered
    FROM workers w JOIN projects pr ON {_ON_PROJECT}
    WHERE {_ON_ROSTER} GROUP BY w.person_id
)
SELECT p.county_code, p.county, p.township, p.village, 1 AS poor_workers,
       CAST(NOT o.uncovered AS INTEGER) AS poor_workers_covered,
       CAST(o.uncovered AS INTEGER) AS poor_workers_not_covered
FROM on_day o JOIN poor p ON p.person_id = o.person_id
"""

#: One row per case paid in advance by the day: its list's county and amounts.
_ADVANCE_FACTS = """
SELECT county AS county_code, 1 AS advance_cases,
       CAST(sum(amount) FILTER (WHERE paid_on <= $d) AS DECIMAL(18, 2)) AS advance_paid,
       CAST(coalesce(sum(recovered) FILTER (WHERE recovered_on <= $d), 0) AS DECIMAL(18, 2))
           AS advance_recovered
FROM payments GROUP BY county, case_id
HAVING sum(amount) FILTER (WHERE paid_on <= $d) > 0
"""


def _sum(measures: Sequence[str]) -> str:
    return ", ".join(f"CAST(coalesce(sum({m}), 0) AS BIGINT) AS {m}" for m in measures)


def _money(measures: Sequence[str]) -> str:
    return ", ".join(f"CAST(coalesce(sum({m}), 0) AS DECIMAL(18, 2)) AS {m}" for m in measures)


def _connect(lists: Lists, poor: pa.Table) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.register("projects", lists.tables["projects"])
    con.register("workers", lists.tables["project_workers"])
    con.register("payments", lists.tables["advance_payments"])
    con.register("poor", poor)
    return con


def _per_county(
    con: duckdb.DuckDBPyConnection, facts: str, aggregates: str, place: Region, day: date
) -> pa.Table:
    """``aggregates`` over ``facts`` (which has ``county_code``): the region's row, then
    a row per county when ``place`` has counties below it."""
    region = vocab.REGION_LEVEL[place.level]
    county = vocab.REGION_LEVEL["county"]
    parts = [f"SELECT 0 AS k, $region AS level, $code AS region_code, {aggregates} FROM f"]
    if place.with_counties:
        parts.append(f"SELECT 1, $county, county_code, {aggregates} FROM f GROUP BY county_code")
    sql = (
        f"WITH f AS ({facts}) SELECT * EXCLUDE (k) FROM ({' UNION ALL '.join(parts)})"
        " ORDER BY k, region_code"
    )
    values = {"d": day, "region": region, "county": county, "code": place.code}
    used = set(re.findall(r"\$(\w+)", sql))  # DuckDB refuses a value the SQL does not name
    table: pa.Table = con.sql(
        sql, params={k: v for k, v in values.items() if k in used}
    ).to_arrow_table()
    names = [
        place.name if i == 0 else _name(c) for i, c in enumerate(table["region_code"].to_pylist())
    ]
    return table.add_column(2, "region_name", pa.array(names, pa.string()))


def _name(code: str) -> str:
    return regions.region_name(code) or code


def _projects(con: duckdb.DuckDBPyConnection, place: Region, day: date) -> pa.Table:
    """The region's and each county's projects, then each county's per sector."""
    top = _per_county(con, _PROJECT_FACTS, _sum(PROJECT_MEASURES), place, day)
    top = top.add_column(3, "sector", pa.nulls(top.num_rows, pa.string()))
    sectors = con.sql(
        f"WITH f AS ({_PROJECT_FACTS}) SELECT county_code AS region_code, sector,"
        f" {_sum(PROJECT_MEASURES)} FROM f GROUP BY county_code, sector",
        params={"d": day},
    ).to_arrow_table()
    order = {code: i for i, code in enumerate(vocab.PROJECT_SECTOR)}
    rows = sorted(sectors.to_pylist(), key=lambda r: (r["region_code"], order.get(r["sector"], 99)))
    below = [
        {
            "level": "行业",
            "region_code": r["region_code"],
            "region_name": _name(r["region_code"]),
            "sector": vocab.PROJECT_SECTOR.get(r["sector"], r["sector"]),
            **{m: r[m] for m in PROJECT_MEASURES},
        }
        for r in rows
    ]
    return pa.concat_tables([top, pa.Table.from_pylist(below, schema=top.schema)])


def work_injury(lists: Lists, place: Region, day: date) -> WorkInjury:
    """The work-injury statistics of ``place`` on ``day`` (module docstring)."""
    con = _connect(lists, lists.poor_on(day))
    try:
        con.execute(f"CREATE TEMP TABLE facts AS {_WORKER_FACTS}", {"d": day})
        workers = tree(con, "facts", _sum(WORKER_MEASURES), place)
        projects = _projects(con, place, day)
        advances = _per_county(
            con,
            _ADVANCE_FACTS,
            _sum(ADVANCE_MEASURES[:1]) + ", " + _money(ADVANCE_MEASURES[1:3]),
            place,
            day,
        )
    finally:
        con.close()
    outstanding = [
        paid - recovered
        for paid, recovered in zip(
            advances["advance_paid"].to_pylist(),
            advances["advance_recovered"].to_pylist(),
            strict=True,
        )
    ]
    advances = advances.append_column(
        "advance_outstanding", pa.array(outstanding, advances.schema.field("advance_paid").type)
    )
    return WorkInjury(projects=projects, workers=workers, advances=advances)


def month_end_counts(lists: Lists, place: Region, day: date) -> dict[str, dict[str, int]]:
    """Per region code (the region's own, each county's): the :data:`SERIES_MEASURES`
    on ``day``; projects by their county, poor workers by their hukou county."""
    con = _connect(lists, lists.poor_on(day))
    try:
        projects = _per_county(con, _PROJECT_FACTS, _sum(PROJECT_MEASURES), place, day)
        workers = _per_county(con, _WORKER_FACTS, _sum(WORKER_MEASURES[1:]), place, day)
    finally:
        con.close()
    out: dict[str, dict[str, int]] = {}
    for table in (projects, workers):
        for r in table.to_pylist():
            key = r["region_code"]
            out.setdefault(key, dict.fromkeys(SERIES_MEASURES, 0))
            out[key].update({m: r[m] for m in SERIES_MEASURES if m in r})
    return out
