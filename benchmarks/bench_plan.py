"""Plan benchmark: the year's contribution plan of a synthetic province of up to 10^7 insured.

What (issue #5 §6): the registry tables of a made-up Jiangxi (360000) of N insured
with N / 5 status periods (``bench_registry.province``: the comparison benchmark's
province, built directly as Arrow), for N = 10^6, 3·10^6 and 10^7 by default. The
plan path timed is what ``plan.versions.run_plan`` does minus the database:
``inputs.inputs_from_tables`` (what ``engine_inputs`` does with the Arrow tables: people
of the jurisdiction with their enrollment facts, their status periods) and
``versions.compute(..., engine="duckdb")`` (every rule of ``evaluate_table`` compiled to
one DuckDB statement, then the plan's contribution rows, ``plan.contributions``: one
per person and payer, ``self`` = what the person still owes, with the clauses that
decided it) for Jiangxi 2018. The tables are handed over in record batches of
``--batch-rows`` rows (default 1,024, what ``Database.read`` returns from SQLite, as in
the registry benchmark).

Each measurement runs in a fresh subprocess of this script (``--one``), so the peak
resident memory (``ru_maxrss``) it reports is its own: one process builds the province
and writes the three tables the plan reads as Arrow IPC files to a scratch directory
under /tmp (building it is not timed as the plan, and its memory is not the plan's);
each measuring process reads them back into memory first (``pre MiB``: the input
tables, modules, compiled rules; ``peak MiB`` includes them, as ``run_plan`` holds the
tables it read until the inputs are built, then lets them go; ``+MiB`` is the peak
beyond the modules and input tables, the plan's own memory). Compiling the rules (Ibis
to SQL, once per process, cached) and a 1,000-person warm-up are not timed. The plan is
the fastest of ``--repeat`` runs (default 3), each in a fresh process as one ``doudi
plan`` is (the peak is the largest of theirs); the plan's and the hand statement's runs
take turns (``benchlib.fastest_children``), so a slow spell of the machine slows both
sides of the ratio, not one.

The floor: one hand-written DuckDB statement (``HAND`` below) over the same Arrow
tables that computes the same contribution rows for Jiangxi 2018 straight from the
registry tables — JX-2017-58/2.1.1's rule with its numbers written in: registered poor
(not exit-marked), dibao or tekun on some day of 2018, Jiangxi hukou, enrolled, 16 on
31 December and under 60 on 1 January, not in the employee pension: the county pays
100 yuan (at most the tier), the person the rest of the tier — in its own process,
fastest of ``--repeat``. ``ratio`` is plan / hand. At the smallest size the hand
statement's rows must equal the plan's (the same multiset of every column: person_id,
year, scheme, payer, amount, state, basis), so the floor is honest. A person holds one
registry row per ID number (unique), so the rules' once-per-ID-number step is not
written by hand.

Spark: at ``--spark-n`` (default 10^6) the same plan with ``compute(..., engine="spark")``
on ``local[2]`` (inputs on DuckDB as in ``run_plan``), once, after starting the session
and a 1,000-person warm-up (both reported on their own); its rows must equal DuckDB's.
Its ratio is to the DuckDB plan at the same size. The peak memory is the Python
driver's plus the JVM's (``VmHWM``).

Why: the yearly plan of a province runs on one machine. Targets on the 2-core
reference machine: 10^7 insured in under 10 s with peak memory under 4 GiB, within
1.5× of the hand-written SQL; the time and memory grow linearly (``s/10^6``).

Usage: ``bench_plan.py [--sizes 1000000,3000000,10000000] [--spark-n 1000000]
[--repeat 5] [--batch-rows 1024] [--spark-master local[2]] [--keep]``
(or ``DOUDI_BENCH_PLAN_SIZES``, ``DOUDI_BENCH_SPARK_N``, ``DOUDI_BENCH_REPEAT``);
a smoke run: ``--quick`` (10^5, 3·10^5 and Spark at 10^5, about a minute).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import tempfile
import time
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.compute as pc

from bench_registry import READ_BATCH_ROWS, STATUS_ROWS_PER_INSURED, province, table_text
from benchlib import best, fastest_children, load_average, machine, peak_mib, run_child

JURISDICTION = "360000"
YEAR = 2018
SIZES = (1_000_000, 3_000_000, 10_000_000)
QUICK_SIZES = (100_000, 300_000)
SPARK_N = 1_000_000
WARM_UP_N = 1_000
TARGET_N = 10_000_000
TARGET_SECONDS = 10.0
TARGET_PEAK_MIB = 4 * 1024
TARGET_RATIO = 1.5
#: The environment variable by which the parent hands its children the run's settings.
CONFIG = "DOUDI_BENCH_PLAN"
INPUT_TABLES = ("registry_person", "registry_enrollment", "registry_status_period")

#: Jiangxi 2018's contribution rows by hand (JX-2017-58/2.1.1 with GF-2014-8's ages):
#: the same rows as plan.versions', in the same order, from the registry tables in one go.
HAND = """
WITH enrolled AS (
    SELECT person_id,
           arg_max(contribution_tier, valid_from) FILTER (scheme = 'resident_pension') AS tier,
           bool_or(scheme = 'resident_pension') AS resident,
           bool_or(scheme = 'employee_pension') AS employee
    FROM registry_enrollment
    WHERE scheme IN ('resident_pension', 'employee_pension')
      AND valid_from <= $last AND (valid_to IS NULL OR valid_to > $first)
    GROUP BY person_id
),
target AS (  -- registered poor (respecting exit marks), dibao or tekun on a day of the year
    SELECT DISTINCT person_id FROM registry_status_period
    WHERE status IN ('registered_poor', 'dibao', 'tekun') AND valid_from <= $last
      AND coalesce(least(valid_to, CASE WHEN exit_marked THEN coalesce(exit_date, valid_from) END)
                   > $first, true)
),
person AS (
    SELECT e.person_id, e.tier, e.employee, t.person_id IS NOT NULL AS target,
           coalesce(p.death_date < $first, false) AS dead,  -- HE-2018-3/3.2.1
           coalesce(p.death_date BETWEEN $first AND $last, false) AS died_in_year,
           $year - year(p.birth_date)
               - (month(p.birth_date) * 100 + day(p.birth_date) > 101)::INT AS age_jan1,
           $year - year(p.birth_date) AS age_dec31
    FROM registry_person p
    JOIN enrolled e ON e.person_id = p.id AND e.resident
    LEFT JOIN target t ON t.person_id = p.id
    WHERE starts_with(p.hukou_region, '36')
),
decided AS (
    SELECT person_id,
           CASE WHEN age_jan1 < 60 AND NOT dead THEN coalesce(tier, 100.00) ELSE 0.00 END
               AS contribution,
           target AND NOT dead AND NOT employee AND age_dec31 >= 16 AND age_jan1 < 60
               AS eligible,
           CASE WHEN NOT target THEN 'JX-2017-58/2.1.1'
                WHEN NOT dead AND NOT employee AND age_dec31 >= 16 AND age_jan1 < 60
                THEN concat_ws(';', CASE WHEN died_in_year THEN 'HE-2018-3/3.2.1' END,
                               'JX-2017-58/2.1.1')
                ELSE concat_ws(';', CASE WHEN age_jan1 >= 60 THEN 'GF-2014-8/8' END,
                               CASE WHEN dead THEN 'HE-2018-3/3.2.1' END,
                               CASE WHEN employee OR age_dec31 < 16 THEN 'JX-2017-58/2.1.1' END)
           END AS basis
    FROM person
),
paid AS (
    SELECT person_id, contribution,
           CASE WHEN eligible THEN least(100.00, contribution) ELSE 0.00 END AS gov, basis
    FROM decided
)
SELECT person_id::BIGINT AS person_id, $year::SMALLINT AS year, 'resident_pension' AS scheme,
       payer, amount::DECIMAL(18, 2) AS amount, 'planned' AS state, basis
