"""Plan benchmark: every programme's plan of the year for a synthetic province of 10^7 insured.

What (issue #20 §5, issue #25): the registry tables of a made-up Jiangxi (360000) of N
insured — ``bench_registry.province`` (the comparison benchmark's province, built
directly as Arrow: N / 5 status periods of the first four lists, the resident pension
and medical extracts) with the sources issue #20 added at realistic shares
(``province_sources``: low-income families, veterans, other assistance targets,
students, adults unable to work, the employee pension and medical insurance, the
unemployment-insurance records and the vocational certificates) — for N = 10^6, 3·10^6
and 10^7 by default. The plan path timed is what ``plan.versions.run_plans`` does minus
the database: ``inputs.inputs_from_tables`` once (what ``engine_inputs`` does with the
Arrow tables: the people of the jurisdiction with their enrollment, status and record
facts, their status periods; the registry tables are let go once it is done), then
``evaluation.evaluate`` once for every programme Jiangxi's document has
(``plan.programmes``: the resident pension's government-paid contribution, the
resident-medical subsidy, the unemployment fund's allowance and skill subsidy) for
2018: every rule compiled to one DuckDB statement, the programmes' columns selected for
the people any of them has a row for; then each programme's contribution rows from that
result (``Evaluation.rows``, ``plan.contributions``: one per person and payer, ``self`` =
what the person still owes, with the clauses that decided it). ``run_plans`` also writes each
programme's Parquet snapshot and its rows into the database: not timed here. The
tables are handed over in record batches of ``--batch-rows`` rows (default 1,024, what
``Database.read`` returns from SQLite, as in the registry benchmark).

Each measurement runs in a fresh subprocess of this script (``--one``), as one ``doudi
plan`` does, so the peak resident memory (``ru_maxrss``) it reports is its own: one
process builds the province and writes the five tables the plan reads as Arrow IPC
files to a scratch directory under /tmp (not timed as the plan, its memory not the
plan's); each measuring process reads them back into memory first, as ``engine_inputs``
reads them (its columns, its WHERE clauses). ``peak`` includes those input tables;
``+`` is the peak beyond the modules and input tables, the plan's own memory. Compiling
the rules (Ibis to SQL, once per process, cached) and a 1,000-person warm-up are not
timed. The plan and the hand-written statements each run ``--repeat`` times (default
5), every run in a fresh process, the plan's and the hand's runs taking turns
(``benchlib.median_children``), so a slow spell of the machine slows both sides of the
ratio; reported: the median and the min–max of the runs, the largest peak, and the
1-minute load average before and after each size's runs.

The floors (``plan_hand``: the numbers written in, the clauses they cite), each
checked equal to the plan's rows at the smallest size (the same multiset of every
column), programme by programme, and by totals at every size:

- **from the registry** (``plan_hand.registry_rows``), against the whole path above
  (``plan``/``hand``): honest but loose, it aggregates every enrollment and sorts;
- **tight** (``plan_hand.tight_rows``, issue #25 §1), over the same per-person inputs
  as the rules (built in each process first, timed apart): the plan's rules against
  it in two pairs (``plan_tight``), the amounts and payers alone (``rules``/``tight``)
  and with the clause bases (``reasons``/``tight_reasons``). All six measurements
  take turns, a fresh process each.

Spark: the plan on Spark reading a lake export is measured by ``bench_spark.py``
(``--programmes plan``), beside the settlement and the comparison, against DuckDB
doing the same work on the same files.

Why: the yearly plan of a province runs on one machine. Targets on the 2-core
reference machine (issue #20 §5): the all-programme plan of 10^7 insured in under 15 s
with peak memory under 6 GiB, within 1.5× of the hand-written SQL; the time and memory
grow linearly (``s/10^6``). Issue #25: the rules at 10^7 within 1.5× of the tight
statement (each pair), their memory beyond the inputs within 3× of its, and at 10^6 at
most 0.5 s of fixed cost per process.

Usage: ``bench_plan.py [--sizes 1000000,3000000,10000000] [--repeat 5] [--batch-rows
1024] [--wait-load 1.0] [--keep]`` (or ``DOUDI_BENCH_PLAN_SIZES``, ``DOUDI_BENCH_REPEAT``);
a smoke run: ``--quick`` (10^5 and 3·10^5, 3 runs each; about a minute).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.compute as pc

from bench_registry import READ_BATCH_ROWS, STATUS_ROWS_PER_INSURED, province, table_text
from benchlib import (
    OthersBusy,
    cpu_seconds,
    load_average,
    machine,
    median_children,
    peak_mib,
    run_child,
    wait_for_quiet,
)
from plan_hand import JURISDICTION, PAID, YEAR, differ, registry_rows, tight_rows
from plan_tight import PAIRS, held_mib, print_pairs, rules_rows, top_mib
from plan_tight import print_targets as print_pair_targets
from province_sources import add_sources

SIZES = (1_000_000, 3_000_000, 10_000_000)
QUICK_SIZES = (100_000, 300_000)
QUICK_REPEAT = 3
WARM_UP_N = 1_000
TARGET_N = 10_000_000
TARGET_SECONDS = 15.0
TARGET_PEAK_MIB = 6 * 1024
TARGET_RATIO = 1.5
#: How long to wait for a quiet machine before starting (``--wait-load``).
WAIT_SECONDS = 20 * 60
#: The environment variable by which the parent hands its children the run's settings.
CONFIG = "DOUDI_BENCH_PLAN"
#: The programmes of Jiangxi's plan, in the order ``run_plans`` computes them.
PROGRAMMES = ("resident_pension", "resident_medical", "unemployment")
#: The measurements taking turns at each size: the plan's path and the registry
#: statements, then each pair of the rules and the tight statement (``PAIRS``).
CODES = ("plan", "hand", "rules", "tight", "reasons", "tight_reasons")

# --- child processes ---------------------------------------------------------------


def config() -> dict[str, Any]:
    settings: dict[str, Any] = json.loads(os.environ[CONFIG])
    return settings


def input_tables() -> tuple[str, ...]:
    from doudi.plan import inputs

    return inputs.INPUT_TABLES


def size_dir(n: int, work: Path | None = None) -> Path:
    """Where the tables of ``n`` insured are kept."""
    return (work or Path(config()["dir"])) / str(n)


def measure_generate(n: int) -> dict[str, Any]:
    start = time.perf_counter()
    tables = province(n, round(n * STATUS_ROWS_PER_INSURED))
    add_sources(tables)
    seconds = time.perf_counter() - start
    out = size_dir(n)
    out.mkdir(parents=True, exist_ok=True)
    sizes = {}
    for name in input_tables():
        table = tables.pop(name)
        path = str(out / f"{name}.arrow")
        with pa.OSFile(path, "wb") as sink, pa.ipc.new_file(sink, table.schema) as writer:
            writer.write_table(table, max_chunksize=1_000_000)
        sizes[name] = table.num_rows
        del table
    return {"seconds": seconds, "rows": sizes, "peak_mib": peak_mib()}


def load(n: int) -> dict[str, pa.Table]:
    """The tables as ``engine_inputs`` reads them from the registry: only its columns
    and the rows its WHERE clauses select (``inputs.input_filters``), in record batches
    as ``Database.read`` gives.

    The files are read one record batch at a time and the kept rows and columns copied
    out, so the process holds what a registry read would return, not the files' other
    columns, and reading them costs at most one batch beyond that.
    """
    from doudi.plan import inputs

    size = config()["batch_rows"]
    where = inputs.input_filters(JURISDICTION, YEAR)
    con = duckdb.connect()
    tables = {}
    for name in input_tables():
        columns = ", ".join(inputs.INPUT_COLUMNS[name])
        sql, values = where[name]
        parts = []
        with pa.OSFile(str(size_dir(n) / f"{name}.arrow"), "rb") as source:
            reader = pa.ipc.open_file(source)
            for i in range(reader.num_record_batches):
                con.register("batch", reader.get_batch(i))
                # the registry's WHERE clause, on DuckDB (its dates compare with ISO
                # text; the entries' refers to the batches already read)
                rows = con.sql(f"SELECT {columns} FROM batch {sql}", params=list(values) or None)
                parts.append(rows.to_arrow_table())
                con.unregister("batch")
        table = pa.concat_tables(parts).combine_chunks()
        del parts
        if size:
            table = pa.Table.from_batches(table.to_batches(max_chunksize=size), table.schema)
        tables[name] = table
        con.register(name, table)
    con.close()
    return tables


def warm_up_tables(tables: Mapping[str, pa.Table]) -> dict[str, pa.Table]:
    """The first ``WARM_UP_N`` persons' rows of each table (the batches whole)."""
    key = {"registry_person": "id", "registry_import_batch": None}
    out = {}
    for name, table in tables.items():
        column = key.get(name, "person_id")
        out[name] = table if column is None else table.filter(pc.field(column) <= WARM_UP_N)
    return out


