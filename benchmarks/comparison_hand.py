"""The comparison benchmark's floor: all eight findings of Jiangxi's comparison by hand-
written DuckDB statements over the registry tables (issue #25 §1).

Why: the comparison's ratio must be taken against SQL that answers what the comparison
answers — every finding, row for row — not one finding of eight. The statements below
read the same Arrow tables with Jiangxi's readings for 2018 written in (decision 0015:
the pension line counts tekun, dibao and registered poor not exit-marked on some day of
2018 up to the day, in that order; the medical line, exit marks not read, JX-2017-58/
2.1.2's groups with ages on 1 January), and the same lookups the comparison builds from
the region tree and the vocabulary (county and region names, Chinese labels); the name
pairs are split into conflicts and writing variants in Python, as the comparison does
(NFKC and the edit distance are not DuckDB functions). ``differing`` counts, finding by
finding, the rows one side has and the other lacks, so the benchmark (and
tests/comparison/test_benchmark_comparison.py) fail when either side drifts.
"""

from __future__ import annotations

from datetime import date

import duckdb
import pyarrow as pa

from doudi.comparison import staging
from doudi.comparison.findings import NAME_CONFLICT_SCHEMA
from doudi.comparison.names import normalize_name, similarity
from doudi.policy.rules.shared import STATUSES

REGION = "360000"
PREFIX = REGION[:2]  # a province: its hukou codes start with these digits

_WHO = "p.id_number, p.name, p.county_code, p.county, p.township, p.village"
_ORDER = "ORDER BY county_code, township, village, id_number"
_HOLDS = "{a}.valid_from <= $as_of AND ({a}.valid_to IS NULL OR $as_of < {a}.valid_to)"

