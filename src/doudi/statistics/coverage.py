"""Who among the poor is insured, per insurance line and region, on a day: the
comparison's reading, counted.

The people and the day's facts are the comparison's own staging
(:mod:`doudi.comparison.staging`): each line counts the living people its government
payment targets in their jurisdiction and year, read up to the day (decision 0015:
the pension's government-paid contribution, of 16 and over, GF-2014-8/4; the medical
contribution subsidy's groups); enrolled = an enrollment of the scheme holding on the
day, in any region (insured elsewhere is insured). So a village's 未参保 here is the
number of rows the comparison's 养老保险未参保 / 医疗保险未参保 sheets list for it, and
贫困人员 the people either line counts. A person enrolled in both the resident and the
employee scheme is counted in each line and once as enrolled.

By status: a counted person is counted under each status they hold on the day (so the
status columns may add up to more than 贫困人员).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

import pyarrow as pa

from doudi.comparison.findings import COUNTED, MEDICAL_SCHEMES, PENSION_SCHEMES
from doudi.comparison.staging import stage
from doudi.policy.rules.shared import STATUSES
from doudi.statistics.tree import Region, tree
from doudi.store.lake import Lake

#: The registry tables the staging reads.
TABLES = (
    "registry_person",
    "registry_status_period",
    "registry_enrollment",
    "registry_import_batch",
    "registry_import_scope",
)

#: Per insurance line: (column prefix, its schemes); whom it counts is ``COUNTED``.
LINES = (
    ("pension", PENSION_SCHEMES),
    ("medical", MEDICAL_SCHEMES),
)


def _rate(part: str, whole: str) -> str:
    """Percent to 2 places, half up, exact (integer hundredths), null without people:
    the comparison's rates."""
    return (
        f"CASE WHEN sum({whole}) = 0 THEN NULL ELSE CAST(CAST((sum({part}) * 20000"
        f" + sum({whole})) // (2 * sum({whole})) AS DECIMAL(18, 0)) * 0.01 AS DECIMAL(6, 2)) END"
    )


def _facts_sql() -> str:
    """One row per poor person of the day: their place and 0/1 flags."""
    statuses = ", ".join(
        f"CAST(EXISTS (SELECT 1 FROM held h WHERE h.person_id = p.person_id"
        f" AND h.status = '{s}') AS INTEGER) AS {s}"
        for s in STATUSES
    )
    lines = []
    for line, schemes in LINES:
        counted = COUNTED[line]
        lines.append(f"CAST({counted} AS INTEGER) AS {line}_poor")
        for scheme in schemes:
            lines.append(
                f"CAST({counted} AND EXISTS (SELECT 1 FROM enrolled e WHERE e.person_id ="
                f" p.person_id AND e.scheme = '{scheme}') AS INTEGER) AS {scheme}"
            )
        any_of = ", ".join(f"'{s}'" for s in schemes)
        enrolled = (
            f"EXISTS (SELECT 1 FROM enrolled e WHERE e.person_id = p.person_id"
            f" AND e.scheme IN ({any_of}))"
        )
        lines.append(f"CAST({counted} AND {enrolled} AS INTEGER) AS {line}_enrolled")
        lines.append(f"CAST({counted} AND NOT {enrolled} AS INTEGER) AS {line}_not_enrolled")
    return f"""
    SELECT p.county_code, p.county, p.township, p.village, 1 AS poor, {statuses},
           {", ".join(lines)}
    FROM poor p
    """


def measures() -> tuple[str, ...]:
    """The count columns of a coverage table, in order (the rates come after them)."""
    out = ["poor", *STATUSES]
    for line, schemes in LINES:
        out.extend([f"{line}_poor", *schemes, f"{line}_enrolled", f"{line}_not_enrolled"])
    return tuple(out)


def _aggregates() -> str:
    counts = [f"CAST(coalesce(sum({m}), 0) AS BIGINT) AS {m}" for m in measures()]
    rates = [_rate(f"{line}_enrolled", f"{line}_poor") + f" AS {line}_rate" for line, _ in LINES]
    return ", ".join([*counts, *rates])


def coverage(tables: Mapping[str, pa.Table], day: date, region: Region) -> pa.Table:
    """The coverage table of ``region`` on ``day``:
    :data:`tree.PLACE`, the counts of :func:`measures`, ``pension_rate`` and
    ``medical_rate`` (of the people each line counts), Decimal percent."""
    db = Lake({"as_of": day, "prefix": region.prefix})
    try:
        stage(db, {t: tables[t] for t in TABLES})
        db.con.sql(f"CREATE TEMP TABLE facts AS {_facts_sql()}")
        return tree(db.con, "facts", _aggregates(), region)
    finally:
        db.con.close()
