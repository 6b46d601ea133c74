"""Roster import, dynamic management and comparison end to end, on SQLite and on
PostgreSQL (the ``registry`` fixture): synthetic department files from
``synth.departments`` whose manifest says which rows are wrong and who must be found.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.csv as pacsv
import pytest

from conftest import kill_during
from doudi.comparison.compare import TABLES, compare
from doudi.comparison.workbook import comparison_workbook
from doudi.core.textfile import FileError
from doudi.rosters.importing import import_roster
from doudi.store import db
from doudi.synth.departments import Manifest, synthesize

MARCH = date(2018, 3, 31)
JUNE = date(2018, 6, 30)
#: the manifest's error kinds that must make the importer reject the row
REJECTING = (
    "check_digit",
    "birth_date",
    "empty_name",
    "duplicate",
    "bad_date",
    "not_severe",
    "not_qualifying",
)


@pytest.fixture(scope="module")
def county(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Manifest]:
    out = tmp_path_factory.mktemp("county")
    return out, synthesize("360102", 800, out, as_of=MARCH, seed=7, error_rate=0.03)


def counts(database: db.Database) -> dict[str, int]:
    return {t: database.read(t).num_rows for t in db.registry_tables()}


def import_all(database: db.Database, out: Path, manifest: Manifest) -> dict[str, Any]:
    return {
        f.source: import_roster(database, out / f.path, f.source, MARCH, actor="测试")
        for f in manifest.files
    }


def test_every_file_imports_and_exactly_the_broken_rows_are_rejected(registry, county):
    out, manifest = county
    reports = import_all(registry, out, manifest)
    for f in manifest.files:
        report = reports[f.source]
        rejected = set(report.read.rejected.column("row_number").to_pylist())
        expected = {row for kind in REJECTING for row in f.error_rows.get(kind, [])}
        assert rejected == expected, f.source
        assert report.read.accepted.num_rows + len(rejected) == f.rows
    stored = registry.read("registry_roster_entry").num_rows
    assert stored == sum(r.read.accepted.num_rows for r in reports.values())
    # 15-digit IDs were upgraded: every stored ID has 18 characters
    people = registry.read("registry_person")
    assert set(people.column("id_number").to_pylist()) == {
        i for i in people.column("id_number").to_pylist() if len(i) == 18
    }
    rejected = registry.read("registry_rejected_row")
    assert rejected.num_rows == sum(r.read.rejected.num_rows for r in reports.values())


def test_the_comparison_finds_the_people_the_manifest_names(registry, county, tmp_path):
    out, manifest = county
    import_all(registry, out, manifest)
    result = compare({t: registry.read(t) for t in TABLES}, "360102", MARCH)
    medical = set(result.uninsured_medical.column("id_number").to_pylist())
    assert set(manifest.poor_not_enrolled_ids) <= medical
    dead = set(result.paid_after_death.column("id_number").to_pylist())
    assert dead == set(manifest.dead_but_receiving_ids)
    book = tmp_path / "比对结果.xlsx"
    comparison_workbook(result, book)
    assert book.stat().st_size > 0


def test_importing_the_same_file_again_changes_nothing(registry, county):
    out, manifest = county
    import_all(registry, out, manifest)
    before = counts(registry)
    again = import_roster(registry, out / manifest.file("poverty").path, "poverty", MARCH)
    assert again.already_imported
    assert counts(registry) == before


def test_a_dry_run_writes_nothing(registry, county):
    out, manifest = county
    before = counts(registry)
    report = import_roster(
        registry, out / manifest.file("dibao").path, "dibao", MARCH, dry_run=True
    )
    assert report.people_added > 0 and report.periods_opened > 0
    assert counts(registry) == before


def write_list(path: Path, rows: list[dict[str, Any]]) -> Path:
    table = pa.table(
        {
            "公民身份号码": [r["id_number"] for r in rows],
            "姓名": [r["name"] for r in rows],
            "行政区划代码": [r["region_code"] or "360102" for r in rows],
        }
    )
    pacsv.write_csv(table, path)
    return path


def poverty_rows(database: db.Database) -> list[dict[str, Any]]:
    entries = database.read("registry_roster_entry").to_pylist()
    first = min(e["batch_id"] for e in entries)
    return [e for e in entries if e["batch_id"] == first]


def open_periods(database: db.Database) -> set[int]:
    return {
        p["person_id"]
        for p in database.read("registry_status_period").to_pylist()
        if p["valid_to"] is None
    }


def test_a_newer_list_closes_those_who_left_and_a_late_older_one_changes_nothing_newer(
    registry, county, tmp_path
):
    out, manifest = county
    import_roster(registry, out / manifest.file("poverty").path, "poverty", MARCH)
    rows = poverty_rows(registry)
    stay, leave = rows[: len(rows) - 5], rows[len(rows) - 5 :]
    june = import_roster(registry, write_list(tmp_path / "june.csv", stay), "poverty", JUNE)
    assert june.periods_closed == 5 and june.periods_opened == 0
    closed = {p["person_id"]: p for p in registry.read("registry_status_period").to_pylist()}
    for row in leave:
        assert closed[row["person_id"]]["valid_to"] == JUNE
    after_june = open_periods(registry)
    # a list as of 30 April arrives late, still with everyone: the June closures stand
    april = import_roster(
        registry, write_list(tmp_path / "april.csv", rows), "poverty", date(2018, 4, 30)
    )
    assert april.periods_closed == 0 and april.periods_opened == 0
    assert open_periods(registry) == after_june


SEPT = date(2018, 9, 30)


def test_the_same_file_for_a_later_as_of_date_is_a_snapshot_of_its_own(registry, county, tmp_path):
    # docs/registry.md: a snapshot is a source's list as of a day. The March file
    # re-sent unchanged as of 30 September lists again the 5 people June's list
    # closed: their periods are (31 March, 30 June) and a new one open from 30 September.
    out, manifest = county
    march_file = out / manifest.file("poverty").path
    import_roster(registry, march_file, "poverty", MARCH)
    rows = poverty_rows(registry)
    stay, leave = rows[: len(rows) - 5], rows[len(rows) - 5 :]
    import_roster(registry, write_list(tmp_path / "june.csv", stay), "poverty", JUNE)
    before = counts(registry)
    again = import_roster(registry, march_file, "poverty", MARCH)
    assert again.already_imported  # same bytes, same as-of date: nothing written
    assert counts(registry) == before
    sept = import_roster(registry, march_file, "poverty", SEPT)
    assert not sept.already_imported and sept.batch_id is not None
    assert sept.periods_opened == 5 and sept.periods_closed == 0
    spans = {
        (p["person_id"], p["valid_from"], p["valid_to"])
        for p in registry.read("registry_status_period").to_pylist()
    }
    for row in leave:
        assert (row["person_id"], SEPT, None) in spans
        assert any(s[0] == row["person_id"] and s[2] == JUNE for s in spans)
    assert {r["person_id"] for r in rows} <= open_periods(registry)
    assert registry.read("registry_import_batch").num_rows == 3


def all_rejected(path: Path) -> Path:
    """A poverty list whose two rows both have an impossible ID number."""
    return write_list(
        path,
        [
            {"id_number": "36010219800101", "name": "张三", "region_code": None},
            {"id_number": "3601021980010X1234", "name": "李四", "region_code": None},
        ],
    )


@pytest.mark.parametrize("dry_run", [False, True])
def test_a_file_with_no_accepted_row_is_refused_and_writes_nothing(
    registry, county, tmp_path, dry_run
):
    # README: bad input changes nothing; rows read 2, accepted 0 -> no batch, exit 2
    out, manifest = county
    import_roster(registry, out / manifest.file("poverty").path, "poverty", MARCH)
    before = counts(registry)
    with pytest.raises(FileError) as caught:
        import_roster(
            registry, all_rejected(tmp_path / "bad.csv"), "poverty", JUNE, dry_run=dry_run
        )
    assert "没有可导入的行" in caught.value.chinese
    assert "第 2 行" in caught.value.chinese and "第 3 行" in caught.value.chinese
    assert caught.value.read.rejected.num_rows == 2  # the rows handed back to the caseworker
    assert counts(registry) == before


def test_the_import_command_exits_2_on_a_file_with_no_accepted_row(_django, tmp_path):
    import os
    import subprocess
    import sys

    url = f"sqlite:///{tmp_path}/registry.sqlite3"
    database = db.register(f"cli_{tmp_path.name}", url)
    database.migrate()
    before = counts(database)
    book = tmp_path / "rejected.xlsx"
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "from doudi.cli import app; app()",
            "import",
            str(all_rejected(tmp_path / "bad.csv")),
            "--source",
            "poverty",
            "--as-of",
            "2018-06-30",
            "--rejected-out",
            str(book),
        ],
        capture_output=True,
        text=True,
        env={**os.environ, "DOUDI_DATABASE_URL": url, "DOUDI_HOME": str(tmp_path)},
        timeout=120,
    )
    assert done.returncode == 2, done.stderr
    assert "没有可导入的行" in done.stderr and "Traceback" not in done.stderr
    assert "第 2 行「公民身份号码」" in done.stdout and "第 3 行「公民身份号码」" in done.stdout
    assert book.stat().st_size > 0
    assert counts(database) == before


@pytest.mark.kill
def test_a_killed_import_leaves_the_database_as_it_was(registry, county):
    out, manifest = county
    before = counts(registry)
    roster = out / manifest.file("resident_pension").path
    kill_during(
        registry,
        "periods",
        "from datetime import date\nfrom pathlib import Path\n"
        "from doudi.rosters.importing import import_roster",
        f"import_roster(database, Path({str(roster)!r}), 'resident_pension', date(2018, 3, 31))",
    )
    assert counts(registry) == before


def test_new_people_are_numbered_in_the_order_of_their_first_row(registry, county):
    """The same files give the same person ids, so a plan over them has the same inputs
    checksum (it flaked before: new people were numbered in DuckDB's hash-group order)."""
    out, manifest = county
    f = next(f for f in manifest.files if f.source == "resident_pension")
    report = import_roster(registry, out / f.path, f.source, MARCH, actor="测试")
    accepted = report.read.accepted.sort_by("row_number").column("id_number").to_pylist()
    first_rows = list(dict.fromkeys(accepted))
    people = registry.read("registry_person").sort_by("id")
    assert people.column("id_number").to_pylist() == first_rows
