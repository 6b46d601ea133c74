"""The work-injury checks (issue #21 §2): the four lists against each other and against
the poor, for one jurisdiction and day, each finding with its clauses and a Chinese
explanation.

Pure: Arrow tables in (:func:`doudi.work_injury.reading.current_tables`' four lists and
the ``poor`` table, :data:`POOR_SCHEMA`), Arrow tables out; the SQL runs in an
in-process DuckDB with the day and the statuses bound, never written into the text.
Which clause decides what per document is :mod:`doudi.work_injury.basis`; the
sentences are :mod:`doudi.work_injury.explain`'s.

Readings (where the task can be read two ways, what this module does):

- **Covered on day d**: ``insured_from <= d`` and (``insured_to`` null or
  ``d <= insured_to``): the list's 工伤保险终止日期 is the last day of cover. A cover that
  ended the day before is no cover.
- **Started before cover** (先参保、再开工 violated): a project started on or before the
  day (``start_date <= d``) whose cover began after its start (``start_date <
  insured_from``) or that has none. Starting on the day cover begins is in order.
- **Running without cover**: started on or before the day, not covered on it, and
  either never covered, covered only from a later day, or (cover ended) with a worker
  on its roster on the day: the lists give no completion date, so a project whose cover
  ended and whose roster is empty is read as finished.
- **On a roster on day d**: ``from_date <= d`` and (``to_date`` null or ``d <=
  to_date``): 退场日期 is the last day on the site.
- **Poor**: the ``poor`` table as given (the registry's reading of who is poor on the
  day, :mod:`doudi.work_injury.poor`); for advance payment and Chongqing's priority
  the documents say 贫困劳动力 without listing statuses: the statuses counted are the
  parameter ``work_injury.poor_worker_statuses`` (local config, an example).
- **Outreach** (poor people working on projects but on no roster): the four lists know
  where a person works only from the rosters themselves and from a case's employer.
  What they support is a poor person injured (on or before the day) working for a
  contractor of a listed project and on none of that contractor's rosters on the
  injury date; employer and contractor are compared as written (trimmed).
- **Advance payment** (``SIL-2010-35/41``, quoted by JX-2017-58/2.3.8, SD-2017-37/2.3,
  PZH-2018-195/3): a case recognised as work injury on or before the day, whose
  employer was not insured (未依法缴纳工伤保险费: the list's 用人单位是否参加工伤保险 no)
  and did not pay the benefits (用人单位不支付: 是否支付工伤保险待遇 no), of a poor
  worker. Paid = the advance payments paid on or before the day. *Due and not made*:
  of those, nothing paid yet or less paid than claimed.
- **Outstanding to recover**: per case, advance payments paid on or before the day less
  the amounts recovered on or before the day, when above zero (every case: the fund's
  money, whoever the worker).
- **Chongqing's queue** (CQ-2018-82/2.2.2): cases recognised on or before the day whose
  benefits are not known to be paid (the employer did not pay, and the advance payments
  do not reach a claimed amount); the lists hold no record of the fund's own payments,
  so a case stays open until then. Poor workers first, then by recognition date, then
  case number, then county (two counties number their cases alike: without it such
  cases recognised the same day took their places in no set order).
- **Pneumoconiosis**: cases flagged 尘肺病 recognised on or before the day (工伤尘肺病患者),
  in the jurisdictions whose documents name them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

import pyarrow as pa

from doudi.core import regions, vocab
from doudi.policy import parameters
from doudi.policy.jurisdictions import Jurisdiction
from doudi.store.lake import Lake
from doudi.work_injury import explain
from doudi.work_injury.basis import Basis, basis_of

#: The columns the checks read of each list (the reading's contract).
COLUMNS: dict[str, tuple[str, ...]] = {
    "projects": (
        "project_id",
        "name",
        "sector",
        "county",
        "contractor",
        "start_date",
        "insured_from",
        "insured_to",
    ),
    "project_workers": ("person_id", "name", "project_id", "from_date", "to_date", "county"),
    "cases": (
        "case_id",
        "person_id",
        "injury_date",
        "employer",
        "recognition",
        "recognition_date",
        "employer_insured",
        "employer_paid",
        "claimed",
        "pneumoconiosis",
        "county",
    ),
    "advance_payments": ("case_id", "amount", "paid_on", "recovered", "recovered_on", "county"),
}

#: The lists by their Chinese names, for a refusal.
LIST_LABELS = {
    "projects": "工程项目名单",
    "project_workers": "实名制用工名单",
    "cases": "工伤案件名单",
    "advance_payments": "先行支付名单",
}

#: The poor people of the registry on the day: ID number, name, status codes, place.
POOR_SCHEMA = pa.schema(
    [
        pa.field("person_id", pa.string()),
        pa.field("name", pa.string()),
        pa.field("statuses", pa.list_(pa.string())),
        pa.field("county_code", pa.string()),
        pa.field("county", pa.string()),
        pa.field("township", pa.string()),
        pa.field("village", pa.string()),
    ]
)

#: The parameter naming the statuses that make a worker a 贫困劳动力 (local config).
POOR_WORKER_STATUSES = "work_injury.poor_worker_statuses"

#: The findings, in report order, with their Chinese titles.
FINDINGS: tuple[tuple[str, str], ...] = (
    ("started_before_cover", "先开工后参保项目"),
    ("running_uncovered", "在建无工伤保险项目"),
    ("poor_workers_uncovered", "无工伤保险项目的贫困劳动力"),
    ("poor_off_roster", "未在项目名册的贫困劳动力"),
    ("advance_payment_qualifying", "符合先行支付情形"),
    ("advance_payment_due", "应先行支付未支付"),
    ("recovery_outstanding", "先行支付待追偿"),
    ("priority_queue", "优先支付队列"),
    ("pneumoconiosis", "工伤尘肺病患者"),
)


class WorkInjuryCheckError(ValueError):
    """The checks cannot run (a list or column missing); the message is in Chinese."""


@dataclass(frozen=True)
class Findings:
    """What the checks found on ``as_of``: one Arrow table per name of :data:`FINDINGS`,
    each ending with ``basis`` (clause ids joined with ``;``) and ``explanation``.
    ``local_config`` names the example parameters the findings rest on; ``not_ordered``
    the checks the jurisdiction's document does not order (their tables are empty)."""

    jurisdiction: Jurisdiction
    as_of: date
    tables: dict[str, pa.Table]
    local_config: tuple[str, ...]
    not_ordered: tuple[str, ...]

    def finding(self, name: str) -> pa.Table:
        return self.tables[name]


