"""The targets of a plan version as the withholding cycle sees them: what each owes
themselves, what the government pays, what they have paid and when it was enough.

Booking, the request file and the return all start from this one reading, so that a
person counts as complete (or self-paid) the same way in each step.
"""

from __future__ import annotations

from typing import Any

import duckdb

from doudi.collection.cycle import SCHEME, BankError
from doudi.core import vocab
from doudi.store import db


def plan_version(con: Any, database: db.Database, version_id: int) -> dict[str, Any]:
    """The plan version's row (a Chinese error when there is none)."""
    rows = db.read(con, database, "registry_plan_version", "WHERE id = ?", (int(version_id),))
    if not rows.num_rows:
        raise BankError(f"没有编号为 {version_id} 的缴费计划版本 / no such plan version")
    version = dict(rows.to_pylist()[0])
    if version["programme"] != SCHEME:
        # the cycle withholds and books the pension's own part (CQ-2018-82/2.1.1); a
        # medical subsidy version has no such cycle (decision 0012)
        raise BankError(
            f"计划版本 {version_id} 是{vocab.PROGRAMME.label(version['programme'])}计划，"
            "银行代扣与视同实收只适用于城乡居民养老保险缴费计划 / "
            "the withholding cycle is for resident-pension plans only"
        )
    return version


def open_lake(
    con: Any, database: db.Database, version: dict[str, Any]
) -> duckdb.DuckDBPyConnection:
    """DuckDB over what the cycle reads: the version's rows, the year's payments and
    bookings, the people."""
    lake = duckdb.connect()
    vid, year = version["id"], version["year"]
    lake.register(
        "contribution",
        db.read(con, database, "registry_contribution", "WHERE plan_version_id = ?", (vid,)),
    )
    lake.register(
        "payment",
        db.read(con, database, "registry_payment", "WHERE year = ? AND scheme = ?", (year, SCHEME)),
    )
    lake.register("booking", db.read(con, database, "registry_booking", "WHERE year = ?", (year,)))
    lake.register("person", db.read(con, database, "registry_person"))
    return lake


#: Per target of the version: what they owe themselves, the government's total, and
#: the day their payments reached the remainder (``complete_on``) or, by their own
#: payments alone, the whole contribution (``self_paid_on``), and the death roster's
#: ``death_date`` (nothing is withheld or booked from it on: docs/readings.md 24).
#: ``$prefix``: the hukou prefix of the region asked for.
TARGETS = """
WITH gov AS (
    SELECT person_id, sum(amount) AS gov_total FROM contribution
    WHERE payer <> 'self' GROUP BY person_id
),
own AS (SELECT person_id, amount AS self_due FROM contribution WHERE payer = 'self'),
paid AS (
    SELECT person_id, paid_on, channel,
           sum(amount) OVER (PARTITION BY person_id ORDER BY paid_on, reference
                             ROWS UNBOUNDED PRECEDING) AS running,
           sum(amount) FILTER (WHERE channel = 'self') OVER (
               PARTITION BY person_id ORDER BY paid_on, reference
               ROWS UNBOUNDED PRECEDING) AS running_self
    FROM payment WHERE amount > 0
)
SELECT g.person_id, p.id_number, p.name, p.hukou_region, p.death_date::DATE AS death_date,
       coalesce(o.self_due, 0)::DECIMAL(18, 2) AS self_due, g.gov_total,
       coalesce((SELECT sum(amount) FROM payment x WHERE x.person_id = g.person_id), 0)
           ::DECIMAL(18, 2) AS paid,
       (SELECT min(paid_on) FROM paid x WHERE x.person_id = g.person_id
            AND x.running >= coalesce(o.self_due, 0)) AS complete_on,
       (SELECT min(paid_on) FROM paid x WHERE x.person_id = g.person_id
            AND x.running_self >= coalesce(o.self_due, 0) + g.gov_total) AS self_paid_on
FROM gov g JOIN person p ON p.id = g.person_id LEFT JOIN own o ON o.person_id = g.person_id
WHERE starts_with(p.hukou_region, $prefix)
"""
