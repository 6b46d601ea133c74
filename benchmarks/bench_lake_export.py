"""Lake export benchmark: ``doudi lake export`` of a province from an SQLite registry of N insured.

What (issue #24: "the export of a 10^7-insured registry to the lake under 2 minutes"):
``plan.lake.export`` of Jiangxi (region 360000) for 2018 — the registry's tables read in
one reading transaction (``lake.registry_tables``: the plan's inputs' and the
comparison's, ``lake_bills.registry_bills``), the engine's inputs made of them
(``inputs.inputs_from_tables``), and everything written as Parquet by province and
county with its manifest (``lakehouse.writing``) — from a real SQLite registry, to a
fresh lake folder each run.

1. Setup, once per size, kept in ``--work DIR/<N>/`` (default under /work/bench-s16/)
   and reused by the next run of the same size and settings (``--rebuild`` builds it
   again): the registry benchmark's synthetic Jiangxi of N insured
   (``bench_registry.province``: ``--status-rows`` status periods, default N / 5 as there;
   its seven registry tables fitted to the registry's schema, ``conform``) with the
   sources issue #20 added (``province_sources.add_sources``: students, the employee
   schemes, the unemployment records, … — the plan benchmark's province; ``--no-sources``
   leaves them out), a fresh SQLite registry migrated as ``doudi`` migrates one
   (``DOUDI_DATABASE_URL``, ``Database.migrate``), then every table loaded with
   ``db.ingest`` (ADBC bulk ingest) in one writing transaction, the import batches
   first (``registry_position``, the export's registry position, is their last id) and
   the WAL checkpointed into the database file (as SQLite's own automatic checkpoint
   would, so the export reads the file, not a gigabyte WAL). The tables the province
   has no rows for (bills, plans, …) stay empty. Timed apart: building the tables,
   migrating, each table's ingest, the checkpoint.
2. Measurement: ``lake.target`` and ``lake.export`` in ``--repeat`` fresh processes
   (default 3; ``--one export N``, ``benchlib.turns``), each to a new lake folder
   (removed afterwards unless ``--keep-lakes``): the median and min–max wall seconds,
   the CPU seconds and peak resident memory (``ru_maxrss``) of the median run, the
   1-minute load before → after and the cores other processes kept busy. Inside each
   run the stages are timed by wrapping the functions the export calls (the wrappers
   cost nothing measurable): the registry read (every ``Reader.read`` of the
   transaction, table by table: SQLite's count then the rows, ``db.read``), the inputs
   made (``inputs.inputs_from_tables``), the bills' and the lake's tables prepared, and
   the writing — of it each table's rows ordered by county (``lake.split_rows``), each
   county's rows taken (``lake.Split.part``) and encoded as Parquet
   (``writing.parquet_bytes``), both on the writer's threads (their seconds summed over
   the threads: they may exceed the wall time), and the files written
   (``Location.write_bytes``); the rest is SHA-256 and the manifest.
3. Check, every run: the manifest's rows equal the registry's, counted by SQL apart
   from the export's own reading — the people (``registry_person`` of the region), the
   engine's status rows (the region's status periods of the statuses the rules read),
   the comparison's person, status-period, enrollment and roster-entry tables, and
   the registry position (the last import batch).

Why: a plan on Spark reads a lake export of the registry as it stands; each import
makes the lake stale, so the export is on the path of every Spark plan. Issue #24's
target on the 2-core reference machine: the export of a 10^7-insured registry under
2 minutes.

Usage: ``bench_lake_export.py [--insured 1000000] [--status-rows N] [--repeat 3]
[--work DIR] [--no-sources] [--rebuild] [--keep-lakes]``; a quick run: ``--insured
100000 --repeat 1``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pyarrow as pa

from bench_registry import STATUS_ROWS_PER_INSURED, province
from benchlib import (
    cpu_seconds,
    load_average,
    machine,
    peak_mib,
    run_child,
    spread,
    turns,
    verdict,
)

REGION = "360000"  # 江西省, the province bench_registry builds
#: The province's lists are as of 2018-03-31 (``bench_registry.AS_OF``); the plan year.
YEAR = 2018
INSURED = 1_000_000
TARGET_INSURED = 10_000_000
TARGET_SECONDS = 120.0
WORK = Path("/work/bench-s16/lake-export")
#: The environment variable by which the parent hands its children the run's settings
#: (JSON); they get only ``--one CODE N --repeat R``.
CONFIG = "DOUDI_BENCH_LAKE_EXPORT"
#: The order the tables are loaded in: what a row refers to first (foreign keys on).
LOAD_ORDER = (
    "registry_import_batch",
    "registry_import_scope",
    "registry_rejected_row",
    "registry_person",
    "registry_status_period",
    "registry_enrollment",
    "registry_roster_entry",
)
#: The manifest's tables checked against the registry's rows (module docstring, 3).
CHECKED = (
    "people",
    "statuses",
    "registry_person",
    "registry_status_period",
    "registry_enrollment",
    "registry_roster_entry",
)
#: Each registry ``Reader.read`` of the export, by the function it serves.
READ_GROUPS = ("registry", "bills")


# --- setup (child process) --------------------------------------------------------------


def config() -> dict[str, Any]:
    settings: dict[str, Any] = json.loads(os.environ[CONFIG])
    return settings


def registry_url(folder: Path) -> str:
    return f"sqlite:///{folder}/registry.sqlite3"


def tables_of(insured: int, status_rows: int, sources: bool) -> dict[str, pa.Table]:
    """The synthetic province's registry tables (``LOAD_ORDER``), fitted to the schema."""
    tables = province(insured, status_rows)
    if sources:
        from province_sources import add_sources

        add_sources(tables)
    return tables


