"""One scenario evaluated as a caseworker evaluates it: cold and warm (issue #25 §1).

Why: a caseworker asks about one person (``doudi evaluate``, the person page); what
they wait is the fixed cost of a process (imports, compiling the rules), not the
throughput the batch tables measure. Issue #25's targets on the 2-core reference
machine: cold ``doudi evaluate`` of one person ≤ 0.5 s, warm (in a process that has
evaluated before) ≤ 20 ms.

The person: the first of ``examples/jiangxi-2018.yaml`` (a registered-poor adult whose
pension contribution the county pays), written alone to a scenario file. Cold: the
``doudi`` command of this interpreter's environment run on that file, as a user runs
it (output thrown away), its wall time, CPU time and peak memory from ``wait4``. Warm:
in a process, ``engine.scenario.evaluate`` once untimed (the first call compiles),
then the median of :data:`WARM_RUNS` calls. Each is one fresh process of the calling
benchmark; the benchmark takes the median of several (``benchlib.turns``).

Beside them, the same person decided by hand-written Python (``scenario_hand``), cold
(its script on the same file) and warm, and its answer held to Doudi's after the warm
runs. (A cold side's peak from ``wait4`` includes the forking benchmark process before
``exec``: it is printed for Doudi's side only, as it was, and says little.)
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml

import scenario_hand
from benchlib import cpu_seconds, peak_mib

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "jiangxi-2018.yaml"
HAND = Path(__file__).resolve().parent / "scenario_hand.py"
WARM_RUNS = 20
TARGET_COLD_SECONDS = 0.5
TARGET_WARM_SECONDS = 0.020


def one_person() -> dict[str, Any]:
    """The example's scenario with its first person only (no bills, no expectations)."""
    scenario = yaml.safe_load(EXAMPLE.read_text("utf-8"))
    keep = ("jurisdiction", "year", "parameters")
    return {**{k: scenario[k] for k in keep if k in scenario}, "people": scenario["people"][:1]}


def measure_cold(hand: bool = False) -> dict[str, Any]:
    """``doudi evaluate FILE`` in a process of its own, or (``hand``) the floor's
    script on the same file (``scenario_hand.py FILE``)."""
    with tempfile.TemporaryDirectory(prefix="doudi-bench-scenario-") as folder:
        path = Path(folder) / "one.json"
        path.write_text(json.dumps(one_person(), ensure_ascii=False, default=str), "utf-8")
        command = (
            [sys.executable, str(HAND), str(path)]
            if hand
            else [str(Path(sys.executable).parent / "doudi"), "evaluate", str(path)]
        )
        start = time.perf_counter()
        proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        error = proc.stderr.read().decode("utf-8", "replace") if proc.stderr else ""
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"{' '.join(command[:2])} failed:\n{error}")
    return {
        "seconds": seconds,
        "cpu_seconds": usage.ru_utime + usage.ru_stime,
        "peak_mib": usage.ru_maxrss / 1024,
    }


def measure_warm() -> dict[str, Any]:
    """The median of :data:`WARM_RUNS` in-process evaluations after a first one."""
    from doudi.engine.scenario import evaluate

    scenario = one_person()
    start = time.perf_counter()
    first = evaluate(scenario)
    first_seconds = time.perf_counter() - start
    runs, cpu = [], cpu_seconds()
    for _ in range(WARM_RUNS):
        start = time.perf_counter()
        again = evaluate(scenario)
        runs.append(time.perf_counter() - start)
    if again != first:
        sys.exit("a warm evaluation differs from the first")
    measured = {
        "seconds": statistics.median(runs),
        "first_seconds": first_seconds,
        "cpu_seconds": (cpu_seconds() - cpu) / WARM_RUNS,
        "peak_mib": peak_mib(),
    }
    # the floor's answer held to this one, after the timing
    return {
        **measured,
        "differing": scenario_hand.differing(scenario_hand.evaluate(scenario), first),
    }


