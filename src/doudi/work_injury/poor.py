"""The poor among the people of the work-injury lists, from the registry, on a day: the
``poor`` table of :mod:`doudi.work_injury.checks` (:data:`~doudi.work_injury.checks.POOR_SCHEMA`).

A worker on a county's project may have their hukou anywhere, so the people looked up
are those the lists name (rosters and cases), not the region's residents. Poor = alive
on the day and holding on it (``valid_from <= d < valid_to``) a status period of one of
``statuses`` (the command passes ``work_injury.poor_worker_statuses``); a
registered-poor period exit-marked by the day does not count, and exit-marked without
an exit date it does not count at all (docs/readings.md #2, as the comparison read it).
The statuses are those counted, in the order given; the place is the person's hukou
county, township and village.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import duckdb
import pyarrow as pa

from doudi.core import regions
from doudi.store import db
from doudi.work_injury.checks import POOR_SCHEMA
from doudi.work_injury.sources import CASES, PROJECT_WORKERS

#: The registry tables the reading needs.
TABLES = ("registry_person", "registry_status_period")

#: The ID numbers the region's rosters and cases name (``?``: the counties' prefix).
_NAMED = " UNION ".join(
    f"SELECT {spec.stored_name('id_number')} FROM {spec.table} WHERE county LIKE ?"
    for spec in (PROJECT_WORKERS, CASES)
)


def named_registry(reader: db.Reader, region: str) -> dict[str, pa.Table]:
    """The registry rows (:data:`TABLES`) of the people the work-injury lists of
    ``region`` name, whatever their hukou: a findings page or a statistic reads those,
    not the registry's ten million people."""
    prefix = (regions.hukou_prefix(region) + "%",) * 2
    return {
        "registry_person": reader.read("registry_person", f"WHERE id_number IN ({_NAMED})", prefix),
        "registry_status_period": reader.read(
            "registry_status_period",
            f"WHERE person_id IN (SELECT id FROM registry_person WHERE id_number IN ({_NAMED}))",
            prefix,
        ),
    }


_POOR = """
WITH named AS (SELECT DISTINCT person_id FROM named_people),
person AS (
    SELECT CAST(p.id AS BIGINT) AS id, CAST(p.id_number AS VARCHAR) AS person_id,
           CAST(p.name AS VARCHAR) AS name,
           substr(coalesce(CAST(p.hukou_region AS VARCHAR), ''), 1, 6) AS county_code,
           coalesce(CAST(p.township AS VARCHAR), '') AS township,
           coalesce(CAST(p.village AS VARCHAR), '') AS village
    FROM in_person p JOIN named n ON n.person_id = CAST(p.id_number AS VARCHAR)
    WHERE p.death_date IS NULL OR CAST(p.death_date AS DATE) > $as_of
),
held AS (
    SELECT CAST(s.person_id AS BIGINT) AS id, CAST(s.status AS VARCHAR) AS status
    FROM in_periods s
    WHERE CAST(s.valid_from AS DATE) <= $as_of
      AND (s.valid_to IS NULL OR $as_of < CAST(s.valid_to AS DATE))
      AND list_contains($statuses, CAST(s.status AS VARCHAR))
      AND NOT (CAST(s.status AS VARCHAR) = 'registered_poor'
               AND coalesce(CAST(s.exit_marked AS BOOLEAN), false)
               AND (s.exit_date IS NULL OR CAST(s.exit_date AS DATE) <= $as_of))
)
SELECT p.person_id, p.name,
       list(DISTINCT h.status ORDER BY list_position($statuses, h.status)) AS statuses,
       p.county_code, p.township, p.village
FROM person p JOIN held h ON h.id = p.id
GROUP BY p.person_id, p.name, p.county_code, p.township, p.village
ORDER BY p.person_id
"""


def poor_on(
    tables: dict[str, pa.Table], named: pa.Array, statuses: Sequence[str], as_of: date
) -> pa.Table:
    """The poor on ``as_of`` among the ID numbers ``named`` (module docstring), from the
    registry tables :data:`TABLES`."""
    con = duckdb.connect()
    try:
        con.register("in_person", tables["registry_person"])
        con.register("in_periods", tables["registry_status_period"])
        con.register("named_people", pa.table({"person_id": named.cast(pa.string())}))
        found = con.sql(_POOR, params={"as_of": as_of, "statuses": list(statuses)}).to_arrow_table()
    finally:
        con.close()
    codes = found.column("county_code").to_pylist()
    names = {c: regions.region_name(c) or c for c in set(codes)}  # per county, not per person
    counties = [names[c] for c in codes]
    found = found.append_column("county", pa.array(counties, pa.string()))
    return found.select(POOR_SCHEMA.names).cast(POOR_SCHEMA)
