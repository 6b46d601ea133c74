"""The audit rows of one roster import: one per person added, per period changed or
opened, per record stored, per death date recorded — all at the batch's time, by its
actor, in its batch.

Most of a large import's audit rows describe rows it has just written: a province's
first list adds 10^6 people and opens 10^6 periods. On SQLite those two kinds are
written by one ``INSERT … SELECT`` each over the rows in the registry, not built in
Arrow and bound row by row: binding cost SQLite about 1.3 µs a row more (10^6 rows:
2.1 s bound, 0.8 s as one statement; issue #25 §3). On PostgreSQL the same statement
took longer than the binary ``COPY`` of the rows built in Arrow (10^6 rows, same
transaction, taking turns: 6.7–6.9 s against 4.9–5.2 s at a load of 3.6), so there
they are bound, as every other kind is (changes, deaths, records: few, or built from
what only the import holds).

The detail is the same text either way, the compact JSON of DuckDB's ``json_object``
(``{"person_id":12,"what":"dibao",…}``), which SQLite's ``json_object`` writes too: the
audit log page finds a person's rows by searching that text (``web.audit_log``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.compute as pc

from doudi.rosters.changes import period_audit
from doudi.rosters.sources import Source
from doudi.store import db

_COLUMNS = "at, actor, action, table_name, row_id, batch_id, detail"


@dataclass(frozen=True)
class Audit:
    """Where one import's audit rows go, and what they share."""

    con: Any
    database: db.Database
    now: datetime
    actor: str
    batch_id: int

    def write(self, table: str, rows: pa.Table) -> None:
        """Bound audit rows about ``table``: ``rows`` has action, row_id and detail."""
        n = rows.num_rows
        if not n:
            return
        # the same values on every row: repeated in Arrow, not built as Python lists
        full = pa.table(
            {
                "at": pa.repeat(pa.scalar(self.now, pa.timestamp("us", tz="UTC")), n),
                "actor": pa.repeat(pa.scalar(self.actor, pa.string()), n),
                "action": rows.column("action"),
                "table_name": pa.repeat(pa.scalar(table, pa.string()), n),
                "row_id": rows.column("row_id").cast(pa.int64()),
                "batch_id": pa.repeat(pa.scalar(self.batch_id, pa.int64()), n),
                "detail": rows.column("detail"),
            }
        )
        db.ingest(self.con, self.database, "registry_audit_log", db.text_times(full, self.database))

    def described(self, action: str, table: str, rows: pa.Table) -> None:
        """Audit rows about people (``rows``: id_number, detail), one per person."""
        lake = duckdb.connect()
        lake.register("r", rows)
        out = lake.sql(
            """
            SELECT $action AS action, NULL::BIGINT AS row_id,
                   json_object('id_number', id_number, 'detail', detail)::VARCHAR AS detail
            FROM r
            """,
            params={"action": action},
        ).to_arrow_table()
        self.write(table, out)

    def people_added(self, new: pa.Table) -> None:
        """One ``add_person`` row per person the batch created (``new``: id_number and
        name, in the order of their ids: of their first rows in the file)."""
        if self.database.dialect != "sqlite":
            detail = pc.binary_join_element_wise("新增人员 ", new.column("name"), "")
            people = new.select(["id_number"]).append_column("detail", detail)
            self.described("add_person", "registry_person", people)
            return
        db.execute(
            self.con,
            f"INSERT INTO registry_audit_log ({_COLUMNS}) "
            "SELECT ?, ?, 'add_person', 'registry_person', NULL, ?, "
            "json_object('id_number', id_number, 'detail', '新增人员 ' || name) "
            "FROM registry_person WHERE created_batch_id = ? ORDER BY id",
            (self._text_time(), self.actor, self.batch_id, self.batch_id),
        )

    def periods(self, source: Source, table: str, changes: pa.Table, opened_after: int) -> None:
        """One row per period of ``table`` the batch changed (``changes``: the rows of
        ``changes.apply_periods``). On SQLite the opened ones are written from the
        rows the batch inserted into ``table`` (a period table, chosen by code): those
        of an id above ``opened_after``. No row id for an opened period, as when its
        detail was written from the changes (``changes.period_audit``)."""
        opened = pc.field("change") == "open"
        if self.database.dialect == "sqlite" and changes.filter(opened).num_rows:
            db.execute(
                self.con,
                f"INSERT INTO registry_audit_log ({_COLUMNS}) "
                "SELECT ?, ?, 'open', ?, NULL, ?, json_object('person_id', person_id, "
                "'what', ?, 'from', valid_from, 'to', valid_to, 'was_to', NULL) "
                f"FROM {table} WHERE batch_id = ? AND id > ? ORDER BY id",
                (
                    self._text_time(),
                    self.actor,
                    table,
                    self.batch_id,
                    source.status or source.scheme,
                    self.batch_id,
                    opened_after,
                ),
            )
            changes = changes.filter(~opened)
        self.write(table, period_audit(source, changes))

    def _text_time(self) -> str:
        """The batch's time as SQLite keeps it: the text ``db.text_times`` writes for
        the bound rows (microseconds kept)."""
        at = pa.table({"at": pa.array([self.now], pa.timestamp("us", tz="UTC"))})
        return str(db.text_times(at, self.database).column("at")[0].as_py())