_COVERED = (
    "(pr.insured_from IS NOT NULL AND pr.insured_from <= $as_of"
    " AND (pr.insured_to IS NULL OR $as_of <= pr.insured_to))"
)
_ON_ROSTER = "(w.from_date <= {day} AND (w.to_date IS NULL OR {day} <= w.to_date))"
_PROJECT = """pr.county AS county_code, coalesce(cn.name, pr.county) AS county,
       pr.sector_label AS sector, pr.project_id, pr.name AS project_name, pr.contractor,
       pr.start_date, pr.insured_from, pr.insured_to"""
_PROJECT_ORDER = "ORDER BY pr.county, pr.sector_order, pr.project_id"
_PERSON = """coalesce(p.county_code, '') AS county_code, coalesce(p.county, '') AS county,
       coalesce(p.township, '') AS township, coalesce(p.village, '') AS village,
       c.person_id AS id_number, coalesce(p.name, n.name, '') AS name,
       coalesce(p.statuses, []) AS statuses"""
_PERSON_ORDER = "county_code, township, village, id_number"

_STARTED_BEFORE_COVER = f"""
SELECT {_PROJECT}
FROM projects pr LEFT JOIN county_names cn ON cn.code = pr.county
WHERE pr.start_date <= $as_of AND (pr.insured_from IS NULL OR pr.start_date < pr.insured_from)
{_PROJECT_ORDER}
"""

