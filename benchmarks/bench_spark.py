"""The settlement of a year of bills on Spark reading a lake, against DuckDB (issue #24 §5).

What: the settlement benchmark's synthetic year of Jiangxi bills (``bench_settlement
.synthetic``: N bills of 2018, their patients' status periods) written to a lake by
county as ``doudi lake export`` writes them (``lakehouse.writing``), then settled by
``plan.lake_settlement.settle`` — reading the county files, the payer waterfall, writing
every settled bill back by county — on DuckDB in the process, on Spark ``local[2]`` and
on the two-worker standalone cluster (``scripts/spark-cluster.sh``, started here on
free ports unless ``--cluster URL`` names one running). Each measurement is a fresh
process (``benchlib.median_children``, the engines taking turns): the median of
``--repeat`` processes; Spark's session start and each engine's first (cold) run are reported
apart from the warm run timed. Each Spark run's rows are checked equal, bill by bill to
the fen, to DuckDB's settlement of the same tables in the same process.

Why: the issue's target is the settlement of 5·10^6 bills on Spark within 5× DuckDB,
and the cluster giving DuckDB's rows, its times beside local mode's. The plan on the
lake is measured by ``bench_plan.py --spark-n N --spark-master URL`` (the same path
as ``doudi plan --engine spark --lake``).

Usage: ``bench_spark.py [--n 1000000] [--repeat 3] [--cluster spark://host:7077]``
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from bench_plan import jvm_peak_mib
from bench_settlement import synthetic
from benchlib import load_average, machine, median_children, peak_mib
from doudi.lakehouse import layout, writing
from doudi.lakehouse.location import locate
from doudi.lakehouse.manifest import load
from doudi.plan.lake_inputs import FromLake

JURISDICTION, YEAR = "360000", 2018
REPO = Path(__file__).resolve().parents[1]
ENGINES = ("duckdb", "local", "cluster")
#: Where the parent's lake and cluster URL reach the measuring processes.
LAKE_ENV, CLUSTER_ENV = "DOUDI_BENCH_LAKE", "DOUDI_BENCH_CLUSTER"
CORES = 2  # of this machine, as of local[2] and the two one-core workers


def write_lake(folder: Path, n: int) -> dict[str, Any]:
    """The synthetic bills and statuses in a lake at ``folder``, by the patient's county."""
    bills, statuses = synthetic(JURISDICTION, n)
    start = time.perf_counter()

    def county_of(table: pa.Table) -> pa.Array:
        return pc.utf8_slice_codeunits(table.column("id_number"), 0, 6).combine_chunks()

    b_county, s_county = county_of(bills), county_of(statuses)
    partitions = []
    for county in sorted(set(b_county.to_pylist())):
        partitions.append(
            (
                layout.partition(county),
                {
                    "bills": bills.filter(pc.equal(b_county, county)),
                    "bill_statuses": statuses.filter(pc.equal(s_county, county)),
                },
            )
        )
    header = writing.Header(JURISDICTION, JURISDICTION, YEAR, registry_batch=0)
    writing.write(locate(str(folder)), header, partitions)
    return {"export_seconds": time.perf_counter() - start, "partitions": len(partitions)}


def read_lake() -> FromLake:
    location = locate(os.environ[LAKE_ENV])
    found = load(location)
    assert found is not None
    return FromLake(location, found, JURISDICTION, tuple(sorted(found.parts)))


def duckdb_rows(read: FromLake) -> pa.Table:
    """DuckDB's settlement of the lake's tables, in this process, not written."""
    from doudi.engine import backend

    def table(name: str) -> pa.Table:
        return pa.concat_tables(pq.read_table(read.location.path(f)) for f in read.files(name))

    plan = backend.plan(JURISDICTION, YEAR, kind="bills")
    out = plan.run(bills=table("bills"), statuses=table("bill_statuses"))
    return out.sort_by("bill_no")


