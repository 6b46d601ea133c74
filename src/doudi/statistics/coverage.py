"""Who among the poor is insured, per insurance line and region, on a day: the
comparison's reading, counted.

The people and the day's facts are the comparison's own staging
(:mod:`doudi.comparison.staging`): poor = a registered-poor (not exit-marked by the
day), dibao, tekun or severe-disability status held on the day, alive on the day;
enrolled = an enrollment of the scheme holding on the day, in any region (insured
elsewhere is insured). So a village's 未参保 here is the number of rows the comparison's
养老保险未参保 / 医疗保险未参保 sheets list for it. As there, the pension counts the poor
of 16 and over (GF-2014-8/4: the resident pension is from 16), the medical insurance
every poor person; a person enrolled in both the resident and the employee scheme is
counted in each line and once as enrolled.

By status: a person holding two of the statuses is counted under each (so the status
columns may add up to more than 贫困人员), the statuses the comparison lists for them.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

import pyarrow as pa

from doudi.comparison.findings import MEDICAL_SCHEMES, PENSION_AGE, PENSION_SCHEMES
from doudi.comparison.staging import POOR_STATUSES, Db, stage
from doudi.core import vocab
from doudi.statistics.tree import Region, tree

#: The registry tables the staging reads.
TABLES = (
    "registry_person",
    "registry_status_period",
    "registry_enrollment",
    "registry_import_batch",
    "registry_import_scope",
)

#: Per insurance line: (column prefix, its schemes, whether only the poor of 16 and over
#: are counted).
LINES = (
    ("pension", PENSION_SCHEMES, True),
    ("medical", MEDICAL_SCHEMES, False),
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
        f"CAST(list_contains(string_split(p.statuses, '、'), '{vocab.STATUS[s]}') AS INTEGER)"
        f" AS {s}"
        for s in POOR_STATUSES
    )
    lines = []
    for line, schemes, adults in LINES:
        counted = f"p.age >= {PENSION_AGE}" if adults else "true"
        held = []
        for scheme in schemes:
            held.append(
                f"CAST({counted} AND EXISTS (SELECT 1 FROM enrolled e WHERE e.person_id ="
                f" p.person_id AND e.scheme = '{scheme}') AS INTEGER) AS {scheme}"
            )
        any_of = ", ".join(f"'{s}'" for s in schemes)
        enrolled = (
            f"EXISTS (SELECT 1 FROM enrolled e WHERE e.person_id = p.person_id"
            f" AND e.scheme IN ({any_of}))"
        )
        held.append(f"CAST({counted} AND {enrolled} AS INTEGER) AS {line}_enrolled")
        held.append(f"CAST({counted} AND NOT {enrolled} AS INTEGER) AS {line}_not_enrolled")
        lines.extend(held)
    return f"""
    SELECT p.county_code, p.county, p.township, p.village, 1 AS poor, {statuses},
           CAST(p.age >= {PENSION_AGE} AS INTEGER) AS poor_16_plus, {", ".join(lines)}
    FROM poor p
    """


def measures() -> tuple[str, ...]:
    """The count columns of a coverage table, in order (the rates come after them)."""
    out = ["poor", *POOR_STATUSES, "poor_16_plus"]
    for line, schemes, _ in LINES:
        out.extend([*schemes, f"{line}_enrolled", f"{line}_not_enrolled"])
    return tuple(out)


def _aggregates() -> str:
    counts = [f"CAST(coalesce(sum({m}), 0) AS BIGINT) AS {m}" for m in measures()]
    rates = [
        _rate(f"{line}_enrolled", "poor_16_plus" if adults else "poor") + f" AS {line}_rate"
        for line, _, adults in LINES
    ]
    return ", ".join([*counts, *rates])


def coverage(tables: Mapping[str, pa.Table], day: date, region: Region) -> pa.Table:
    """The coverage table of ``region`` on ``day``:
    :data:`tree.PLACE`, the counts of :func:`measures`, ``pension_rate`` (of the poor of
    16 and over) and ``medical_rate`` (of the poor), Decimal percent."""
    db = Db({"as_of": day, "prefix": region.prefix})
    try:
        stage(db, {t: tables[t] for t in TABLES})
        db.con.sql(f"CREATE TEMP TABLE facts AS {_facts_sql()}")
        return tree(db.con, "facts", _aggregates(), region)
    finally:
        db.con.close()
