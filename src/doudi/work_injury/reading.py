"""The current rows of the work-injury lists of a region on a day, as Arrow: what the
checks read (``current_tables``, a contract: its names and columns stay as they are).
Every row carries the ``county`` whose list holds it: two counties may number their
projects and cases alike, so a worker's project and a payment's case are found in the
same county's list.

Readings (decision 0016): every batch of a list is for one county. A county's rows of a
list on a day are those of its latest snapshot (全量快照) imported as of that day or
before, and of the addenda (增量名单) after it up to that day; a row written again by a
later batch (the same project, the same worker's stint on a project from the same day,
the same case, the same case's payment of the same day) is the later batch's row — an
addendum updates a project's cover, a worker's exit, a case's recognition, a recovery.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from doudi.core import regions
from doudi.rosters.stages import connect
from doudi.store import db
from doudi.store.db import MONEY
from doudi.work_injury.sources import (
    ADVANCE_PAYMENTS,
    CASES,
    PROJECT_WORKERS,
    PROJECTS,
    WorkInjuryList,
)

#: The tables ``current_tables`` gives, each with its columns (the checks' contract).
SCHEMAS: dict[str, tuple[WorkInjuryList, pa.Schema]] = {
    "projects": (
        PROJECTS,
        pa.schema(
            [
                ("project_id", pa.string()),
                ("name", pa.string()),
                ("sector", pa.string()),
                ("county", pa.string()),
                ("contractor", pa.string()),
                ("start_date", pa.date32()),
                ("insured_from", pa.date32()),
                ("insured_to", pa.date32()),
            ]
        ),
    ),
    "project_workers": (
        PROJECT_WORKERS,
        pa.schema(
            [
                ("person_id", pa.string()),
                ("name", pa.string()),
                ("project_id", pa.string()),
                ("from_date", pa.date32()),
                ("to_date", pa.date32()),
                ("county", pa.string()),
            ]
        ),
    ),
    "cases": (
        CASES,
        pa.schema(
            [
                ("case_id", pa.string()),
                ("person_id", pa.string()),
                ("injury_date", pa.date32()),
                ("employer", pa.string()),
                ("recognition", pa.string()),
                ("recognition_date", pa.date32()),
                ("employer_insured", pa.bool_()),
                ("employer_paid", pa.bool_()),
                ("claimed", MONEY),
                ("pneumoconiosis", pa.bool_()),
                ("county", pa.string()),
            ]
        ),
    ),
    "advance_payments": (
        ADVANCE_PAYMENTS,
        pa.schema(
            [
                ("case_id", pa.string()),
                ("amount", MONEY),
                ("paid_on", pa.date32()),
                ("recovered", MONEY),
                ("recovered_on", pa.date32()),
                ("county", pa.string()),
            ]
        ),
    ),
}


def current_tables(database: db.Database, region: str, as_of: date) -> dict[str, pa.Table]:
    """The current rows of each list for the counties under ``region`` on ``as_of``,
    one consistent reading of the registry (module docstring)."""
    with database.reading() as con:
        return {name: current_table(con, database, name, region, as_of) for name in SCHEMAS}


def current_table(con: Any, database: db.Database, name: str, region: str, as_of: date) -> pa.Table:
    """One of ``current_tables``' lists (``name``, a key of :data:`SCHEMAS`) inside the
    open reading ``con``: a caller that reads the registry once (the plan's ledger, its
    person marks) reads the lists it needs in the same reading."""
    spec, schema = SCHEMAS[name]
    return current(con, database, spec, region, as_of).select(schema.names).cast(schema)


def county_tables(reader: db.Reader, region: str, as_of: date) -> dict[str, pa.Table]:
    """``current_tables`` through any :class:`~doudi.store.db.Reader` (the web process's
    too, for the statistics)."""
    return {
        name: _current(reader.read, spec, region, as_of).select(schema.names).cast(schema)
        for name, (spec, schema) in SCHEMAS.items()
    }


def current(
    con: Any, database: db.Database, spec: WorkInjuryList, region: str, as_of: date
) -> pa.Table:
    """The current stored rows of ``spec``'s list (every column of its table but the
    batch and row number) for the counties under ``region`` on ``as_of``, inside the
    open transaction ``con`` (an import sees the batches it has just written)."""
    return _current(db.InTransaction(con, database).read, spec, region, as_of)


def _current(
    read: Callable[..., pa.Table], spec: WorkInjuryList, region: str, as_of: date
) -> pa.Table:
    """:func:`current`'s reading, through ``read`` (a Reader's signature)."""
    batches = read(
        "registry_import_batch",
        "WHERE source = ? AND as_of <= ?",
        (spec.name, as_of),
        columns=["id", "as_of", "mode"],
    ).to_pylist()
    order = {b["id"]: b for b in batches}
    prefix = regions.hukou_prefix(region)
    per_county: dict[str, list[dict[str, Any]]] = {}
    scope = read("registry_import_scope", columns=["batch_id", "county"])
    for s in scope.to_pylist():
        if s["batch_id"] in order and s["county"].startswith(prefix):
            per_county.setdefault(s["county"], []).append(order[s["batch_id"]])
    rank: dict[int, int] = {}  # batch id -> its place in its county's reading
    for listed in per_county.values():
        listed.sort(key=lambda b: (b["as_of"], b["id"]))
        snapshots = [i for i, b in enumerate(listed) if b["mode"] == "snapshot"]
        start = snapshots[-1] if snapshots else 0
        rank |= {b["id"]: i for i, b in enumerate(listed[start:])}
    rows = read(spec.table, "WHERE county LIKE ?", (prefix + "%",))
    rows = rows.filter(pc.is_in(rows.column("batch_id"), pa.array(list(rank), pa.int64())))
    ranks = pa.array([rank[b] for b in rows.column("batch_id").to_pylist()], pa.int32())
    key = ", ".join(["county", *(spec.stored_name(k) for k in spec.key)])
    duck = connect()
    try:
        duck.register("t", rows.append_column("rank", ranks))
        latest = duck.sql(
            f"""SELECT * EXCLUDE (id, batch_id, row_number, rank) FROM t
            QUALIFY row_number() OVER (PARTITION BY {key} ORDER BY rank DESC, id DESC) = 1
            ORDER BY county, rank, row_number"""
        ).to_arrow_table()
    finally:
        duck.close()
    return latest
