"""A checksum of every registry table, to tell that a refused import wrote nothing.

Why rows are sorted and rendered as text: SQLite and PostgreSQL return rows in no
promised order, and an identity column's next value is not data; the same rows must give
the same checksum on either database, whatever order they come back in.
"""

from __future__ import annotations

import hashlib

from doudi.store import db


def table_checksums(database: db.Database) -> dict[str, str]:
    """Table name → SHA-256 of its sorted rows, for every ``registry_*`` table, read in
    one transaction (a consistent picture, one connection)."""
    sums = {}
    with database.transaction() as con:
        for table in db.registry_tables():
            rows = sorted(
                repr(sorted(r.items())) for r in db.read(con, database, table).to_pylist()
            )
            sums[table] = hashlib.sha256("\n".join(rows).encode("utf-8")).hexdigest()
    return sums


def changed_tables(before: dict[str, str], after: dict[str, str]) -> list[str]:
    """The tables whose rows differ between two :func:`table_checksums`."""
    return sorted(t for t in before.keys() | after.keys() if before.get(t) != after.get(t))