def programmes() -> list[Any]:
    """The programmes ``run_plans`` computes for the jurisdiction, in its order."""
    from doudi.plan.programmes import ALL
    from doudi.policy import jurisdictions

    document = jurisdictions.get(JURISDICTION).document
    chosen = [p for p in ALL.values() if p.applies(document)]
    assert tuple(p.code for p in chosen) == PROGRAMMES, chosen
    return chosen


def plan_rows(tables: Mapping[str, pa.Table]) -> dict[str, pa.Table]:
    """The timed path, untimed: the inputs once, the rules once, each programme's rows."""
    from doudi.plan import evaluation, inputs

    people, statuses = inputs.inputs_from_tables(tables, JURISDICTION, YEAR)
    chosen = programmes()
    evaluated = evaluation.evaluate(JURISDICTION, YEAR, people, statuses, chosen)
    return {p.code: evaluated.rows(p) for p in chosen}


def totals(rows: pa.Table) -> dict[str, Any]:
    gov = rows.filter(pc.field("payer") != "self")
    own = rows.filter(pc.field("payer") == "self")
    return {
        "rows": rows.num_rows,
        "targets": len(pc.unique(gov.column("person_id"))),
        "gov_paid": str(pc.sum(gov.column("amount")).as_py() or 0),
        "self_due": str(pc.sum(own.column("amount")).as_py() or 0),
    }