_RUNNING_UNCOVERED = f"""
WITH crew AS (
    SELECT w.county, w.project_id, CAST(count(DISTINCT w.person_id) AS INTEGER) AS n
    FROM workers w WHERE {_ON_ROSTER.format(day="$as_of")} GROUP BY w.county, w.project_id
)
SELECT {_PROJECT}, coalesce(k.n, 0) AS workers_on_day
FROM projects pr
LEFT JOIN county_names cn ON cn.code = pr.county
LEFT JOIN crew k ON k.county = pr.county AND k.project_id = pr.project_id
WHERE pr.start_date <= $as_of AND NOT {_COVERED}
  AND (pr.insured_to IS NULL OR pr.insured_from > $as_of OR coalesce(k.n, 0) > 0)
{_PROJECT_ORDER}
"""

_POOR_WORKERS_UNCOVERED = f"""
WITH on_day AS (
    SELECT w.person_id, w.county, w.project_id, min(w.name) AS name,
           min(w.from_date) AS from_date
    FROM workers w WHERE {_ON_ROSTER.format(day="$as_of")}
    GROUP BY w.person_id, w.county, w.project_id
)
SELECT {_PROJECT}, w.person_id AS id_number, coalesce(p.name, w.name) AS name, p.statuses,
       coalesce(p.township, '') AS township, coalesce(p.village, '') AS village, w.from_date
FROM on_day w
JOIN poor p ON p.person_id = w.person_id
JOIN projects pr ON pr.county = w.county AND pr.project_id = w.project_id
LEFT JOIN county_names cn ON cn.code = pr.county
WHERE NOT {_COVERED}
{_PROJECT_ORDER}, w.person_id
"""

_POOR_OFF_ROSTER = f"""
WITH contractors AS (
    SELECT trim(contractor) AS contractor, CAST(count(*) AS INTEGER) AS projects
    FROM projects GROUP BY 1
)
SELECT {_PERSON}, c.case_id, c.injury_date, c.employer, k.projects
FROM cases c
JOIN poor p ON p.person_id = c.person_id
JOIN contractors k ON k.contractor = trim(c.employer)
LEFT JOIN names n ON n.person_id = c.person_id
WHERE c.injury_date <= $as_of AND NOT EXISTS (
    SELECT 1 FROM workers w JOIN projects pr
        ON pr.county = w.county AND pr.project_id = w.project_id
    WHERE w.person_id = c.person_id AND trim(pr.contractor) = k.contractor
      AND {_ON_ROSTER.format(day="c.injury_date")}
)
ORDER BY {_PERSON_ORDER}, c.case_id
"""

#: Per case (a county's case number: two counties may number theirs alike): the advance
#: payments paid and recovered by the day.
_PAID = """
CREATE TEMP TABLE paid AS
SELECT county, case_id,
       CAST(sum(amount) FILTER (WHERE paid_on <= $as_of) AS DECIMAL(18, 2)) AS paid,
       CAST(coalesce(sum(recovered) FILTER (WHERE recovered_on <= $as_of), 0)
            AS DECIMAL(18, 2)) AS recovered,
       max(paid_on) FILTER (WHERE paid_on <= $as_of) AS last_paid_on
FROM payments GROUP BY county, case_id
"""

_CASE = f"""{_PERSON}, c.case_id, c.injury_date, c.recognition_date, c.employer,
       c.claimed, coalesce(d.paid, CAST(0 AS DECIMAL(18, 2))) AS paid"""

