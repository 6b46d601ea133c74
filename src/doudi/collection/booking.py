"""Booking the government parts of the withholding cycle (CQ-2018-82/2.1.1):
``deemed_received`` once a target's personal part is complete (足额收到个人缴费后……作视同
实收处理), ``post_hoc_subsidy`` when they paid the whole contribution themselves (已自行全额
缴纳完清……采取事后补助).

Every step that can complete someone (the request, the return) books through here, so a
booking is made once per person, year and payer whatever the plan version, and never
moved: a person carried into a new version of the plan, or into another region's plan,
is not booked again (decision 0010; the registry's constraint
``one_booking_per_person_year`` holds it too).

Nothing is booked for the dead (HE-2018-3/3.2.1, docs/readings.md 24): a part is booked
only when its condition was met before the death roster's date, a part completed on or
after the death day is not.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import pyarrow as pa

from doudi.collection.cycle import BASIS, DEEMED, POST_HOC, Calendar
from doudi.collection.targets import TARGETS, open_lake, plan_version
from doudi.core import regions
from doudi.store import db

#: The parts due to be booked and not booked yet under any version of the year (``booking``
#: holds the year's): post-hoc when self-paid, else deemed received on the completing
#: payment's day (a remainder of 0.00 on ``$on``); none whose day is on or after the
#: person's death.
_DUE = f"""
WITH t AS ({TARGETS}),
due AS (
    SELECT person_id, death_date,
           CASE WHEN self_paid_on IS NOT NULL THEN '{POST_HOC}' ELSE '{DEEMED}' END
               AS kind,
           coalesce(self_paid_on, complete_on,
                    CASE WHEN self_due = 0 THEN $on::DATE END) AS booked_on
    FROM t
)
SELECT c.person_id, c.payer, c.amount, c.basis, d.kind, d.booked_on
FROM due d JOIN contribution c ON c.person_id = d.person_id AND c.payer <> 'self'
WHERE d.booked_on IS NOT NULL AND (d.death_date IS NULL OR d.booked_on < d.death_date)
  AND NOT EXISTS (SELECT 1 FROM booking b
                  WHERE b.person_id = c.person_id AND b.payer = c.payer)
ORDER BY c.person_id, c.payer
"""


@dataclass
class Booked:
    """What one booking run added (people, not parts)."""

    deemed_received: int = 0
    post_hoc_subsidy: int = 0

    def summary_zh(self) -> str:
        return (
            f"新增视同实收 {self.deemed_received} 人，事后补助 {self.post_hoc_subsidy} 人"
            if self.deemed_received or self.post_hoc_subsidy
            else "没有新的视同实收或事后补助"
        )


def book(con: Any, database: db.Database, version_id: int, region: str, on: date) -> Booked:
    """Book the government parts of the version's targets under ``region`` whose
    condition is met and who are not booked yet (inside the caller's transaction).

    Post-hoc subsidy when their own payments cover the whole contribution; else deemed
    received when all payments cover the remainder (a remainder of 0.00 on ``on``)."""
    version = plan_version(con, database, version_id)
    calendar = Calendar.of(version["jurisdiction"], version["year"])
    lake = open_lake(con, database, version)
    prefix = regions.hukou_prefix(region)
    rows = lake.sql(_DUE, params={"prefix": prefix, "on": on}).to_arrow_table()
    result = Booked()
    if not rows.num_rows:
        return result
    days = rows.column("booked_on").to_pylist()
    kinds = rows.column("kind").to_pylist()
    people = rows.column("person_id").to_pylist()
    n = rows.num_rows
    bookings = pa.table(
        {
            "plan_version_id": pa.array([version["id"]] * n, pa.int64()),
            "person_id": rows.column("person_id"),
            "year": pa.array([version["year"]] * n, pa.int16()),
            "payer": rows.column("payer"),
            "amount": rows.column("amount").cast(db.MONEY),
            "kind": rows.column("kind"),
            "booked_on": rows.column("booked_on"),
            "settlement_year": pa.array([calendar.settlement_year(d) for d in days], pa.int16()),
            "basis": pa.array([_basis(b) for b in rows.column("basis").to_pylist()]),
        }
    )
    db.ingest(con, database, "registry_booking", bookings)
    for kind in (DEEMED, POST_HOC):
        setattr(result, kind, len({p for p, k in zip(people, kinds, strict=True) if k == kind}))
    return result


def _basis(plan_basis: str | None) -> str:
    """The plan's clauses and the cycle's own."""
    parts = set(filter(None, (plan_basis or "").split(";")))
    return ";".join(sorted(parts | {BASIS}))