#: The region's people, the groups each line counts them by, and who holds what on the
#: day; then one statement a finding.
PREPARE = (
    """
    CREATE TEMP TABLE person AS
    SELECT p.id AS person_id, p.id_number, p.name, substr(p.hukou_region, 1, 6) AS county_code,
           coalesce(m.county, substr(p.hukou_region, 1, 6)) AS county,
           coalesce(p.township, '') AS township, coalesce(p.village, '') AS village,
           p.birth_date, p.death_date,
           CAST(year($as_of::DATE) - year(p.birth_date)
                - CASE WHEN month($as_of::DATE) * 100 + day($as_of::DATE)
                            < month(p.birth_date) * 100 + day(p.birth_date)
                       THEN 1 ELSE 0 END AS INTEGER) AS age,
           year($as_of::DATE) - year(p.birth_date)
               - CASE WHEN month(p.birth_date) * 100 + day(p.birth_date) > 101
                      THEN 1 ELSE 0 END AS age_jan1,
           p.death_date IS NULL OR p.death_date > $as_of::DATE AS alive
    FROM registry_person p
    LEFT JOIN county_map m ON m.county_code = substr(p.hukou_region, 1, 6)
    WHERE starts_with(p.hukou_region, $prefix)
    """,
    # each line's status flags, held on some day of the year up to the day: the pension
    # reads an exit mark (from its date, or from the period's start without one)
    """
    CREATE TEMP TABLE flags AS
    SELECT s.person_id,
           bool_or(s.status = 'tekun' AND pension_open) AS p_tekun,
           bool_or(s.status = 'dibao' AND pension_open) AS p_dibao,
           bool_or(s.status = 'registered_poor' AND pension_open) AS p_poor,
           bool_or(s.status = 'tekun' AND open) AS m_tekun,
           bool_or(s.status = 'dibao' AND open) AS m_dibao,
           bool_or(s.status = 'severe_disability' AND open) AS m_disabled,
           bool_or(s.status = 'low_income_family' AND open) AS m_low_income,
           bool_or(s.status = 'demobilized_14' AND open) AS m_veteran,
           bool_or(s.status = 'registered_poor' AND open) AS m_poor,
           bool_or(s.status = 'student' AND open) AS student,
           bool_or(s.status = 'unable_to_work' AND open) AS unable_to_work
    FROM (
        SELECT person_id, status,
               valid_from <= $as_of::DATE
                   AND (valid_to IS NULL OR valid_to > make_date(year($as_of::DATE), 1, 1))
                   AS open,
               valid_from <= $as_of::DATE
                   AND (ends IS NULL OR ends > make_date(year($as_of::DATE), 1, 1))
                   AS pension_open
        FROM (SELECT *, least(valid_to, CASE WHEN exit_marked
                                             THEN coalesce(exit_date, valid_from) END) AS ends
              FROM registry_status_period)
    ) s
    GROUP BY s.person_id
    """,
    """
    CREATE TEMP TABLE poor AS
    SELECT p.*, g.pension_group, g.medical_group,
           coalesce(lp.label, g.pension_group) AS pension_label,
           coalesce(lm.label, g.medical_group) AS medical_label
    FROM person p
    JOIN (
        SELECT f.person_id,
               CASE WHEN p_tekun THEN 'tekun' WHEN p_dibao THEN 'dibao'
                    WHEN p_poor THEN 'registered_poor' END AS pension_group,
               CASE WHEN m_tekun THEN 'tekun' WHEN m_dibao THEN 'dibao'
                    WHEN m_disabled AND (student OR q.age_jan1 < 18)
                        THEN 'severe_disability_child'
                    WHEN m_disabled AND q.age_jan1 >= 18 AND unable_to_work
                        THEN 'severe_disability_unable_to_work'
                    WHEN m_low_income AND q.age_jan1 < 18 THEN 'low_income_family_minor'
                    WHEN m_low_income AND q.age_jan1 >= 60 THEN 'low_income_family_elderly'
                    WHEN m_veteran THEN 'demobilized_14'
                    WHEN m_poor THEN 'registered_poor' END AS medical_group
        FROM flags f JOIN person q ON q.person_id = f.person_id
    ) g ON g.person_id = p.person_id
    LEFT JOIN labels lp ON lp.kind = 'status' AND lp.key = g.pension_group
    LEFT JOIN labels lm ON lm.kind = 'status' AND lm.key = g.medical_group
    WHERE p.alive AND (g.pension_group IS NOT NULL OR g.medical_group IS NOT NULL)
    """,
    f"""
    CREATE TEMP TABLE enrolled AS
    SELECT * FROM registry_enrollment e WHERE {_HOLDS.format(a="e")}
    """,
    # the latest batch of each source for each county of the region; ``whole``: all the
    # counties a batch covers are ones it is the region's latest for
    """
    CREATE TEMP TABLE latest_scope AS
    SELECT batch_id, county FROM (
        SELECT s.batch_id, s.county,
               row_number() OVER (PARTITION BY b.source, s.county
                                  ORDER BY b.as_of DESC, b.id DESC) AS rn
        FROM (SELECT DISTINCT batch_id, county FROM registry_import_scope) s
        JOIN registry_import_batch b ON b.id = s.batch_id
        WHERE starts_with(s.county, $prefix) AND coalesce(b.mode, 'snapshot') = 'snapshot'
    ) WHERE rn = 1
    """,
    """
    CREATE TEMP TABLE latest AS
    SELECT b.id AS batch_id, b.source, b.file_name,
           l.counties = (SELECT count(DISTINCT county) FROM registry_import_scope s
                         WHERE s.batch_id = b.id) AS whole
    FROM registry_import_batch b
    JOIN (SELECT batch_id, count(*) AS counties FROM latest_scope GROUP BY batch_id) l
      ON l.batch_id = b.id
    """,
)

_UNINSURED = """
SELECT {who}, p.{line}_label AS statuses, p.age
FROM poor p
WHERE p.{line}_group IS NOT NULL {age}
  AND NOT EXISTS (SELECT 1 FROM enrolled e WHERE e.person_id = p.person_id
                  AND e.scheme IN ('{line_scheme}', '{employee_scheme}'))
{order}
"""

