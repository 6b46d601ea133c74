"""Costing benchmark: a reform costed on a synthetic province of 10^7 insured, against
running the plan twice (issue #22, "Speed").

What: the target is "a reform over 10^7 insured completes in under twice the time of
one plan run of the same population, measured against running the plan twice in the
same run". The population is ``bench_plan``'s synthetic Jiangxi (360000) of N insured,
built by its generator and kept as Arrow IPC files in its scratch layout (one process
builds and writes them, ``bench_plan.measure_generate``; every measuring process reads
them back with ``bench_plan.load``, as ``engine_inputs`` reads the registry), N = 10^6
by default (10^7, the target's size: ``--sizes 10000000 --runs 1``, 9.5 GiB). The
reform is the shipped example ``examples/reforms/jiangxi-minimum-tier-200.yaml``
(Jiangxi 2018, the resident pension's minimum tier 100 → 200 yuan with the 100 tier
retained for the poor), every programme of Jiangxi's document reported (pension,
medical subsidy, unemployment).

Two sides, each run in fresh processes (``--one``), taking turns, ``--runs`` times
(default 3), the median and the min–max reported:

- **costing**: ``costing.run.cost_tables`` — what ``doudi cost``, the API and the
  web's job run below the database read — over the Arrow tables and the people's
  places (township, village: read from the same files, as ``cost`` reads them): the
  inputs (the baseline's, then the reform's tier facts over them: its tier list
  differs, docs/readings.md 31, ``inputs.tiers_held``), the
  baseline's rules, the reform's rules (the pension alone: the other programmes'
  columns are proved the baseline's, ``costing.lineage``), the contribution rows and
  their join per person (``costing.rows.combine``), the summary tables
  (``costing.tables``). The
  workbook is not built (``doudi cost --xlsx`` only).
- **plans**: the plan's path as ``bench_plan`` times it (``inputs_from_tables``,
  ``evaluation.evaluate`` once for every programme, ``Evaluation.rows``), twice in one
  process: the baseline, then with the reform's parameters (its tier list for the
  inputs, its overrides for the rules). "One plan" is the baseline's part.

Compiling the rules (both sides' statements, once per process) and a 1,000-person
warm-up are not timed. Checked in the same run, every run: the costing's totals per
programme and payer equal, on the baseline side, the totals of the plan's baseline rows
and, on the reform side, those of the plan with the overrides (to the fen).

Usage: ``bench_costing.py [--sizes 1000000] [--runs 3] [--batch-rows 1024]
[--keep]`` (or ``DOUDI_BENCH_COSTING_SIZES``, ``DOUDI_BENCH_REPEAT``); a smoke run:
``--quick`` (10^5, 3 runs).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.compute as pc

import bench_plan
from bench_plan import JURISDICTION, WARM_UP_N, YEAR, Laps, load, size_dir, warm_up_tables
from bench_registry import READ_BATCH_ROWS, table_text
from benchlib import OthersBusy, load_average, machine, median_run, peak_mib, run_child

REPO = Path(__file__).resolve().parent.parent
REFORM = REPO / "examples" / "reforms" / "jiangxi-minimum-tier-200.yaml"
SIZES = (1_000_000,)  # 10^7: 9.5 GiB and minutes a run on a 24 GiB machine (docs/scale.md)
QUICK_SIZES = (100_000,)
RUNS = 3
TARGET_N = 10_000_000
#: A costing in under this many times one plan run of the same population.
TARGET_RATIO = 2.0

Totals = dict[str, dict[str, str]]  # "programme/payer" → {"baseline": …, "reform": …}


# --- what is timed (also the test's comparison, tests/costing) --------------------------


@cache
def reform() -> Any:
    from doudi.costing.reform import load as load_reform

    found = load_reform(REFORM)
    assert found.jurisdiction.code == JURISDICTION and found.year == YEAR, found
    return found


def places_of(persons: pa.Table) -> pa.Table:
    """The people's places as ``costing.run.cost`` reads them from ``registry_person``
    (its ``PLACE_COLUMNS``, the people of the jurisdiction)."""
    from doudi.core import regions
    from doudi.costing.run import PLACE_COLUMNS

    prefix = regions.hukou_prefix(JURISDICTION)
    kept = persons.filter(pc.starts_with(persons.column("hukou_region"), prefix))
    return kept.select(list(PLACE_COLUMNS)).combine_chunks()


def load_places(n: int) -> pa.Table:
    """``places_of`` the province's person file (its township and village, which
    ``bench_plan.load`` leaves out: the plan does not read them)."""
    with pa.OSFile(str(size_dir(n) / "registry_person.arrow"), "rb") as source:
        persons = pa.ipc.open_file(source).read_all()
    return places_of(persons.select(["id", "hukou_region", "township", "village"]))


def costing(
    tables: dict[str, pa.Table], places: pa.Table, lap: Callable[[str], None] = lambda p: None
) -> Totals:
    """One costing of the reform (``cost_tables``: ``tables`` are emptied once the
    inputs are made), ``lap`` told the end of each stage; its totals per programme
    and payer (``by_payer``, the programmes' and every programme's total lines left
    out)."""
    from doudi.costing import run
    from doudi.costing.tables import EVERY

    stages = iter(("inputs", "baseline rules", "reform rules"))
    found = run.cost_tables(tables, places, reform(), JURISDICTION, lambda stage: lap(next(stages)))
    lap("rows and tables")
    return {
        f"{line['programme_code']}/{line['payer_code']}": {
            "baseline": str(line["baseline"]),
            "reform": str(line["reform"]),
        }
        for line in found.by_payer.to_pylist()
        if EVERY not in (line["programme_code"], line["payer_code"])
    }


def plans(tables: Mapping[str, pa.Table], lap: Callable[[str], None] = lambda p: None) -> Totals:
    """The plan of every programme twice, as ``bench_plan`` times it: the baseline,
    then with the reform's parameters (its tier list read, its overrides in force);
    the totals of each side's rows per programme and payer."""
    from doudi.plan import evaluation, inputs

    change = reform()
    chosen = bench_plan.programmes()
    sides: dict[str, dict[str, Decimal]] = {}
    for side, params, overrides in (
        ("baseline", None, None),
        ("reform", change.reform_params(), change.overrides),
    ):
        people, statuses = inputs.inputs_from_tables(tables, JURISDICTION, YEAR, None, params)
        lap(f"{side} inputs")
        evaluated = evaluation.evaluate(
            JURISDICTION, YEAR, people, statuses, chosen, overrides=overrides
        )
        lap(f"{side} rules")
        found = pa.concat_tables(
            [evaluated.rows(p).select(["scheme", "payer", "amount"]) for p in chosen]
        )
        lap(f"{side} rows")
        sides[side] = sums(found)
    keys = sorted(sides["baseline"].keys() | sides["reform"].keys())
    zero = Decimal("0.00")
    return {
        key: {side: str(sides[side].get(key, zero)) for side in ("baseline", "reform")}
        for key in keys
    }