def fresh_registry(url: str) -> tuple[Any, float]:
    """A new, migrated SQLite registry at ``url`` (any file there is removed first) as
    Django's default database, and the seconds its migration took."""
    from doudi.store import db

    path = Path(url.removeprefix("sqlite:///"))
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    os.environ["DOUDI_DATABASE_URL"] = url  # before Django reads its settings
    db.setup()
    database = db.Database()
    if database.uri() != str(path):
        raise RuntimeError(f"Django's default database is {database.uri()}, not {path}")
    start = time.perf_counter()
    database.migrate()
    return database, time.perf_counter() - start


def load(database: Any, tables: dict[str, pa.Table]) -> dict[str, dict[str, float]]:
    """Ingest ``tables`` into the registry in one writing transaction (emptying the
    dict as it goes, so each table's memory is let go once loaded), then checkpoint the
    WAL: each table's rows and seconds, and the commit's and checkpoint's seconds."""
    from doudi.store import db

    done: dict[str, dict[str, float]] = {}
    with database.transaction() as con:
        for name in LOAD_ORDER:
            table = tables.pop(name)
            # the columns no row fills are stored as null anyway (as rosters.importing
            # leaves them out: binding nulls row by row is slow on SQLite)
            given = [c for c in table.column_names if table.column(c).null_count < len(table)]
            start = time.perf_counter()
            db.ingest(con, database, name, db.text_times(table.select(given), database))
            done[name] = {"rows": table.num_rows, "seconds": time.perf_counter() - start}
            del table
        start = time.perf_counter()
    done["commit"] = {"rows": 0, "seconds": time.perf_counter() - start}
    start = time.perf_counter()
    with database.reading() as con, con.cursor() as cur:
        cur.execute("COMMIT")  # a checkpoint cannot run inside the reading transaction
        cur.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        cur.fetchall()
        cur.execute("BEGIN")
    done["checkpoint"] = {"rows": 0, "seconds": time.perf_counter() - start}
    return done


def measure_setup(n: int) -> dict[str, Any]:
    settings = config()
    folder = Path(settings["dir"])
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "setup.json").unlink(missing_ok=True)
    database, migrate = fresh_registry(registry_url(folder))
    start = time.perf_counter()
    tables = tables_of(n, settings["status_rows"], settings["sources"])
    generate = time.perf_counter() - start
    start, cpu = time.perf_counter(), cpu_seconds()
    loaded = load(database, tables)
    result = {
        "settings": settings,
        "generate_seconds": generate,
        "migrate_seconds": migrate,
        "load_seconds": time.perf_counter() - start,
        "load_cpu_seconds": cpu_seconds() - cpu,
        "tables": loaded,
        "file_bytes": Path(database.uri()).stat().st_size,
        "peak_mib": peak_mib(),
    }
    (folder / "setup.json").write_text(json.dumps(result), "utf-8")
    return result