def measure(engine: str) -> dict[str, Any]:
    """One process: the settlement on ``engine`` (a Spark session started first, timed
    apart), a cold run and the warm run timed, its rows checked against DuckDB's."""
    from doudi.plan import lake_settlement

    read = read_lake()
    figures: dict[str, Any] = {}
    master, kind = "", "duckdb"
    if engine != "duckdb":
        from doudi.engine.spark import FILES_DRIVER_MEMORY, session

        master = "local[2]" if engine == "local" else os.environ[CLUSTER_ENV]
        kind = "spark"
        start = time.perf_counter()
        session(master, FILES_DRIVER_MEMORY)
        figures["session_seconds"] = time.perf_counter() - start
    # the first run compiles the rules (Ibis, and Spark's code generation): apart
    start = time.perf_counter()
    lake_settlement.settle(read, kind, master)
    figures["cold_seconds"] = time.perf_counter() - start
    start = time.perf_counter()
    settled = lake_settlement.settle(read, kind, master)
    figures["seconds"] = time.perf_counter() - start
    figures["bills"] = settled.bills
    figures["driver_peak_mib"] = peak_mib()
    figures["peak_mib"] = figures["driver_peak_mib"]
    if engine == "local":
        figures["jvm_peak_mib"] = jvm_peak_mib()
    found = lake_settlement.settled_rows(read).sort_by("bill_no")
    expected = duckdb_rows(read)
    figures["differ"] = 0
    if not found.equals(expected):  # which rows: slow, but only when some differ
        a, b = found.to_pylist(), expected.to_pylist()
        figures["differ"] = abs(len(a) - len(b)) + sum(x != y for x, y in zip(a, b, strict=False))
    return figures


def start_cluster(folder: Path) -> tuple[str, dict[str, str]]:
    def free() -> str:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            return str(s.getsockname()[1])

    env = {
        **os.environ,
        "DOUDI_SPARK_CLUSTER_DIR": str(folder),
        "DOUDI_SPARK_MASTER_PORT": free(),
        "DOUDI_SPARK_UI_PORT": free(),
    }
    script = str(REPO / "scripts" / "spark-cluster.sh")
    done = subprocess.run([script, "start"], env=env, capture_output=True, text=True, check=True)
    return done.stdout.strip(), env


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--cluster", default=None, help="a running master; else one started")
    parser.add_argument("--one", nargs=2, metavar=("ENGINE", "N"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(measure(args.one[0])))
        return
    work = Path(tempfile.mkdtemp(prefix="bench-spark-"))
    stop_env = None
    try:
        (work / "lake").mkdir()
        lake = write_lake(work / "lake", args.n)
        os.environ[LAKE_ENV] = str(work / "lake")
        if args.cluster is None:
            args.cluster, stop_env = start_cluster(work / "cluster")
        os.environ[CLUSTER_ENV] = args.cluster
        load_before = load_average()
        results = median_children(__file__, ENGINES, args.n, args.repeat)
        report(args, lake, results, load_before, load_average())
    finally:
        if stop_env is not None:
            script = str(REPO / "scripts" / "spark-cluster.sh")
            subprocess.run([script, "stop"], env=stop_env, capture_output=True, check=False)
        shutil.rmtree(work, ignore_errors=True)


def report(
    args: argparse.Namespace,
    lake: dict[str, Any],
    results: dict[str, dict[str, Any]],
    load_before: Any,
    load_after: Any,
) -> None:
    for line in machine():
        print(f"# {line}")
    print(f"# before: {load_before}")
    print(f"# after:  {load_after}; median of {args.repeat} processes")
    print(
        f"# {args.n} bills of {JURISDICTION} {YEAR}: lake written in "
        f"{lake['export_seconds']:.1f} s, {lake['partitions']} counties"
    )
    duck = results["duckdb"]["seconds"]
    print(
        "| engine | session start | cold run | warm run (median) | bills/s per core "
        "| / DuckDB | driver + JVM peak | rows differing |"
    )
    print("|---|---|---|---|---|---|---|---|")
    names = {
        "duckdb": "DuckDB",
        "local": "Spark local[2]",
        "cluster": f"two workers {args.cluster}",
    }
    for engine in ENGINES:
        r = results[engine]
        session = f"{r['session_seconds']:.1f} s" if "session_seconds" in r else "–"
        cold = f"{r['cold_seconds']:.1f} s"
        jvm = f" + {r['jvm_peak_mib']:.0f}" if r.get("jvm_peak_mib") else ""
        print(
            f"| {names[engine]} | {session} | {cold} | {r['seconds']:.2f} s "
            f"({r['seconds_min']:.2f}–{r['seconds_max']:.2f}) "
            f"| {r['bills'] / r['seconds'] / CORES:,.0f} | {r['seconds'] / duck:.1f}× "
            f"| {r['driver_peak_mib']:.0f}{jvm} MiB | {r['differ']} |"
        )
    sys.stdout.flush()


if __name__ == "__main__":
    main()
