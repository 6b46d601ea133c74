"""The batch programmes on Spark reading a lake, against DuckDB doing the same work (issue
#24 §5): the yearly plan, the settlement of a year of bills, the information comparison.

What: for each programme chosen (``--programmes``) and size (``--n``), its synthetic
Jiangxi written to a lake by county as ``doudi lake export`` writes it (in a process of
its own, timed as the export), then the programme on the lake — read the county files,
the rules, write the results by county — on DuckDB in the process (the programme's
``--engine duckdb``, an operator's check of a Spark run), on Spark ``local[2]`` and on
the two-worker standalone cluster (``scripts/spark-cluster.sh``, started here on free
ports unless ``--cluster URL`` names one running). Each measurement is a fresh process
(``--one PROGRAMME:ENGINE N``, its figures printed as it ends), the engines taking
turns: the median of ``--repeat`` processes and their min–max, Spark's session start and each
engine's first (cold) run apart from the warm run timed, the CPU seconds of the driver
and of the local JVM (steadier than the wall time on a busy machine), rows per second
per core, the ratio to DuckDB's median, the driver's and the JVM's peak memory, and
every Spark run's rows checked equal to DuckDB's of the same files in its process.

A programme is a module with ``LAKE_ENV`` (where its lake reaches the measuring
processes), ``write_lake(folder, n)``, ``measure(engine, master)`` and
``report(lake, results, cores, cluster)``: ``spark_plan``, ``spark_settlement``,
``spark_comparison``.

Why: the issue's targets — the plan within 4× DuckDB at 10^6 and 10^7 insured, the
settlement of 5·10^6 bills and the comparison of 10^7 insured within 5×, the cluster
giving DuckDB's rows, its times printed beside local mode's — measured, not extrapolated.

Usage: ``bench_spark.py [--programmes plan,settlement,comparison] [--n 1000000[,…]]
[--engines duckdb,local,cluster] [--repeat 3] [--cluster spark://host:7077]``
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
from pathlib import Path
from types import ModuleType
from typing import Any

import spark_comparison
import spark_plan
import spark_settlement
from benchlib import OthersBusy, machine, median_run, run_child

REPO = Path(__file__).resolve().parents[1]
PROGRAMMES: dict[str, ModuleType] = {
    "plan": spark_plan,
    "settlement": spark_settlement,
    "comparison": spark_comparison,
}
ENGINES = ("duckdb", "local", "cluster")
#: Where the parent's cluster URL reaches the measuring processes.
CLUSTER_ENV = "DOUDI_BENCH_CLUSTER"
CORES = 2  # of this machine, as of local[2] and the two one-core workers


def one(code: str, n: int) -> dict[str, Any]:
    """One measuring process: ``PROGRAMME:ENGINE`` measured, or ``PROGRAMME:lake`` (the
    programme's lake of ``n`` written to its folder)."""
    name, engine = code.split(":")
    programme = PROGRAMMES[name]
    if engine == "lake":
        figures: dict[str, Any] = programme.write_lake(Path(os.environ[programme.LAKE_ENV]), n)
        return figures
    masters = {"duckdb": "", "local": "local[2]"}
    master = masters[engine] if engine in masters else os.environ[CLUSTER_ENV]
    measured: dict[str, Any] = programme.measure(
        "duckdb" if engine == "duckdb" else "spark", master
    )
    return measured


def start_cluster(folder: Path) -> tuple[str, dict[str, str]]:
    """A master and two workers of this run's own (free ports, ``folder``)."""

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


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--programmes", default="plan,settlement", help=", ".join(PROGRAMMES))
    parser.add_argument("--n", default="1000000", help="sizes, comma-separated")
    parser.add_argument("--engines", default=",".join(ENGINES), help=", ".join(ENGINES))
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--cluster", default=None, help="a running master; else one started")
    parser.add_argument("--one", nargs=2, metavar=("CODE", "N"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    names = [x.strip() for x in args.programmes.split(",") if x.strip()]
    engines = [x.strip() for x in args.engines.split(",") if x.strip()]
    if set(names) - set(PROGRAMMES) or set(engines) - set(ENGINES) or "duckdb" not in engines:
        parser.error(
            f"programmes among {', '.join(PROGRAMMES)}; engines among "
            f"{', '.join(ENGINES)}, duckdb always (the ratios' reference)"
        )
    args.programmes, args.engines = names, tuple(engines)
    args.sizes = [int(x) for x in args.n.split(",") if x.strip()]
    return args


def main() -> None:
    args = parse_args()
    if args.one:
        print(json.dumps(one(args.one[0], int(args.one[1]))))
        return
    work = Path(tempfile.mkdtemp(prefix="bench-spark-"))
    stop_env = None
    for line in machine():
        print(f"# {line}")
    try:
        if "cluster" in args.engines:
            if args.cluster is None:
                args.cluster, stop_env = start_cluster(work / "cluster")
            os.environ[CLUSTER_ENV] = args.cluster
        for name in args.programmes:
            programme = PROGRAMMES[name]
            for n in args.sizes:
                folder = work / name / "lake"
                folder.mkdir(parents=True)
                os.environ[programme.LAKE_ENV] = str(folder)
                lake = run_child(__file__, f"{name}:lake", n, 1)
                before, others = os.getloadavg()[0], OthersBusy()
                runs: dict[str, list[dict[str, Any]]] = {e: [] for e in args.engines}
                for _ in range(args.repeat):  # the engines taking turns, each run shown
                    for engine in args.engines:
                        runs[engine].append(run_child(__file__, f"{name}:{engine}", n, 1))
                        print(f"# {name}:{engine} {json.dumps(runs[engine][-1])}", flush=True)
                results = {engine: median_run(these) for engine, these in runs.items()}
                after = os.getloadavg()[0]
                print()
                programme.report(lake, results, CORES, args.cluster)
                print(
                    f"# {name} at {n:,}: median of {args.repeat} processes; 1-minute load "
                    f"{before:.1f} → {after:.1f}, other processes kept "
                    f"{others.cores():.2f} of the {CORES} cores busy"
                )
                sys.stdout.flush()
                shutil.rmtree(work / name, ignore_errors=True)
    finally:
        if stop_env is not None:
            script = str(REPO / "scripts" / "spark-cluster.sh")
            subprocess.run([script, "stop"], env=stop_env, capture_output=True, check=False)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
