"""Roster import benchmark: a 10^6-row department file into SQLite and PostgreSQL.

Issue #25 §3 asks for imports at database speed: a 10^6-row roster into PostgreSQL in
15 s and into SQLite in 20 s. What is measured, each run in a fresh process of this
script (``--one``), so that the peak resident memory it reports is its own:

- ``read``: ``rosters.reading.read_roster`` alone — decoding, every cell validated in
  DuckDB over Arrow, duplicates, the rejected rows with their Chinese reasons.
- ``import``: ``rosters.importing.import_roster`` of the same file into a fresh,
  migrated registry (migrating is not timed): the read above, then the one
  transaction under the writer lock — the batch, 10^6 new people, their roster
  entries, the enrollments derived from the list, one audit row per person added and
  per period opened — and the commit. Every person is new: the heaviest import there
  is (a later list of the same people writes a tenth of it).

- ``floor SQLite``, ``floor PostgreSQL``: the same file imported by hand-written code
  (``import_hand``: one DuckDB statement checking the cells this file has, one
  transaction writing the same rows) into a registry of its own on each database; after
  the runs the last Doudi import and the last floor run are compared table by table, and
  each pair's ratio printed (issue #25 §1).

The file is the resident-medical extract of ``doudi synth`` for ``--people`` persons
(default 10^6) plus 5% insured who appear only in the enrollment extracts, CSV: about
1.01·10^6 rows, 1% of them refused (the synthesizer's deliberate errors). ``write`` is
import − read (medians). The runs take turns (read, import SQLite, import PostgreSQL,
``--repeat`` times over, default 3), medians with min–max, as issue #25 asks; the load
of the machine is printed before and after (the machine is shared: other processes move
the timings, and ``others`` says how many cores they kept busy).

Usage: ``bench_import.py [--people 1000000] [--repeat 3] [--postgres URL] [--keep]``;
``--postgres`` (or ``DOUDI_BENCH_POSTGRES``) names a database on a PostgreSQL server
(``make bench`` gives the test server's): the benchmark creates a database of its own
beside it, ``<name>_bench_import`` (and ``<name>_bench_import_floor`` for the floor), and
drops them at the end. A quick run:
``--people 100000 --repeat 1``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

from benchlib import (
    OthersBusy,
    cpu_seconds,
    load_average,
    machine,
    median_run,
    peak_mib,
    run_child,
)

REGION = "360000"
AS_OF = date(2018, 3, 31)
SOURCE = "resident_medical"
PEOPLE = 1_000_000
ENROLLED_SHARE = 0.05
#: Issue #25's targets for a roster of ``TARGET_ROWS`` rows, seconds.
TARGETS = {"SQLite": 20.0, "PostgreSQL": 15.0}
TARGET_ROWS = 1_000_000
#: Each database's hand-written import (``import_hand``), the other side of its pair.
FLOORS = {"SQLite": "floor SQLite", "PostgreSQL": "floor PostgreSQL"}
#: How the parent hands its children the run's settings (JSON: scratch, database URL).
CONFIG = "DOUDI_BENCH_IMPORT"


def config() -> dict[str, Any]:
    settings: dict[str, Any] = json.loads(os.environ[CONFIG])
    return settings


def roster() -> Path:
    return Path(config()["dir"]) / "files" / f"{SOURCE}.csv"


def fresh_registry(url: str) -> Any:
    """A migrated registry with nothing in it (``db.Database``), Django set up."""
    from doudi.store import db

    db.setup()
    registry = db.register("bench", url)
    if registry.dialect == "sqlite":
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{registry.uri()}{suffix}").unlink(missing_ok=True)
    else:
        with registry.transaction() as con:
            db.execute(con, "DROP SCHEMA public CASCADE")
            db.execute(con, "CREATE SCHEMA public")
    registry.migrate()
    return registry


def measure_read() -> dict[str, Any]:
    from doudi.rosters.reading import read_roster

    pre = peak_mib()
    start, cpu = time.perf_counter(), cpu_seconds()
    read = read_roster(roster(), SOURCE)
    return {
        "seconds": time.perf_counter() - start,
        "cpu_seconds": cpu_seconds() - cpu,
        "rows": read.rows_read,
        "accepted": read.accepted.num_rows,
        "pre_mib": pre,
        "peak_mib": peak_mib(),
    }


def measure_import(url: str) -> dict[str, Any]:
    from doudi.rosters.importing import import_roster

    registry = fresh_registry(url)
    pre = peak_mib()
    start, cpu = time.perf_counter(), cpu_seconds()
    report = import_roster(registry, roster(), SOURCE, AS_OF, actor="bench")
    seconds = time.perf_counter() - start
    return {
        "seconds": seconds,
        "cpu_seconds": cpu_seconds() - cpu,
        "rows": report.read.rows_read,
        "accepted": report.read.accepted.num_rows,
        "people_added": report.people_added,
        "periods_opened": report.periods_opened,
        "pre_mib": pre,
        "peak_mib": peak_mib(),
    }


def measure_floor(url: str) -> dict[str, Any]:
    """The hand-written import of the same file (``import_hand``), timed as above."""
    from import_hand import import_file

    registry = fresh_registry(url)
    pre = peak_mib()
    start, cpu = time.perf_counter(), cpu_seconds()
    written = import_file(registry, roster(), AS_OF, "bench")
    return {
        "seconds": time.perf_counter() - start,
        "cpu_seconds": cpu_seconds() - cpu,
        "rows": written["rows"],
        "accepted": written["accepted"],
        "pre_mib": pre,
        "peak_mib": peak_mib(),
    }


def measure_one(code: str) -> dict[str, Any]:
    if code == "read":
        return measure_read()
    if code in FLOORS.values():
        return measure_floor(config()["urls"][code])
    return measure_import(config()["urls"][code])


def differing(doudi: str, floor: str) -> dict[str, int]:
    """The rows Doudi's last import into ``doudi`` (a URL) and the last floor run into
    ``floor`` wrote differently, per table (``import_hand.differing``)."""
    from doudi.store import db
    from import_hand import differing as compared
    from import_hand import written

    db.setup()
    return compared(written(db.register("doudi", doudi)), written(db.register("floor", floor)))


def synthesize(people: int, out: Path) -> tuple[float, int]:
    from doudi.synth.departments import synthesize as write_files

    start = time.perf_counter()
    manifest = write_files(
        REGION, people, out, file_format="csv", enrolled=round(people * ENROLLED_SHARE)
    )
    return time.perf_counter() - start, manifest.file(SOURCE).rows


def own_database(server: str, suffix: str, *, drop: bool = False) -> str:
    """A database of the benchmark's own beside ``server``'s (created afresh, or
    dropped): a run never touches the database it was pointed at."""
    import psycopg

    base, _, name = server.rpartition("/")
    own = f"{name}_bench_{suffix}"
    with psycopg.connect(server, autocommit=True) as con:
        con.execute(f'DROP DATABASE IF EXISTS "{own}" WITH (FORCE)')
        if not drop:
            con.execute(f'CREATE DATABASE "{own}"')
    return f"{base}/{own}"


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=PEOPLE)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--postgres", default=os.environ.get("DOUDI_BENCH_POSTGRES"))
    parser.add_argument("--keep", action="store_true", help="keep the scratch directory")
    parser.add_argument("--one", nargs=2, metavar=("CODE", "N"), help=argparse.SUPPRESS)
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    if args.one:
        print(json.dumps(measure_one(args.one[0])))
        return
    work = Path(tempfile.mkdtemp(prefix="doudi-bench-import-", dir="/tmp"))
    urls = {
        "SQLite": f"sqlite:///{work}/registry.sqlite3",
        FLOORS["SQLite"]: f"sqlite:///{work}/floor.sqlite3",
    }
    if args.postgres:
        urls["PostgreSQL"] = own_database(args.postgres, "import")
        urls[FLOORS["PostgreSQL"]] = own_database(args.postgres, "import_floor")
    os.environ[CONFIG] = json.dumps({"dir": str(work), "urls": urls})
    # Django's default database too, so nothing touches var/doudi.sqlite3.
    os.environ["DOUDI_DATABASE_URL"] = f"sqlite:///{work}/default.sqlite3"
    print(f"Doudi roster import benchmark: {SOURCE}, as of {AS_OF} (scratch {work})")
    print("\n".join(machine()))
    others = OthersBusy()
    try:
        seconds, rows = synthesize(args.people, work / "files")
        print(f"synthesized {args.people:,} people in {seconds:.1f} s: {rows:,} rows\n")
        codes = ("read", *urls)
        runs: dict[str, list[dict[str, Any]]] = {code: [] for code in codes}
        for _ in range(args.repeat):
            for code in codes:
                runs[code].append(run_child(__file__, code, args.people, 1))
        differ = {d: differing(urls[d], urls[floor]) for d, floor in FLOORS.items() if d in urls}
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
        if args.postgres:
            own_database(args.postgres, "import", drop=True)
            own_database(args.postgres, "import_floor", drop=True)
    medians = {code: median_run(these) for code, these in runs.items()}
    print(report(medians))
    for database, rows in differ.items():
        print(pair(database, medians, rows))
    if any(n for rows in differ.values() for n in rows.values()):
        sys.exit("the floor and Doudi's import wrote different rows: the pair is not comparable")
    print(f"others kept {others.cores():.2f} cores busy")
    print(load_average())


def report(results: dict[str, dict[str, Any]]) -> str:
    """The table: per database, the import's median (min–max), its write part, rows
    per second, peak memory, and the target."""
    read = results["read"]
    lines = [
        "| step | rows | median s (min–max) | CPU s | rows/s | peak MiB | target |",
        "| --- | ---: | --- | ---: | ---: | ---: | --- |",
        _line("read + validate", read, ""),
    ]
    for name, r in results.items():
        if name == "read" or name in FLOORS.values():
            continue
        target = TARGETS[name]
        if r["rows"] < TARGET_ROWS:
            met = "for 10^6 rows"
        else:
            met = "met" if r["seconds"] <= target else "missed"
        lines.append(_line(f"import into {name}", r, f"≤ {target:.0f} s: {met}"))
        lines.append(
            f"| of which write ({name}) | | {r['seconds'] - read['seconds']:.1f} | | | | |"
        )
    return "\n".join(lines)


def pair(database: str, results: dict[str, dict[str, Any]], differ: dict[str, int]) -> str:
    """Doudi's import into ``database`` against its hand-written floor: the ratio of the
    medians (and of the CPU seconds: the client's alone on PostgreSQL), and the rows
    that differ per table."""
    doudi, floor = results[database], results[FLOORS[database]]
    ratio = doudi["seconds"] / floor["seconds"]
    cpu = doudi["cpu_seconds"] / floor["cpu_seconds"]
    tables = ", ".join(f"{name.removeprefix('registry_')} {n}" for name, n in differ.items())
    return "\n".join(
        [
            "",
            f"| {database} | median s (min–max) | CPU s | peak MiB |",
            "| --- | --- | ---: | ---: |",
            _pair_line("Doudi (import_roster)", doudi),
            _pair_line("hand-written floor (import_hand)", floor),
            f"ratio Doudi / floor: {ratio:.2f}× (CPU {cpu:.2f}×)",
            f"rows differing: {tables}",
        ]
    )


def _pair_line(side: str, r: dict[str, Any]) -> str:
    spread = f"{r['seconds']:.1f} ({r['seconds_min']:.1f}–{r['seconds_max']:.1f})"
    return f"| {side} | {spread} | {r['cpu_seconds']:.1f} | {r['peak_mib']:,.0f} |"


def _line(step: str, r: dict[str, Any], target: str) -> str:
    spread = f"{r['seconds']:.1f} ({r['seconds_min']:.1f}–{r['seconds_max']:.1f})"
    rate = r["rows"] / r["seconds"]
    return (
        f"| {step} | {r['rows']:,} | {spread} | {r['cpu_seconds']:.1f} | {rate:,.0f} | "
        f"{r['peak_mib']:,.0f} | {target} |"
    )


if __name__ == "__main__":
    main()