def registry_counts(database: Any, region: str = REGION) -> dict[str, int]:
    """What the export must hold, counted by SQL on the registry (not by its reading)."""
    from doudi.core import regions
    from doudi.plan.inputs import RULE_STATUSES
    from doudi.store import db

    prefix = regions.hukou_prefix(region) + "%"
    people = "SELECT id FROM registry_person WHERE hukou_region LIKE ?"
    ruled = ", ".join("?" * len(RULE_STATUSES))
    statements: dict[str, tuple[str, tuple[Any, ...]]] = {
        "people": ("SELECT count(*) FROM registry_person WHERE hukou_region LIKE ?", (prefix,)),
        "statuses": (
            f"SELECT count(*) FROM registry_status_period WHERE status IN ({ruled}) "
            f"AND person_id IN ({people})",
            (*RULE_STATUSES, prefix),
        ),
        **{
            name: (f"SELECT count(*) FROM {name} WHERE person_id IN ({people})", (prefix,))
            for name in ("registry_status_period", "registry_enrollment", "registry_roster_entry")
        },
        "all_people": ("SELECT count(*) FROM registry_person", ()),
        "registry_batch": ("SELECT coalesce(max(id), 0) FROM registry_import_batch", ()),
    }
    with database.reading() as con:
        counts = {name: int(db.scalar(con, sql, ps)) for name, (sql, ps) in statements.items()}
    counts["registry_person"] = counts["people"]
    return counts


def measure_counts(n: int) -> dict[str, Any]:
    from doudi.store import db

    db.setup()
    return registry_counts(db.Database())


# --- the export (child process) ---------------------------------------------------------


@contextmanager
def stage_timers() -> Iterator[dict[str, Any]]:
    """While open, the export's stages timed by wrapping what ``plan.lake`` calls
    (module docstring, 2); the times gather in the dict it yields."""
    from doudi.lakehouse import location, writing
    from doudi.plan import inputs, lake, lake_bills
    from doudi.store import db

    times: dict[str, Any] = {
        "reads": [],
        "encode_seconds": 0.0,
        "split_seconds": 0.0,
        "take_seconds": 0.0,
        "files_seconds": 0.0,
    }
    summing = threading.Lock()  # the writer's threads add to the same sums
    group = {"name": ""}
    originals: list[tuple[Any, str, Any]] = []

    def wrap(owner: Any, name: str, around: Callable[..., Any]) -> None:
        original = getattr(owner, name)
        originals.append((owner, name, original))
        setattr(owner, name, around(original))

    def grouped(label: str) -> Callable[..., Any]:
        def around(original: Callable[..., Any]) -> Callable[..., Any]:
            def call(*args: Any, **kwargs: Any) -> Any:
                group["name"] = label
                times[f"{label}_start"] = start = time.perf_counter()
                try:
                    return original(*args, **kwargs)
                finally:
                    times[f"{label}_end"] = end = time.perf_counter()
                    times[f"{label}_seconds"] = end - start

            return call

        return around

    def reads(original: Callable[..., Any]) -> Callable[..., Any]:
        def read(self: Any, table: str, *args: Any, **kwargs: Any) -> Any:
            start = time.perf_counter()
            out = original(self, table, *args, **kwargs)
            seconds = time.perf_counter() - start
            times["reads"].append([group["name"], table, out.num_rows, seconds])
            return out

        return read

    def summed(key: str) -> Callable[..., Any]:
        def around(original: Callable[..., Any]) -> Callable[..., Any]:
            def call(*args: Any, **kwargs: Any) -> Any:
                start = time.perf_counter()
                try:
                    return original(*args, **kwargs)
                finally:
                    with summing:
                        times[key] += time.perf_counter() - start

            return call

        return around

    wrap(lake, "registry_tables", grouped("registry"))
    wrap(lake_bills, "registry_bills", grouped("bills"))
    wrap(inputs, "inputs_from_tables", grouped("made"))
    wrap(db.InTransaction, "read", reads)
    wrap(writing, "parquet_bytes", summed("encode_seconds"))
    wrap(lake, "split_rows", summed("split_seconds"))
    wrap(lake.Split, "part", summed("take_seconds"))
    wrap(location.Location, "write_bytes", summed("files_seconds"))
    try:
        yield times
    finally:
        for owner, name, original in reversed(originals):
            setattr(owner, name, original)