_REJECTED = """
SELECT coalesce(l.label, b.source) AS source, b.file_name, r.row_number,
       r."column", coalesce(r.value, '') AS value, r.reason
FROM registry_rejected_row r
JOIN latest b ON b.batch_id = r.batch_id
LEFT JOIN labels l ON l.kind = 'source' AND l.key = b.source
WHERE {where}
  AND (b.whole OR EXISTS (SELECT 1 FROM latest_scope s WHERE s.batch_id = r.batch_id
                          AND s.county = substr(trim(r.value), 1, 6)))
ORDER BY coalesce(l.ord, 99), b.source, r.row_number, r."column"
"""

_STATUSES = ", ".join(f"'{s}'" for s in STATUSES)

FINDINGS = {
    "uninsured_pension": _UNINSURED.format(
        who=_WHO,
        line="pension",
        age="AND p.age >= 16",  # GF-2014-8/4
        line_scheme="resident_pension",
        employee_scheme="employee_pension",
        order=_ORDER,
    ),
    "uninsured_medical": _UNINSURED.format(
        who=_WHO,
        line="medical",
        age="",
        line_scheme="resident_medical",
        employee_scheme="employee_medical",
        order=_ORDER,
    ),
    "insured_elsewhere": f"""
        SELECT {_WHO}, coalesce(l.label, e.scheme) AS scheme,
               e.region_code AS enrollment_region_code, coalesce(n.name, '') AS enrollment_region
        FROM poor p JOIN enrolled e ON e.person_id = p.person_id
        LEFT JOIN labels l ON l.kind = 'scheme' AND l.key = e.scheme
        LEFT JOIN region_names n ON n.code = substr(e.region_code, 1, 6)
        WHERE coalesce(e.region_code, '') <> '' AND substr(e.region_code, 1, 6) <> p.county_code
        ORDER BY p.county_code, p.township, p.village, p.id_number, l.ord, e.region_code
    """,
    "paid_after_death": f"""
        SELECT {_WHO}, p.death_date,
               CAST(max(greatest(0, (year(until) - year(p.death_date)) * 12 + month(until)
                   - month(p.death_date)
                   - CASE WHEN day(until) < day(p.death_date) THEN 1 ELSE 0 END)) AS INTEGER)
                   AS months_since_death
        FROM person p
        JOIN (SELECT *, least($as_of::DATE, coalesce(valid_to, $as_of::DATE)) AS until
              FROM registry_enrollment
              WHERE scheme = 'resident_pension' AND receiving AND valid_from <= $as_of::DATE) e
          ON e.person_id = p.person_id
        WHERE p.death_date <= $as_of::DATE
          AND (e.valid_to IS NULL OR e.valid_to > p.death_date + 1)
        GROUP BY ALL
        {_ORDER}
    """,
    "invalid_ids": _REJECTED.format(where="starts_with(r.code, 'id_')"),
    "duplicates": _REJECTED.format(where="r.code = 'duplicate'"),
    "multiple_lists": f"""
        WITH held AS (
            SELECT DISTINCT s.person_id, s.status, s.department
            FROM registry_status_period s JOIN person p ON p.person_id = s.person_id
            WHERE {_HOLDS.format(a="s")} AND s.status IN ({_STATUSES})
        ),
        several AS (
            SELECT h.person_id,
                   string_agg(coalesce(ls.label, h.status), '、' ORDER BY ls.ord, h.status)
                       AS statuses
            FROM (SELECT DISTINCT person_id, status FROM held
                  WHERE person_id IN (SELECT person_id FROM held GROUP BY person_id
                                      HAVING count(DISTINCT department) >= 2)) h
            LEFT JOIN labels ls ON ls.kind = 'status' AND ls.key = h.status
            GROUP BY h.person_id
        ),
        departments AS (
            SELECT d.person_id,
                   string_agg(coalesce(ld.label, d.department), '、'
                              ORDER BY ld.ord, d.department) AS departments
            FROM (SELECT DISTINCT person_id, department FROM held
                  WHERE person_id IN (SELECT person_id FROM several)) d
            LEFT JOIN labels ld ON ld.kind = 'department' AND ld.key = d.department
            GROUP BY d.person_id
        )
        SELECT {_WHO}, s.statuses, d.departments
        FROM person p JOIN several s USING (person_id) JOIN departments d USING (person_id)
        {_ORDER}
    """,
}

