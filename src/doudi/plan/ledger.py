"""管理台账 (the ledger) and statistics of a plan version, and its Excel workbook.

A county keeps, for every contribution plan it hands to the finance bureau and the
departments that pay, a ledger: who is on it, why (statuses, clauses), how much each
payer pays for them and what they still owe themselves, and totals per county,
township and village. Auditors reconcile the payers' transfers against those totals,
so every amount is the plan version's own (``registry_contribution``), summed exactly
as Decimal in DuckDB, and the totals are checked against each other and against the
version before anything is written.

Readings (where the task can be read two ways, what this module does):

- **People**: a person of the version's region (its jurisdiction, or the county it was
  limited to; hukou region under it, as the plan reads it) holding one of the
  programme's statuses on any day of the plan year — for the pension the four
  poverty-relief statuses (建档立卡贫困人口, 低保对象, 特困人员, 重度残疾人: the
  documents' pension targets), for the medical subsidy the seven the rules read — or
  anyone with a contribution row in the version (an enrolled person without a status
  owes their own part and has a ``self`` row). A registered-poor period counts even if
  exit-marked: whether it still makes the person a target is the plan's decision,
  shown by the amounts.
- **Person marks (人员标识)**: every status of the rules held on some day of the year
  (the seven, and the in-school and unable-to-work lists, reading 32); a registered-poor
  person whose periods held in the year all carry an exit mark dated on or before
  31 December (a mark without a date: from the period's start, as the plan reads it) is
  marked 标注脱贫 instead (PZH-2018-195/6.2's 专用标识), 仍享受政策 when the version pays a
  government part for them; 60周岁以上 as the plan reads the pension age: 60 or more on
  1 January (docs/readings.md 7); 异地参保: an enrollment of any scheme held in the year
  whose region code's county differs from the hukou county (as the comparison reads it;
  no region code or no hukou region: nothing to compare); 项目务工人员: on a project's
  roster (实名制用工名单) on some day of the year (进场 on or before 31 December, 退场 none
  or on or after 1 January); 工伤职工: a case recognised as work injury (认定为工伤) with
  its recognition dated on or before 31 December, the injury of any year, marked
  工伤职工（尘肺病） when such a case is flagged 尘肺病 — both from the work-injury lists
  of the counties under the version's region as they stood on 31 December
  (``work_injury.reading``), joined by ID number (docs/readings.md 49); 已死亡 with the
  date: a death date on or before 31 December.
- **Programme** (decision 0012, ``plan.ledger_terms``): a pension ledger has the
  pension's enrollment and tier and the withholding cycle's payments and bookings; a
  medical one the resident-medical enrollment and 资助比例 (government part / (government
  + own part), rounded half up to 2 places; the category the subsidy was granted for is
  not stored, so not shown), in its own words (财政资助, 资助对象).
- **Statuses, enrollment, tier, death date, region** are read from the registry now,
  with the plan's readings (an enrollment holding on any day of the year; the tier the
  plan's inputs read, so a tier off the year's list shows as none). The amounts are
  the version's. :attr:`Ledger.inputs_current` says whether the registry still gives
  the inputs the version was computed from (same SHA-256); if not, the workbook says so.
- **Regions**: county = the first six digits of the hukou region; township and
  village by the names the department lists gave (blank = （未填写）), grouped within
  their county.
- **Targets (代缴对象, 资助对象)**: people with a government part (a non-``self`` row); the
  people counted per region are those holding a status.
- **Shares** are of the government total, in percent, rounded half up to 2 places
  (they may add up to 99.99 or 100.01).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import duckdb
import pyarrow as pa

from doudi.core import regions, vocab
from doudi.plan import inputs, ledger_terms, snapshot
from doudi.plan.ledger_terms import PAID_BY, UNNAMED, Terms, payer_label
from doudi.plan.programmes import UnknownProgramme
from doudi.store import db
from doudi.work_injury import reading

SELF = "self"
TOP_LEVEL = "统筹地区"

#: The work-injury lists the person marks read, with the columns they need.
WORK_INJURY_LISTS = {
    "project_workers": ("person_id", "from_date", "to_date"),
    "cases": ("person_id", "recognition", "recognition_date", "pneumoconiosis"),
}

#: The age of the mark 60周岁以上 (the resident pension's age, GF-2014-8/8).
AGED = 60
MARK_SEPARATOR = "、"


class LedgerError(ValueError):
    """The ledger cannot be built or does not add up; the message is in Chinese."""


@dataclass(frozen=True)
class Ledger:
    """A plan version's ledger, as Arrow tables (money ``decimal128(18, 2)``).

    ``people``: ``id_number, name, county_code, county, township, village, statuses``
    (Chinese, joined with 、; null if none), ``marks`` (人员标识: vocab.PERSON_MARK's
    labels in its order, joined with 、, the date after 已死亡; null if none),
    ``rp_enrolled`` (bool), ``rp_tier``,
    ``death_date``, one ``paid_by_<payer>`` column per government payer of the version
    (0.00 where it pays nothing), ``gov_paid``, ``self_due`` (null without a ``self``
    row), ``self_paid`` (the year's payments recorded, collection/), ``booking`` (视同实收 /
    事后补助 once the government part is booked) and ``booked_on``, ``basis`` (the clause
    ids of the person's rows, sorted, joined with ``;``);
    sorted by county, township, village, ID number. A medical version's: ``rm_enrolled``,
    no tier, ``subsidy_share`` (percent) after ``self_due``, no collection (:attr:`terms`).

    ``by_region``: ``level`` (统筹地区, 县(区), 乡镇(街道), 村(社区)), ``region_code``
    (the county's code on township and village rows), ``region_name``, ``county``,
    ``township``, ``village``, ``people``, ``targets``, ``gov_paid``, the
    ``paid_by_<payer>`` columns, ``self_due``; level by level (no county rows when the
    jurisdiction is a county), each in code and name order.

    ``by_payer``: ``payer``, ``payer_name`` (Chinese), ``amount``, ``share`` (percent of
    the government total, ``decimal128(6, 2)``).
    """

    version: dict[str, Any]  # the registry_plan_version row
    terms: Terms  # what the version's programme shows and says
    jurisdiction_name: str
    payers: tuple[str, ...]  # government payers, in column order
    inputs_current: bool
    people: pa.Table
    by_region: pa.Table
    by_payer: pa.Table


def ledger(database: db.Database, version_id: int) -> Ledger:
    """The ledger of plan version ``version_id``; raises :class:`LedgerError` if the
    version is unknown or its totals do not add up."""
    version_id = int(version_id)
    lake = duckdb.connect()
    # One connection for every read; only the rows the ledger can need: the
    # jurisdiction's people and whoever the version pays for (a person whose hukou has
    # since moved out is still on it).
    with database.reading() as con:
        found = db.read(con, database, "registry_plan_version", "WHERE id = ?", (version_id,))
        if not found.num_rows:
            raise LedgerError(f"缴费计划版本 {version_id} 不存在 / no such plan version")
        version = found.to_pylist()[0]
        try:
            terms = ledger_terms.of(version.get("programme"))
        except UnknownProgramme as exc:
            raise LedgerError(str(exc)) from None
        jurisdiction, year = str(version["jurisdiction"]), int(version["year"])
        # the people the version planned: its region (a county of it, or the jurisdiction)
        covered = str(version.get("region") or jurisdiction)
        prefix = regions.hukou_prefix(covered)
        if not re.fullmatch(r"\d+", prefix):
            raise LedgerError(f"统筹地区代码应为数字：{jurisdiction!r}")
        mine = (
            "SELECT id FROM registry_person WHERE hukou_region LIKE ? "
            "UNION SELECT person_id FROM registry_contribution WHERE plan_version_id = ?"
        )
        of_mine = (prefix + "%", version_id)
        reads: dict[str, tuple[str, str, tuple[Any, ...]]] = {
            "contribution": ("registry_contribution", "WHERE plan_version_id = ?", (version_id,)),
            "person": ("registry_person", f"WHERE id IN ({mine})", of_mine),
            "registry_status_period": (
                "registry_status_period",
                f"WHERE person_id IN ({mine})",
                of_mine,
            ),
            "registry_enrollment": ("registry_enrollment", f"WHERE person_id IN ({mine})", of_mine),
        }
        if terms.collection:
            # what the withholding cycle recorded (collection/): payments and bookings
            reads["payment"] = (
                "registry_payment",
                f"WHERE year = ? AND scheme = 'resident_pension' AND person_id IN ({mine})",
                (year, *of_mine),
            )
            # once per person, year and payer whatever the version (decision 0010): a
            # part booked under an earlier version is booked for this one too
            reads["booking"] = (
                "registry_booking",
                f"WHERE year = ? AND person_id IN ({mine})",
                (year, *of_mine),
            )
        for name, (table, where, values) in reads.items():
            lake.register(name, db.read(con, database, table, where, values))
        # the person marks' work-injury lists: the region's, as they stood on 31 December
        # (a region without lists reads two empty tables)
        for name, columns in WORK_INJURY_LISTS.items():
            rows = reading.current_table(con, database, name, covered, date(year, 12, 31))
            lake.register(f"wi_{name}", rows.select(list(columns)))
    lake.register("labels", _labels(terms.statuses))

    # The version's inputs are the engine's tables; the same SHA-256 now means the
    # statuses and enrollments shown are the ones the plan was computed from.
    tables = inputs.engine_inputs(database, jurisdiction, year, covered)
    inputs_current = snapshot.snapshot(*tables)[1] == version["inputs_checksum"]
    if terms.tier:
        people_in = tables.people
        lake.register(
            "plan_tier",
            pa.table(
                {"person_id": people_in.column("row_no"), "tier": people_in.column("rp_tier")}
            ),
        )

    payers = _payers(lake)
    counties = [
        r[0] for r in lake.sql("SELECT DISTINCT substr(hukou_region, 1, 6) FROM person").fetchall()
    ]
    lake.register("county_map", _county_map(counties))
    params = {
        "prefix": prefix,
        "first": date(year, 1, 1),
        "last": date(year, 12, 31),
        "aged_by": date(year - AGED, 1, 1),  # born on or before: AGED on 1 January
    }
    people = lake.sql(_people_sql(payers, terms), params=params).to_arrow_table()
    lake.register("ledger_people", people)
    region = regions.get(covered)
    with_counties = region is None or region.level != "county"
    name = regions.region_name(covered) or covered
    by_region = lake.sql(
        _regions_sql(payers, with_counties), params={"code": covered, "name": name}
    ).to_arrow_table()
    by_payer = lake.sql(_payers_sql(payers)).to_arrow_table()
    _check(lake, by_region, payers, version, terms)
    return Ledger(
        version=version,
        terms=terms,
        jurisdiction_name=name,
        payers=payers,
        inputs_current=inputs_current,
        people=people,
        by_region=by_region,
        by_payer=by_payer,
    )


def _labels(statuses: tuple[str, ...]) -> pa.Table:
    return pa.table(
        {
            "status": pa.array(statuses, pa.string()),
            "label": pa.array([vocab.STATUS[s] for s in statuses], pa.string()),
            "ord": pa.array(range(len(statuses)), pa.int32()),
        }
    )


def _payers(lake: duckdb.DuckDBPyConnection) -> tuple[str, ...]:
    """The version's government payers: the known ones in vocab.PAYER's order, then others
    by code (the same order in every sheet, so a column means the same payer)."""
    present = {
        r[0]
        for r in lake.sql(
            f"SELECT DISTINCT payer FROM contribution WHERE payer <> '{SELF}'"
        ).fetchall()
    }
    known = [p for p in vocab.GOVERNMENT_PAYERS if p in present]
    return (*known, *sorted(present - set(known)))


def _county_map(codes: list[str]) -> pa.Table:
    """County names from the region tree, per distinct county (not per person)."""
    return pa.table(
        {
            "county_code": pa.array(codes, pa.string()),
            "county": pa.array([regions.region_name(c) or c for c in codes], pa.string()),
        }
    )


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _column(payer: str) -> str:
    """The quoted identifier of a payer's column."""
    return '"' + f"{PAID_BY}{payer}".replace('"', '""') + '"'


def _people_sql(payers: tuple[str, ...], terms: Terms) -> str:
    """One row per person of the ledger, with the columns of the version's programme."""
    per_payer = "".join(
        f"CAST(coalesce(sum(amount) FILTER (WHERE payer = {_literal(p)}), 0) AS DECIMAL(18, 2))"
        f" AS {_column(p)}, "
        for p in payers
    )
    ctes, enrollment, after_self, joins = _programme_sql(terms)
    return f"""
    WITH held AS (
        SELECT s.person_id, string_agg(l.label, '、' ORDER BY l.ord) AS statuses
        FROM (
            SELECT DISTINCT person_id, status FROM registry_status_period
            WHERE valid_from <= $last AND (valid_to IS NULL OR valid_to > $first)
        ) s
        JOIN labels l ON l.status = s.status
        GROUP BY s.person_id
    ),
    marked AS (  -- the statuses of the person marks, and whether all registered-poor
                 -- periods of the year are exit-marked by its end (as plan/inputs reads them)
        SELECT person_id, {_held_marks()},
               bool_and(coalesce(exit_marked, false)
                        AND coalesce(exit_date, valid_from) <= $last)
                   FILTER (WHERE status = 'registered_poor') AS exited
        FROM registry_status_period
        WHERE valid_from <= $last AND (valid_to IS NULL OR valid_to > $first)
        GROUP BY person_id
    ),
    elsewhere AS (  -- 异地参保, as comparison/compare.py reads it, on any day of the year
        SELECT DISTINCT e.person_id
        FROM registry_enrollment e JOIN person p ON p.id = e.person_id
        WHERE e.valid_from <= $last AND (e.valid_to IS NULL OR e.valid_to > $first)
          AND coalesce(e.region_code, '') <> '' AND coalesce(p.hukou_region, '') <> ''
          AND substr(e.region_code, 1, 6) <> substr(p.hukou_region, 1, 6)
    ),
    worked AS (  -- 项目务工人员: on a project's roster on some day of the year
        SELECT DISTINCT person_id AS id_number FROM wi_project_workers
        WHERE from_date <= $last AND (to_date IS NULL OR to_date >= $first)
    ),
    injured AS (  -- 工伤职工: a case recognised by 31 December, the injury of any year
        SELECT person_id AS id_number, bool_or(pneumoconiosis) AS pneumoconiosis
        FROM wi_cases WHERE recognition = 'recognised' AND recognition_date <= $last
        GROUP BY person_id
    ),
    paid AS (
        SELECT person_id, {per_payer}
               CAST(coalesce(sum(amount) FILTER (WHERE payer <> '{SELF}'), 0)
                    AS DECIMAL(18, 2)) AS gov_paid,
               CAST(sum(amount) FILTER (WHERE payer = '{SELF}') AS DECIMAL(18, 2)) AS self_due,
               CAST(sum(amount) FILTER (WHERE payer <> '{SELF}') * 100 AS HUGEINT) AS gov_fen,
               CAST(sum(amount) * 100 AS HUGEINT) AS total_fen,
               array_to_string(list_sort(list_filter(
                   list_distinct(flatten(list(string_split(coalesce(basis, ''), ';')))),
                   lambda x: x <> '')), ';') AS basis
        FROM contribution
        GROUP BY person_id
    ){ctes}
    SELECT p.id_number, p.name, substr(p.hukou_region, 1, 6) AS county_code,
           coalesce(m.county, substr(p.hukou_region, 1, 6)) AS county,
           coalesce(p.township, '') AS township, coalesce(p.village, '') AS village,
           h.statuses, {_marks()} AS marks,{enrollment}
           p.death_date,
           {"".join(f"coalesce(c.{_column(p)}, 0) AS {_column(p)}, " for p in payers)}
           coalesce(c.gov_paid, 0)::DECIMAL(18, 2) AS gov_paid, c.self_due,{after_self}
           c.basis
    FROM person p
    LEFT JOIN county_map m ON m.county_code = substr(p.hukou_region, 1, 6)
    LEFT JOIN held h ON h.person_id = p.id
    LEFT JOIN marked k ON k.person_id = p.id
    LEFT JOIN elsewhere x ON x.person_id = p.id
    LEFT JOIN worked w ON w.id_number = p.id_number
    LEFT JOIN injured j ON j.id_number = p.id_number
    LEFT JOIN paid c ON c.person_id = p.id{joins}
    WHERE (starts_with(p.hukou_region, $prefix) AND h.person_id IS NOT NULL)
       OR c.person_id IS NOT NULL
    ORDER BY county_code, township, village, p.id_number
    """


def _programme_sql(terms: Terms) -> tuple[str, str, str, str]:
    """The people query's parts a programme has or not: CTEs, the enrollment (and the
    pension's tier) columns, the columns after ``self_due`` (资助比例; the withholding
    cycle's payments and bookings) and their joins."""
    ctes, enrollment, after_self, joins = "", "", "", ""
    if terms.enrolled and terms.enrolled_scheme:
        ctes += f""",
    enrolled AS (  -- the plan's reading (plan/inputs.py): holding on any day of the year
        SELECT person_id, arg_max(contribution_tier, valid_from) AS tier
        FROM registry_enrollment
        WHERE scheme = {_literal(terms.enrolled_scheme)} AND valid_from <= $last
          AND (valid_to IS NULL OR valid_to > $first)
        GROUP BY person_id
    )"""
        enrollment += f" r.person_id IS NOT NULL AS {terms.enrolled},"
        joins += " LEFT JOIN enrolled r ON r.person_id = p.id"
    if terms.tier:
        # the tier the plan read (a tier off the year's list is none, reading 31); a
        # person outside the inputs (hukou moved since) the registry's latest
        enrollment += " CASE WHEN f.person_id IS NULL THEN r.tier ELSE f.tier END AS rp_tier,"
        joins += " LEFT JOIN plan_tier f ON f.person_id = p.id"
    if terms.share:
        share = _percent("coalesce(c.gov_fen, 0)", "c.total_fen")
        after_self += f" CASE WHEN c.total_fen = 0 THEN NULL ELSE {share} END AS subsidy_share,"
    if terms.collection:
        ctes += """,
    payments AS (
        SELECT person_id, sum(amount)::DECIMAL(18, 2) AS self_paid FROM payment
        GROUP BY person_id
    ),
    booked AS (
        SELECT person_id, min(kind) AS kind, min(booked_on) AS booked_on FROM booking
        GROUP BY person_id
    )"""
        after_self += (
            " coalesce(y.self_paid, 0)::DECIMAL(18, 2) AS self_paid, CASE b.kind"
            " WHEN 'deemed_received' THEN '视同实收' WHEN 'post_hoc_subsidy' THEN '事后补助' END"
            " AS booking, b.booked_on,"
        )
        joins += (
            " LEFT JOIN payments y ON y.person_id = p.id LEFT JOIN booked b ON b.person_id = p.id"
        )
    return ctes, enrollment, after_self, joins


def _percent(part: str, whole: str) -> str:
    """``part`` of ``whole`` (integers: fen) in percent as ``DECIMAL(6, 2)``, exact:
    integer hundredths of a percent rounded half up, then DECIMAL."""
    return (
        f"CAST(CAST(({part} * 20000 + {whole}) // (2 * {whole}) AS DECIMAL(18, 0)) * 0.01"
        " AS DECIMAL(6, 2))"
    )


def _held_marks() -> str:
    """``held_<status>``: the status (or list: student, unable to work) of a mark held
    on some day of the year, one boolean per person."""
    return ", ".join(
        f"bool_or(status = {_literal(code)}) AS held_{code}" for code in _status_marks()
    )


def _status_marks() -> list[str]:
    """The marks that are a status period's status, in the vocabulary's order."""
    return [code for code in vocab.PERSON_MARK if code in vocab.STATUS]


def _marks() -> str:
    """人员标识 as one expression over the ledger's joins: each mark's label when its
    condition holds, in vocab.PERSON_MARK's order, joined with 、 (NULL if none)."""
    exited = "coalesce(k.exited, false)"
    kept = "coalesce(c.gov_paid, 0) > 0"
    conditions = {
        **{code: f"k.held_{code}" for code in _status_marks()},
        "registered_poor": f"k.held_registered_poor AND NOT {exited}",
        "registered_poor_exited_kept": f"k.held_registered_poor AND {exited} AND {kept}",
        "registered_poor_exited": f"k.held_registered_poor AND {exited} AND NOT {kept}",
        "aged_60_plus": "p.birth_date <= $aged_by",
        "insured_elsewhere": "x.person_id IS NOT NULL",
        "project_worker": "w.id_number IS NOT NULL",
        "work_injury": "j.id_number IS NOT NULL AND NOT j.pneumoconiosis",
        "work_injury_pneumoconiosis": "j.pneumoconiosis",
        "deceased": "p.death_date <= $last",
    }
    labels = {code: _literal(vocab.PERSON_MARK[code]) for code in vocab.PERSON_MARK}
    labels["deceased"] += " || '（' || CAST(p.death_date AS VARCHAR) || '）'"
    cases = ", ".join(
        f"CASE WHEN {conditions[code]} THEN {labels[code]} END" for code in vocab.PERSON_MARK
    )
    return f"nullif(concat_ws({_literal(MARK_SEPARATOR)}, {cases}), '')"


def _sums(payers: tuple[str, ...]) -> str:
    money = ["gov_paid", *(_column(p) for p in payers), "self_due"]
    return ", ".join(
        [
            "count(statuses)::BIGINT AS people",
            "count(*) FILTER (WHERE gov_paid > 0)::BIGINT AS targets",
            *(f"CAST(coalesce(sum({m}), 0) AS DECIMAL(18, 2)) AS {m}" for m in money),
        ]
    )


def _regions_sql(payers: tuple[str, ...], with_counties: bool) -> str:
    """One row for the jurisdiction, then per county, township and village (level by
    level, so each level is one contiguous range a chart can read)."""
    sums = _sums(payers)
    township = f"CASE WHEN township = '' THEN '{UNNAMED}' ELSE township END"
    village = f"CASE WHEN village = '' THEN '{UNNAMED}' ELSE village END"
    parts = [
        f"SELECT 0 AS k, $code AS region_code, $name AS region_name, NULL AS county, "
        f"NULL AS township, NULL AS village, {sums} FROM ledger_people"
    ]
    if with_counties:
        parts.append(
            f"SELECT 1, county_code, any_value(county), any_value(county), NULL, NULL, {sums} "
            "FROM ledger_people GROUP BY county_code"
        )
    parts.append(
        f"SELECT 2, county_code, {township}, any_value(county), township, NULL, {sums} "
        "FROM ledger_people GROUP BY county_code, township"
    )
    parts.append(
        f"SELECT 3, county_code, {village}, any_value(county), township, village, {sums} "
        "FROM ledger_people GROUP BY county_code, township, village"
    )
    level = (
        f"CASE k WHEN 0 THEN '{TOP_LEVEL}' WHEN 1 THEN '{vocab.REGION_LEVEL['county']}' "
        f"WHEN 2 THEN '{vocab.REGION_LEVEL['township']}' ELSE '{vocab.REGION_LEVEL['village']}' END"
    )
    return f"""
    SELECT {level} AS level, CAST(region_code AS VARCHAR) AS region_code,
           CAST(region_name AS VARCHAR) AS region_name, CAST(county AS VARCHAR) AS county,
           CAST(township AS VARCHAR) AS township, CAST(village AS VARCHAR) AS village,
           * EXCLUDE (k, region_code, region_name, county, township, village)
    FROM ({" UNION ALL ".join(parts)})
    ORDER BY k, region_code, township NULLS FIRST, village NULLS FIRST
    """


def _payers_sql(payers: tuple[str, ...]) -> str:
    """Amount and share per payer (of the government total, :func:`_percent`)."""
    if not payers:
        return (
            "SELECT NULL::VARCHAR AS payer, NULL::VARCHAR AS payer_name, "
            "NULL::DECIMAL(18, 2) AS amount, NULL::DECIMAL(6, 2) AS share LIMIT 0"
        )
    rows = " UNION ALL ".join(
        f"SELECT {i} AS ord, {_literal(p)} AS payer, {_literal(payer_label(p))} AS payer_name"
        for i, p in enumerate(payers)
    )
    return f"""
    WITH names AS ({rows}),
         amounts AS (
             SELECT payer, CAST(sum(amount) AS DECIMAL(18, 2)) AS amount,
                    CAST(sum(amount) * 100 AS HUGEINT) AS fen
             FROM contribution WHERE payer <> '{SELF}' GROUP BY payer
         ),
         total AS (SELECT sum(fen) AS fen FROM amounts)
    SELECT n.payer, n.payer_name, a.amount,
           CASE WHEN t.fen = 0 THEN NULL ELSE {_percent("a.fen", "t.fen")} END AS share
    FROM names n JOIN amounts a ON a.payer = n.payer CROSS JOIN total t
    ORDER BY n.ord
    """


def _check(
    lake: duckdb.DuckDBPyConnection,
    by_region: pa.Table,
    payers: tuple[str, ...],
    version: dict[str, Any],
    terms: Terms = ledger_terms.PENSION,
) -> None:
    """The ledger adds up: per-payer totals make the government total on every region
    row, and the jurisdiction's totals are the version's (what was handed over)."""
    lake.register("by_region", by_region)
    added = " + ".join(["0", *(_column(p) for p in payers)])
    wrong = lake.sql(
        f"SELECT level, region_name, gov_paid, {added} FROM by_region WHERE gov_paid <> {added}"
    ).fetchall()
    if wrong:
        level, name, gov, summed = wrong[0]
        raise LedgerError(
            f"{level}“{name}”各付款方合计 {summed} 元不等于{terms.gov_zh} {gov} 元"
            f"（共 {len(wrong)} 行不符） / payer totals do not add up"
        )
    top = by_region.slice(0, 1).to_pylist()  # the jurisdiction's row, always there
    gov, own = (top[0]["gov_paid"], top[0]["self_due"]) if top else (Decimal(0), Decimal(0))
    if (gov, own) != (version["gov_paid"], version["self_due"]):
        raise LedgerError(
            f"台账合计（{terms.amount_zh} {gov} 元，个人应缴 {own} 元）与{terms.title_zh}"
            f"第 {version['number']} 版（{terms.amount_zh} {version['gov_paid']} 元，"
            f"个人应缴 {version['self_due']} 元）不符"
            " / the ledger does not add up to the plan version"
        )
