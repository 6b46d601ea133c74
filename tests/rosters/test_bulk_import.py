"""The bulk write of a roster import (issue #25 §3) keeps the guarantees of the
row-by-row reading it replaced, on SQLite and on PostgreSQL (the ``registry`` fixture):
a failure after every table was written leaves every table as it was; the audit log
holds one row per person added and per period opened, all at the batch's time; and the
periods derived from the rows just written (held in memory, not read back) are those
the registry's stored rows give; and the entries name their people by the ids taken
before the people were written.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import duckdb
import pyarrow as pa
import pytest

from doudi.core.textfile import FileError
from doudi.rosters import changes, importing, periods
from doudi.rosters.importing import import_roster
from doudi.store import db
from doudi.synth.departments import Manifest, synthesize

MARCH = date(2018, 3, 31)
JUNE = date(2018, 6, 30)


@pytest.fixture(scope="module")
def county(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Manifest]:
    out = tmp_path_factory.mktemp("county")
    return out, synthesize(
        "360102", 600, out, as_of=MARCH, seed=11, error_rate=0.03, file_format="csv"
    )


def contents(database: db.Database) -> dict[str, list[dict]]:
    return {t: database.read(t).to_pylist() for t in db.registry_tables()}


def test_a_failure_after_every_table_was_written_leaves_every_table_as_it_was(
    registry, county, monkeypatch
):
    """The people, entries, periods and audit rows are all written when the preview's
    names are looked up, the last step: an error there commits none of them."""
    out, manifest = county
    import_roster(registry, out / manifest.file("poverty").path, "poverty", MARCH)
    before = contents(registry)

    def broken(*args: object) -> pa.Table:
        raise FileError("模拟的故障", "simulated failure")

    monkeypatch.setattr(importing, "named", broken)
    pension = out / manifest.file("resident_pension").path
    with pytest.raises(FileError, match="模拟的故障"):
        import_roster(registry, pension, "resident_pension", MARCH)
    assert contents(registry) == before


def test_the_audit_log_has_a_row_per_person_added_and_per_period_opened_at_the_batch_time(
    registry, county
):
    out, manifest = county
    f = manifest.file("resident_medical")
    report = import_roster(registry, out / f.path, f.source, MARCH, actor="测试")
    batch = registry.read("registry_import_batch").to_pylist()[0]
    audit = registry.read("registry_audit_log").to_pylist()
    people = {p["id_number"]: p for p in registry.read("registry_person").to_pylist()}
    enrollments = registry.read("registry_enrollment").to_pylist()

    assert len(audit) == report.people_added + report.periods_opened
    assert {(a["at"], a["actor"], a["batch_id"]) for a in audit} == {
        (batch["imported_at"], "测试", batch["id"])
    }
    added = [a for a in audit if a["action"] == "add_person"]
    assert {a["table_name"] for a in added} == {"registry_person"}
    assert {a["row_id"] for a in added} == {None}
    details = [json.loads(a["detail"]) for a in added]
    assert sorted(d["id_number"] for d in details) == sorted(people)
    assert all(d["detail"] == f"新增人员 {people[d['id_number']]['name']}" for d in details)

    opened = [a for a in audit if a["action"] == "open"]
    assert {a["table_name"] for a in opened} == {"registry_enrollment"}
    # an opened period has no id before it is written: the detail names it
    assert {a["row_id"] for a in opened} == {None}
    details = [json.loads(a["detail"]) for a in opened]
    assert {d["what"] for d in details} == {"resident_medical"}
    assert sorted((d["person_id"], d["from"]) for d in details) == sorted(
        (e["person_id"], e["valid_from"].isoformat()) for e in enrollments
    )


def test_periods_from_the_rows_in_memory_are_those_the_stored_rows_give(registry, county, tmp_path):
    """The list just written is not read back to derive the periods: after a snapshot
    and a later one without its last rows (their periods close), the registry's periods
    are what its stored rows derive."""
    out, manifest = county
    path = out / manifest.file("poverty").path
    import_roster(registry, path, "poverty", MARCH)
    shorter = tmp_path / "poverty-june.csv"
    shorter.write_bytes(b"\n".join(path.read_bytes().rstrip(b"\r\n").split(b"\n")[:-3]))
    june = import_roster(registry, shorter, "poverty", JUNE, confirm_closing=True)
    assert june.periods_closed > 0
    batches = registry.read("registry_import_batch")
    derived = periods.derive(
        pa.table(
            {
                "batch_id": batches.column("id"),
                "as_of": batches.column("as_of"),
                "closes": changes._closes(batches),
            }
        ),
        registry.read("registry_import_scope", columns=["batch_id", "county"]),
        registry.read("registry_roster_entry", columns=list(changes._DERIVED_FROM)),
    )
    stored = registry.read("registry_status_period").to_pylist()
    # (a period keeps the batch that opened or last changed it: not compared)
    key = ("person_id", "valid_from", "valid_to", "exit_marked", "exit_date")
    assert sorted(tuple(p[k] for k in key) for p in stored) == sorted(
        tuple(p[k] for k in key) for p in derived.to_pylist()
    )
    assert len(stored) > 0


def test_audit_details_written_in_the_database_are_the_text_duckdb_writes(registry, county):
    """The audit rows of people added and periods opened are written by the database
    from its rows (rosters.audit); their detail is byte for byte the compact JSON of
    DuckDB's ``json_object``, as the bound rows', which the audit page searches
    (``"person_id":12,``)."""
    out, manifest = county
    f = manifest.file("resident_medical")
    import_roster(registry, out / f.path, f.source, MARCH)
    people = registry.read("registry_person", columns=["id_number", "name"])
    enrollments = registry.read(
        "registry_enrollment", columns=["person_id", "valid_from", "valid_to"]
    )
    lake = duckdb.connect()
    lake.register("people", people)
    lake.register("enrollments", enrollments)
    added = lake.sql(
        "SELECT json_object('id_number', id_number, 'detail', '新增人员 ' || name)::VARCHAR "
        "FROM people"
    ).fetchall()
    opened = lake.sql(
        "SELECT json_object('person_id', person_id, 'what', 'resident_medical', "
        "'from', valid_from, 'to', valid_to, 'was_to', NULL)::VARCHAR FROM enrollments"
    ).fetchall()
    audit = registry.read("registry_audit_log", columns=["action", "detail"]).to_pylist()
    assert sorted(a["detail"] for a in audit if a["action"] == "add_person") == sorted(
        d for (d,) in added
    )
    assert sorted(a["detail"] for a in audit if a["action"] == "open") == sorted(
        d for (d,) in opened
    )
    assert len(added) > 0 and len(opened) > 0


def test_every_entry_names_its_person_by_the_ids_taken_before_the_people_were_written(
    registry, county
):
    """The new people's ids are taken before they are written (``db.new_ids``) and the
    entries get them from memory, not from the registry: across lists that add people
    beside ones already known (the pension extract after the poverty list), record
    lists (certificates) and a second import of the same file with nobody new, every
    entry's person is the registry's person of its ID number, and each list's new
    people have the ids after the largest before it, in the order of their first rows."""
    out, manifest = county
    for source in ("poverty", "resident_pension", "certificates", "resident_medical"):
        largest = max((p["id"] for p in registry.read("registry_person").to_pylist()), default=0)
        report = import_roster(registry, out / manifest.file(source).path, source, MARCH)
        people = registry.read("registry_person").to_pylist()
        added = sorted(p["id"] for p in people if p["id"] > largest)
        assert added == list(range(largest + 1, largest + 1 + report.people_added))
        by_id = {p["id"]: p["id_number"] for p in people}
        entries = registry.read("registry_roster_entry").to_pylist()
        assert entries and all(by_id[e["person_id"]] == e["id_number"] for e in entries)
        first_rows = {}
        for e in sorted(entries, key=lambda e: (e["batch_id"], e["row_number"])):
            first_rows.setdefault(e["person_id"], (e["batch_id"], e["row_number"]))
        assert sorted(added, key=first_rows.__getitem__) == added
    again = import_roster(
        registry, out / manifest.file("resident_medical").path, "resident_medical", JUNE
    )
    assert again.people_added == 0