def all_totals(rows: Mapping[str, pa.Table]) -> dict[str, Any]:
    return {
        "rows": sum(t.num_rows for t in rows.values()),
        "programmes": {code: totals(t) for code, t in rows.items()},
    }


class Laps:
    """Wall seconds from the start to each named point, and between them."""

    def __init__(self) -> None:
        self.start = self.last = time.perf_counter()
        self.cpu = cpu_seconds()
        self.parts: dict[str, float] = {}

    def __call__(self, part: str) -> None:
        now = time.perf_counter()
        self.parts[part] = now - self.last
        self.last = now

    def seconds(self) -> float:
        return self.last - self.start

    def cpu_seconds(self) -> float:
        return cpu_seconds() - self.cpu


def figures(laps: Laps, loaded: float, pre: float, rows: Mapping[str, pa.Table]) -> dict[str, Any]:
    """A measuring process's figures: its timed laps, its memory once the tables were
    loaded, before the timed part and at its peak, and the rows' totals."""
    return {
        "seconds": laps.seconds(),
        "cpu_seconds": laps.cpu_seconds(),
        "parts": laps.parts,
        "loaded_mib": loaded,
        "pre_mib": pre,
        "peak_mib": peak_mib(),
        **all_totals(rows),
    }


def measure_plan(n: int) -> dict[str, Any]:
    from doudi.engine import backend
    from doudi.plan import evaluation, inputs

    tables = load(n)
    loaded = peak_mib()
    counts = {name: int(t.num_rows) for name, t in tables.items()}
    start = time.perf_counter()
    backend.plan(JURISDICTION, YEAR)
    compile_seconds = time.perf_counter() - start
    plan_rows(warm_up_tables(tables))
    pre = peak_mib()
    chosen = programmes()

    laps = Laps()
    people, statuses = inputs.inputs_from_tables(tables, JURISDICTION, YEAR)
    # as engine_inputs: the registry tables are let go once the inputs are built
    tables.clear()
    inputs.release_unused()
    laps("inputs")
    evaluated = evaluation.evaluate(JURISDICTION, YEAR, people, statuses, chosen)
    laps("rules")
    rows = {}
    for p in chosen:
        rows[p.code] = evaluated.rows(p)
        laps(p.code)
    return {
        "people": counts["registry_person"],
        "status_rows": counts["registry_status_period"],
        "enrollments": counts["registry_enrollment"],
        "records": counts["registry_roster_entry"],
        "compile_seconds": compile_seconds,
        **figures(laps, loaded, pre, rows),
    }