_ADVANCE_PAYMENT = f"""
SELECT {_CASE},
       CAST(greatest(c.claimed - coalesce(d.paid, 0), 0) AS DECIMAL(18, 2)) AS shortfall
FROM cases c
JOIN poor p ON p.person_id = c.person_id AND list_has_any(p.statuses, $worker_statuses)
LEFT JOIN names n ON n.person_id = c.person_id
LEFT JOIN paid d ON d.county = c.county AND d.case_id = c.case_id
WHERE c.recognition = 'recognised' AND c.recognition_date <= $as_of
  AND NOT c.employer_insured AND NOT c.employer_paid
  {{due}}
ORDER BY {_PERSON_ORDER}, c.case_id
"""

_RECOVERY = f"""
SELECT {_PERSON}, d.case_id, coalesce(c.employer, '') AS employer, d.paid, d.recovered,
       CAST(d.paid - d.recovered AS DECIMAL(18, 2)) AS outstanding, d.last_paid_on
FROM paid d
LEFT JOIN cases c ON c.county = d.county AND c.case_id = d.case_id
LEFT JOIN poor p ON p.person_id = c.person_id
LEFT JOIN names n ON n.person_id = c.person_id
WHERE d.paid - d.recovered > 0
ORDER BY {_PERSON_ORDER}, d.case_id
"""

_PRIORITY_QUEUE = f"""
SELECT CAST(row_number() OVER (
           ORDER BY list_has_any(coalesce(p.statuses, []), $worker_statuses) DESC,
                    c.recognition_date, c.case_id, c.county) AS INTEGER) AS position,
       list_has_any(coalesce(p.statuses, []), $worker_statuses) AS poor_worker,
       {_CASE}
FROM cases c
LEFT JOIN poor p ON p.person_id = c.person_id
LEFT JOIN names n ON n.person_id = c.person_id
LEFT JOIN paid d ON d.county = c.county AND d.case_id = c.case_id
WHERE c.recognition = 'recognised' AND c.recognition_date <= $as_of AND NOT c.employer_paid
  AND NOT (c.claimed > 0 AND coalesce(d.paid, 0) >= c.claimed)
ORDER BY position
"""

_PNEUMOCONIOSIS = f"""
SELECT {_PERSON}, c.case_id, c.injury_date, c.recognition_date, c.employer
FROM cases c
LEFT JOIN poor p ON p.person_id = c.person_id
LEFT JOIN names n ON n.person_id = c.person_id
WHERE c.pneumoconiosis AND c.recognition = 'recognised' AND c.recognition_date <= $as_of
ORDER BY {_PERSON_ORDER}, c.case_id
"""


def _checked(lists: Mapping[str, pa.Table], poor: pa.Table) -> None:
    for name, columns in COLUMNS.items():
        if name not in lists:
            raise WorkInjuryCheckError(f"缺少{LIST_LABELS[name]}（{name}）")
        missing = [c for c in columns if c not in lists[name].column_names]
        if missing:
            raise WorkInjuryCheckError(f"{LIST_LABELS[name]}缺少列：" + "、".join(missing))
    missing = [c for c in POOR_SCHEMA.names if c not in poor.column_names]
    if missing:
        raise WorkInjuryCheckError("贫困人员表缺少列：" + "、".join(missing))


def _lookups(db: Lake, lists: Mapping[str, pa.Table]) -> None:
    """County names of the projects, sector order, and a name for every person of a
    case (a roster's, for people not among the poor): only the cases' people are looked
    up, as naming every worker of a province's 10^7 stints took a quarter of the checks
    (benchmarks/bench_work_injury.py, docs/scale.md)."""
    codes = sorted({c for c in lists["projects"].column("county").to_pylist() if c})
    db.con.register(
        "county_names",
        pa.table(
            {
                "code": pa.array(codes, pa.string()),
                "name": pa.array([regions.region_name(c) or c for c in codes], pa.string()),
            }
        ),
    )
    db.con.register(
        "sectors",
        pa.table(
            {
                "code": pa.array(list(vocab.PROJECT_SECTOR), pa.string()),
                "label": pa.array(list(vocab.PROJECT_SECTOR.values()), pa.string()),
                "ord": pa.array(range(len(vocab.PROJECT_SECTOR)), pa.int32()),
            }
        ),
    )
    db.run(
        "CREATE TEMP TABLE names AS SELECT person_id, min(name) AS name FROM workers"
        " WHERE person_id IN (SELECT person_id FROM cases) GROUP BY person_id"
    )