def timed_export(database: Any, lake_dir: Path, region: str = REGION) -> dict[str, Any]:
    """``lake.target`` and ``lake.export`` of ``region`` and :data:`YEAR` to the empty
    folder ``lake_dir``: wall and CPU seconds, the stages, the manifest's rows."""
    from doudi.plan import lake

    marks: dict[str, float] = {}
    counties = [0]

    def progress(stage: str) -> None:
        if "writing the lake" in stage:
            marks["writing"] = time.perf_counter()
        elif stage.endswith("/ written"):
            counties[0] += 1

    lake_dir.mkdir(parents=True)
    with stage_timers() as times:
        start, cpu = time.perf_counter(), cpu_seconds()
        where = lake.target(region, str(lake_dir))
        begun = time.perf_counter()
        written = lake.export(database, region, YEAR, where, progress)
        end = time.perf_counter()
        cpu_s = cpu_seconds() - cpu
    manifest = written.manifest
    return {
        "seconds": end - start,
        "cpu_seconds": cpu_s,
        "target_seconds": begun - start,
        # the reading transaction, from the export's start to the inputs being made: the
        # SQL reads and the comparison's tables given their counties (lake_registry)
        "transaction_seconds": times["made_start"] - begun,
        "read_seconds": sum(r[3] for r in times["reads"]),
        "made_seconds": times["made_seconds"],
        "prepare_seconds": marks["writing"] - times["made_end"],
        "write_seconds": end - marks["writing"],
        "encode_seconds": times["encode_seconds"],
        "split_seconds": times["split_seconds"],
        "take_seconds": times["take_seconds"],
        "files_seconds": times["files_seconds"],
        "reads": times["reads"],
        "counties": len(manifest.parts),
        "rewritten": counties[0],
        "rows": {table: manifest.rows(table) for table in manifest.tables()},
        "registry_batch": manifest.registry_batch,
        "lake_bytes": sum(p.bytes for parts in manifest.parts.values() for p in parts.values()),
        "files": sum(len(parts) for parts in manifest.parts.values()),
    }


def differences(run: Mapping[str, Any], counts: Mapping[str, int]) -> list[str]:
    """Where an export's manifest and the registry's counts disagree (none: right)."""
    wrong = [
        f"{t}: manifest {run['rows'].get(t)} ≠ registry {counts[t]}"
        for t in CHECKED
        if run["rows"].get(t) != counts[t]
    ]
    if run["registry_batch"] != counts["registry_batch"]:
        wrong.append(f"registry_batch {run['registry_batch']} ≠ {counts['registry_batch']}")
    return wrong


def measure_export(n: int) -> dict[str, Any]:
    from doudi.store import db

    settings = config()
    folder = Path(settings["dir"])
    db.setup()
    database = db.Database()
    pre = peak_mib()
    lake_dir = folder / f"lake-{os.getpid()}"
    try:
        result = timed_export(database, lake_dir)
    finally:
        if not settings["keep_lakes"]:
            shutil.rmtree(lake_dir, ignore_errors=True)
    result.update(pre_mib=pre, peak_mib=peak_mib(), lake=str(lake_dir))
    result["differ"] = differences(result, settings["counts"])
    with (folder / "runs.jsonl").open("a", encoding="utf-8") as runs:
        runs.write(json.dumps(result) + "\n")
    return result


MEASURES: dict[str, Callable[[int], dict[str, Any]]] = {
    "setup": measure_setup,
    "counts": measure_counts,
    "export": measure_export,
}


# --- orchestration (parent process) -----------------------------------------------------


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n", 1)[0])
    parser.add_argument("--insured", type=int, default=INSURED)
    parser.add_argument(
        "--status-rows", type=int, default=None, help="status periods (default insured / 5)"
    )
    parser.add_argument(
        "--repeat",
        type=int,
        default=int(os.environ.get("DOUDI_BENCH_REPEAT", 3)),
        help="exports, each in a fresh process: the median and the min–max are reported",
    )
    parser.add_argument("--work", type=Path, default=WORK, help="scratch folder (kept)")
    parser.add_argument(
        "--no-sources",
        dest="sources",
        action="store_false",
        help="the comparison's province only, without province_sources' lists",
    )
    parser.add_argument("--rebuild", action="store_true", help="build the registry again")
    parser.add_argument("--keep-lakes", action="store_true", help="keep each run's lake")
    parser.add_argument("--one", nargs=2, metavar=("CODE", "N"), help=argparse.SUPPRESS)
    return parser.parse_args()


