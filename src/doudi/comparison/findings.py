"""The findings of the comparison (信息比对), one SQL statement each, as named steps.

Each step reads the tables :mod:`doudi.comparison.staging` built (``person``,
``poor``, ``held``, ``enrollment``, ``enrolled``, ``latest`` and the lookups) and
returns one Arrow table in report order; the readings behind each one (who is poor,
insured, elsewhere, paid after death …) are in the module docstring of
:mod:`doudi.comparison.compare`. Name conflicts take one step more in Python: the
pairs whose raw names differ are split into real conflicts and writing variants
(:mod:`doudi.comparison.names`).

Values from callers (``$as_of``) are bound parameters; what is inlined is constants
of this module.
"""

from __future__ import annotations

from typing import Any

import pyarrow as pa

from doudi.comparison.names import normalize_name, similarity
from doudi.store.lake import Lake

#: Resident pension: from 16 (GF-2014-8/4).
PENSION_AGE = 16
PENSION_SCHEMES = ("resident_pension", "employee_pension")
MEDICAL_SCHEMES = ("resident_medical", "employee_medical")

_WHO = "p.id_number, p.name, p.county_code, p.county, p.township, p.village"
_ORDER = "ORDER BY county_code, township, village, id_number"

#: Who each line counts (decision 0015): the line's group is set; the pension from 16.
COUNTED = {
    "pension": f"p.pension_group IS NOT NULL AND p.age >= {PENSION_AGE}",
    "medical": "p.medical_group IS NOT NULL",
}

# ``statuses``: the group by which the line counts the person (its Chinese label)
_UNINSURED = """
SELECT {who}, p.{line}_label AS statuses, p.age
FROM poor p
WHERE {where} AND NOT EXISTS (
    SELECT 1 FROM enrolled e WHERE e.person_id = p.person_id AND e.scheme IN ({schemes})
)
{order}
"""
_UNINSURED_PENSION = _UNINSURED.format(
    who=_WHO,
    line="pension",
    where=COUNTED["pension"],
    schemes=", ".join(f"'{s}'" for s in PENSION_SCHEMES),
    order=_ORDER,
)
_UNINSURED_MEDICAL = _UNINSURED.format(
    who=_WHO,
    line="medical",
    where=COUNTED["medical"],
    schemes=", ".join(f"'{s}'" for s in MEDICAL_SCHEMES),
    order=_ORDER,
)

_INSURED_ELSEWHERE = f"""
SELECT {_WHO}, coalesce(l.label, e.scheme) AS scheme,
       e.region_code AS enrollment_region_code,
       coalesce(n.name, '') AS enrollment_region
FROM poor p
JOIN enrolled e ON e.person_id = p.person_id
LEFT JOIN labels l ON l.kind = 'scheme' AND l.key = e.scheme
LEFT JOIN region_names n ON n.code = substr(e.region_code, 1, 6)
WHERE e.region_code <> '' AND substr(e.region_code, 1, 6) <> p.county_code
ORDER BY p.county_code, p.township, p.village, p.id_number, l.ord, e.region_code
"""

_PAID_AFTER_DEATH = f"""
SELECT {_WHO}, p.death_date,
       CAST(max(greatest(0,
           (year(e.until) - year(p.death_date)) * 12 + month(e.until) - month(p.death_date)
           - CASE WHEN day(e.until) < day(p.death_date) THEN 1 ELSE 0 END)) AS INTEGER)
           AS months_since_death
FROM person p
JOIN (
    SELECT *, least($as_of::DATE, coalesce(valid_to, $as_of::DATE)) AS until FROM enrollment
) e ON e.person_id = p.person_id
WHERE p.death_date <= $as_of::DATE
  AND e.scheme = 'resident_pension' AND e.receiving
  AND e.valid_from <= $as_of::DATE
  AND (e.valid_to IS NULL OR e.valid_to > p.death_date + 1)
GROUP BY ALL
{_ORDER}
"""

_REJECTED = """
SELECT coalesce(l.label, b.source) AS source, b.file_name,
       CAST(r.row_number AS INTEGER) AS row_number,
       r."column", r.value, r.reason
FROM (
    SELECT CAST(batch_id AS BIGINT) AS batch_id, row_number,
           CAST("column" AS VARCHAR) AS "column", CAST(code AS VARCHAR) AS code,
           coalesce(CAST(value AS VARCHAR), '') AS value, CAST(reason AS VARCHAR) AS reason
    FROM in_registry_rejected_row
) r
JOIN latest b ON b.batch_id = r.batch_id
LEFT JOIN labels l ON l.kind = 'source' AND l.key = b.source
WHERE {where}
  -- a batch of the region's counties only: all its rows; one covering more: the rows
  -- whose number names a county the batch is the region's latest for
  AND (b.whole OR EXISTS (
      SELECT 1 FROM latest_scope s
      WHERE s.batch_id = r.batch_id AND s.county = substr(trim(r.value), 1, 6)
  ))
ORDER BY coalesce(l.ord, 99), b.source, r.row_number, r."column"
"""

