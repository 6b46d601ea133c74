"""A large import on PostgreSQL checks its foreign keys once per key, not once per row
(store.foreign_keys, decision 0020): with the triggers off for its transaction, a row
referencing nothing is still refused in Chinese with nothing written, the tables come
out as the ordinary path writes them, and a role that may not turn the triggers off
takes the ordinary path. ``BULK_ROWS`` is lowered so that a county's list is "large".
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest

from doudi.rosters import importing
from doudi.rosters.importing import import_roster
from doudi.store import db, foreign_keys
from doudi.synth.departments import Manifest, synthesize

pytestmark = pytest.mark.postgres

MARCH = date(2018, 3, 31)
JUNE = date(2018, 6, 30)
#: the times of the import, which differ from one run to the next
TIMES = {"imported_at", "at"}


@pytest.fixture(scope="module")
def county(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Manifest]:
    out = tmp_path_factory.mktemp("county")
    return out, synthesize(
        "360102", 400, out, as_of=MARCH, seed=7, error_rate=0.03, file_format="csv"
    )


@pytest.fixture
def checks(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Every list is large enough for the set-based check; counts the checks run."""
    monkeypatch.setattr(foreign_keys, "BULK_ROWS", 1)
    ran: list[int] = []
    check = foreign_keys.check

    def counted(con: Any) -> None:
        ran.append(1)
        check(con)

    monkeypatch.setattr(foreign_keys, "check", counted)
    return ran


def contents(database: db.Database) -> dict[str, list[dict]]:
    return {
        t: [
            {k: v for k, v in row.items() if k not in TIMES}
            for row in database.read(t).sort_by("id").to_pylist()
        ]
        for t in db.registry_tables()
    }


def two_snapshots(database: db.Database, out: Path, manifest: Manifest, tmp: Path) -> None:
    """A list, then a later one without its last rows: periods opened, then closed."""
    path = out / manifest.file("poverty").path
    import_roster(database, path, "poverty", MARCH)
    shorter = tmp / "poverty-june.csv"
    shorter.write_bytes(b"\n".join(path.read_bytes().rstrip(b"\r\n").split(b"\n")[:-3]))
    import_roster(database, shorter, "poverty", JUNE, confirm_closing=True)
    f = manifest.file("resident_medical")
    import_roster(database, out / f.path, f.source, MARCH)


@pytest.mark.parametrize("registry", ["postgresql"], indirect=True)
def test_the_registry_has_no_trigger_or_rule_that_replica_mode_would_skip(registry):
    """Replica mode turns off every ordinary trigger and rule, not only the foreign
    keys': the registry must have none for the fast path to skip nothing."""
    with registry.reading() as con:
        own = db.scalar(
            con,
            "SELECT count(*) FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "WHERE NOT t.tgisinternal AND c.relname LIKE 'registry%'",
        )
        rules = db.scalar(
            con,
            "SELECT count(*) FROM pg_rewrite r JOIN pg_class c ON c.oid = r.ev_class "
            "WHERE c.relkind = 'r' AND c.relname LIKE 'registry%'",
        )
        keys = db.scalar(
            con,
            "SELECT count(*) FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid "
            "WHERE c.contype = 'f' AND t.relname LIKE 'registry%'",
        )
    assert (own, rules) == (0, 0)
    assert keys > 10  # the keys the check reads are there


@pytest.mark.parametrize("registry", ["postgresql"], indirect=True)
def test_the_fast_and_the_ordinary_path_write_the_same_tables(
    registry, county, checks, monkeypatch, tmp_path
):
    out, manifest = county
    monkeypatch.setattr(foreign_keys, "BULK_ROWS", 10**9)
    two_snapshots(registry, out, manifest, tmp_path)
    ordinary = contents(registry)
    assert checks == []
    with registry.transaction() as con:
        db.execute(con, f"TRUNCATE {', '.join(db.registry_tables())} RESTART IDENTITY CASCADE")

    monkeypatch.setattr(foreign_keys, "BULK_ROWS", 1)
    two_snapshots(registry, out, manifest, tmp_path)
    assert len(checks) == 3
    assert contents(registry) == ordinary
    assert len(ordinary["registry_status_period"]) > 0


@pytest.mark.parametrize("registry", ["postgresql"], indirect=True)
def test_a_row_referencing_no_person_is_refused_in_chinese_with_nothing_written(
    registry, county, checks, monkeypatch
):
    out, manifest = county
    import_roster(registry, out / manifest.file("poverty").path, "poverty", MARCH)
    before = contents(registry)
    entry_rows = importing._Import._entry_rows

    def orphaned(self: importing._Import, ids: pa.Table) -> pa.Table:
        """The list's rows with the first one's person made up."""
        rows = entry_rows(self, ids)
        person = rows.column("person_id").to_pylist()
        person[0] = 10**12
        i = rows.schema.get_field_index("person_id")
        self.entries = rows.set_column(i, "person_id", pa.array(person, pa.int64()))
        return self.entries

    monkeypatch.setattr(importing._Import, "_entry_rows", orphaned)
    f = manifest.file("resident_medical")
    with pytest.raises(foreign_keys.OrphanRows) as refused:
        import_roster(registry, out / f.path, f.source, MARCH)
    said = str(refused.value)
    assert said.startswith("写入的数据引用了登记库中不存在的记录，已全部撤销，未写入任何数据")
    assert "「人员」（registry_person）" in said and "1000000000000" in said
    tables = {o.table for o in refused.value.orphans}
    assert tables == {"registry_roster_entry", "registry_enrollment"}
    assert len(checks) == 2
    assert contents(registry) == before


@pytest.mark.parametrize("registry", ["postgresql"], indirect=True)
def test_a_role_that_may_not_turn_the_triggers_off_takes_the_ordinary_path(registry):
    with registry.transaction() as con:
        db.execute(
            con,
            "DO $$ BEGIN CREATE ROLE doudi_no_replica NOLOGIN; "
            "EXCEPTION WHEN duplicate_object THEN NULL; END $$",
        )
    with registry.transaction() as con:
        db.execute(con, "SET LOCAL ROLE doudi_no_replica")
        assert not foreign_keys.bulk(con, registry, foreign_keys.BULK_ROWS)
        assert db.scalar(con, "SELECT current_setting('session_replication_role')") == "origin"
        con.rollback()
    with registry.transaction() as con:
        assert foreign_keys.bulk(con, registry, foreign_keys.BULK_ROWS)
        assert db.scalar(con, "SELECT current_setting('session_replication_role')") == "replica"
        assert not foreign_keys.bulk(con, registry, foreign_keys.BULK_ROWS - 1)
        con.rollback()
    with registry.transaction() as con:  # for the transaction only
        assert db.scalar(con, "SELECT current_setting('session_replication_role')") == "origin"