FROM (
    SELECT person_id, 'county' AS payer, gov AS amount, basis FROM paid WHERE gov > 0
    UNION ALL
    SELECT person_id, 'self' AS payer, contribution - gov AS amount, basis FROM paid
)
ORDER BY person_id, payer
"""


# --- child processes ---------------------------------------------------------------


def config() -> dict[str, Any]:
    settings: dict[str, Any] = json.loads(os.environ[CONFIG])
    return settings


def size_dir(n: int, work: Path | None = None) -> Path:
    """Where the three tables of ``n`` insured are kept."""
    return (work or Path(config()["dir"])) / str(n)


def measure_generate(n: int) -> dict[str, Any]:
    start = time.perf_counter()
    tables = province(n, round(n * STATUS_ROWS_PER_INSURED))
    seconds = time.perf_counter() - start
    out = size_dir(n)
    out.mkdir(parents=True, exist_ok=True)
    sizes = {}
    for name in INPUT_TABLES:
        table = tables.pop(name)
        path = str(out / f"{name}.arrow")
        with pa.OSFile(path, "wb") as sink, pa.ipc.new_file(sink, table.schema) as writer:
            writer.write_table(table, max_chunksize=1_000_000)
        sizes[name] = (table.num_rows, table.nbytes / 2**20)
        del table
    return {"seconds": seconds, "sizes": sizes, "peak_mib": peak_mib()}


def load(n: int) -> dict[str, pa.Table]:
    """The three tables as ``engine_inputs`` reads them from the registry: only its
    columns and the rows its WHERE clauses select (``inputs.input_filters``), in record
    batches as ``Database.read`` gives.

    The files are read one record batch at a time and the kept rows and columns copied
    out, so the process holds what a registry read would return, not the files' other
    columns, and reading them costs at most one batch beyond that.
    """
    from doudi.plan import inputs

    size = config()["batch_rows"]
    where = inputs.input_filters(JURISDICTION, YEAR)
    con = duckdb.connect()
    tables = {}
    for name in INPUT_TABLES:
        columns = ", ".join(inputs.INPUT_COLUMNS[name])
        sql, values = where[name]
        parts = []
        with pa.OSFile(str(size_dir(n) / f"{name}.arrow"), "rb") as source:
            reader = pa.ipc.open_file(source)
            for i in range(reader.num_record_batches):
                con.register("batch", reader.get_batch(i))
                # the registry's WHERE clause, on DuckDB (its dates compare with ISO text)
                rows = con.sql(f"SELECT {columns} FROM batch {sql}", params=list(values) or None)
                parts.append(rows.to_arrow_table())
                con.unregister("batch")
        table = pa.concat_tables(parts).combine_chunks()
        del parts
        if size:
            table = pa.Table.from_batches(table.to_batches(max_chunksize=size), table.schema)
        tables[name] = table
    con.close()
    return tables


def warm_up_tables(tables: Mapping[str, pa.Table]) -> dict[str, pa.Table]:
    """The first ``WARM_UP_N`` persons' rows of each table."""
    person = tables["registry_person"]
    return {
        "registry_person": person.filter(pc.field("id") <= WARM_UP_N),
        "registry_enrollment": tables["registry_enrollment"].filter(
            pc.field("person_id") <= WARM_UP_N
        ),
        "registry_status_period": tables["registry_status_period"].filter(
            pc.field("person_id") <= WARM_UP_N
        ),
    }


