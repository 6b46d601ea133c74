"""What a department's list changes in the registry beyond its own rows.

A death list records each person's death date (the latest list wins). A status or
enrollment list changes the source's periods: they are re-derived from all its
snapshots (rosters.periods) and only the difference is applied — periods opened,
closed (a later snapshot no longer lists the person), changed or removed. Deriving
from every snapshot each time is what makes a late, older snapshot safe.

This runs inside the import's transaction (rosters.importing), which keeps the
batch, its rows and the audit log; what is handed back says who changed, for the
audit rows and the preview.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.compute as pc

from doudi.core import regions
from doudi.rosters import periods
from doudi.rosters.sources import Source
from doudi.store import db

#: What a source's snapshots are: its batches (one per imported file).
_OF_SOURCE = "SELECT id FROM registry_import_batch WHERE source = ?"


@dataclass
class PeriodChanges:
    """The difference applied to one source's periods."""

    table: str  # registry_status_period or registry_enrollment
    #: rosters.periods.diff's rows: change = open, close, change or remove
    changes: pa.Table
    opened: int
    closed: int
    changed: int  # changed or removed, besides the closed
    #: the people whose period was open before, with each county they have periods in
    #: (person_id, county): what a snapshot's share of closings is measured against
    open_before: pa.Table
    #: the largest id of ``table`` before the opened periods were inserted: theirs are
    #: above it (their audit rows are written from them, rosters.audit)
    opened_after: int = 0


def record_deaths(con: Any, database: db.Database, entries: pa.Table) -> pa.Table:
    """A death list records each person's death date (the latest list wins).

    ``entries``: the list's rows (person_id, death_date). Returns the people whose
    date changed: id_number and the audit row's detail."""
    db.ingest(
        con,
        database,
        "doudi_stage_deaths",
        entries.select(["person_id", "death_date"]),
        temporary=True,
    )
    changed = _query(
        con,
        "SELECT p.id AS person_id, p.id_number, s.death_date FROM registry_person p "
        "JOIN doudi_stage_deaths s ON s.person_id = p.id "
        "WHERE p.death_date IS NULL OR p.death_date <> s.death_date",
    )
    db.execute(
        con,
        "UPDATE registry_person SET death_date = s.death_date FROM doudi_stage_deaths s "
        "WHERE registry_person.id = s.person_id AND (registry_person.death_date IS NULL "
        "OR registry_person.death_date <> s.death_date)",
    )
    detail = pc.binary_join_element_wise(
        "死亡日期 ", pc.cast(changed.column("death_date"), pa.string()), ""
    )
    return changed.select(["id_number"]).append_column("detail", detail)


#: The roster entries' columns periods are derived from (periods.derive's ``entries``).
_DERIVED_FROM = (
    "batch_id",
    "person_id",
    "county",
    "since",
    "exit_marked",
    "exit_date",
    "region_code",
    "contribution_tier",
    "receiving",
)


def apply_periods(
    con: Any, database: db.Database, source: Source, batch_id: int, entries: pa.Table
) -> PeriodChanges:
    """Re-derive the source's periods from all its snapshots; apply the difference.

    ``entries``: the rows the import ``batch_id`` has just stored (as written): the
    earlier lists' rows are read from the registry, this one's are not read back (at
    10^6 rows that took 4 s on SQLite, issue #25 §3)."""
    table, key, key_params = _period_table(source)
    of_source = (source.name,)
    batches = db.read(
        con, database, "registry_import_batch", f"WHERE id IN ({_OF_SOURCE})", of_source
    )
    scope = db.read(
        con, database, "registry_import_scope", f"WHERE batch_id IN ({_OF_SOURCE})", of_source
    )
    only = f"WHERE batch_id IN ({_OF_SOURCE}) AND batch_id <> ?"
    earlier = db.read(
        con,
        database,
        "registry_roster_entry",
        only,
        (*of_source, batch_id),
        columns=(*_DERIVED_FROM, "disability_grade"),
    )
    target = db.schema("registry_roster_entry")
    now = entries.select(earlier.column_names).cast(
        pa.schema([target.field(c) for c in earlier.column_names])
    )
    listed = pa.concat_tables([earlier, now])
    if source.name == "disability":  # 重度: grades 一级 and 二级 only
        grade = listed.column("disability_grade")
        listed = listed.filter(pc.fill_null(pc.less_equal(grade, 2), True))
    new = periods.derive(
        pa.table(
            {
                "batch_id": batches.column("id"),
                "as_of": batches.column("as_of"),
                "closes": _closes(batches),
            }
        ),
        scope.select(["batch_id", "county"]),
        listed.select(list(_DERIVED_FROM)),
        _held(con, database, of_source),
    )
    old = db.read(con, database, table, f"WHERE {key}", key_params)
    if source.kind == "status":
        compare: tuple[str, ...] = ()
    else:
        old = old.append_column("exit_marked", pa.repeat(pa.scalar(False), old.num_rows))
        old = old.append_column("exit_date", pa.nulls(old.num_rows, pa.date32()))
        compare = ("region_code", "contribution_tier", "receiving")
    changes = periods.diff(old, new, compare)
    return _apply(con, database, source, table, changes, _open_before(old, new))


