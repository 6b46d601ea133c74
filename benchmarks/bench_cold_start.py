"""The fixed cost of compiling the rules (issue #25 §2, decision 0019): a cold
``doudi evaluate`` of one person, the first ``backend.plan`` of a plan process, and a
warm evaluation.

Targets (issue #25): cold ``doudi evaluate`` of one person ≤ 0.5 s, warm ≤ 20 ms,
≤ 0.5 s of fixed cost per plan process.

Each run is a fresh process, the kinds taking turns (a slow spell of the shared
machine slows each kind alike), ``--repeat`` times; the median and the min–max are
reported, with the median CPU seconds, each kind's largest peak memory and the
machine's load:

- ``cli-off``: ``doudi evaluate`` of one person (the first of
  ``examples/chongqing-2018.yaml``, with its override) with the cache turned off
  (``DOUDI_RULE_CACHE=off``): the rules compiled in the process, as before the cache;
- ``cli-miss``: the same, an empty cache folder each run (compiled, then written);
- ``cli-hit``: the same, the entry written before the runs (read from the disk);
- ``plan-off`` / ``plan-hit``: a process importing pyarrow and the backend and taking
  ``backend.plan(kind="registry")`` of Jiangxi 2018, as the yearly plan and the
  costing do (the fixed cost of a plan process; pyarrow, which the backend no longer
  imports itself, is imported by every plan process's inputs);
- with ``--before SRC`` (a copy of an earlier ``src``, e.g. ``git archive HEAD src``),
  ``cli-before`` and ``plan-before``: ``cli-hit`` and ``plan-hit`` with that code first
  on ``PYTHONPATH`` (its own entries, written before the runs; code without the cache
  compiles), taking turns with the others (the before and after of a change in one
  run), and ``warm-before``;
- ``warm``: one process evaluating the one-person scenario once, then 20 times more:
  the median of those 20, and its CPU time.

Usage: ``bench_cold_start.py [--repeat 7] [--before SRC]``. Nothing is asserted: the figures go in
docs/scale.md.
"""

from __future__ import annotations

import argparse
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

from benchlib import OthersBusy, load_average, machine

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "examples" / "chongqing-2018.yaml"
KINDS = ("cli-off", "cli-miss", "cli-hit", "plan-off", "plan-hit")

_PLAN = """
import pyarrow
from doudi.engine import backend
backend.plan("360000", 2018, kind="registry")
"""

_WARM = """
import json, statistics, sys, time
import yaml
from doudi.engine.scenario import evaluate
scenario = yaml.safe_load(open(sys.argv[1], encoding="utf-8"))
evaluate(scenario)
runs, cpu = [], []
for _ in range(20):
    start, started = time.perf_counter(), time.process_time()
    evaluate(scenario)
    runs.append(time.perf_counter() - start)
    cpu.append(time.process_time() - started)
print(json.dumps({"median": statistics.median(runs), "min": min(runs), "max": max(runs),
                  "cpu": statistics.median(cpu)}))
"""


def one_person(folder: Path) -> Path:
    """The example's first person alone, with the example's jurisdiction and override."""
    scenario = yaml.safe_load(EXAMPLE.read_text("utf-8"))
    scenario["people"] = scenario["people"][:1]
    path = folder / "one-person.yaml"
    path.write_text(yaml.safe_dump(scenario, allow_unicode=True), "utf-8")
    return path


def timed(
    command: list[str], cache: str, before: str | None = None
) -> tuple[float, float, float, str]:
    """Wall seconds of a fresh process from outside (the interpreter's start and exit
    included), its CPU seconds (user and system: what a busy machine moves least), its
    own peak memory (MiB), its output."""
    env = {**os.environ, "DOUDI_RULE_CACHE": cache}
    if before is not None:
        env["PYTHONPATH"] = before
    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        child = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=err)
        assert child.stdout is not None
        out = child.stdout.read()
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - start
        child.returncode = os.waitstatus_to_exitcode(status)
        child.stdout.close()
        if child.returncode != 0:
            err.seek(0)
            sys.exit(f"{command} failed:\n{err.read().decode()}")
    cpu = usage.ru_utime + usage.ru_stime
    return seconds, cpu, usage.ru_maxrss / 1024, out.decode()


def run(
    kind: str, scenario: Path, folder: Path, n: int, before: str | None
) -> tuple[float, float, float]:
    """One run of ``kind`` in a fresh process: wall and CPU seconds, peak MiB."""
    if kind.startswith("cli-"):
        command = [sys.executable, "-m", "doudi.cli", "evaluate", str(scenario)]
    else:
        command = [sys.executable, "-c", _PLAN]
    cache = {
        "cli-off": "off",
        "cli-miss": str(folder / f"miss-{n}"),
        "cli-hit": str(folder / "hit"),
        "plan-off": "off",
        "plan-hit": str(folder / "hit"),
        "cli-before": str(folder / "hit-before"),
        "plan-before": str(folder / "hit-before"),
    }[kind]
    seconds, cpu, peak, _ = timed(command, cache, before if kind.endswith("-before") else None)
    return seconds, cpu, peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=int(os.environ.get("DOUDI_BENCH_REPEAT", 7)))
    parser.add_argument("--before", help="an earlier src folder, timed beside this one")
    args = parser.parse_args()
    kinds = KINDS + (("cli-before", "plan-before") if args.before else ())
    print("\n".join(machine()))
    with tempfile.TemporaryDirectory(prefix="doudi-cold-") as scratch:
        folder = Path(scratch)
        scenario = one_person(folder)
        # the entries the hits read: written once, before the runs
        evaluate = [sys.executable, "-m", "doudi.cli", "evaluate", str(scenario)]
        timed(evaluate, str(folder / "hit"))
        timed([sys.executable, "-c", _PLAN], str(folder / "hit"))
        if args.before:
            timed(evaluate, str(folder / "hit-before"), args.before)
            timed([sys.executable, "-c", _PLAN], str(folder / "hit-before"), args.before)
        others = OthersBusy()
        runs: dict[str, list[tuple[float, float, float]]] = {kind: [] for kind in kinds}
        for n in range(args.repeat):
            for kind in kinds:
                runs[kind].append(run(kind, scenario, folder, n, args.before))
        warm_runs = {"warm": (str(folder / "hit"), None)}
        if args.before:
            warm_runs["warm-before"] = (str(folder / "hit-before"), args.before)
        warm: dict[str, dict[str, Any]] = {}
        for name, (cache, code) in warm_runs.items():
            *_, out = timed([sys.executable, "-c", _WARM, str(scenario)], cache, code)
            warm[name] = json.loads(out)
        busy = others.cores()
    print(f"\n{'kind':10} {'median':>8} {'min–max':>13} {'CPU':>7} {'peak':>9}")
    for kind, these in runs.items():
        seconds = [wall for wall, _, _ in these]
        cpu = statistics.median(c for _, c, _ in these)
        print(
            f"{kind:10} {statistics.median(seconds):7.2f}s {min(seconds):5.2f}–{max(seconds):.2f} s"
            f" {cpu:6.2f}s {max(p for _, _, p in these):6.0f} MiB"
        )
    for name, these in warm.items():
        print(
            f"{name:10} {these['median'] * 1000:6.1f}ms"
            f" {these['min'] * 1000:5.1f}–{these['max'] * 1000:.1f} ms"
            f" CPU {these['cpu'] * 1000:.1f} ms (20 evaluations, one process: medians)"
        )
    print(f"\n{load_average()}; other processes kept {busy:.2f} cores busy meanwhile")


if __name__ == "__main__":
    main()
