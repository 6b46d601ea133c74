"""A person's roster entries, status periods and enrollments are found through the
(person, …) indexes alone (migration 0019): the index of ``person_id`` by itself, one
more insert per row of an import, is gone, and a lookup by person still uses an index."""

from __future__ import annotations

import pytest

from doudi.store import db

#: each table and the index that serves a lookup by person
INDEXES = {
    "registry_roster_entry": "roster_entry_person",
    "registry_status_period": "status_period_person",
    "registry_enrollment": "enrollment_person",
}


@pytest.mark.parametrize("registry", ["sqlite", "postgresql"], indirect=True)
def test_a_lookup_by_person_uses_the_composite_index_and_no_other_is_kept(registry):
    with registry.reading() as con:
        for table, index in INDEXES.items():
            if registry.dialect == "sqlite":
                with con.cursor() as cur:
                    cur.execute(f"EXPLAIN QUERY PLAN SELECT id FROM {table} WHERE person_id = 7")
                    said = " ".join(str(cell) for row in cur.fetchall() for cell in row)
                assert f"USING INDEX {index}" in said or "USING COVERING INDEX" in said
                definitions = str(
                    db.scalar(
                        con,
                        "SELECT group_concat(sql, ';') FROM sqlite_master WHERE tbl_name = ?",
                        (table,),
                    )
                )
            else:
                definitions = str(
                    db.scalar(
                        con,
                        "SELECT string_agg(indexdef, ';') FROM pg_indexes WHERE tablename = ?",
                        (table,),
                    )
                )
                assert index in definitions
            assert "(person_id)" not in definitions.replace('"', "")