def _held(con: Any, database: db.Database, of_source: tuple[str]) -> pa.Table:
    """The people each of the source's lists still names in a refused row (batch_id,
    person_id; rosters.held): its snapshot neither confirms nor closes them."""
    refused = db.read(
        con,
        database,
        "registry_rejected_row",
        f"WHERE id_number <> '' AND batch_id IN ({_OF_SOURCE})",
        of_source,
        columns=("batch_id", "id_number"),
    )
    if refused.num_rows == 0:
        return periods.nobody_held()
    numbers = pa.table({"id_number": pc.unique(refused.column("id_number"))})
    db.ingest(con, database, "doudi_stage_held", numbers, temporary=True)
    people = _query(
        con,
        "SELECT p.id AS person_id, p.id_number FROM registry_person p "
        "JOIN doudi_stage_held s ON s.id_number = p.id_number",
    )
    lake = duckdb.connect()
    lake.register("refused", refused)
    lake.register("people", people)
    return lake.sql(
        "SELECT DISTINCT r.batch_id, p.person_id::BIGINT AS person_id "
        "FROM refused r JOIN people p USING (id_number) ORDER BY 1, 2"
    ).to_arrow_table()


def _closes(batches: pa.Table) -> pa.Array:
    """Where each batch closes (periods.derive's ``closes``): a snapshot in the hukou
    prefix of its region ("" for everywhere, as imports before modes did), an
    addendum nowhere (null)."""
    return pa.array(
        [
            regions.hukou_prefix(b["region"] or "") if b["mode"] == "snapshot" else None
            for b in batches.select(["mode", "region"]).to_pylist()
        ],
        pa.string(),
    )


def _open_before(old: pa.Table, new: pa.Table) -> pa.Table:
    """The people with an open period before this import, with the counties their
    periods are derived for."""
    lake = duckdb.connect()
    lake.register("old", old)
    lake.register("new", new)
    return lake.sql(
        "SELECT DISTINCT o.person_id, n.county FROM old o JOIN new n USING (person_id) "
        "WHERE o.valid_to IS NULL"
    ).to_arrow_table()


def _period_table(source: Source) -> tuple[str, str, tuple[Any, ...]]:
    """The table a source's periods live in, and the condition (with its values) that
    picks the source's own periods there."""
    if source.kind == "status":
        return (
            "registry_status_period",
            "status = ? AND department = ?",
            (source.status, source.department),
        )
    return "registry_enrollment", "scheme = ?", (source.scheme,)


