"""What the programmes of ``bench_spark.py`` share: one measured process of a programme
on the lake (a Spark session started first, a cold run, the warm run timed), and the
table of an engine per row against DuckDB.

Why one: every programme is measured the same way (session start and cold run apart,
CPU seconds of the driver and of the local JVM beside the wall time, which a busy
machine makes noisy), so their tables read alike.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from typing import Any

from benchlib import cpu_seconds, jvm_cpu_seconds, jvm_peak_mib, peak_mib

NAMES = {"duckdb": "DuckDB (in the process)", "local": "Spark local[2]"}


def read_lake(variable: str, region: str) -> Any:
    """The lake export named by the environment ``variable`` as ``region``'s input, every
    partition (the registry's position is not checked: no registry is behind a
    synthetic lake)."""
    from doudi.lakehouse.location import locate
    from doudi.lakehouse.manifest import load
    from doudi.plan.lake_inputs import FromLake

    location = locate(os.environ[variable])
    found = load(location)
    assert found is not None
    return FromLake(location, found, region, tuple(sorted(found.parts)))


def timed(engine: str, master: str, run: Callable[[], Any]) -> tuple[dict[str, Any], Any]:
    """``run`` twice in this process on ``engine`` ("duckdb", or "spark" on ``master``,
    whose session is started first and timed apart): the figures of the second (warm)
    run, the first (cold: the JVM's code generation, the rules' first read) apart, and
    what the warm run returned."""
    figures: dict[str, Any] = {}
    local = engine == "spark" and master.startswith("local")
    if engine == "spark":
        from doudi.engine.spark import FILES_DRIVER_MEMORY, session

        start = time.perf_counter()
        session(master, FILES_DRIVER_MEMORY)
        figures["session_seconds"] = time.perf_counter() - start
    start = time.perf_counter()
    run()
    figures["cold_seconds"] = time.perf_counter() - start
    start, cpu, jvm = time.perf_counter(), cpu_seconds(), jvm_cpu_seconds() if local else 0.0
    result = run()
    figures["seconds"] = time.perf_counter() - start
    figures["cpu_seconds"] = cpu_seconds() - cpu
    if local:  # the JVM is the executor (its Python workers under it): its CPU is the run's
        figures["jvm_cpu_seconds"] = jvm_cpu_seconds() - jvm
        figures["jvm_peak_mib"] = jvm_peak_mib()
    figures["driver_peak_mib"] = figures["peak_mib"] = peak_mib()
    return figures, result


def table(
    results: dict[str, dict[str, Any]], count: int, unit: str, cores: int, cluster: str
) -> None:
    """One row per engine: session start, cold run, the warm run's median and spread,
    CPU seconds (the process's; + the local JVM's and its Python workers'), ``unit``
    per second per core of ``count``, the ratio to DuckDB's median, peak memory, rows
    differing from DuckDB's."""
    duck = results["duckdb"]["seconds"]
    print(
        "| engine | session start | cold run | warm run (median, min–max) "
        f"| CPU (driver + executors) | {unit}/s per core | / DuckDB "
        "| driver + executors peak | rows differing |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for engine, r in results.items():
        name = NAMES.get(engine, f"two workers {cluster}")
        session = f"{r['session_seconds']:.1f} s" if "session_seconds" in r else "–"
        jvm = f" + {r['jvm_peak_mib']:.0f}" if r.get("jvm_peak_mib") else ""
        cpu = f"{r['cpu_seconds']:.1f}"
        cpu += f" + {r['jvm_cpu_seconds']:.1f} s" if "jvm_cpu_seconds" in r else " s"
        print(
            f"| {name} | {session} | {r['cold_seconds']:.1f} s | {r['seconds']:.2f} s "
            f"({r['seconds_min']:.2f}–{r['seconds_max']:.2f}) | {cpu} "
            f"| {count / r['seconds'] / cores:,.0f} | {r['seconds'] / duck:.1f}× "
            f"| {r['driver_peak_mib']:.0f}{jvm} MiB | {r.get('differ', '–')} |"
        )