def sums(rows: pa.Table) -> dict[str, Decimal]:
    """``scheme/payer`` → the sum of the amounts."""
    con = duckdb.connect()
    con.register("rows", rows)
    found = con.sql("SELECT scheme, payer, sum(amount) FROM rows GROUP BY ALL").fetchall()
    con.close()
    return {f"{scheme}/{payer}": Decimal(total) for scheme, payer, total in found}


def differing(costed: Totals, planned: Totals) -> list[str]:
    """The programme/payer sums where the costing and the plans differ (a line one has
    and the other not counts as 0.00 there)."""
    zero = {"baseline": "0.00", "reform": "0.00"}
    return [
        f"{key} {side}: costing {costed.get(key, zero)[side]}, plan {planned.get(key, zero)[side]}"
        for key in sorted(costed.keys() | planned.keys())
        for side in ("baseline", "reform")
        if Decimal(costed.get(key, zero)[side]) != Decimal(planned.get(key, zero)[side])
    ]


# --- child processes --------------------------------------------------------------------


def warm_up(tables: Mapping[str, pa.Table], places: pa.Table | None = None) -> None:
    """Both sides' rules compiled, and a run over the first ``WARM_UP_N`` people."""
    few = warm_up_tables(tables)
    if places is None:
        plans(few)
    else:
        costing(few, places.filter(pc.field("id") <= WARM_UP_N))


def measure_costing(n: int) -> dict[str, Any]:
    """One costing, its stages timed; the contribution rows (``Evaluation.rows``: the
    baseline's made on a second thread during "reform rules", the reform's inside the
    join), the join (``rows.combine`` less the rows made inside it) and the summary
    tables (the rest of "rows and tables")."""
    from doudi.costing import rows
    from doudi.plan import evaluation

    tables, places = load(n), load_places(n)
    loaded = peak_mib()
    warm_up(tables, places)
    pre = peak_mib()
    clock = Clock()
    laps = Laps()
    with clock.around(rows, "combine"), clock.around(evaluation.Evaluation, "rows"):
        totals = costing(tables, places, laps)
    parts = dict(laps.parts)
    combine = clock.seconds["combine"]
    (start, end), *_ = clock.spans["combine"]
    inside = sum(b - a for a, b in clock.spans["rows"] if start <= a <= end)
    parts["contribution rows"] = clock.seconds["rows"]
    parts["join"] = combine - inside
    parts["tables"] = parts.pop("rows and tables") - combine
    return {
        "seconds": laps.seconds(),
        "cpu_seconds": laps.cpu_seconds(),
        "parts": parts,
        "loaded_mib": loaded,
        "pre_mib": pre,
        "peak_mib": peak_mib(),
        "totals": totals,
    }