def reusable(folder: Path, settings: Mapping[str, Any]) -> dict[str, Any] | None:
    """The setup of an earlier run, if it built this registry with these settings."""
    done = folder / "setup.json"
    if not done.exists() or not (folder / "registry.sqlite3").exists():
        return None
    setup: dict[str, Any] = json.loads(done.read_text("utf-8"))
    kept = ("insured", "status_rows", "sources")
    return setup if all(setup["settings"][k] == settings[k] for k in kept) else None


def mib(n: float) -> str:
    return f"{n / 2**20:,.0f} MiB"


def print_setup(n: int, setup: Mapping[str, Any], reused: bool) -> None:
    when = "built by an earlier run, kept" if reused else "built now"
    print(
        f"setup ({when}): tables built in {setup['generate_seconds']:.1f} s, registry "
        f"migrated in {setup['migrate_seconds']:.1f} s, loaded in {setup['load_seconds']:.1f} s "
        f"({setup['load_cpu_seconds']:.1f} CPU s, one transaction), SQLite file "
        f"{mib(setup['file_bytes'])}, setup peak {setup['peak_mib']:,.0f} MiB"
    )
    print("| table | rows | ingest s | rows/s |")
    print("|---|---|---|---|")
    for name, t in setup["tables"].items():
        rate = f"{t['rows'] / t['seconds']:,.0f}" if t["rows"] and t["seconds"] > 0 else "–"
        rows = f"{t['rows']:,.0f}" if t["rows"] else "–"
        print(f"| {name} | {rows} | {t['seconds']:.1f} | {rate} |")


