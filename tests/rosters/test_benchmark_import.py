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
from support import benchmark, emptied

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
        floor = emptied(registry, tmp_path, "floor")
        written: dict[str, Any] = hand.import_file(floor, roster, AS_OF, "bench")
        differing = hand.differing(doudi, hand.written(floor))

    assert written["accepted"] == report.read.accepted.num_rows == report.people_added
    assert report.read.rejected.num_rows > 0  # the file's errors are refused on both sides
    assert differing == dict.fromkeys(hand.COMPARED, 0)
    assert all(table.num_rows for table in doudi.values())  # nothing compared empty