def measure_hand(n: int) -> dict[str, Any]:
    tables = load(n)
    loaded = peak_mib()
    registry_rows(warm_up_tables(tables))
    pre = peak_mib()
    laps = Laps()
    rows = registry_rows(tables, laps)
    return figures(laps, loaded, pre, rows)


def measure_check(n: int) -> dict[str, Any]:
    """The plan's rows against each floor's, programme by programme: the registry
    statements' and the tight statement's with reasons (every column), and the tight
    statement's amounts and payers against the rules' without reasons. Each floor's
    rows are let go once compared (at 10^7 each set is a gigabyte)."""
    from doudi.plan import inputs

    tables = load(n)
    plan = plan_rows(tables)
    found: dict[str, dict[str, Any]] = {code: totals(rows) for code, rows in plan.items()}
    for code, rows in registry_rows(tables).items():
        found[code]["differ"] = differ(plan[code], rows)
    people, statuses = inputs.inputs_from_tables(tables, JURISDICTION, YEAR)
    tables.clear()
    for code, rows in tight_rows(people, statuses, reasons=True).items():
        found[code]["tight_reasons"] = differ(plan[code], rows)
    del plan
    bare = rules_rows(people, statuses, programmes(), reasons=False)
    for code, rows in tight_rows(people, statuses, reasons=False).items():
        found[code]["tight"] = differ(bare[code], rows, PAID)
    return found


def measure_rules(n: int, reasons: bool, tight: bool) -> dict[str, Any]:
    """One side of a pair (``plan_tight``): the plan's rules, or the tight statement
    (``tight``), with or without ``reasons``, over the plan's inputs, after a first
    run on the warm-up people; the inputs are built first and timed apart."""
    from doudi.engine import backend
    from doudi.plan import inputs

    tables = load(n)
    loaded = peak_mib()
    warm = warm_up_tables(tables)  # cut out of the province: not the plan's fixed cost
    start = time.perf_counter()
    if not tight:
        backend.plan(JURISDICTION, YEAR, kind="registry")
    compiled = time.perf_counter()
    chosen = programmes()

    def run(
        people: pa.Table, statuses: pa.Table, lap: Callable[[str], None] = lambda part: None
    ) -> dict[str, pa.Table]:
        if tight:
            return tight_rows(people, statuses, reasons, lap)
        return rules_rows(people, statuses, chosen, reasons, lap)

    run(*inputs.inputs_from_tables(warm, JURISDICTION, YEAR))
    first = time.perf_counter()
    people, statuses = inputs.inputs_from_tables(tables, JURISDICTION, YEAR)
    tables.clear()  # as engine_inputs: the registry tables go once the inputs are built
    inputs.release_unused()
    built = time.perf_counter()
    pre = peak_mib()
    held = held_mib()  # and the peak starts again from what is held now
    laps = Laps()
    rows = run(people, statuses, laps)
    own = top_mib() - held
    return {
        "compile_seconds": compiled - start,
        "warm_up_people": WARM_UP_N,
        "first_seconds": first - compiled,
        "inputs_seconds": built - first,
        "own_mib": own,
        **figures(laps, loaded, pre, rows),
    }


