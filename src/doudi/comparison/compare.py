"""信息比对 (comparison): the registry's lists against each other, for one region and day.

A county's caseworkers have to prove 应保尽保 (full coverage): every poor person is
insured, nobody draws a pension after death, and the departments agree on who is who.
This job reads the registry tables (as Arrow, whichever database they came from),
runs the comparison in DuckDB in-process, and returns one Arrow table per finding
plus a summary per region, ready for :mod:`doudi.store.workbook`.

Readings (where the task can be read two ways, what this module does):

- **Poor (贫困人员)**: a person holding on ``as_of`` a status period of
  ``registered_poor`` (not exit-marked), ``dibao``, ``tekun`` or
  ``severe_disability``. ``low_income_family`` is not counted: the social-insurance
  poverty-relief documents name the four others. A registered-poor period that is
  exit-marked stops counting on its exit date (docs/readings.md #2); exit-marked with
  no exit date, it does not count at all. "Holds on day d" is
  ``valid_from <= d < valid_to`` (``valid_to`` null = still open).
- **Alive**: no death date, or a death date after ``as_of``. Only living poor people
  are counted in the coverage findings and in the summary's denominators, so that
  ``pension_insured + uninsured_pension = poor_16_plus`` and
  ``medical_insured + uninsured_medical = poor`` hold on every summary row.
- **Age 16**: full years on ``as_of`` (a person born on 29 February turns a year
  older on 1 March in common years). Resident pension outreach has no upper age:
  a poor person of 70 without a pension is also someone to follow up.
- **Insured for pension**: a ``resident_pension`` or ``employee_pension``
  enrollment holding on ``as_of``, in any region (insured elsewhere is insured; it
  is reported separately). Medical: ``resident_medical`` holding on ``as_of``.
- **Insured elsewhere**: a holding enrollment (any scheme) whose region code's
  first six digits differ from the person's hukou county. An enrollment with no
  region code is not reported (nothing to compare).
- **死亡冒领**: a ``resident_pension`` enrollment marked receiving, begun on or
  before ``as_of``, that holds on at least one day after the death date
  (``valid_to`` null or ``valid_to > death_date + 1 day``: ``valid_to`` is
  exclusive, so a period ending the day after the death ended on the death date).
  Months = whole months (by day of month) from the death date to the earlier of
  ``as_of`` and the enrollment's end; one row per person (the longest).
- **Name conflicts**: the latest batch of each source (max ``as_of``, then max id);
  per person, every pair of sources whose raw names differ. Both names are
  normalized (:func:`normalize_name`); a pair equal after normalization is only a
  writing variant and is counted in the summary (``name_variants``), not listed.
  Similarity is computed on the normalized names.
- **Invalid IDs / duplicates**: rejected rows of the latest batch of each source,
  with code ``id_*`` / ``duplicate``. Rejected rows have no person and no region, so
  they are not filtered by region and are counted on the summary's top row only.
- **On several lists (多部门名单)**: a person holding status periods of two or
  more departments on ``as_of``; every holding period counts (an exit-marked
  registered-poor person is still on the poverty office's list).
- The region: a six-digit province, city or county code; people are in it if their
  ``hukou_region`` starts with its prefix (2, 4 or 6 digits). Findings are sorted by
  county, township, village and ID number.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import duckdb
import pyarrow as pa

from doudi.core import regions, vocab
from doudi.rosters.sources import SOURCES

#: The registry tables the comparison reads (``db_table`` names of the models).
TABLES = (
    "registry_person",
    "registry_status_period",
    "registry_enrollment",
    "registry_roster_entry",
    "registry_import_batch",
    "registry_rejected_row",
)

#: Statuses that make a person "poor" for this comparison (module docstring).
POOR_STATUSES = ("registered_poor", "dibao", "tekun", "severe_disability")
#: Resident pension: from 16 (GF-2014-8/4).
PENSION_AGE = 16
PENSION_SCHEMES = ("resident_pension", "employee_pension")
MEDICAL_SCHEME = "resident_medical"

_PREFIX = {"province": 2, "city": 4, "county": 6}

#: The findings, in report order, with their Chinese titles.
FINDINGS: tuple[tuple[str, str], ...] = (
    ("uninsured_pension", "养老保险未参保"),
    ("uninsured_medical", "医疗保险未参保"),
    ("insured_elsewhere", "异地参保"),
    ("paid_after_death", "死亡冒领"),
    ("name_conflicts", "姓名不一致"),
    ("invalid_ids", "身份号码错误"),
    ("duplicates", "重复记录"),
    ("multiple_lists", "多部门名单"),
)

#: Middle-dot variants written between the parts of a minority or foreign name
#: (买买提·艾力): departments type whichever their keyboard offers, or none. The
#: full stop is included because NFKC turns the full-width "．" some use into ".".
MIDDLE_DOTS = "\u00b7\u30fb\uff65\u2027\u2022\u2219\u22c5\u16eb\u0387."

#: Variant characters (异体字) seen in roster names, mapped to the form of the
#: 通用规范汉字表 (2013). Characters that table re-admitted for names (喆, 堃,
#: 昇, 甯 …) are deliberately absent: there they are distinct names.
VARIANTS = {
    "峯": "峰",
    "敎": "教",
    "衞": "卫",
    "衛": "卫",
    "羣": "群",
    "煕": "熙",
    "熈": "熙",
    "栢": "柏",
    "淸": "清",
    "眞": "真",
    "靑": "青",
    "徳": "德",
    "強": "强",
    "戶": "户",
    "冨": "富",
    "兇": "凶",
    "隣": "邻",
    "卽": "即",
    "敍": "叙",
    "敘": "叙",
    "綫": "线",
    "峩": "峨",
}
_VARIANT_TABLE = str.maketrans(VARIANTS)


class ComparisonError(ValueError):
    """The comparison cannot run (bad region, missing table); the message is in Chinese."""


@dataclass(frozen=True)
class Comparison:
    """What the comparison found for ``region`` on ``as_of``: one Arrow table each.

    Every person finding starts with ``id_number, name, county_code, county,
    township, village`` (``county`` = the county's name) and is sorted by county,
    township, village, ID number; then:

    - ``uninsured_pension``, ``uninsured_medical``: ``statuses`` (the counting
      statuses, Chinese, joined with 、), ``age``;
    - ``insured_elsewhere``: ``scheme`` (Chinese), ``enrollment_region_code``,
      ``enrollment_region`` (its name);
    - ``paid_after_death``: ``death_date``, ``months_since_death``;
    - ``name_conflicts``: ``source_a``, ``name_a``, ``source_b``, ``name_b`` (list
      labels and names as written), ``similarity`` (Decimal, 2 places);
    - ``multiple_lists``: ``statuses``, ``departments`` (Chinese);
    - ``invalid_ids``, ``duplicates`` (no person): ``source``, ``file_name``,
      ``row_number``, ``column``, ``value``, ``reason``.

    ``summary``: ``level`` (省/市/县(区)/乡镇(街道)/村(社区)), ``region_code`` (the
    county's for township and village rows), ``region_name``, ``county``,
    ``township``, ``village``, ``poor``, ``poor_16_plus``, ``pension_insured``,
    ``pension_rate``, ``medical_insured``, ``medical_rate`` (Decimal percentages,
    2 places, null when nobody is counted), then the row count of each finding and
    ``name_variants``; ``invalid_ids`` and ``duplicates`` on the first row only.
    """

    region: str
    region_name: str
    as_of: date
    summary: pa.Table
    uninsured_pension: pa.Table
    uninsured_medical: pa.Table
    insured_elsewhere: pa.Table
    paid_after_death: pa.Table
    name_conflicts: pa.Table
    invalid_ids: pa.Table
    duplicates: pa.Table
    multiple_lists: pa.Table

    def finding(self, name: str) -> pa.Table:
        """A finding by its name in :data:`FINDINGS`."""
        if name not in dict(FINDINGS):
            raise KeyError(name)
        table: pa.Table = getattr(self, name)
        return table


def normalize_name(name: str) -> str:
    """A name as compared across departments.

    NFKC (full-width letters and digits become half-width, CJK compatibility
    ideographs become the unified ones), then whitespace and middle dots removed,
    then :data:`VARIANTS` applied. Two departments that write 张峯 and 张 峰 mean
    the same person's name; a caseworker should not chase that.
    """
    text = unicodedata.normalize("NFKC", name)
    text = "".join(ch for ch in text if not ch.isspace() and ch not in MIDDLE_DOTS)
    return text.translate(_VARIANT_TABLE)


def levenshtein(a: str, b: str) -> int:
    """Edit distance in characters, in Python: DuckDB's ``levenshtein`` has counted
    UTF-8 bytes (3 per Chinese character) in some versions."""
    if len(a) < len(b):
        a, b = b, a
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def similarity(a: str, b: str) -> Decimal:
    """1 − distance / longer length, to 2 decimals (王小明 / 王晓明 → 0.67)."""
    longest = max(len(a), len(b))
    if longest == 0:
        return Decimal("1.00")
    value = Decimal(longest - levenshtein(a, b)) / Decimal(longest)
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def region_prefix(region: str) -> tuple[str, str]:
    """The level and hukou-code prefix of a six-digit region code.

    The level comes from the region tree; a code not in the tree (retired) is read
    by its trailing zeros, since GB/T 2260 codes nest by prefix.
    """
    if not re.fullmatch(r"\d{6}", region or ""):
        raise ComparisonError(f"区划代码应为6位数字：{region!r}")
    found = regions.get(region)
    if found is not None and found.level in _PREFIX:
        level = found.level
    elif region.endswith("0000"):
        level = "province"
    elif region.endswith("00"):
        level = "city"
    else:
        level = "county"
    return level, region[: _PREFIX[level]]


def _county_map(codes: list[str]) -> pa.Table:
    """Names and parents of the counties people live in, from the region tree.

    Computed per distinct county (a few hundred in a province), not per person.
    """
    rows: dict[str, list[str | None]] = {
        k: [] for k in ("county_code", "county", "city_code", "city", "province_code", "province")
    }
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
    return pa.table({k: pa.array(v, pa.string()) for k, v in rows.items()})


def _labels() -> pa.Table:
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


class _Db:
    """The DuckDB connection with the comparison's parameters bound by name."""

    def __init__(self, params: Mapping[str, Any]):
        self.con = duckdb.connect()
        self.params = dict(params)

    def _bound(self, sql: str) -> dict[str, Any]:
        return {k: v for k, v in self.params.items() if f"${k}" in sql}

    def run(self, sql: str) -> None:
        self.con.execute(sql, self._bound(sql))

    def arrow(self, sql: str) -> pa.Table:
        table: pa.Table = self.con.sql(sql, params=self._bound(sql)).to_arrow_table()
        return table

    def rows(self, sql: str) -> list[tuple[Any, ...]]:
        return self.con.execute(sql, self._bound(sql)).fetchall()


def _holds(alias: str) -> str:
    """A period ``[valid_from, valid_to)`` holds on ``as_of`` (null ``valid_to``: open)."""
    a = alias
    return f"({a}.valid_from <= $as_of AND ({a}.valid_to IS NULL OR $as_of < {a}.valid_to))"


_OTHER_POOR = ", ".join(f"'{s}'" for s in POOR_STATUSES if s != "registered_poor")
_WHO = "p.id_number, p.name, p.county_code, p.county, p.township, p.village"
_ORDER = "ORDER BY county_code, township, village, id_number"

#: Typed copies of the region's rows (casts absorb SQLite's text dates and integer
#: booleans) and who holds what on ``as_of``; one statement each (DuckDB binds
#: parameters in single statements only).
_STAGE = (
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
               p.death_date IS NULL OR CAST(p.death_date AS DATE) > $as_of::DATE AS alive
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
    """,
    f"""
        CREATE TEMP TABLE poor AS
        SELECT p.person_id, p.id_number, p.name, p.county_code, p.county, p.township,
               p.village, p.age,
               string_agg(coalesce(l.label, s.status), '、' ORDER BY l.ord, s.status) AS statuses
        FROM person p
        JOIN (
            SELECT DISTINCT person_id, status FROM held
            WHERE status IN ({_OTHER_POOR})
               OR (status = 'registered_poor'
                   AND NOT (exit_marked AND (exit_date IS NULL OR exit_date <= $as_of::DATE)))
        ) s ON s.person_id = p.person_id
        LEFT JOIN labels l ON l.kind = 'status' AND l.key = s.status
        WHERE p.alive
        GROUP BY ALL
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
        CREATE TEMP TABLE latest AS
        SELECT b.batch_id, b.source, b.file_name
        FROM (
            SELECT CAST(id AS BIGINT) AS batch_id, CAST(source AS VARCHAR) AS source,
                   CAST(file_name AS VARCHAR) AS file_name,
                   row_number() OVER (PARTITION BY source
                                      ORDER BY CAST(as_of AS DATE) DESC, CAST(id AS BIGINT) DESC)
                       AS rn
            FROM in_registry_import_batch
        ) b
        WHERE b.rn = 1
    """,
)


def compare(tables: Mapping[str, pa.Table], region: str, as_of: date) -> Comparison:
    """Compare the registry's lists for ``region`` (province, city or county code) on
    ``as_of``; the readings are in the module docstring."""
    missing = [t for t in TABLES if t not in tables]
    if missing:
        raise ComparisonError("缺少登记表：" + "、".join(missing))
    level, prefix = region_prefix(region)
    db = _Db({"as_of": as_of, "prefix": prefix})
    for name in TABLES:
        db.con.register(f"in_{name}", tables[name])
    db.con.register("labels", _labels())

    counties = db.rows(
        "SELECT DISTINCT substr(CAST(hukou_region AS VARCHAR), 1, 6) FROM in_registry_person "
        "WHERE starts_with(CAST(hukou_region AS VARCHAR), $prefix) ORDER BY 1"
    )
    db.con.register("county_map", _county_map([c[0] for c in counties]))
    for statement in _STAGE:
        db.run(statement)

    codes = [c[0] for c in db.rows("SELECT DISTINCT substr(region_code, 1, 6) FROM enrolled")]
    names = {c: regions.region_name(c) or "" for c in codes}
    db.con.register(
        "region_names",
        pa.table(
            {
                "code": pa.array(list(names), pa.string()),
                "name": pa.array(list(names.values()), pa.string()),
            }
        ),
    )

    found = {
        "uninsured_pension": db.arrow(_UNINSURED_PENSION),
        "uninsured_medical": db.arrow(_UNINSURED_MEDICAL),
        "insured_elsewhere": db.arrow(_INSURED_ELSEWHERE),
        "paid_after_death": db.arrow(_PAID_AFTER_DEATH),
        "invalid_ids": db.arrow(_REJECTED.format(where="starts_with(r.code, 'id_')")),
        "duplicates": db.arrow(_REJECTED.format(where="r.code = 'duplicate'")),
        "multiple_lists": db.arrow(_MULTIPLE_LISTS),
    }
    conflicts, variants = _name_pairs(db.arrow(_NAME_PAIRS))
    found["name_conflicts"] = conflicts
    for name, table in found.items():
        db.con.register(f"f_{name}", table)
    db.con.register("f_name_variants", variants)

    region_name = regions.region_name(region) or region
    summary = db.arrow(_summary_sql(level, region, region_name))
    db.con.close()
    return Comparison(region=region, region_name=region_name, as_of=as_of, summary=summary, **found)


_UNINSURED = """
SELECT {who}, p.statuses, p.age
FROM poor p
WHERE {where} NOT EXISTS (
    SELECT 1 FROM enrolled e WHERE e.person_id = p.person_id AND e.scheme IN ({schemes})
)
{order}
"""
_UNINSURED_PENSION = _UNINSURED.format(
    who=_WHO,
    where=f"p.age >= {PENSION_AGE} AND",
    schemes=", ".join(f"'{s}'" for s in PENSION_SCHEMES),
    order=_ORDER,
)
_UNINSURED_MEDICAL = _UNINSURED.format(
    who=_WHO, where="", schemes=f"'{MEDICAL_SCHEME}'", order=_ORDER
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

_NAME_PAIRS = f"""
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


def _name_pairs(pairs: pa.Table) -> tuple[pa.Table, pa.Table]:
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


#: Summary counts of each finding, by the table registered as ``f_<name>``.
_COUNTED = (
    "uninsured_pension",
    "uninsured_medical",
    "insured_elsewhere",
    "paid_after_death",
    "name_conflicts",
    "name_variants",
    "multiple_lists",
)


def _rate(insured: str, total: str) -> str:
    """Percentage to 2 decimals, half up, exact: integer hundredths, then DECIMAL."""
    return (
        f"CASE WHEN {total} = 0 THEN NULL ELSE CAST(CAST(({insured} * 20000 + {total}) "
        f"// (2 * {total}) AS DECIMAL(18, 0)) * 0.01 AS DECIMAL(6, 2)) END"
    )


def _summary_sql(level: str, region: str, region_name: str) -> str:
    """One row for ``region`` and one per city, county, township and village below it.

    Every measure is a sum over ``facts``: one row per living poor person (with
    flags) and one row per finding row, each carrying its county, township and
    village. Rows sort in tree order (a region, then what lies below it).
    """
    facts = " UNION ALL BY NAME ".join(
        [
            f"""SELECT p.county_code, p.township, p.village, 1 AS poor,
                CAST(p.age >= {PENSION_AGE} AS INTEGER) AS poor_16_plus,
                CAST(p.age >= {PENSION_AGE} AND p.id_number NOT IN
                     (SELECT id_number FROM f_uninsured_pension) AS INTEGER) AS pension_insured,
                CAST(p.id_number NOT IN (SELECT id_number FROM f_uninsured_medical) AS INTEGER)
                    AS medical_insured
                FROM poor p""",
            *(
                f"SELECT county_code, township, village, 1 AS {name} FROM f_{name}"
                for name in _COUNTED
            ),
        ]
    )
    measures = ["poor", "poor_16_plus", "pension_insured", "medical_insured", *_COUNTED]
    sums = ", ".join(f"CAST(coalesce(sum(f.{m}), 0) AS BIGINT) AS {m}" for m in measures)
    levels = list(vocab.REGION_LEVEL)
    below = levels[levels.index(level) + 1 :]
    city_key = "coalesce(any_value(m.city_code), f.county_code)"
    unnamed = "'（未填写）'"
    groups = {
        # level: (sort keys k_city, k_county, k_township, k_village;
        #         region_code, region_name, county, township, village; grouping)
        "city": (
            "m.city_code, NULL, NULL, NULL",
            "m.city_code, any_value(m.city), NULL, NULL, NULL",
            "WHERE m.city_code IS NOT NULL GROUP BY m.city_code",
        ),
        "county": (
            f"{city_key}, f.county_code, NULL, NULL",
            "f.county_code, any_value(m.county), any_value(m.county), NULL, NULL",
            "GROUP BY f.county_code",
        ),
        "township": (
            f"{city_key}, f.county_code, f.township, NULL",
            f"f.county_code, CASE WHEN f.township = '' THEN {unnamed} ELSE f.township END,"
            " any_value(m.county), f.township, NULL",
            "GROUP BY f.county_code, f.township",
        ),
        "village": (
            f"{city_key}, f.county_code, f.township, f.village",
            f"f.county_code, CASE WHEN f.village = '' THEN {unnamed} ELSE f.village END,"
            " any_value(m.county), f.township, f.village",
            "GROUP BY f.county_code, f.township, f.village",
        ),
    }
    name = "'" + region_name.replace("'", "''") + "'"
    columns = (
        "k_level, k_city, k_county, k_township, k_village,"
        " region_code, region_name, county, township, village"
    )
    parts = [
        f"SELECT {levels.index(level)}, NULL, NULL, NULL, NULL, '{region}', {name},"
        f" {name if level == 'county' else 'NULL'}, NULL, NULL, {sums} FROM facts f",
        *(
            f"SELECT {levels.index(lvl)}, {groups[lvl][0]}, {groups[lvl][1]}, {sums}"
            " FROM facts f LEFT JOIN county_map m ON m.county_code = f.county_code"
            f" {groups[lvl][2]}"
            for lvl in below
        ),
    ]
    level_label = " ".join(
        f"WHEN {i} THEN '{vocab.REGION_LEVEL[lvl]}'" for i, lvl in enumerate(levels)
    )
    top = "k_city IS NULL AND k_county IS NULL"
    return f"""
    WITH facts AS ({facts}),
         rows ({columns}, {", ".join(measures)}) AS ({" UNION ALL ".join(parts)})
    SELECT CASE k_level {level_label} END AS level,
           CAST(region_code AS VARCHAR) AS region_code,
           CAST(region_name AS VARCHAR) AS region_name,
           CAST(county AS VARCHAR) AS county,
           CAST(township AS VARCHAR) AS township,
           CAST(village AS VARCHAR) AS village,
           poor, poor_16_plus,
           pension_insured, {_rate("pension_insured", "poor_16_plus")} AS pension_rate,
           medical_insured, {_rate("medical_insured", "poor")} AS medical_rate,
           uninsured_pension, uninsured_medical, insured_elsewhere, paid_after_death,
           name_conflicts, name_variants,
           CASE WHEN {top} THEN (SELECT count(*) FROM f_invalid_ids) END AS invalid_ids,
           CASE WHEN {top} THEN (SELECT count(*) FROM f_duplicates) END AS duplicates,
           multiple_lists
    FROM rows
    ORDER BY k_city NULLS FIRST, k_county NULLS FIRST, k_township NULLS FIRST,
             k_village NULLS FIRST
    """