NAME_PAIRS = f"""
WITH names AS (
    SELECT DISTINCT e.person_id, b.source, coalesce(l.label, b.source) AS label,
           coalesce(l.ord, 99) AS ord, e.name
    FROM registry_roster_entry e
    JOIN latest b ON b.batch_id = e.batch_id
    LEFT JOIN labels l ON l.kind = 'source' AND l.key = b.source
    WHERE e.person_id IN (SELECT person_id FROM person)
)
SELECT {_WHO}, a.label AS source_a, a.name AS name_a, b.label AS source_b, b.name AS name_b
FROM names a
JOIN names b ON b.person_id = a.person_id AND a.name <> b.name
 AND (a.ord < b.ord OR (a.ord = b.ord AND a.source < b.source))
JOIN person p ON p.person_id = a.person_id
ORDER BY p.county_code, p.township, p.village, p.id_number, a.ord, b.ord, a.name, b.name
"""


def findings(tables: dict[str, pa.Table], as_of: date) -> dict[str, pa.Table]:
    """Every finding of Jiangxi's comparison on ``as_of``, by the comparison's names."""
    con = duckdb.connect()
    try:
        for name, table in tables.items():
            con.register(name, table)
        con.register("labels", staging.labels())
        params = {"as_of": as_of, "prefix": PREFIX}
        counties = con.sql(
            "SELECT DISTINCT substr(hukou_region, 1, 6) FROM registry_person"
            " WHERE starts_with(hukou_region, $prefix)",
            params={"prefix": PREFIX},
        ).fetchall()
        con.register("county_map", staging.county_map(sorted(c[0] for c in counties)))
        codes = con.sql(
            "SELECT DISTINCT substr(region_code, 1, 6) FROM registry_enrollment"
            " WHERE coalesce(region_code, '') <> ''"
        ).fetchall()
        con.register("region_names", staging.region_names([c[0] for c in codes]))
        for statement in PREPARE:
            con.sql(statement, params=_used(statement, params))
        found = {
            name: con.sql(sql, params=_used(sql, params)).to_arrow_table()
            for name, sql in FINDINGS.items()
        }
        found["name_conflicts"] = _conflicts(con.sql(NAME_PAIRS).to_arrow_table())
    finally:
        con.close()
    return found


def _used(sql: str, params: dict[str, object]) -> dict[str, object]:
    """The parameters a statement names (DuckDB refuses unused ones)."""
    return {k: v for k, v in params.items() if f"${k}" in sql}


def _conflicts(pairs: pa.Table) -> pa.Table:
    """The pairs whose names still differ once normalized, with their similarity."""
    rows = []
    for row in pairs.to_pylist():
        a, b = normalize_name(row["name_a"]), normalize_name(row["name_b"])
        if a != b:
            rows.append({**row, "similarity": similarity(a, b)})
    return pa.Table.from_pylist(rows, schema=NAME_CONFLICT_SCHEMA)


def differing(found: dict[str, pa.Table], hand: dict[str, pa.Table]) -> dict[str, int]:
    """Per finding, the rows one side has and the other lacks (as multisets, every
    column; the hand's columns cast to the comparison's types)."""
    con = duckdb.connect()
    out = {}
    try:
        for name, theirs in found.items():
            con.register("a", theirs)
            con.register("b", hand[name].select(theirs.schema.names).cast(theirs.schema))
            row = con.sql(
                "SELECT (SELECT count(*) FROM (SELECT * FROM a EXCEPT ALL SELECT * FROM b))"
                " + (SELECT count(*) FROM (SELECT * FROM b EXCEPT ALL SELECT * FROM a))"
            ).fetchall()
            out[name] = int(row[0][0])
    finally:
        con.close()
    return out