def measure_plans(n: int) -> dict[str, Any]:
    tables = load(n)
    loaded = peak_mib()
    warm_up(tables)
    pre = peak_mib()
    laps = Laps()
    totals = plans(tables, laps)
    parts = laps.parts
    one = sum(v for k, v in parts.items() if k.startswith("baseline"))
    return {
        "seconds": one,  # one plan: the baseline's
        "both_seconds": laps.seconds(),
        "cpu_seconds": laps.cpu_seconds(),
        "parts": parts,
        "loaded_mib": loaded,
        "pre_mib": pre,
        "peak_mib": peak_mib(),
        "totals": totals,
    }


class Clock:
    """Seconds spent in chosen functions, summed over their calls: each wrapped for
    the time of a ``with`` block."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self.spans: dict[str, list[tuple[float, float]]] = {}  # each call's start and end

    @contextmanager
    def around(self, owner: Any, name: str) -> Iterator[None]:
        original = getattr(owner, name)
        self.seconds[name] = 0.0
        self.spans[name] = []

        def timed(*args: Any, **kwargs: Any) -> Any:
            start = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                end = time.perf_counter()
                self.seconds[name] += end - start
                self.spans[name].append((start, end))

        setattr(owner, name, timed)
        try:
            yield
        finally:
            setattr(owner, name, original)


def measure_one(code: str, n: int) -> dict[str, Any]:
    if code == "generate":
        return bench_plan.measure_generate(n)
    return {"costing": measure_costing, "plans": measure_plans}[code](n)


# --- orchestration (parent process) -----------------------------------------------------


def parse_args() -> argparse.Namespace:
    env = os.environ.get
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes",
        default=env("DOUDI_BENCH_COSTING_SIZES", ",".join(str(n) for n in SIZES)),
        help="insured persons per run, comma-separated",
    )
    parser.add_argument(
        "--runs",
        "--repeat",
        type=int,
        default=int(env("DOUDI_BENCH_REPEAT", RUNS)),
        help="fresh processes per side, taking turns; the median and min–max are reported",
    )
    parser.add_argument(
        "--batch-rows",
        type=int,
        default=READ_BATCH_ROWS,
        help="rows per record batch of the registry tables (0: as built)",
    )
    parser.add_argument("--quick", action="store_true", help="a smoke run: 10^5")
    parser.add_argument("--keep", action="store_true", help="keep the scratch directory")
    parser.add_argument("--one", nargs=2, metavar=("CODE", "N"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.quick:
        args.sizes = ",".join(str(n) for n in QUICK_SIZES)
    return args


COLUMNS_OUT = [
    ("insured", ">10"),
    ("inputs×2 s", ">10"),
    ("base rules", ">10"),
    ("ref. rules", ">10"),
    ("contrib. rows", ">13"),
    ("join s", ">6"),
    ("tables s", ">8"),
    ("costing s", ">9"),
    ("min–max", ">11"),
    ("peak MiB", ">9"),
    ("plan s", ">7"),
    ("min–max", ">11"),
    ("plan×2 s", ">8"),
    ("peak MiB", ">9"),
    ("ratio", ">6"),
    ("equal", ">5"),
    ("load", ">9"),
    ("others", ">6"),
]


def row_text(n: int, r: Mapping[str, Any]) -> str:
    c, p = r["costing"], r["plans"]
    parts = c["parts"]
    cells = [
        f"{n:,}",
        f"{parts['inputs']:.2f}",
        f"{parts['baseline rules']:.2f}",
        f"{parts['reform rules']:.2f}",
        f"{parts['contribution rows']:.2f}",
        f"{parts['join']:.2f}",
        f"{parts['tables']:.2f}",
        f"{c['seconds']:.2f}",
        f"{c['seconds_min']:.2f}–{c['seconds_max']:.2f}",
        f"{c['peak_mib']:,.0f}",
        f"{p['seconds']:.2f}",
        f"{p['seconds_min']:.2f}–{p['seconds_max']:.2f}",
        f"{r['both']:.2f}",
        f"{p['peak_mib']:,.0f}",
        f"{c['seconds'] / p['seconds']:.2f}",
        "yes" if not r["differing"] else "NO",
        f"{r['load'][0]:.1f}→{r['load'][1]:.1f}",
        f"{r['others']:.2f}",
    ]
    return table_text(COLUMNS_OUT, [cells]).splitlines()[1]


def measure_size(n: int, runs: int) -> dict[str, Any]:
    """Both sides ``runs`` times, taking turns, each run in a fresh process; every
    run's totals checked against every other side's run."""
    before, others = os.getloadavg()[0], OthersBusy()
    done: dict[str, list[dict[str, Any]]] = {"costing": [], "plans": []}
    for _ in range(runs):
        for code in done:
            done[code].append(run_child(__file__, code, n, 1))
    found = [
        line
        for c in done["costing"]
        for p in done["plans"]
        for line in differing(c["totals"], p["totals"])
    ]
    return {
        "costing": median_run(done["costing"]),
        "plans": median_run(done["plans"]),
        "both": statistics.median(r["both_seconds"] for r in done["plans"]),
        "differing": sorted(set(found)),
        "load": (before, os.getloadavg()[0]),
        "others": others.cores(),
    }


def main() -> None:
    args = parse_args()
    if args.one:
        print(json.dumps(measure_one(args.one[0], int(args.one[1]))))
        return
    sizes = sorted({int(x) for x in args.sizes.split(",") if x.strip()})
    work = Path(tempfile.mkdtemp(prefix="doudi-bench-costing-", dir="/tmp"))
    # bench_plan's settings (its children read them): its scratch layout, its batches
    os.environ[bench_plan.CONFIG] = json.dumps(
        {"dir": str(work), "batch_rows": args.batch_rows, "spark_master": "local[2]"}
    )
    os.environ["DOUDI_DATABASE_URL"] = f"sqlite:///{work}/default.sqlite3"
    print(
        f"Doudi costing benchmark, {JURISDICTION} {YEAR}, reform {REFORM.relative_to(REPO)} "
        f"against the plan run twice, {args.runs} fresh processes per side (scratch {work})"
    )
    print("\n".join(machine()))
    print()
    started = time.perf_counter()
    results: dict[int, dict[str, Any]] = {}
    try:
        print(table_text(COLUMNS_OUT, []), flush=True)
        for n in sizes:
            run_child(__file__, "generate", n, 1)
            results[n] = measure_size(n, args.runs)
            print(row_text(n, results[n]), flush=True)
            if not args.keep:
                shutil.rmtree(size_dir(n, work), ignore_errors=True)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    print()
    for n, r in results.items():
        c, p = r["costing"], r["plans"]
        print(
            f"  {n:,}: costing runs {', '.join(f'{s:.2f}' for s in c['seconds_all'])} s "
            f"(cpu {c['cpu_seconds']:.1f} s, +{c['peak_mib'] - c['loaded_mib']:,.0f} MiB "
            f"beyond the loaded tables); plan runs "
            f"{', '.join(f'{s:.2f}' for s in p['seconds_all'])} s; plan×2 parts "
            + ", ".join(f"{k} {v:.2f}" for k, v in p["parts"].items())
            + f" s; totals per programme and payer {len(c['totals'])}: "
            + ("costing = plan, both sides, every run" if not r["differing"] else "DIFFER")
        )
        for line in r["differing"]:
            print(f"    {line}")
    print()
    print(
        "inputs×2 s: the costing's inputs (inputs_from_tables, then the reform's tier "
        "facts over them, inputs.tiers_held: its tier list differs); base rules, ref. "
        "rules: evaluation.evaluate of the baseline and "
        "the reform; contrib. rows: Evaluation.rows of both sides (the baseline's made on a "
        "second thread while the reform's rules run, so the parts overlap and add up to "
        "more than the costing); join s: costing.rows.combine less the rows made inside "
        "it (both sides joined per person, programme and payer, the "
        "persons table); tables s: by payer, region, group, the distribution; costing s: "
        "their sum, median of the runs (parts of the median run); plan s: one plan run "
        "(the baseline: inputs, rules, rows), median; plan×2 s: the baseline and the "
        "reform's plan in one process, median; peak MiB: largest ru_maxrss of the runs, "
        "input tables included; ratio: costing s / plan s; equal: every costing run's "
        "totals per programme and payer = every plan run's, both sides; load: 1-minute "
        "load average before → after the size's runs; others: cores other processes kept "
        "busy meanwhile."
    )
    print(f"total {time.perf_counter() - started:.0f} s")
    print(load_average())
    print_target(results)


def print_target(results: Mapping[int, Mapping[str, Any]]) -> None:
    name = f"target: a reform over {TARGET_N:,} insured in under {TARGET_RATIO:g}× one plan run"
    if TARGET_N not in results:
        print(f"{name}: not measured (sizes {', '.join(f'{n:,}' for n in results)})")
        return
    r = results[TARGET_N]
    c, p = r["costing"]["seconds"], r["plans"]["seconds"]
    met = c < TARGET_RATIO * p and not r["differing"]
    print(
        f"{name}: {'met' if met else 'NOT met'} (costing {c:.2f} s = {c / p:.2f}× one plan "
        f"{p:.2f} s; the plan twice {r['both']:.2f} s)"
    )


if __name__ == "__main__":
    main()