def plan_rows(tables: Mapping[str, pa.Table], engine: str = "duckdb") -> pa.Table:
    """The timed path: run_plan's inputs and computation, without the database."""
    from doudi.plan import inputs, versions

    people, statuses = inputs.inputs_from_tables(tables, JURISDICTION, YEAR)
    return versions.compute(JURISDICTION, YEAR, people, statuses, engine, config()["spark_master"])


def hand_rows(tables: Mapping[str, pa.Table]) -> pa.Table:
    con = duckdb.connect()
    for name in INPUT_TABLES:
        con.register(name, tables[name])
    params = {"first": date(YEAR, 1, 1), "last": date(YEAR, 12, 31), "year": YEAR}
    out: pa.Table = con.sql(HAND, params=params).to_arrow_table()
    con.close()
    return out


def differ(a: pa.Table, b: pa.Table) -> int:
    """Rows of either table the other lacks (as multisets over every column)."""
    con = duckdb.connect()
    con.register("a", a)
    con.register("b", b)
    cols = "person_id, year, scheme, payer, amount, state, basis"
    found = con.execute(
        f"SELECT (SELECT count(*) FROM (SELECT {cols} FROM a EXCEPT ALL SELECT {cols} FROM b))"
        f" + (SELECT count(*) FROM (SELECT {cols} FROM b EXCEPT ALL SELECT {cols} FROM a))"
    ).fetchone()
    return int(found[0]) if found else -1


