"""The import benchmark's floor (benchmarks/import_hand.py) writes what Doudi's import
writes for the benchmark's file, on SQLite and on PostgreSQL: every table of the
registry row for row (issue #25 §1), so the ratios bench_import reports compare the
same work.

2·10^4 people give the synthesizer's every kind of error in the resident-medical
extract (the ID numbers' bad dates and check characters, their 15-digit and spaced
forms, names missing or spaced, unreadable dates, copied rows).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from doudi.rosters.importing import import_roster
from doudi.store import db
from support import benchmark

PEOPLE = 20_000
AS_OF = date(2018, 3, 31)


@pytest.fixture(scope="module")
def roster(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from doudi.synth.departments import synthesize

    out = tmp_path_factory.mktemp("files")
    synthesize("360000", PEOPLE, out, file_format="csv", enrolled=PEOPLE // 20)
    return out / "resident_medical.csv"


def test_the_hand_written_floor_writes_every_table_as_doudi_does(
    roster: Path, registry: Any, tmp_path: Path
) -> None:
    with benchmark("import_hand") as (hand,):
        report = import_roster(registry, roster, "resident_medical", AS_OF, actor="bench")
        doudi = hand.written(registry)
        floor = _emptied(registry, tmp_path)
        written: dict[str, Any] = hand.import_file(floor, roster, AS_OF, "bench")
        differing = hand.differing(doudi, hand.written(floor))

    assert written["accepted"] == report.read.accepted.num_rows == report.people_added
    assert report.read.rejected.num_rows > 0  # the file's errors are refused on both sides
    assert differing == dict.fromkeys(hand.COMPARED, 0)


def _emptied(registry: Any, tmp_path: Path) -> Any:
    """An empty registry on the same database as ``registry``, its ids from 1 again:
    PostgreSQL's emptied as the ``registry`` fixture empties it, SQLite's a new file."""
    if registry.dialect == "sqlite":
        floor = db.register(f"floor_{tmp_path.name}", f"sqlite:///{tmp_path}/floor.sqlite3")
        floor.migrate()
        return floor
    with registry.transaction() as con:
        db.execute(con, f"TRUNCATE {', '.join(db.registry_tables())} RESTART IDENTITY CASCADE")
    return registry