def _stage(db: Lake, lists: Mapping[str, pa.Table], poor: pa.Table) -> None:
    db.con.register("in_projects", lists["projects"].select(list(COLUMNS["projects"])))
    db.con.register("workers", lists["project_workers"].select(list(COLUMNS["project_workers"])))
    db.con.register("cases", lists["cases"].select(list(COLUMNS["cases"])))
    db.con.register("payments", lists["advance_payments"].select(list(COLUMNS["advance_payments"])))
    db.con.register("poor", poor.select(POOR_SCHEMA.names))
    _lookups(db, lists)
    # the sector's label and display order travel with the project
    db.run(
        "CREATE TEMP TABLE projects AS SELECT p.*, coalesce(s.label, p.sector) AS sector_label,"
        " coalesce(s.ord, 99) AS sector_order FROM in_projects p"
        " LEFT JOIN sectors s ON s.code = p.sector"
    )
    db.run(_PAID)


def check(
    lists: Mapping[str, pa.Table], poor: pa.Table, jurisdiction: Jurisdiction, as_of: date
) -> Findings:
    """Run every check for ``jurisdiction`` on ``as_of`` (readings: module docstring).

    A check its document does not order (:mod:`doudi.work_injury.basis`) gives an
    empty table; every table has its columns whatever it holds.
    """
    _checked(lists, poor)
    basis = basis_of(jurisdiction)
    statuses = parameters.lookup(POOR_WORKER_STATUSES, jurisdiction, as_of)
    worker_statuses = list(statuses.value) if statuses is not None else []
    local = (POOR_WORKER_STATUSES,) if statuses is not None and statuses.local_config else ()
    db = Lake({"as_of": as_of, "worker_statuses": worker_statuses})
    not_ordered = _not_ordered(basis)
    try:
        _stage(db, lists, poor)
        raw = _raw_findings(db, not_ordered)
    finally:
        db.con.close()
    tables = {
        name: explain.explained(name, table, basis, as_of, local) for name, table in raw.items()
    }
    return Findings(jurisdiction, as_of, tables, local, not_ordered)


def _not_ordered(basis: Basis) -> tuple[str, ...]:
    """The checks only some documents order, where this one does not."""
    ordered = {"priority_queue": basis.priority, "pneumoconiosis": basis.pneumoconiosis}
    return tuple(name for name, clause in ordered.items() if clause is None)


def _raw_findings(db: Lake, not_ordered: tuple[str, ...]) -> dict[str, pa.Table]:
    """Every finding's rows before its explanation; those ``not_ordered`` keep their
    columns and no rows."""
    due = "AND (coalesce(d.paid, 0) = 0 OR coalesce(d.paid, 0) < c.claimed)"
    queries = {
        "started_before_cover": _STARTED_BEFORE_COVER,
        "running_uncovered": _RUNNING_UNCOVERED,
        "poor_workers_uncovered": _POOR_WORKERS_UNCOVERED,
        "poor_off_roster": _POOR_OFF_ROSTER,
        "advance_payment_qualifying": _ADVANCE_PAYMENT.format(due=""),
        "advance_payment_due": _ADVANCE_PAYMENT.format(due=due),
        "recovery_outstanding": _RECOVERY,
        "priority_queue": _PRIORITY_QUEUE,
        "pneumoconiosis": _PNEUMOCONIOSIS,
    }
    out = {}
    for name, sql in queries.items():
        table = db.arrow(sql)
        out[name] = table.slice(0, 0) if name in not_ordered else table
    return out