def totals(rows: pa.Table) -> dict[str, Any]:
    gov = rows.filter(pc.field("payer") != "self")
    own = rows.filter(pc.field("payer") == "self")
    return {
        "rows": rows.num_rows,
        "targets": len(pc.unique(gov.column("person_id"))),
        "gov_paid": str(pc.sum(gov.column("amount")).as_py() or 0),
        "self_due": str(pc.sum(own.column("amount")).as_py() or 0),
    }


def measure_plan(n: int, repeat: int) -> dict[str, Any]:
    from doudi.engine import backend
    from doudi.plan import inputs, versions

    tables = load(n)
    loaded = peak_mib()
    counts = {name: int(t.num_rows) for name, t in tables.items()}
    start = time.perf_counter()
    backend.plan(JURISDICTION, YEAR)
    compile_seconds = time.perf_counter() - start
    plan_rows(warm_up_tables(tables))
    pre = peak_mib()
    stages: list[tuple[float, float]] = []

    def run(tables: dict[str, pa.Table]) -> pa.Table:
        # as engine_inputs: the registry tables are let go once the inputs are built
        start = time.perf_counter()
        people, statuses = inputs.inputs_from_tables(tables, JURISDICTION, YEAR)
        tables.clear()
        inputs.release_unused()
        middle = time.perf_counter()
        rows = versions.compute(JURISDICTION, YEAR, people, statuses)
        stages.append((middle - start, time.perf_counter() - middle))
        return rows

    loaded_once = [tables]  # the first run takes the tables already loaded
    del tables
    seconds, cpu, rows = best(
        repeat, run, prepare=lambda: loaded_once.pop() if loaded_once else load(n)
    )
    inputs_seconds, computed = min(stages, key=sum)
    return {
        "people": counts["registry_person"],
        "status_rows": counts["registry_status_period"],
        "enrollments": counts["registry_enrollment"],
        "compile_seconds": compile_seconds,
        "seconds": seconds,
        "cpu_seconds": cpu,
        "inputs_seconds": inputs_seconds,
        "compute_seconds": computed,
        "loaded_mib": loaded,
        "pre_mib": pre,
        "peak_mib": peak_mib(),
        **totals(rows),
    }


def measure_hand(n: int, repeat: int) -> dict[str, Any]:
    tables = load(n)
    loaded = peak_mib()
    hand_rows(warm_up_tables(tables))
    pre = peak_mib()
    seconds, cpu, rows = best(repeat, lambda: hand_rows(tables))
    result = {
        "seconds": seconds,
        "cpu_seconds": cpu,
        "loaded_mib": loaded,
        "pre_mib": pre,
        "peak_mib": peak_mib(),
        **totals(rows),
    }
    if n == config()["check_n"]:  # after the timing: the plan's rows, to compare
        result["differ"] = differ(rows, plan_rows(tables))
    return result


