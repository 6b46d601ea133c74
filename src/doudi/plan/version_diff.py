"""Two plan versions compared person by person and payer by payer (``doudi plan diff``):
what changed between a version and a later one of the same programme."""

from __future__ import annotations

import duckdb
import pyarrow as pa

from doudi.core import vocab
from doudi.plan.outcome import PlanError
from doudi.store import db


def diff(database: db.Database, old: int, new: int) -> pa.Table:
    """Per person and payer: the amount in ``old`` and in ``new`` where they differ.

    Two versions of different programmes are not compared (their payers and amounts
    mean different things): a Chinese error instead."""
    found = database.read("registry_plan_version", "WHERE id IN (?, ?)", (old, new))
    by_id = {r["id"]: r for r in found.to_pylist()}
    for number in (old, new):
        if number not in by_id:
            raise PlanError(f"没有编号为 {number} 的计划版本 / no such plan version")
    if by_id[old]["programme"] != by_id[new]["programme"]:
        labels = "与".join(vocab.PROGRAMME.label(by_id[n]["programme"]) for n in (old, new))
        raise PlanError(f"两个版本属于不同项目（{labels}），不能比较 / different programmes")
    lake = duckdb.connect()
    lake.register(
        "c", database.read("registry_contribution", "WHERE plan_version_id IN (?, ?)", (old, new))
    )
    lake.register("p", database.read("registry_person"))
    return lake.sql(
        """
        WITH a AS (SELECT * FROM c WHERE plan_version_id = $old),
             b AS (SELECT * FROM c WHERE plan_version_id = $new)
        SELECT p.id_number, p.name, coalesce(a.payer, b.payer) AS payer,
               a.amount AS old_amount, b.amount AS new_amount,
               a.basis AS old_basis, b.basis AS new_basis
        FROM a FULL JOIN b ON a.person_id = b.person_id AND a.payer = b.payer
        JOIN p ON p.id = coalesce(a.person_id, b.person_id)
        WHERE a.amount IS DISTINCT FROM b.amount
        ORDER BY p.id_number, payer
        """,
        params={"old": old, "new": new},
    ).to_arrow_table()
