"""The audit log is read by person (web/audit_log.py: "what happened to this person",
the table and row ids of their rows): an index on (table_name, row_id) answers it
without scanning every change the registry ever had."""

from __future__ import annotations

import pytest

from doudi.store import db


@pytest.mark.parametrize("registry", ["sqlite", "postgresql"], indirect=True)
def test_the_audit_log_is_searched_by_row_through_its_index(registry):
    with registry.reading() as con:
        if registry.dialect == "sqlite":
            with con.cursor() as cur:
                cur.execute(
                    "EXPLAIN QUERY PLAN SELECT id FROM registry_audit_log "
                    "WHERE table_name = 'registry_person' AND row_id IN (1, 2, 3)"
                )
                said = " ".join(str(cell) for row in cur.fetchall() for cell in row)
            assert "USING INDEX audit_log_row" in said or "USING COVERING INDEX" in said
        else:  # the planner scans an empty table whatever its indexes: the index itself
            found = db.scalar(
                con, "SELECT indexdef FROM pg_indexes WHERE indexname = 'audit_log_row'"
            )
            assert "(table_name, row_id)" in str(found)
