"""Staging: the registry tables of one region, typed, in an in-process DuckDB.

The registry tables arrive as Arrow, whichever database they came from (SQLite hands
over text dates and integer booleans, PostgreSQL real ones). Staging registers them,
copies the region's rows into typed temporary tables (``person``, ``held``, ``poor``,
``enrollment``, ``enrolled``; ``latest_scope`` and ``latest``, the latest batch of each
source for each county of the region, by the counties its import covered) once, and
adds the lookup tables the findings join (``labels``, ``county_map``,
``region_names``), so that every finding reads the same reading of "poor", "alive" and
"holds on ``as_of``" (readings: module docstring of :mod:`doudi.comparison.compare`).

Values from callers (the day, the hukou prefix, the region) reach the SQL only as
bound parameters (:class:`store.lake.Lake`); what is inlined is constants of this package.
"""

from __future__ import annotations

from collections.abc import Mapping

import pyarrow as pa

from doudi.comparison import counting
from doudi.core import regions, vocab
from doudi.policy.rules.shared import STATUSES
from doudi.rosters.sources import SOURCES
from doudi.store.lake import Lake


def county_map(codes: list[str]) -> pa.Table:
    """Names, parents and jurisdiction (:func:`counting.jurisdiction_of`) of the
    counties people live in, from the region tree.

    Computed per distinct county (a few hundred in a province), not per person.
    """
    names = ("county_code", "county", "city_code", "city", "province_code", "province")
    rows: dict[str, list[str | None]] = {k: [] for k in (*names, "jurisdiction")}
    for code in codes:
        city = regions.city_of(code)
        if city is None:  # retired county: its city by prefix, if that exists
            guess = regions.get(code[:4] + "00")
            city = guess.code if guess is not None and guess.level == "city" else None
        province = code[:2] + "0000"
        rows["county_code"].append(code)
        rows["county"].append(regions.region_name(code) or code)
        rows["city_code"].append(city)
        rows["city"].append(regions.region_name(city) if city else None)
        rows["province_code"].append(province)
        rows["province"].append(regions.region_name(province) or province)
        rows["jurisdiction"].append(counting.jurisdiction_of(code))
    return pa.table({k: pa.array(v, pa.string()) for k, v in rows.items()})


def labels() -> pa.Table:
    """Chinese labels (and report order) for statuses, departments, schemes, sources."""
    kinds = {
        "status": vocab.STATUS,
        "department": vocab.DEPARTMENT,
        "scheme": vocab.SCHEME,
        "source": {name: s.label for name, s in SOURCES.items()},
    }
    rows = [
        (kind, key, label, order)
        for kind, labels in kinds.items()
        for order, (key, label) in enumerate(labels.items())
    ]
    return pa.table(
        {
            "kind": pa.array([r[0] for r in rows], pa.string()),
            "key": pa.array([r[1] for r in rows], pa.string()),
            "label": pa.array([r[2] for r in rows], pa.string()),
            "ord": pa.array([r[3] for r in rows], pa.int32()),
        }
    )


#: How a status held on the day is said when its registered-poor period is exit-marked by
#: then (PZH-2018-195/6.2's separate mark).
EXITED = "（标注脱贫）"


def _holds(alias: str) -> str:
    """A period ``[valid_from, valid_to)`` holds on ``as_of`` (null ``valid_to``: open)."""
    a = alias
    return f"({a}.valid_from <= $as_of AND ({a}.valid_to IS NULL OR $as_of < {a}.valid_to))"


#: The statuses a person holds (the documents' statuses, policy.rules.status): not the
#: facts kept as periods beside them (in school, unable to work), which make nobody
#: poor nor put anyone on several departments' lists.
_STATUSES = ", ".join(f"'{s}'" for s in STATUSES)

