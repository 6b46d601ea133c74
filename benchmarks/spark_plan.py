"""The yearly plan on Spark reading a lake, against DuckDB doing the same work (issue #24
§5): ``bench_spark.py``'s programme ``plan``.

What: the plan benchmark's synthetic Jiangxi of N insured (``bench_plan``: its registry
tables built as Arrow and read as ``engine_inputs`` reads them, ``inputs_from_tables``)
written to a lake by county as ``doudi lake export`` writes them (``plan.lake.by_county``,
``lakehouse.writing``; timed apart as the export), then every programme of Jiangxi's
document on the lake as ``doudi plan --lake`` runs it (``plan.lake_evaluation.on_lake``:
read the county files, the rules once, write the programmes' columns by county, read
them back) and each programme's contribution rows — on DuckDB in the process (``doudi
plan --engine duckdb --lake``, the operator's check of a Spark run), on Spark
``local[2]`` and on the two-worker cluster. Each measurement is a fresh process
(``bench_spark.py --one plan:ENGINE N``; ``spark_runs.timed``: Spark's session start and
the first, cold, run apart from the warm run timed). Every Spark run's rows are checked
equal, row by row, to the DuckDB path's rows of the same files in the same process.

Why: the issue's target is the plan on Spark ``local[2]`` within 4× DuckDB at 10^6 and
10^7 insured, with a driver of at most 2 GiB, and the cluster giving DuckDB's rows.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any

import pyarrow as pa

import spark_runs

JURISDICTION, YEAR = "360000", 2018
#: Where the parent's lake reaches the measuring processes.
LAKE_ENV = "DOUDI_BENCH_PLAN_LAKE"
#: Where the plan's results are written in the lake (as ``doudi plan`` writes them).
RESULTS = "results/plan-360000"


def write_lake(folder: Path, n: int) -> dict[str, Any]:
    """The plan benchmark's province of ``n`` insured in a lake at ``folder``: its
    registry tables built (in ``folder``'s parent, then removed), read as the plan reads
    the registry, and exported by county; the seconds to build and to export apart."""
    import bench_plan
    from bench_registry import READ_BATCH_ROWS
    from doudi.lakehouse import writing
    from doudi.lakehouse.location import locate
    from doudi.plan import inputs, lake, lake_bills, lake_registry

    scratch = folder.parent / "plan-registry"
    os.environ[bench_plan.CONFIG] = json.dumps({"dir": str(scratch), "batch_rows": READ_BATCH_ROWS})
    start = time.perf_counter()
    bench_plan.measure_generate(n)
    tables = bench_plan.load(n)
    read = inputs.inputs_from_tables(tables, JURISDICTION, YEAR)
    del tables
    built = time.perf_counter() - start
    for path in (scratch / str(n)).iterdir():
        path.unlink()
    start = time.perf_counter()
    header = writing.Header(JURISDICTION, JURISDICTION, YEAR, registry_batch=0)
    bills = lake_bills.settlement_tables(lake_bills.no_bills(), read)
    # the comparison's tables, empty: the plan does not read them (spark_comparison
    # writes a registry of its own)
    compared = {
        name: (pa.table({c: pa.array([], pa.string()) for c in columns}), pa.array([], pa.string()))
        for name, columns in lake_registry.COLUMNS.items()
    }
    written = writing.write(locate(str(folder)), header, lake.by_county(read, *bills, compared))
    return {
        "build_seconds": built,
        "export_seconds": time.perf_counter() - start,
        "partitions": len(written.manifest.parts),
        "people": read.people.num_rows,
        "status_rows": read.statuses.num_rows,
    }


def plan_rows(read: Any, engine: str, master: str) -> dict[str, pa.Table]:
    """What ``doudi plan --lake`` computes before it writes the versions: the rules on
    the lake's files (written by county, read back), then every programme's rows."""
    from bench_plan import programmes
    from doudi.plan import lake_evaluation

    chosen = programmes()
    files = {table: read.files(table) for table in ("people", "statuses")}
    evaluated = lake_evaluation.on_lake(
        JURISDICTION, YEAR, read.location, files, RESULTS, chosen, engine, master
    )
    return {p.code: evaluated.rows(p) for p in chosen}


def measure(engine: str, master: str) -> dict[str, Any]:
    """One process: the plan on ``engine`` ("duckdb", or "spark" on ``master``), a cold
    and a warm run (``spark_runs.timed``), the Spark run's rows checked against the
    DuckDB path's of the same files."""
    from bench_plan import differ

    read = spark_runs.read_lake(LAKE_ENV, JURISDICTION)
    figures, rows = spark_runs.timed(engine, master, lambda: plan_rows(read, engine, master))
    figures["people"] = read.manifest.rows("people", list(read.keys))
    figures["rows"] = sum(t.num_rows for t in rows.values())
    if engine == "spark":
        expected = plan_rows(read, "duckdb", "")
        figures["differ"] = sum(differ(rows[code], expected[code]) for code in rows)
    return figures


def report(
    lake: dict[str, Any], results: dict[str, dict[str, Any]], cores: int, cluster: str
) -> None:
    """The plan's table: one row per engine, each against DuckDB's median."""
    print(
        f"# plan of {lake['people']:,} insured of {JURISDICTION} {YEAR} ({lake['status_rows']:,} "
        f"status periods): registry built in {lake['build_seconds']:.1f} s, lake written in "
        f"{lake['export_seconds']:.1f} s, {lake['partitions']} counties; "
        f"contribution rows {results['duckdb']['rows']:,}"
    )
    spark_runs.table(results, lake["people"], "insured", cores, cluster)