#: The measurements of one run (``--one CODE N``).
MEASURES: dict[str, Callable[[int], dict[str, Any]]] = {
    "generate": measure_generate,
    "plan": measure_plan,
    "hand": measure_hand,
    "check": measure_check,
    "rules": lambda n: measure_rules(n, reasons=False, tight=False),
    "tight": lambda n: measure_rules(n, reasons=False, tight=True),
    "reasons": lambda n: measure_rules(n, reasons=True, tight=False),
    "tight_reasons": lambda n: measure_rules(n, reasons=True, tight=True),
}
#: The pairs of rules and tight statement, and what they write.


# --- orchestration (parent process) ---------------------------------------------------


def parse_args() -> argparse.Namespace:
    env = os.environ.get
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes",
        default=env("DOUDI_BENCH_PLAN_SIZES", ",".join(str(n) for n in SIZES)),
        help="insured persons per run, comma-separated",
    )
    parser.add_argument(
        "--repeat",
        type=int,
        default=None,
        help="fresh processes per measurement, the plan's and the hand's in turns; the"
        " median and the min–max are reported (default 5, --quick 3)",
    )
    parser.add_argument(
        "--batch-rows",
        type=int,
        default=READ_BATCH_ROWS,
        help="rows per record batch of the registry tables (0: as built)",
    )
    parser.add_argument(
        "--wait-load",
        type=float,
        default=None,
        help="first wait (up to 20 minutes) until the 1-minute load average is at most this",
    )
    parser.add_argument("--quick", action="store_true", help="a smoke run: 10^5 and 3·10^5")
    parser.add_argument("--keep", action="store_true", help="keep the scratch directory")
    parser.add_argument("--one", nargs=2, metavar=("CODE", "N"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.quick:
        args.sizes = ",".join(str(n) for n in QUICK_SIZES)
    if args.repeat is None:
        args.repeat = QUICK_REPEAT if args.quick else int(env("DOUDI_BENCH_REPEAT", 5))
    return args


def verdict(met: bool, text: str) -> str:
    return f"{'met' if met else 'NOT met'} ({text})"


def spread(r: Mapping[str, Any]) -> str:
    return f"{r['seconds_min']:.2f}–{r['seconds_max']:.2f}"


COLUMNS_OUT = [
    ("insured", ">10"),
    ("status rows", ">11"),
    ("enrollments", ">11"),
    ("records", ">8"),
    ("gen s", ">6"),
    ("inputs s", ">8"),
    ("rules s", ">7"),
    ("pension s", ">9"),
    ("medical s", ">9"),
    ("unempl. s", ">9"),
    ("plan s", ">7"),
    ("plan min–max", ">12"),
    ("cpu s", ">6"),
    ("peak MiB", ">9"),
    ("+MiB", ">6"),
    ("hand s", ">7"),
    ("hand min–max", ">12"),
    ("hand peak", ">9"),
    ("ratio", ">6"),
    ("s/10^6", ">7"),
    ("rows out", ">11"),
    ("load", ">9"),
    ("others", ">6"),
]


def row_text(n: int, r: Mapping[str, Any]) -> str:
    plan, hand, generated = r["plan"], r["hand"], r["generated"]
    parts = plan["parts"]
    cells = [
        f"{n:,}",
        f"{plan['status_rows']:,}",
        f"{plan['enrollments']:,}",
        f"{plan['records']:,}",
        f"{generated['seconds']:.1f}",
        f"{parts['inputs']:.2f}",
        f"{parts['rules']:.2f}",
        f"{parts['resident_pension']:.2f}",
        f"{parts['resident_medical']:.2f}",
        f"{parts['unemployment']:.2f}",
        f"{plan['seconds']:.2f}",
        spread(plan),
        f"{plan['cpu_seconds']:.1f}",
        f"{plan['peak_mib']:,.0f}",
        f"{plan['peak_mib'] - plan['loaded_mib']:,.0f}",
        f"{hand['seconds']:.2f}",
        spread(hand),
        f"{hand['peak_mib']:,.0f}",
        f"{plan['seconds'] / hand['seconds']:.2f}",
        f"{plan['seconds'] / (n / 1e6):.2f}",
        f"{plan['rows']:,}",
        f"{r['load'][0]:.1f}→{r['load'][1]:.1f}",
        f"{r['others']:.2f}",
    ]
    return table_text(COLUMNS_OUT, [cells]).splitlines()[1]


def main() -> None:
    args = parse_args()
    if args.one:
        print(json.dumps(MEASURES[args.one[0]](int(args.one[1]))))
        return
    sizes = sorted({int(x) for x in args.sizes.split(",") if x.strip()})
    if args.wait_load is not None:
        load_now = wait_for_quiet(args.wait_load, WAIT_SECONDS)
        print(f"waited for a 1-minute load ≤ {args.wait_load}: now {load_now:.2f}")
    work = Path(tempfile.mkdtemp(prefix="doudi-bench-plan-", dir="/tmp"))
    os.environ[CONFIG] = json.dumps({"dir": str(work), "batch_rows": args.batch_rows})
    # Django's default database, so nothing touches var/doudi.sqlite3.
    os.environ["DOUDI_DATABASE_URL"] = f"sqlite:///{work}/default.sqlite3"
    chunks = f"record batches of {args.batch_rows:,} rows" if args.batch_rows else "one chunk"
    print(
        f"Doudi plan benchmark, {JURISDICTION} (JX-2017-58) {YEAR}, every programme "
        f"({', '.join(PROGRAMMES)}), registry tables as Arrow in {chunks}, "
        f"{args.repeat} fresh processes per side (scratch {work})"
    )
    print("\n".join(machine()))
    print()
    started = time.perf_counter()
    results: dict[int, dict[str, Any]] = {}
    check: dict[str, Any] = {}
    try:
        print(table_text(COLUMNS_OUT, []), flush=True)
        for n in sizes:
            generated = run_child(__file__, "generate", n, 1)
            if n == sizes[0]:
                check = run_child(__file__, "check", n, 1)
            before, others = os.getloadavg()[0], OthersBusy()
            medians = median_children(__file__, CODES, n, args.repeat)
            results[n] = {
                **medians,
                "generated": generated,
                "load": (before, os.getloadavg()[0]),
                "others": others.cores(),
            }
            print(row_text(n, results[n]), flush=True)
            if not args.keep:
                shutil.rmtree(size_dir(n, work), ignore_errors=True)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    print()
    print_check(sizes[0], check)
    print_details(sizes, results)
    print()
    print_pairs(sizes, results)
    print()
    print(
        "gen s: building the province as Arrow (its own process, not timed as the plan); "
        "inputs s: inputs.inputs_from_tables (engine_inputs on Arrow tables); rules s: "
        "evaluation.evaluate, the rules on DuckDB once for every programme; pension s, "
        "medical s, unempl. s: each programme's contribution rows from that result "
        "(Evaluation.rows); plan s: their sum, the median of "
        f"{args.repeat} fresh processes (of the median run: the parts and cpu s, up to "
        "2 × plan s); plan min–max: the fastest and slowest run; peak MiB: the largest "
        "peak resident memory (ru_maxrss) of the runs, input tables included; +MiB: peak "
        "MiB less the peak once the modules and input tables were loaded (the plan's own "
        "memory, its compiled rules included); hand s, hand min–max, hand peak: the same "
        "of the hand-written statements, each run in its own process, taking turns with "
        "the plan's; ratio: plan s / hand s (medians); s/10^6: plan s per million "
        "insured (constant = linear); load: 1-minute load average before → after the "
        "size's runs (this benchmark's own runs count: one on both cores is 2); others: "
        "cores other processes kept busy on average during the size's runs (the "
        "machine's busy time less this benchmark's)."
    )
    print(f"total {time.perf_counter() - started:.0f} s")
    print(load_average())
    print_targets(results)
    print_pair_targets(results)


def print_check(n: int, check: Mapping[str, Any]) -> None:
    same = all(c["differ"] == 0 for c in check.values())
    print(
        f"plan vs hand-written SQL at {n:,}: "
        f"{'the same rows' if same else 'NOT the same rows'} (rows differing, of the plan's: "
        + "; ".join(
            f"{code} {c['differ']} of {c['rows']:,} ({c['targets']:,} paid for, "
            f"government {c['gov_paid']}, self {c['self_due']} yuan)"
            for code, c in check.items()
        )
        + ")"
    )
    for key, (_, writes) in zip(("tight", "tight_reasons"), PAIRS.values(), strict=True):
        same = all(c[key] == 0 for c in check.values())
        print(
            f"plan's rules vs the tight statement ({writes}) at {n:,}: "
            f"{'the same rows' if same else 'NOT the same rows'} (rows differing: "
            + "; ".join(f"{code} {c[key]}" for code, c in check.items())
            + ")"
        )


def print_details(sizes: list[int], results: Mapping[int, Mapping[str, Any]]) -> None:
    for n in sizes:
        plan, hand = results[n]["plan"], results[n]["hand"]
        same = all(
            plan["programmes"][code][key] == hand["programmes"][code][key]
            for code in PROGRAMMES
            for key in ("rows", "targets", "gov_paid", "self_due")
        )
        hand_parts = ", ".join(f"{k} {v:.2f}" for k, v in hand["parts"].items())
        rows = ", ".join(f"{k} {v['rows']:,}" for k, v in plan["programmes"].items())
        print(
            f"  {n:,}: compile {plan['compile_seconds']:.2f} s (not in plan s); input tables "
            f"{plan['loaded_mib']:,.0f} MiB after loading; rows {rows}; totals plan = hand: "
            f"{'yes' if same else 'NO'}; hand parts (median run) {hand_parts} s; CPU of "
            f"the median runs plan {plan['cpu_seconds']:.1f} s, hand {hand['cpu_seconds']:.1f} s; "
            f"runs plan {', '.join(f'{s:.2f}' for s in plan['seconds_all'])} s, "
            f"hand {', '.join(f'{s:.2f}' for s in hand['seconds_all'])} s"
        )
    if len(sizes) > 1:
        lo, hi = results[sizes[0]]["plan"], results[sizes[-1]]["plan"]
        factor = sizes[-1] / sizes[0]
        above = (hi["peak_mib"] - hi["loaded_mib"]) / max(lo["peak_mib"] - lo["loaded_mib"], 1)
        print(
            f"growth {sizes[0]:,} → {sizes[-1]:,} (×{factor:g}): plan time "
            f"×{hi['seconds'] / lo['seconds']:.1f}, peak memory "
            f"×{hi['peak_mib'] / lo['peak_mib']:.1f}, peak above the loaded input ×{above:.1f}"
        )


def print_targets(results: Mapping[int, Mapping[str, Any]]) -> None:
    name = f"target: the all-programme plan of {TARGET_N:,} insured"
    if TARGET_N not in results:
        print(f"{name}: not measured (sizes {', '.join(f'{n:,}' for n in results)})")
        return
    r, h = results[TARGET_N]["plan"], results[TARGET_N]["hand"]
    seconds, peak, ratio = r["seconds"], r["peak_mib"], r["seconds"] / h["seconds"]
    print(
        f"{name} < {TARGET_SECONDS:.0f} s: "
        f"{verdict(seconds < TARGET_SECONDS, f'median {seconds:.2f} s, {spread(r)} s')}"
    )
    print(
        f"{name}, peak memory < {TARGET_PEAK_MIB / 1024:.0f} GiB: "
        f"{verdict(peak < TARGET_PEAK_MIB, f'{peak:,.0f} MiB, the input tables included')}"
    )
    hand = h["seconds"]
    print(
        f"{name} within {TARGET_RATIO}× of the hand-written SQL: "
        f"{verdict(ratio <= TARGET_RATIO, f'{ratio:.2f}×, hand median {hand:.2f} s')}"
    )


if __name__ == "__main__":
    main()
