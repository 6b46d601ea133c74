"""Byte-for-byte outputs kept from before the domain-package redesign (issue #18): the
examples' explanations and a demo county's plan must not change when code moves.

The files under ``tests/golden/`` were written by the code before the move; set
``DOUDI_UPDATE_GOLDEN=1`` to write them again after a deliberate change of output (and
say why in the commit).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv
import pytest

from doudi.rosters.sources import RECORDS

# each runs the command line in fresh processes
pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parent.parent
GOLDEN = REPO / "tests" / "golden"
UPDATE = os.environ.get("DOUDI_UPDATE_GOLDEN") == "1"
ROSTERS = (
    "poverty",
    "dibao",
    "tekun",
    "disability",
    "resident_pension",
    "resident_medical",
    "death",
)
#: What the demo county imports: the first lists (the golden of before the lists issue
#: #20 added), then its record lists, which give the unemployment programme its rows.
IMPORTED = (*ROSTERS, *RECORDS)


def doudi(*args: str, env: dict[str, str] | None = None) -> str:
    """The command's standard output; it must succeed."""
    done = subprocess.run(
        [sys.executable, "-c", "from doudi.cli import app; app()", *args],
        capture_output=True,
        env={**os.environ, "COLUMNS": "200", **(env or {})},
        cwd=REPO,
    )
    assert done.returncode == 0, done.stderr.decode()
    return done.stdout.decode()


def same_as_golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8"), f"{name} differs from tests/golden/{name}"


EXAMPLES = sorted(p.name for p in (REPO / "examples").glob("*.yaml"))
BILLS = sorted(p.name for p in (REPO / "examples" / "bills").glob("*.yaml"))


@pytest.mark.parametrize("example", EXAMPLES)
def test_example_explanations_and_json_are_unchanged(example: str) -> None:
    stem = example.removesuffix(".yaml")
    same_as_golden(f"evaluate/{stem}.txt", doudi("evaluate", "--explain", f"examples/{example}"))
    same_as_golden(f"evaluate/{stem}.json", doudi("evaluate", f"examples/{example}"))


@pytest.mark.parametrize("bills", BILLS)
def test_example_bill_settlements_are_unchanged(bills: str) -> None:
    stem = bills.removesuffix(".yaml")
    same_as_golden(f"settle/{stem}.txt", doudi("settle", "--explain", f"examples/bills/{bills}"))


@pytest.mark.slow
def test_a_demo_county_plan_is_unchanged(tmp_path: Path) -> None:
    """A demo county (Jiangxi 360102, 800 synthetic people, seed 1) through the rosters
    and the record lists, the comparison and the plan: the commands' output, the plan's
    inputs checksum and every contribution row (the unemployment programme's too)."""
    env = {"DOUDI_DATABASE_URL": f"sqlite:///{tmp_path}/demo.sqlite3", "DOUDI_HOME": str(tmp_path)}
    files = tmp_path / "files"
    doudi("synth", "--region", "360102", "--people", "800", "--out", str(files), "--seed", "1")
    out = []
    for source in IMPORTED:
        roster = next(files.glob(f"{source}.*"))
        out.append(
            doudi(
                "import", str(roster), "--source", source, "--as-of", "2018-03-31", env=env
            ).replace(str(roster), roster.name)
        )
    out.append(doudi("compare", "--region", "360102", "--as-of", "2018-03-31", env=env))
    out.append(doudi("plan", "--jurisdiction", "360000", "--year", "2018", env=env))
    same_as_golden("plan/360102-commands.txt", "".join(out))

    from doudi.store import db

    db.setup()
    database = db.register(f"golden_{tmp_path.name}", env["DOUDI_DATABASE_URL"])
    version = database.read("registry_plan_version").to_pylist()[0]
    people = database.read("registry_person", columns=("id", "id_number"))
    rows = database.read("registry_contribution")
    number = dict(zip(people["id"].to_pylist(), people["id_number"].to_pylist(), strict=True))
    table = pa.table(
        {
            "id_number": [number[p] for p in rows["person_id"].to_pylist()],
            "year": rows["year"],
            "scheme": rows["scheme"],
            "payer": rows["payer"],
            "amount": rows["amount"],
            "state": rows["state"],
            "basis": rows["basis"],
        }
    ).sort_by([("id_number", "ascending"), ("scheme", "ascending"), ("payer", "ascending")])
    sink = pa.BufferOutputStream()
    pacsv.write_csv(table, sink)
    text = f"inputs_checksum {version['inputs_checksum']}\n" + sink.getvalue().to_pybytes().decode()
    same_as_golden("plan/360102-contributions.csv", text)
