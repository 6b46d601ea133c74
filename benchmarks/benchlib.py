"""What the benchmarks share: the machine they ran on, and one measurement per process.

Each measurement runs in a fresh subprocess of the calling script (``--one CODE
N``), so the peak resident memory it reports is that run's own.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb
import ibis
import numpy as np
import pyarrow as pa


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _jvm_pids() -> list[int]:
    """The processes of this process's Spark JVM (local mode: the driver, which is the
    executor too) and every process under it — the Python workers it starts, where a
    job runs Python on its executors (the comparison's counties); none without a
    Spark gateway."""
    from pyspark import SparkContext

    gateway = SparkContext._gateway
    proc = getattr(gateway, "proc", None) if gateway is not None else None
    if proc is None:
        return []
    pids, seen = [proc.pid], 0
    while seen < len(pids):  # spark-submit may run java as a child instead of exec-ing it
        pid = pids[seen]
        seen += 1
        for children in Path(f"/proc/{pid}/task").glob("*/children"):
            try:
                pids += [int(p) for p in children.read_text().split() if int(p) not in pids]
            except OSError:  # the thread or process ended meanwhile
                continue
    return pids


def jvm_peak_mib() -> float | None:
    """The Spark JVM's peak resident memory (``VmHWM``), or ``None`` without one."""
    pids = _jvm_pids()
    total = 0.0
    for pid in pids:
        status = Path(f"/proc/{pid}/status")
        if status.exists():
            for line in status.read_text().splitlines():
                if line.startswith("VmHWM:"):
                    total += int(line.split()[1]) / 1024
    return total if pids else None


def jvm_cpu_seconds() -> float:
    """CPU seconds the Spark JVM and the processes under it have used so far (user and
    system, with their children that have ended): on a busy machine steadier than its
    wall time."""
    total = 0
    for pid in _jvm_pids():
        stat = Path(f"/proc/{pid}/stat")
        if stat.exists():
            fields = stat.read_text().rsplit(")", 1)[1].split()
            # utime, stime, then cutime, cstime: children waited for (workers ended)
            total += sum(int(f) for f in fields[11:15])
    return total / os.sysconf("SC_CLK_TCK")


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def best(
    repeat: int, run: Callable[..., Any], prepare: Callable[[], Any] | None = None
) -> tuple[float, float, Any]:
    """The fastest of ``repeat`` runs: wall seconds, CPU seconds, the last result.

    ``prepare``, when given, is called before each run and not timed; its result is
    ``run``'s argument (inputs a run consumes, e.g. tables it frees once read).
    """
    runs, result = [], None
    for _ in range(repeat):
        result = None  # free the previous result, so the peak is that of one run
        args = () if prepare is None else (prepare(),)
        start, cpu = time.perf_counter(), cpu_seconds()
        result = run(*args)
        runs.append((time.perf_counter() - start, cpu_seconds() - cpu))
        del args
    wall, cpu_s = min(runs)
    return wall, cpu_s, result


def run_child(script: str, code: str, n: int, repeat: int) -> dict[str, Any]:
    """Run ``script --one CODE N`` and return the JSON its last line prints."""
    command = [sys.executable, os.path.abspath(script), "--one", code, str(n)]
    command += ["--repeat", str(repeat)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        sys.exit(f"measurement {code} N={n} failed:\n{done.stderr}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def median_children(
    script: str, codes: tuple[str, ...], n: int, repeat: int
) -> dict[str, dict[str, Any]]:
    """For each of ``codes``, ``repeat`` runs of ``script --one CODE N``, each in a
    fresh process: the median run's figures (``median_run``).

    One process per run, as one ``doudi plan`` is: in a process that has already run
    once, the allocators keep what the first run freed, and the second run's peak
    would count it. The codes' runs take turns (one of each, ``repeat`` times over),
    so that a slow spell of the machine slows both sides of a ratio, not one of them.
    The median rather than the fastest (issue #25): on a shared 2-core machine the
    fastest run is luck, the median is what a caseworker waits.
    """
    runs: dict[str, list[dict[str, Any]]] = {code: [] for code in codes}
    for _ in range(repeat):
        for code in codes:
            runs[code].append(run_child(script, code, n, 1))
    return {code: median_run(these) for code, these in runs.items()}


def median_run(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """The figures of the run of median ``seconds`` (the lower of the middle two of
    an even count), with ``seconds`` the median itself, ``seconds_min`` and
    ``seconds_max`` the spread, ``seconds_all`` every run's, and the memory figures
    (``peak_mib``, ``pre_mib``, ``loaded_mib``) of the run that needed the most."""
    by_time = sorted(runs, key=lambda r: r["seconds"])
    middle = dict(by_time[(len(by_time) - 1) // 2])
    most = max(runs, key=lambda r: r["peak_mib"])
    middle.update(
        seconds=statistics.median(r["seconds"] for r in runs),
        seconds_min=by_time[0]["seconds"],
        seconds_max=by_time[-1]["seconds"],
        seconds_all=[r["seconds"] for r in runs],
        runs=len(runs),
        **{k: most[k] for k in ("peak_mib", "pre_mib", "loaded_mib") if k in most},
    )
    return middle


def turns(script: str, codes: tuple[str, ...], n: int, repeat: int) -> dict[str, Any]:
    """:func:`median_children` of ``codes`` at ``n``, with how busy the machine was
    meanwhile: ``load`` (the 1-minute load average before, after) and ``others``
    (:class:`OthersBusy`), which every pair's ratio is read against."""
    before, others = os.getloadavg()[0], OthersBusy()
    medians: dict[str, Any] = dict(median_children(script, codes, n, repeat))
    medians.update(load=(before, os.getloadavg()[0]), others=others.cores())
    return medians


def spread(r: dict[str, Any]) -> str:
    """The fastest and slowest of a :func:`median_run`'s runs, in seconds."""
    return f"{r['seconds_min']:.2f}–{r['seconds_max']:.2f}"


def verdict(met: bool, text: str) -> str:
    return f"{'met' if met else 'NOT met'} ({text})"


def wait_for_quiet(max_load: float, timeout: float, poll: float = 30.0) -> float:
    """Wait until the 1-minute load average is at most ``max_load`` (other processes
    on a 2-core machine move the timings), at most ``timeout`` seconds; the load
    when done."""
    deadline = time.monotonic() + timeout
    while os.getloadavg()[0] > max_load and time.monotonic() < deadline:
        time.sleep(poll)
    return os.getloadavg()[0]


class OthersBusy:
    """How many cores other processes kept busy while this benchmark ran: the
    machine's busy time (/proc/stat) less this process's and its finished children's
    CPU time, per second of wall time. Unlike the load average, this leaves out the
    benchmark's own work (a run of DuckDB on both cores is a load of 2 by itself)."""

    def __init__(self) -> None:
        self.start = (time.perf_counter(), _busy_seconds(), _own_seconds())

    def cores(self) -> float:
        wall, busy, own = self.start
        elapsed = time.perf_counter() - wall
        others = (_busy_seconds() - busy) - (_own_seconds() - own)
        return max(others, 0.0) / elapsed if elapsed > 0 else 0.0


def _busy_seconds() -> float:
    """CPU seconds the whole machine has been busy since boot (user, nice, system,
    interrupts; not idle, I/O wait or steal)."""
    fields = Path("/proc/stat").read_text("ascii").split("\n", 1)[0].split()[1:]
    user, nice, system, _idle, _iowait, irq, softirq = (int(x) for x in fields[:7])
    return (user + nice + system + irq + softirq) / os.sysconf("SC_CLK_TCK")


def _own_seconds() -> float:
    """CPU seconds of this process and of its children that have ended (their own
    children's included)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def machine() -> list[str]:
    meminfo = Path("/proc/meminfo").read_text("ascii").splitlines()
    total_gib = int(dict(x.split(":", 1) for x in meminfo)["MemTotal"].split()[0]) / 1024**2
    cpuinfo = Path("/proc/cpuinfo").read_text("utf-8").splitlines()
    cpu = next((x.split(":", 1)[1].strip() for x in cpuinfo if x.startswith("model name")), "?")
    return [
        f"date      {datetime.now().astimezone().isoformat(timespec='seconds')}",
        f"platform  {platform.platform()}",
        f"cpu       {os.cpu_count()} × {cpu}",
        f"memory    {total_gib:.1f} GiB",
        f"python    {platform.python_version()}",
        f"duckdb    {duckdb.__version__}   ibis {ibis.__version__}   pyarrow {pa.__version__}"
        f"   numpy {np.__version__}",
        load_average(),
    ]


def load_average() -> str:
    """Other processes on a 2-core machine move the timings; say how busy it was."""
    return "load      " + " ".join(f"{x:.2f}" for x in os.getloadavg()) + " (1, 5, 15 min)"


def parse_args(
    description: str, max_n: int, jurisdictions: Sequence[str], repeat: int
) -> argparse.Namespace:
    """The options both benchmarks take (and their DOUDI_BENCH_* environment twins)."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument(
        "--max-n", type=int, default=int(os.environ.get("DOUDI_BENCH_MAX_N", max_n))
    )
    parser.add_argument(
        "--jurisdictions",
        default=os.environ.get("DOUDI_BENCH_JURISDICTIONS", ",".join(jurisdictions)),
        help="comma-separated jurisdiction codes",
    )
    parser.add_argument(
        "--repeat",
        type=int,
        default=int(os.environ.get("DOUDI_BENCH_REPEAT", repeat)),
        help="runs per measurement, each in a fresh process: the median and the min–max"
        " are reported",
    )
    parser.add_argument("--one", nargs=2, metavar=("CODE", "N"), help=argparse.SUPPRESS)
    return parser.parse_args()