_MULTIPLE_LISTS = f"""
WITH several AS (
    SELECT person_id FROM held GROUP BY person_id HAVING count(DISTINCT department) >= 2
),
statuses AS (
    SELECT h.person_id,
           string_agg(coalesce(l.label, h.status), '、' ORDER BY l.ord, h.status) AS statuses
    FROM (SELECT DISTINCT person_id, status FROM held
          WHERE person_id IN (SELECT person_id FROM several)) h
    LEFT JOIN labels l ON l.kind = 'status' AND l.key = h.status
    GROUP BY h.person_id
),
departments AS (
    SELECT h.person_id,
           string_agg(coalesce(l.label, h.department), '、' ORDER BY l.ord, h.department)
               AS departments
    FROM (SELECT DISTINCT person_id, department FROM held
          WHERE person_id IN (SELECT person_id FROM several)) h
    LEFT JOIN labels l ON l.kind = 'department' AND l.key = h.department
    GROUP BY h.person_id
)
SELECT {_WHO}, s.statuses, d.departments
FROM person p
JOIN statuses s ON s.person_id = p.person_id
JOIN departments d ON d.person_id = p.person_id
{_ORDER}
"""

NAME_PAIRS = f"""
WITH names AS (
    SELECT DISTINCT CAST(e.person_id AS BIGINT) AS person_id, b.source,
           coalesce(l.label, b.source) AS label, coalesce(l.ord, 99) AS ord,
           CAST(e.name AS VARCHAR) AS name
    FROM in_registry_roster_entry e
    JOIN latest b ON b.batch_id = CAST(e.batch_id AS BIGINT)
    LEFT JOIN labels l ON l.kind = 'source' AND l.key = b.source
    WHERE CAST(e.person_id AS BIGINT) IN (SELECT person_id FROM person)
)
SELECT {_WHO}, a.label AS source_a, a.name AS name_a, b.label AS source_b, b.name AS name_b
FROM names a
JOIN names b
  ON b.person_id = a.person_id AND a.name <> b.name
 AND (a.ord < b.ord OR (a.ord = b.ord AND a.source < b.source))
JOIN person p ON p.person_id = a.person_id
ORDER BY p.county_code, p.township, p.village, p.id_number, a.ord, b.ord, a.name, b.name
"""

_WHO_FIELDS = [
    pa.field(n, pa.string())
    for n in ("id_number", "name", "county_code", "county", "township", "village")
]
NAME_CONFLICT_SCHEMA = pa.schema(
    [
        *_WHO_FIELDS,
        pa.field("source_a", pa.string()),
        pa.field("name_a", pa.string()),
        pa.field("source_b", pa.string()),
        pa.field("name_b", pa.string()),
        pa.field("similarity", pa.decimal128(3, 2)),
    ]
)


def name_pairs(pairs: pa.Table) -> tuple[pa.Table, pa.Table]:
    """Split the pairs whose raw names differ into real conflicts and writing variants.

    Python on the few pairs only: NFKC and the character-level distance are not
    DuckDB functions.
    """
    conflicts: list[dict[str, Any]] = []
    variants: list[dict[str, Any]] = []
    for row in pairs.to_pylist():
        a, b = normalize_name(row["name_a"]), normalize_name(row["name_b"])
        if a == b:
            variants.append(row)
        else:
            conflicts.append({**row, "similarity": similarity(a, b)})
    variant_schema = pa.schema(
        [pa.field(n, pa.string()) for n in ("county_code", "township", "village")]
    )
    return (
        pa.Table.from_pylist(conflicts, schema=NAME_CONFLICT_SCHEMA),
        pa.Table.from_pylist(variants, schema=variant_schema),
    )


#: The findings computed in SQL alone, in the order they run: (name, statement).
STEPS: tuple[tuple[str, str], ...] = (
    ("uninsured_pension", _UNINSURED_PENSION),
    ("uninsured_medical", _UNINSURED_MEDICAL),
    ("insured_elsewhere", _INSURED_ELSEWHERE),
    ("paid_after_death", _PAID_AFTER_DEATH),
    ("invalid_ids", _REJECTED.format(where="starts_with(r.code, 'id_')")),
    ("duplicates", _REJECTED.format(where="r.code = 'duplicate'")),
    ("multiple_lists", _MULTIPLE_LISTS),
)


def find(db: Lake) -> tuple[dict[str, pa.Table], pa.Table]:
    """Every finding by name (:data:`STEPS`, then ``name_conflicts``), and the name
    pairs that are only writing variants (counted in the summary, not listed)."""
    found = {name: db.arrow(sql) for name, sql in STEPS}
    conflicts, variants = name_pairs(db.arrow(NAME_PAIRS))
    found["name_conflicts"] = conflicts
    return found, variants