def _apply(
    con: Any,
    database: db.Database,
    source: Source,
    table: str,
    changes: pa.Table,
    open_before: pa.Table,
) -> PeriodChanges:
    kind = pc.field("change")
    opened = changes.filter(kind == "open")
    closed = changes.filter(kind == "close")
    other = changes.filter(pc.is_in(kind, pa.array(["change", "close"])))
    removed = changes.filter(kind == "remove")
    # ``table`` is one of the two period tables, chosen by _period_table from the
    # source's kind; the column names below are fixed by code.
    if removed.num_rows:
        db.ingest(con, database, "doudi_stage_gone", removed.select(["id"]), temporary=True)
        db.execute(con, f"DELETE FROM {table} WHERE id IN (SELECT id FROM doudi_stage_gone)")
    if source.kind == "status":
        fixed = {"status": source.status, "department": source.department}
        columns = ["valid_to", "exit_marked", "exit_date"]
    else:
        fixed = {"scheme": source.scheme}
        columns = ["valid_to", "region_code", "contribution_tier", "receiving"]
    if other.num_rows:
        db.ingest(
            con,
            database,
            "doudi_stage_changed",
            other.select(["id", *columns, "batch_id"]),
            temporary=True,
        )
        sets = ", ".join(f"{c} = s.{c}" for c in [*columns, "batch_id"])
        db.execute(
            con, f"UPDATE {table} SET {sets} FROM doudi_stage_changed s WHERE {table}.id = s.id"
        )
    opened_after = 0
    if opened.num_rows:
        opened_after = int(db.scalar(con, f"SELECT coalesce(max(id), 0) FROM {table}"))
        n = opened.num_rows
        rows = opened.select(["person_id", "valid_from", *columns, "batch_id"])
        for name, value in fixed.items():
            rows = rows.append_column(name, pa.repeat(pa.scalar(value, pa.string()), n))
        if source.kind != "status":
            rows = rows.set_column(
                rows.schema.get_field_index("region_code"),
                "region_code",
                pc.fill_null(rows.column("region_code"), ""),
            )
        db.ingest(con, database, table, rows)
    return PeriodChanges(
        table,
        changes,
        opened=opened.num_rows,
        closed=closed.num_rows,
        changed=other.num_rows - closed.num_rows + removed.num_rows,
        open_before=open_before,
        opened_after=opened_after,
    )


def period_audit(source: Source, changes: pa.Table) -> pa.Table:
    """One audit row per period changed: action, row_id, detail."""
    lake = duckdb.connect()
    lake.register("changes", changes)
    return lake.sql(
        """
        SELECT c.change AS action, c.id AS row_id,
               json_object('person_id', c.person_id, 'what', $what,
                           'from', c.valid_from, 'to', c.valid_to,
                           'was_to', c.old_valid_to)::VARCHAR AS detail
        FROM changes c
        """,
        params={"what": source.status or source.scheme},
    ).to_arrow_table()


def named(
    con: Any, database: db.Database, changes: pa.Table, known: pa.Table | None = None
) -> pa.Table:
    """The changes with each person's ID number and name, for the preview.

    ``known``: person_id, id_number and name of people whose registry row is known
    without asking (the people the import has just added, as it wrote them): only the
    others are looked up (10^6 new people read back took 2 s, issue #25 §3)."""
    lake = duckdb.connect()
    lake.register("changes", changes)
    names = known if known is not None else _NAMES.empty_table()
    lake.register("known", names)
    ask = lake.sql(
        "SELECT DISTINCT person_id FROM changes ANTI JOIN known USING (person_id)"
    ).to_arrow_table()
    if ask.num_rows:
        db.ingest(con, database, "doudi_stage_changes", ask, temporary=True)
        looked = _query(
            con,
            "SELECT p.id AS person_id, p.id_number, p.name FROM registry_person p "
            "JOIN doudi_stage_changes s ON s.person_id = p.id",
        )
        names = pa.concat_tables([names.cast(_NAMES), looked.cast(_NAMES)])
    lake.register("names", names)
    return lake.sql(
        """
        SELECT n.id_number, n.name, c.change, c.valid_from, c.valid_to
        FROM changes c JOIN names n USING (person_id)
        ORDER BY c.change, n.id_number
        """
    ).to_arrow_table()


#: A person as the preview names them (``named``).
_NAMES = pa.schema([("person_id", pa.int64()), ("id_number", pa.string()), ("name", pa.string())])


def _query(con: Any, sql: str) -> pa.Table:
    """A join with a staging table, as the driver returns it (no values in ``sql``)."""
    with con.cursor() as cur:
        cur.execute(sql)
        return cur.fetch_arrow_table()