#: Typed copies of the region's rows (casts absorb SQLite's text dates and integer
#: booleans) and who holds what on ``as_of``; one statement each (DuckDB binds
#: parameters in single statements only).
STAGE = (
    """
        CREATE TEMP TABLE person AS
        SELECT CAST(p.id AS BIGINT) AS person_id,
               CAST(p.id_number AS VARCHAR) AS id_number,
               CAST(p.name AS VARCHAR) AS name,
               substr(CAST(p.hukou_region AS VARCHAR), 1, 6) AS county_code,
               coalesce(m.county, substr(CAST(p.hukou_region AS VARCHAR), 1, 6)) AS county,
               coalesce(CAST(p.township AS VARCHAR), '') AS township,
               coalesce(CAST(p.village AS VARCHAR), '') AS village,
               CAST(p.birth_date AS DATE) AS birth_date,
               CAST(p.death_date AS DATE) AS death_date,
               CAST(year($as_of::DATE) - year(CAST(p.birth_date AS DATE))
                   - CASE WHEN month($as_of::DATE) * 100 + day($as_of::DATE)
                               < month(CAST(p.birth_date AS DATE)) * 100
                                 + day(CAST(p.birth_date AS DATE))
                          THEN 1 ELSE 0 END AS INTEGER) AS age,
               p.death_date IS NULL OR CAST(p.death_date AS DATE) > $as_of::DATE AS alive,
               coalesce(m.jurisdiction, '000000') AS jurisdiction
        FROM in_registry_person p
        LEFT JOIN county_map m ON m.county_code = substr(CAST(p.hukou_region AS VARCHAR), 1, 6)
        WHERE starts_with(CAST(p.hukou_region AS VARCHAR), $prefix)
    """,
    f"""
        CREATE TEMP TABLE held AS
        SELECT s.* FROM (
            SELECT CAST(person_id AS BIGINT) AS person_id,
                   CAST(status AS VARCHAR) AS status,
                   CAST(department AS VARCHAR) AS department,
                   CAST(valid_from AS DATE) AS valid_from,
                   CAST(valid_to AS DATE) AS valid_to,
                   coalesce(CAST(exit_marked AS BOOLEAN), false) AS exit_marked,
                   CAST(exit_date AS DATE) AS exit_date
            FROM in_registry_status_period
        ) s
        WHERE s.person_id IN (SELECT person_id FROM person) AND {_holds("s")}
          AND s.status IN ({_STATUSES})
    """,
    # the living people a line counts (``counted``, decision 0015), with the group each
    # line counts them by and the statuses they hold on the day (an exit-marked
    # registered-poor period said so)
    f"""
        CREATE TEMP TABLE poor AS
        SELECT p.person_id, p.id_number, p.name, p.county_code, p.county, p.township,
               p.village, p.age, c.pension_group, c.medical_group,
               coalesce(lp.label, c.pension_group) AS pension_label,
               coalesce(lm.label, c.medical_group) AS medical_label,
               coalesce((
                   SELECT string_agg(coalesce(l.label, s.status)
                                     || CASE WHEN s.exited THEN '{EXITED}' ELSE '' END,
                                     '、' ORDER BY l.ord, s.status)
                   FROM (SELECT status,
                                bool_and(status = 'registered_poor' AND exit_marked
                                         AND (exit_date IS NULL OR exit_date <= $as_of::DATE))
                                    AS exited
                         FROM held h WHERE h.person_id = p.person_id GROUP BY status) s
                   LEFT JOIN labels l ON l.kind = 'status' AND l.key = s.status
               ), '') AS statuses
        FROM person p
        JOIN counted c ON c.person_id = p.person_id
        LEFT JOIN labels lp ON lp.kind = 'status' AND lp.key = c.pension_group
        LEFT JOIN labels lm ON lm.kind = 'status' AND lm.key = c.medical_group
        WHERE p.alive AND (c.pension_group IS NOT NULL OR c.medical_group IS NOT NULL)
    """,
    """
        CREATE TEMP TABLE enrollment AS
        SELECT CAST(person_id AS BIGINT) AS person_id,
               CAST(scheme AS VARCHAR) AS scheme,
               coalesce(CAST(region_code AS VARCHAR), '') AS region_code,
               CAST(valid_from AS DATE) AS valid_from,
               CAST(valid_to AS DATE) AS valid_to,
               coalesce(CAST(receiving AS BOOLEAN), false) AS receiving
        FROM in_registry_enrollment
        -- only the poor (outreach, elsewhere) and the dead (paid after death) are
        -- looked up: a province's 10^7 other enrollments need not be copied
        WHERE CAST(person_id AS BIGINT) IN (
            SELECT person_id FROM poor UNION ALL SELECT person_id FROM person WHERE NOT alive
        )
    """,
    f"""
        CREATE TEMP TABLE enrolled AS SELECT * FROM enrollment e WHERE {_holds("e")}
    """,
    """
        CREATE TEMP TABLE batch_scope AS
        SELECT DISTINCT CAST(batch_id AS BIGINT) AS batch_id, CAST(county AS VARCHAR) AS county
        FROM in_registry_import_scope
    """,
    # the latest batch of each source for each county of the region: another region's
    # newer file neither hides this region's nor shows its own rows here
    """
        CREATE TEMP TABLE latest_scope AS
        SELECT batch_id, county FROM (
            SELECT s.batch_id, s.county,
                   row_number() OVER (PARTITION BY CAST(b.source AS VARCHAR), s.county
                                      ORDER BY CAST(b.as_of AS DATE) DESC,
                                               CAST(b.id AS BIGINT) DESC) AS rn
            FROM batch_scope s
            JOIN in_registry_import_batch b ON CAST(b.id AS BIGINT) = s.batch_id
            -- an addendum (增量名单) is not the county's list, only additions to it
            WHERE starts_with(s.county, $prefix)
              AND coalesce(CAST(b.mode AS VARCHAR), 'snapshot') = 'snapshot'
        ) WHERE rn = 1
    """,
    # ``whole``: every county the batch covers is of the region, and the batch is its
    # latest there: all of the batch's rows are the region's
    """
        CREATE TEMP TABLE latest AS
        SELECT CAST(b.id AS BIGINT) AS batch_id, CAST(b.source AS VARCHAR) AS source,
               CAST(b.file_name AS VARCHAR) AS file_name,
               l.counties = (SELECT count(*) FROM batch_scope s
                             WHERE s.batch_id = CAST(b.id AS BIGINT)) AS whole
        FROM in_registry_import_batch b
        JOIN (SELECT batch_id, count(*) AS counties FROM latest_scope GROUP BY batch_id) l
          ON l.batch_id = CAST(b.id AS BIGINT)
    """,
)