def measure_hand_warm() -> dict[str, Any]:
    """The floor's decision of the same person (``scenario_hand.evaluate``), the median
    of :data:`WARM_RUNS` calls after a first one."""
    scenario = one_person()
    first = scenario_hand.evaluate(scenario)
    runs, cpu = [], cpu_seconds()
    for _ in range(WARM_RUNS):
        start = time.perf_counter()
        scenario_hand.evaluate(scenario)
        runs.append(time.perf_counter() - start)
    if len(first) != len(scenario["people"]):
        sys.exit("the hand-written decision lost a person")
    return {
        "seconds": statistics.median(runs),
        "cpu_seconds": (cpu_seconds() - cpu) / WARM_RUNS,
        "peak_mib": peak_mib(),
    }


#: The measurements of a run: Doudi's and the floor's, cold and warm.
CODES = ("cold", "warm", "hand cold", "hand warm")


def measure(code: str) -> dict[str, Any]:
    """One of :data:`CODES`, in the calling (fresh) process."""
    if code == "warm":
        return measure_warm()
    if code == "hand warm":
        return measure_hand_warm()
    return measure_cold(hand=code == "hand cold")


def lines(r: dict[str, Any], repeat: int) -> list[str]:
    """The report of ``benchlib.turns(..., CODES, ...)``: Doudi's cold and warm, the
    floor's beside them, the targets last."""
    cold, warm = r["cold"], r["warm"]
    met_cold = cold["seconds"] <= TARGET_COLD_SECONDS
    met_warm = warm["seconds"] <= TARGET_WARM_SECONDS
    return [
        f"one person of {EXAMPLE.name}, {repeat} fresh processes each, taking turns "
        f"(load {r['load'][0]:.1f}→{r['load'][1]:.1f}, others {r['others']:.2f}):",
        f"  cold `doudi evaluate`: median {cold['seconds']:.3f} s "
        f"({cold['seconds_min']:.3f}–{cold['seconds_max']:.3f}), CPU {cold['cpu_seconds']:.2f} s,"
        f" peak {cold['peak_mib']:,.0f} MiB",
        f"  warm evaluate(): median {warm['seconds'] * 1000:.1f} ms "
        f"({warm['seconds_min'] * 1000:.1f}–{warm['seconds_max'] * 1000:.1f}; each process the "
        f"median of {WARM_RUNS} calls, CPU {warm['cpu_seconds'] * 1000:.1f} ms a call), first "
        f"call in the process {warm['first_seconds']:.2f} s, peak {warm['peak_mib']:,.0f} MiB",
        *_pair(r),
        f"target cold doudi evaluate of one person ≤ {TARGET_COLD_SECONDS} s: "
        f"{'met' if met_cold else 'NOT met'} (median {cold['seconds']:.2f} s)",
        f"target warm evaluation ≤ {TARGET_WARM_SECONDS * 1000:.0f} ms: "
        f"{'met' if met_warm else 'NOT met'} (median {warm['seconds'] * 1000:.1f} ms)",
    ]


def _pair(r: dict[str, Any]) -> list[str]:
    """The floor's lines (``scenario_hand``): its cold and warm medians, the ratios, and
    the fields that differ from Doudi's answer."""
    cold, warm = r["hand cold"], r["hand warm"]
    differ = r["warm"]["differing"]
    return [
        f"  hand-written (scenario_hand.py): cold median {cold['seconds']:.3f} s "
        f"({cold['seconds_min']:.3f}–{cold['seconds_max']:.3f}), CPU {cold['cpu_seconds']:.2f} s;"
        f" warm median {warm['seconds'] * 1e6:.0f} µs",
        f"  ratio Doudi / hand-written: cold {r['cold']['seconds'] / cold['seconds']:.1f}×, "
        f"warm {r['warm']['seconds'] / warm['seconds']:,.0f}×; fields differing: {len(differ)}"
        + (f" ({'; '.join(differ[:3])})" if differ else ""),
    ]