def print_runs(runs: list[dict[str, Any]]) -> None:
    print(
        "| run | wall s | CPU s | peak MiB | target s | registry read s | of it SQL reads s "
        "| inputs made s | prepared s | lake written s | of it: ordered by county s "
        "| taken by county s (threads) | Parquet s (threads) | files s |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for i, r in enumerate(runs, 1):
        print(
            f"| {i} | {r['seconds']:.2f} | {r['cpu_seconds']:.1f} | {r['peak_mib']:,.0f} "
            f"| {r['target_seconds']:.2f} | {r['transaction_seconds']:.2f} "
            f"| {r['read_seconds']:.2f} | {r['made_seconds']:.2f} | {r['prepare_seconds']:.2f} "
            f"| {r['write_seconds']:.2f} | {r['split_seconds']:.2f} | {r['take_seconds']:.2f} "
            f"| {r['encode_seconds']:.2f} | {r['files_seconds']:.2f} |"
        )


def print_reads(run: Mapping[str, Any]) -> None:
    """The median run's reads, table by table."""
    print("| read for | table | rows | seconds |")
    print("|---|---|---|---|")
    for group, table, rows, seconds in run["reads"]:
        print(f"| {group} | {table} | {rows:,} | {seconds:.2f} |")


def summary_row(n: int, setup: Mapping[str, Any], r: dict[str, Any]) -> str:
    def stage(key: str) -> str:
        return f"{statistics.median(x[key] for x in r['all']):.1f} s"

    load = r["load"]
    return (
        f"| {n:,} | {mib(setup['file_bytes'])} | **{r['seconds']:.1f} s** ({spread(r)}) "
        f"| {r['cpu_seconds']:.1f} s | {r['peak_mib']:,.0f} MiB | {stage('transaction_seconds')} "
        f"| {stage('made_seconds')} | {stage('prepare_seconds')} | {stage('write_seconds')} "
        f"| {r['counties']} counties, {r['files']} files, {mib(r['lake_bytes'])} "
        f"| {load[0]:.1f} → {load[1]:.1f} | {r['others']:.2f} |"
    )


SUMMARY_HEADER = (
    "| insured | SQLite registry | export (median, min–max) | CPU | peak RSS | registry read "
    "| inputs made | bills, comparison prepared | lake written | lake | load (1 min) "
    "| others (cores) |\n|---|---|---|---|---|---|---|---|---|---|---|---|"
)


def main() -> None:
    args = parse_args()
    if args.one:
        print(json.dumps(MEASURES[args.one[0]](int(args.one[1]))))
        return
    n = args.insured
    status_rows = (
        round(n * STATUS_ROWS_PER_INSURED) if args.status_rows is None else args.status_rows
    )
    folder = (args.work / str(n)).resolve()
    settings: dict[str, Any] = {
        "dir": str(folder),
        "insured": n,
        "status_rows": status_rows,
        "sources": args.sources,
        "keep_lakes": args.keep_lakes,
    }
    os.environ[CONFIG] = json.dumps(settings)
    # the registry is Django's default database in every child, as for `doudi lake export`
    os.environ["DOUDI_DATABASE_URL"] = registry_url(folder)
    lists = "with province_sources' lists" if args.sources else "the first lists only"
    print(
        f"Doudi lake export benchmark: region {REGION} {YEAR} from an SQLite registry of "
        f"{n:,} insured ({status_rows:,} status periods, {lists}), {args.repeat} fresh "
        f"processes (scratch {folder})"
    )
    print("\n".join(machine()))
    print()
    started = time.perf_counter()
    setup = None if args.rebuild else reusable(folder, settings)
    reused = setup is not None
    if setup is None:
        setup = run_child(__file__, "setup", n, 1)
    print_setup(n, setup, reused)
    counts = run_child(__file__, "counts", n, 1)
    os.environ[CONFIG] = json.dumps({**settings, "counts": counts})
    print(
        f"registry: {counts['all_people']:,} people ({counts['people']:,} of the region), "
        f"{counts['registry_status_period']:,} status periods ({counts['statuses']:,} of the "
        f"rules' statuses), {counts['registry_enrollment']:,} enrollments, "
        f"{counts['registry_roster_entry']:,} roster entries, last import batch "
        f"{counts['registry_batch']}"
    )
    (folder / "runs.jsonl").unlink(missing_ok=True)
    result = turns(__file__, ("export",), n, args.repeat)
    r: dict[str, Any] = {**result["export"], "load": result["load"], "others": result["others"]}
    lines = (folder / "runs.jsonl").read_text("utf-8").splitlines()
    r["all"] = runs = [json.loads(line) for line in lines]
    print()
    print_runs(runs)
    print()
    print("the median run's reads of the registry (one reading transaction):")
    print_reads(r)
    print()
    wrong = [(i, d) for i, run in enumerate(runs, 1) for d in run["differ"]]
    rows = r["rows"]
    print(
        f"check: manifest people {rows['people']:,} (registry {counts['people']:,}), statuses "
        f"{rows['statuses']:,} ({counts['statuses']:,}), registry_status_period "
        f"{rows['registry_status_period']:,} ({counts['registry_status_period']:,}), "
        f"registry_enrollment {rows['registry_enrollment']:,} "
        f"({counts['registry_enrollment']:,}), registry_roster_entry "
        f"{rows['registry_roster_entry']:,} ({counts['registry_roster_entry']:,}), registry "
        f"batch {r['registry_batch']} ({counts['registry_batch']}): "
        + ("every run the same" if not wrong else f"DIFFERENT: {wrong}")
    )
    print()
    print(SUMMARY_HEADER)
    print(summary_row(n, setup, r))
    print()
    print(
        "export: lake.target + lake.export in a fresh process, the median of "
        f"{len(runs)} (min–max the fastest and slowest); CPU: of the median run (up to 2 × "
        "wall on two cores); peak RSS: the largest ru_maxrss of the runs (modules "
        f"included: {r['pre_mib']:,.0f} MiB before the export); registry read: the reading "
        "transaction (lake.registry_tables and the bills' reading, the SQL reads with "
        "SQLite's count first, and the comparison's tables given their counties); inputs "
        "made: inputs.inputs_from_tables; bills, comparison prepared: the rest before "
        "writing (release_unused, lake_bills.settlement_tables); lake written: the rows "
        "ordered by county (lake.split_rows), each county's taken (lake.Split.part) and "
        "encoded (writing.parquet_bytes) on the writer's threads, SHA-256, the files "
        "written (Location.write_bytes) and the manifest; stages are the medians of the "
        "runs; load: the 1-minute "
        "load average before → after the runs; others: cores other processes kept busy "
        "meanwhile (the machine's busy time less this benchmark's)."
    )
    print(f"total {time.perf_counter() - started:.0f} s")
    print(load_average())
    seconds = r["seconds"]
    if n >= TARGET_INSURED:
        met = seconds < TARGET_SECONDS and not wrong
        said = verdict(met, f"{seconds:.1f} s, the median of {len(runs)}, at {n:,} insured")
    else:
        said = f"not measured at {TARGET_INSURED:,} ({seconds:.1f} s at {n:,})"
    print(f"target: the export of a 10^7-insured registry under {TARGET_SECONDS:.0f} s: {said}")
    if wrong:
        raise SystemExit("the export's rows differ from the registry's")


if __name__ == "__main__":
    main()