def jvm_peak_mib() -> float | None:
    """The Spark JVM's peak resident memory (local mode: the driver's JVM)."""
    from pyspark import SparkContext

    gateway = SparkContext._gateway
    proc = getattr(gateway, "proc", None) if gateway is not None else None
    if proc is None:
        return None
    pids = [proc.pid]
    children = Path(f"/proc/{proc.pid}/task/{proc.pid}/children")
    if children.exists():  # spark-submit may run java as a child instead of exec-ing it
        pids += [int(p) for p in children.read_text().split()]
    total = 0.0
    for pid in pids:
        status = Path(f"/proc/{pid}/status")
        if status.exists():
            for line in status.read_text().splitlines():
                if line.startswith("VmHWM:"):
                    total += int(line.split()[1]) / 1024
    return total


def measure_spark(n: int, repeat: int) -> dict[str, Any]:
    from doudi.engine.spark import session

    tables = load(n)
    start = time.perf_counter()
    session(config()["spark_master"])
    session_seconds = time.perf_counter() - start
    start = time.perf_counter()
    plan_rows(warm_up_tables(tables), "spark")
    warm_up_seconds = time.perf_counter() - start
    pre = peak_mib()
    seconds, cpu, rows = best(repeat, lambda: plan_rows(tables, "spark"))
    driver = peak_mib()
    jvm = jvm_peak_mib()
    return {
        "session_seconds": session_seconds,
        "warm_up_seconds": warm_up_seconds,
        "seconds": seconds,
        "cpu_seconds": cpu,  # the Python driver's only; the JVM's is not counted
        "pre_mib": pre,
        "driver_peak_mib": driver,
        "jvm_peak_mib": jvm,
        "differ": differ(rows, plan_rows(tables)),
        **totals(rows),
    }


def measure_one(code: str, n: int, repeat: int) -> dict[str, Any]:
    if code == "generate":
        return measure_generate(n)
    if code == "plan":
        return measure_plan(n, repeat)
    if code == "hand":
        return measure_hand(n, repeat)
    if code == "spark":
        return measure_spark(n, repeat)
    raise ValueError(code)


# --- orchestration (parent process) ---------------------------------------------------