def stage(db: Lake, tables: Mapping[str, pa.Table]) -> None:
    """Register ``tables`` (as ``in_<name>``) and the lookups, then run :data:`STAGE`."""
    for name, table in tables.items():
        if name == "registry_import_batch" and "mode" not in table.column_names:
            # batches read without the import mode (tables made by hand, older exports)
            # are snapshots, as every import was before modes
            table = table.append_column("mode", pa.array(["snapshot"] * table.num_rows))
        db.con.register(f"in_{name}", table)
    db.con.register("labels", labels())

    counties = db.rows(
        "SELECT DISTINCT substr(CAST(hukou_region AS VARCHAR), 1, 6) FROM in_registry_person "
        "WHERE starts_with(CAST(hukou_region AS VARCHAR), $prefix) ORDER BY 1"
    )
    db.con.register("county_map", county_map([c[0] for c in counties]))
    for statement in STAGE[:2]:  # person, held
        db.run(statement)
    codes = [c[0] for c in db.rows("SELECT DISTINCT jurisdiction FROM person ORDER BY 1")]
    counting.count(db.run, db.params["as_of"], codes)
    for statement in STAGE[2:]:
        db.run(statement)

    codes = [c[0] for c in db.rows("SELECT DISTINCT substr(region_code, 1, 6) FROM enrolled")]
    db.con.register("region_names", region_names(codes))


def region_names(codes: list[str]) -> pa.Table:
    """The names of the regions people are enrolled in (``code``, ``name``; empty for a
    code not in the tree)."""
    names = {c: regions.region_name(c) or "" for c in codes}
    return pa.table(
        {
            "code": pa.array(list(names), pa.string()),
            "name": pa.array(list(names.values()), pa.string()),
        }
    )
