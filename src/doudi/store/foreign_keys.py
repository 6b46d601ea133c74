"""A bulk write's foreign keys on PostgreSQL checked once, set-based (decision 0020).

Django declares every foreign key ``DEFERRABLE INITIALLY DEFERRED``: each row written
queues one check per key, run one by one at the commit. A roster import of 10^6 new
people queues 7·10^6 of them, most of its time on PostgreSQL (issue #25 §3). When the
role may set ``session_replication_role`` (a superuser, or a role granted ``SET`` on it,
PostgreSQL 15+), :func:`bulk` sets it to ``replica`` for the transaction alone: no
trigger fires, the foreign keys' included. :func:`check` then runs, before the commit,
one anti-join per foreign key of every table the transaction wrote, over the rows it
wrote (their ``xmin`` no older than its id), and over every row referencing a table it
deleted from; one orphan refuses the whole transaction in Chinese. So the
guarantee is the one the triggers gave — no row references a missing parent, all or
nothing, under the writer lock the transaction already holds — checked per key instead
of per row. The registry has no trigger of its own (a test says so) that replica mode
would skip."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from doudi.core.textfile import FileError
from doudi.store import db

#: The rows a write must reach for the set-based check to pay: below it, the per-row
#: checks cost less than scanning the tables written for the transaction's rows.
BULK_ROWS = 100_000

#: Whether this role may set session_replication_role, and the statistics that name the
#: tables a transaction wrote are kept (without them :func:`check` would see nothing).
_PERMITTED = """
SELECT ((SELECT rolsuper FROM pg_roles WHERE rolname = current_user)
        OR has_parameter_privilege('session_replication_role', 'SET'))
   AND current_setting('track_counts')::boolean
"""

#: The foreign keys to check: of every table the transaction inserted into or updated
#: (its own rows), and into every table it deleted from (all the rows referencing it: a
#: parent gone). Not into a table it only updated: Doudi never changes a key (``id``),
#: and a batch's counts or a person's death date updated would otherwise cost a scan of
#: every table referencing batches or people. Column pairs in key order.
_KEYS = """
SELECT c.conrelid::regclass::text AS child, c.confrelid::regclass::text AS parent,
       array_agg(ca.attname::text ORDER BY k.n) AS columns,
       array_agg(pa.attname::text ORDER BY k.n) AS parent_columns,
       bool_or(coalesce(pw.n_tup_del, 0) > 0) AS every_row
FROM pg_constraint c
CROSS JOIN LATERAL unnest(c.conkey, c.confkey) WITH ORDINALITY AS k(child_col, parent_col, n)
JOIN pg_attribute ca ON ca.attrelid = c.conrelid AND ca.attnum = k.child_col
JOIN pg_attribute pa ON pa.attrelid = c.confrelid AND pa.attnum = k.parent_col
LEFT JOIN pg_stat_xact_user_tables cw ON cw.relid = c.conrelid
LEFT JOIN pg_stat_xact_user_tables pw ON pw.relid = c.confrelid
WHERE c.contype = 'f'
  AND (coalesce(cw.n_tup_ins + cw.n_tup_upd, 0) > 0
       OR coalesce(pw.n_tup_del, 0) > 0)
GROUP BY c.oid, c.conrelid, c.confrelid
ORDER BY child, columns
"""


class OrphanRows(FileError):
    """Rows of the write reference a row that does not exist: nothing is written."""

    def __init__(self, orphans: list[Orphans]) -> None:
        said = "；".join(o.zh() for o in orphans)
        super().__init__(
            f"写入的数据引用了登记库中不存在的记录，已全部撤销，未写入任何数据：{said}",
            "rows reference missing rows; nothing was written: "
            + "; ".join(o.en() for o in orphans),
        )
        self.orphans = orphans


@dataclass(frozen=True)
class Orphans:
    """The rows of ``table`` whose ``columns`` name no row of ``parent``."""

    table: str
    columns: tuple[str, ...]
    parent: str
    rows: int
    examples: tuple[str, ...]

    def zh(self) -> str:
        names = _labels()
        return (
            f"「{names.get(self.table, self.table)}」（{self.table}）有 {self.rows} 行的"
            f" {'、'.join(self.columns)} 在「{names.get(self.parent, self.parent)}」"
            f"（{self.parent}）中不存在（如 {'，'.join(self.examples)}）"
        )

    def en(self) -> str:
        return f"{self.rows} rows of {self.table}.{','.join(self.columns)} not in {self.parent}"


def bulk(con: Any, database: db.Database, rows: int) -> bool:
    """Turn the transaction's triggers off for a write of ``rows`` rows, when the
    database is PostgreSQL, the write is large enough for it to pay and the role may;
    whether it did (then :func:`check` must run before the commit). Call it before the
    transaction writes anything: rows written before would not be checked by their
    triggers either way, but the check must see every row."""
    if database.dialect != "postgresql" or rows < BULK_ROWS:
        return False
    if not db.scalar(con, _PERMITTED):
        return False
    db.execute(con, "SET LOCAL session_replication_role = replica")
    return True


def check(con: Any) -> None:
    """Every foreign key the transaction's writes could have broken, one anti-join
    each; :class:`OrphanRows` (Chinese first) if any row references nothing. The
    transaction is in replica mode still: the checks read, they write nothing."""
    with con.cursor() as cur:
        cur.execute(_KEYS)
        keys = cur.fetchall()
    orphans = [
        o
        for child, parent, columns, parent_columns, every_row in keys
        if (o := _orphans(con, child, parent, tuple(columns), tuple(parent_columns), every_row))
    ]
    if orphans:
        raise OrphanRows(orphans)


def _orphans(
    con: Any,
    child: str,
    parent: str,
    columns: tuple[str, ...],
    parent_columns: tuple[str, ...],
    every_row: bool,
) -> Orphans | None:
    """The rows of ``child`` (those the transaction wrote unless ``every_row``) whose
    key, all of it given (a null in it references nothing: MATCH SIMPLE), is no row of
    ``parent``. Names come from the catalog, quoted; no value is spliced."""
    given = " AND ".join(f"c.{_quote(c)} IS NOT NULL" for c in columns)
    pairs = zip(columns, parent_columns, strict=True)
    match = " AND ".join(f"p.{_quote(p)} = c.{_quote(c)}" for c, p in pairs)
    # the transaction's own rows: no older than its id (a savepoint's rows have later
    # ids; rows others committed meanwhile are checked too, which is harmless)
    own = "" if every_row else "age(c.xmin) <= age(pg_current_xact_id()::xid) AND "
    key = " || ',' || ".join(f"c.{_quote(c)}::text" for c in columns)
    rows = (
        f"FROM {child} c WHERE {own}{given} AND NOT EXISTS (SELECT 1 FROM {parent} p WHERE {match})"
    )
    with con.cursor() as cur:
        cur.execute(f"SELECT {key} {rows} LIMIT 3")
        examples = tuple(str(r[0]) for r in cur.fetchall())
        if not examples:
            return None
        cur.execute(f"SELECT count(*) {rows}")
        (count,) = cur.fetchone()
    return Orphans(child, columns, parent, int(count), examples)


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _labels() -> dict[str, str]:
    """The registry's tables by their Chinese names (the Django models')."""
    from django.apps import apps

    return {
        m._meta.db_table: str(m._meta.verbose_name)
        for m in apps.get_app_config("registry").get_models()
    }