def parse_args() -> argparse.Namespace:
    env = os.environ.get
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes",
        default=env("DOUDI_BENCH_PLAN_SIZES", ",".join(str(n) for n in SIZES)),
        help="insured persons per run, comma-separated (status rows: insured / 5)",
    )
    parser.add_argument(
        "--spark-n",
        type=int,
        default=None,
        help=f"insured persons of the Spark run (default {SPARK_N:,}; 0: no Spark run)",
    )
    parser.add_argument("--spark-master", default="local[2]")
    parser.add_argument(
        "--repeat",
        type=int,
        default=int(env("DOUDI_BENCH_REPEAT", 5)),
        help="timed runs per measurement; the fastest is reported (Spark: once). Five:"
        " on these virtual machines a run's time varies by a quarter with the state of"
        " the memory the host gives back (docs/scale.md)",
    )
    parser.add_argument(
        "--batch-rows",
        type=int,
        default=READ_BATCH_ROWS,
        help="rows per record batch of the registry tables (0: as built)",
    )
    parser.add_argument("--quick", action="store_true", help="a smoke run: 10^5 and 3·10^5")
    parser.add_argument("--keep", action="store_true", help="keep the scratch directory")
    parser.add_argument("--one", nargs=2, metavar=("CODE", "N"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.quick:
        args.sizes = ",".join(str(n) for n in QUICK_SIZES)
    if args.spark_n is None:
        args.spark_n = QUICK_SIZES[0] if args.quick else int(env("DOUDI_BENCH_SPARK_N", SPARK_N))
    return args


def verdict(met: bool, text: str) -> str:
    return f"{'met' if met else 'NOT met'} ({text})"


def main() -> None:
    args = parse_args()
    if args.one:
        print(json.dumps(measure_one(args.one[0], int(args.one[1]), args.repeat)))
        return
    sizes = sorted({int(x) for x in args.sizes.split(",") if x.strip()})
    work = Path(tempfile.mkdtemp(prefix="doudi-bench-plan-", dir="/tmp"))
    os.environ[CONFIG] = json.dumps(
        {
            "dir": str(work),
            "batch_rows": args.batch_rows,
            "check_n": sizes[0],
            "spark_master": args.spark_master,
        }
    )
    # Django's default database, so nothing touches var/doudi.sqlite3.
    os.environ["DOUDI_DATABASE_URL"] = f"sqlite:///{work}/default.sqlite3"
    chunks = f"record batches of {args.batch_rows:,} rows" if args.batch_rows else "one chunk"
    print(
        f"Doudi plan benchmark, {JURISDICTION} (JX-2017-58) {YEAR}, registry tables as Arrow "
        f"in {chunks} (scratch {work})"
    )
    print("\n".join(machine()))
    print()
    started = time.perf_counter()
    columns = [
        ("insured", ">10"),
        ("status rows", ">11"),
        ("enrollments", ">11"),
        ("gen s", ">6"),
        ("inputs s", ">8"),
        ("rules+rows s", ">12"),
        ("plan s", ">7"),
        ("cpu s", ">6"),
        ("pre MiB", ">8"),
        ("peak MiB", ">9"),
        ("+MiB", ">6"),
        ("hand s", ">7"),
        ("hand +MiB", ">9"),
        ("ratio", ">6"),
        ("s/10^6", ">7"),
        ("+MiB/10^6", ">9"),
        ("rows out", ">11"),
        ("load", ">5"),
    ]
    results: dict[int, dict[str, Any]] = {}
    spark: dict[str, Any] | None = None
    try:
        print(table_text(columns, []), flush=True)
        for n in sizes:
            generated = run_child(__file__, "generate", n, 1)
            fastest = fastest_children(__file__, ("plan", "hand"), n, args.repeat)
            r, h = fastest["plan"], fastest["hand"]
            results[n] = {"plan": r, "hand": h, "generated": generated}
            per = n / 1e6
            row = [
                f"{n:,}",
                f"{r['status_rows']:,}",
                f"{r['enrollments']:,}",
                f"{generated['seconds']:.1f}",
                f"{r['inputs_seconds']:.2f}",
                f"{r['compute_seconds']:.2f}",
                f"{r['seconds']:.2f}",
                f"{r['cpu_seconds']:.1f}",
                f"{r['pre_mib']:,.0f}",
                f"{r['peak_mib']:,.0f}",
                f"{r['peak_mib'] - r['loaded_mib']:,.0f}",
                f"{h['seconds']:.2f}",
                f"{h['peak_mib'] - h['loaded_mib']:,.0f}",
                f"{r['seconds'] / h['seconds']:.2f}",
                f"{r['seconds'] / per:.2f}",
                f"{(r['peak_mib'] - r['loaded_mib']) / per:,.0f}",
                f"{r['rows']:,}",
                f"{os.getloadavg()[0]:.2f}",
            ]
            print(table_text(columns, [row]).splitlines()[1], flush=True)
            if n != args.spark_n:
                shutil.rmtree(size_dir(n, work), ignore_errors=True)
        if args.spark_n:
            if args.spark_n not in results:
                run_child(__file__, "generate", args.spark_n, 1)
            spark = run_child(__file__, "spark", args.spark_n, 1)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    print()
    check_n = sizes[0]
    first = results[check_n]
    print(
        f"plan vs hand-written SQL at {check_n:,}: rows differing {first['hand']['differ']} "
        f"({'same rows' if first['hand']['differ'] == 0 else 'NOT the same rows'}); "
        f"{first['plan']['rows']:,} rows, {first['plan']['targets']:,} targets, "
        f"government {first['plan']['gov_paid']} yuan, self {first['plan']['self_due']} yuan"
    )
    for n in sizes:
        r, h = results[n]["plan"], results[n]["hand"]
        same = all(r[k] == h[k] for k in ("rows", "targets", "gov_paid", "self_due"))
        print(
            f"  {n:,}: compile {r['compile_seconds']:.2f} s (not in plan s); input tables "
            f"{r['loaded_mib']:,.0f} MiB after loading; totals plan = hand: "
            f"{'yes' if same else 'NO'} (government {r['gov_paid']}, self {r['self_due']})"
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
    spark_line = "Spark: not run (--spark-n 0)"
    if spark is not None:
        n = args.spark_n
        duck = results[n]["plan"]["seconds"] if n in results else None
        ratio = f"{spark['seconds'] / duck:.0f}× DuckDB ({duck:.2f} s)" if duck else "no DuckDB run"
        jvm = spark["jvm_peak_mib"]
        spark_line = (
            f"Spark {args.spark_master} at {n:,} insured: session start "
            f"{spark['session_seconds']:.1f} s, warm-up ({WARM_UP_N:,}) "
            f"{spark['warm_up_seconds']:.1f} s, plan {spark['seconds']:.1f} s = {ratio}; "
            f"peak driver {spark['driver_peak_mib']:,.0f} MiB + JVM "
            f"{'?' if jvm is None else f'{jvm:,.0f}'} MiB; rows differing from DuckDB's: "
            f"{spark['differ']} of {spark['rows']:,}"
        )
    print(spark_line)
    print()
    print(
        "gen s: building the province as Arrow (its own process, not timed as the plan); "
        "inputs s: inputs.inputs_from_tables (engine_inputs on Arrow tables); "
        "rules+rows s: versions.compute "
        f"(rules on DuckDB, then the contribution rows); plan s: their sum, fastest of "
        f"{args.repeat}; cpu s: CPU time of that run (up to 2 × plan s); pre MiB: peak before "
        "the timed runs (input tables, modules, compiled rules, warm-up); peak MiB: the "
        "process's peak resident memory (ru_maxrss), input tables included; +MiB: peak MiB "
        "less the peak once the modules and input tables were loaded (the plan's own memory, "
        "its compiled rules included); "
        "hand s / hand +MiB: the hand-written statement, fastest of the same number of runs, "
        "in its own process; ratio: plan s / hand s; s/10^6, +MiB/10^6: plan s and +MiB per "
        "million insured (constant = linear); load: 1-minute load average after the row's runs."
    )
    print(f"total {time.perf_counter() - started:.0f} s")
    print(load_average())
    print_targets(results)


def print_targets(results: Mapping[int, Mapping[str, Any]]) -> None:
    name = f"target plan of {TARGET_N:,} insured"
    if TARGET_N not in results:
        print(f"{name}: not measured (sizes {', '.join(f'{n:,}' for n in results)})")
        return
    r, h = results[TARGET_N]["plan"], results[TARGET_N]["hand"]
    seconds, peak, ratio = r["seconds"], r["peak_mib"], r["seconds"] / h["seconds"]
    own, tables = peak - r["loaded_mib"], r["loaded_mib"]
    print(
        f"{name} < {TARGET_SECONDS:.0f} s: {verdict(seconds < TARGET_SECONDS, f'{seconds:.2f} s')}"
    )
    print(
        f"{name}, peak memory < {TARGET_PEAK_MIB / 1024:.0f} GiB: "
        f"{verdict(peak < TARGET_PEAK_MIB, f'{peak:,.0f} MiB, the input tables included')}"
    )
    print(
        f"{name}, peak memory above the {tables:,.0f} MiB of registry tables it was handed "
        f"< {TARGET_PEAK_MIB / 1024:.0f} GiB: {verdict(own < TARGET_PEAK_MIB, f'{own:,.0f} MiB')}"
    )
    hand = h["seconds"]
    print(
        f"{name} within {TARGET_RATIO}× of the hand-written SQL: "
        f"{verdict(ratio <= TARGET_RATIO, f'{ratio:.2f}×, hand {hand:.2f} s')}"
    )


if __name__ == "__main__":
    main()
