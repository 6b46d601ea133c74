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

The floor: hand-written DuckDB statements (``HAND_*`` below) over the same Arrow tables
that compute the same rows for Jiangxi 2018 straight from the registry tables, the
rules' numbers written in: the status facts once per person (a temporary table), then

- JX-2017-58/2.1.1 (the pension): registered poor (not exit-marked), dibao or tekun on
  some day of 2018, Jiangxi hukou, enrolled, 16 on 31 December and under 60 on 1
  January, not an in-school student, not in the employee pension: the county pays 100
  yuan (at most the tier), the person the rest of the tier (a row for each enrolled
  person alive on 1 January); a student contributes nothing, and GF-2014-8/4 is cited
  for an enrolled student or child;
- JX-2017-58/2.1.2 (the medical subsidy, exit marks not read): tekun, dibao,
  registered poor, the 14 categories of veterans, severely disabled students and
  children, severely disabled adults unable to work, low-income family members under 18
  or 60 and over (ages on 1 January), alive on 1 January and not in the employee medical
  insurance: 220 yuan × 100%, split between province, city and county 1:1:1 by largest
  remainder (ties to the payer listed first): 73.34 / 73.33 / 73.33, the person 0.00;
- JX-2017-58/2.3.9 (unemployment): of each person's latest unemployment-insurance record
  and best certificate of 2018, a rural contract worker alive on 1 January: the one-off
  living allowance 60% × 1,200 yuan × years of contributions begun (at most 24) if
  12 months at the unit, the unit paid and the contract ended in 2018 (expired or
  terminated early); the skill subsidy 1,000 / 1,500 / 2,000 yuan for a level 5 / 4 / 3
  certificate of 2018 after 36 months insured and contributed; one row, the fund.

At the smallest size the hand statements' rows must equal the plan's (the same multiset
of every column: person_id, year, scheme, payer, amount, state, basis), programme by
programme, so the floor is honest. The hand statements put the rows in the plan's order
(person, payer), as the plan's rows are. A person holds one registry row per ID number
(unique), so the rules' once-per-ID-number step is not written by hand, nor the reading
of a tier off the year's list (the synthetic tiers are all on it).

Spark: the plan on Spark reading a lake export is measured by ``bench_spark.py``
(``--programmes plan``), beside the settlement and the comparison, against DuckDB
doing the same work on the same files.

Why: the yearly plan of a province runs on one machine. Targets on the 2-core
reference machine (issue #20 §5): the all-programme plan of 10^7 insured in under 15 s
with peak memory under 6 GiB, within 1.5× of the hand-written SQL; the time and memory
grow linearly (``s/10^6``).

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
from datetime import date
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
from province_sources import add_sources

JURISDICTION = "360000"
YEAR = 2018
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
COLUMNS = "person_id, year, scheme, payer, amount, state, basis"

#: Per person, the status facts the programmes read (JX-2017-58/2.1.1 and 2.1.2; a
#: status held on a day of the year counts), once for all three statements.
HAND_STATUS = """
CREATE OR REPLACE TEMP TABLE s AS
SELECT person_id,
       -- the pension's targets: registered poor (exit marks respected, one without a
       -- date from the period's start), dibao or tekun
       bool_or(status IN ('registered_poor', 'dibao', 'tekun')
               AND coalesce(least(valid_to, CASE WHEN exit_marked
                                                 THEN coalesce(exit_date, valid_from) END)
                            > $first, true)) AS pension_target,
       -- the medical subsidy's statuses (exit marks not read) that need nothing more
       bool_or(held AND status IN ('registered_poor', 'dibao', 'tekun', 'demobilized_14'))
           AS subsidised,
       bool_or(held AND status = 'severe_disability') AS disabled,
       bool_or(held AND status = 'low_income_family') AS low_income,
       bool_or(held AND status = 'student') AS student,
       bool_or(held AND status = 'unable_to_work') AS unable
FROM (SELECT person_id, status, valid_from, valid_to, exit_marked, exit_date,
             coalesce(valid_to > $first, true) AS held
      FROM registry_status_period WHERE valid_from <= $last)
GROUP BY person_id
"""

#: Jiangxi 2018's pension rows by hand (JX-2017-58/2.1.1 with GF-2014-8's ages and scope).
HAND_PENSION = """
WITH enrolled AS (
    SELECT person_id,
           -- the latest-starting tier (of two the same day, the higher)
           arg_max(contribution_tier, (valid_from, contribution_tier))
               FILTER (scheme = 'resident_pension' AND contribution_tier IS NOT NULL) AS tier,
           bool_or(scheme = 'resident_pension') AS resident,
           bool_or(scheme = 'employee_pension') AS employee
    FROM registry_enrollment
    WHERE scheme IN ('resident_pension', 'employee_pension')
      AND valid_from <= $last AND (valid_to IS NULL OR valid_to > $first)
    GROUP BY person_id
),
person AS (
    SELECT e.person_id, e.tier, e.employee,
           coalesce(s.pension_target, false) AS target,
           coalesce(s.student, false) AS student,
           coalesce(p.death_date < $first, false) AS dead,  -- HE-2018-3/3.2.1
           coalesce(p.death_date BETWEEN $first AND $last, false) AS died_in_year,
           coalesce(p.birth_date > $last, false) AS unborn,
           $year - year(p.birth_date)
               - (month(p.birth_date) * 100 + day(p.birth_date) > 101)::INT AS age_jan1,
           $year - year(p.birth_date) AS age_dec31
    FROM registry_person p
    JOIN enrolled e ON e.person_id = p.id AND e.resident
    LEFT JOIN s ON s.person_id = p.id
    WHERE starts_with(p.hukou_region, '36')
),
decided AS (
    SELECT person_id, dead, unborn,
           -- GF-2014-8/4 and /8: a student, one under 16 or 60 and over contributes nothing
           CASE WHEN NOT student AND age_dec31 >= 16 AND age_jan1 < 60 AND NOT dead
                THEN coalesce(tier, 100.00) ELSE 0.00 END AS contribution,
           target AND NOT dead AND NOT student AND NOT employee
               AND age_dec31 >= 16 AND age_jan1 < 60 AS eligible,
           -- GF-2014-8/4 cited for one enrolled whom the scheme does not cover
           CASE WHEN student OR age_dec31 < 16 THEN 'GF-2014-8/4' END AS scope,
           CASE WHEN NOT target THEN concat_ws(';', scope, 'JX-2017-58/2.1.1')
                WHEN NOT dead AND NOT student AND NOT employee
                     AND age_dec31 >= 16 AND age_jan1 < 60
                THEN concat_ws(';', CASE WHEN died_in_year THEN 'HE-2018-3/3.2.1' END,
                               'JX-2017-58/2.1.1')
                ELSE concat_ws(';', scope, CASE WHEN age_jan1 >= 60 THEN 'GF-2014-8/8' END,
                               CASE WHEN dead THEN 'HE-2018-3/3.2.1' END,
                               CASE WHEN student OR employee OR age_dec31 < 16
                                    THEN 'JX-2017-58/2.1.1' END)
           END AS basis
    FROM person
),
paid AS (
    SELECT person_id, contribution, dead, unborn,
           CASE WHEN eligible THEN least(100.00, contribution) ELSE 0.00 END AS gov, basis
    FROM decided
)
SELECT person_id::BIGINT AS person_id, $year::SMALLINT AS year, 'resident_pension' AS scheme,
       payer, amount::DECIMAL(18, 2) AS amount, 'planned' AS state, basis
FROM (
    SELECT person_id, 'county' AS payer, gov AS amount, basis FROM paid WHERE gov > 0
    UNION ALL
    -- the own part of the enrolled alive on 1 January (docs/readings.md 24)
    SELECT person_id, 'self' AS payer, contribution - gov AS amount, basis FROM paid
    WHERE NOT dead AND NOT unborn
)
ORDER BY person_id, payer
"""

#: Jiangxi 2018's medical-subsidy rows by hand (JX-2017-58/2.1.2; the levels' 1:1:1 is
#: local config): 220.00 in full, 73.34 + 73.33 + 73.33, the person 0.00.
HAND_MEDICAL = """
WITH person AS (
    SELECT s.*,
           $year - year(p.birth_date)
               - (month(p.birth_date) * 100 + day(p.birth_date) > 101)::INT AS age
    FROM s JOIN registry_person p ON p.id = s.person_id
    WHERE starts_with(p.hukou_region, '36')
      AND NOT coalesce(p.death_date < $first, false)  -- HE-2018-3/3.2.1
      AND NOT coalesce(p.birth_date > $last, false)
),
subsidised AS (
    SELECT person_id FROM person
    WHERE subsidised
       OR (disabled AND (student OR age < 18))
       OR (disabled AND age >= 18 AND unable)
       OR (low_income AND (age < 18 OR age >= 60))
),
employee AS (
    SELECT DISTINCT person_id FROM registry_enrollment
    WHERE scheme = 'employee_medical'
      AND valid_from <= $last AND (valid_to IS NULL OR valid_to > $first)
)
SELECT person_id::BIGINT AS person_id, $year::SMALLINT AS year, 'resident_medical' AS scheme,
       payer, amount::DECIMAL(18, 2) AS amount, 'planned' AS state,
       'JX-2017-58/2.1.2' AS basis
FROM (SELECT * FROM subsidised ANTI JOIN employee USING (person_id)),
     (VALUES ('city', 73.33), ('county', 73.33), ('province', 73.34), ('self', 0.00))
         AS part(payer, amount)
ORDER BY person_id, payer
"""

#: Jiangxi 2018's unemployment rows by hand (JX-2017-58/2.3.9; the 1,200 yuan monthly
#: base is local config), from each person's latest record and best certificate.
HAND_UNEMPLOYMENT = """
WITH e AS (
    SELECT e.*, b.source, b.as_of
    FROM registry_roster_entry e JOIN registry_import_batch b ON b.id = e.batch_id
    WHERE b.source IN ('unemployment_records', 'certificates')
),
record AS (
    SELECT * FROM e WHERE source = 'unemployment_records'
    QUALIFY row_number() OVER (
        PARTITION BY person_id ORDER BY as_of DESC, batch_id DESC, row_number DESC) = 1
),
certificate AS (
    SELECT person_id, certificate_level, certificate_date FROM e
    WHERE source = 'certificates' AND certificate_date BETWEEN $first AND $last
    QUALIFY row_number() OVER (
        PARTITION BY person_id  -- the levels the subsidy covers first, then the highest
        ORDER BY certificate_level IN (3, 4, 5) DESC, certificate_level,
                 certificate_date DESC, as_of DESC, batch_id DESC) = 1
),
paid AS (
    SELECT r.person_id,
           CASE WHEN r.months_at_unit >= 12 AND r.unit_paid
                     AND r.contract_end_date BETWEEN $first AND $last
                     AND r.contract_ending IN ('expired_not_renewed', 'terminated_early')
                     AND r.contribution_months > 0
                THEN 720.00 * least((r.contribution_months + 11) // 12, 24)  -- 60% × 1,200
                ELSE 0.00 END
           + CASE WHEN r.insured_months >= 36 AND r.contribution_months >= 36
                       AND c.certificate_date >= DATE '2017-01-01'
                  THEN CASE c.certificate_level WHEN 3 THEN 2000.00 WHEN 4 THEN 1500.00
                                                WHEN 5 THEN 1000.00 ELSE 0.00 END
                  ELSE 0.00 END AS amount
    FROM record r LEFT JOIN certificate c USING (person_id)
    WHERE r.rural_contract_worker
)
SELECT paid.person_id::BIGINT AS person_id, $year::SMALLINT AS year,
       'unemployment' AS scheme, 'unemployment_fund' AS payer,
       amount::DECIMAL(18, 2) AS amount, 'planned' AS state, 'JX-2017-58/2.3.9' AS basis
FROM paid JOIN registry_person p ON p.id = paid.person_id
WHERE amount > 0 AND starts_with(p.hukou_region, '36')
  AND NOT coalesce(p.death_date < $first, false)  -- HE-2018-3/3.2.1
ORDER BY person_id
"""

HAND = {
    "resident_pension": HAND_PENSION,
    "resident_medical": HAND_MEDICAL,
    "unemployment": HAND_UNEMPLOYMENT,
}


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


def hand_rows(
    tables: Mapping[str, pa.Table], lap: Callable[[str], None] = lambda part: None
) -> dict[str, pa.Table]:
    """The hand-written statements' rows per programme; ``lap`` is told each part's
    end (``status`` and the programmes)."""
    con = duckdb.connect()
    for name, table in tables.items():
        con.register(name, table)
    params = {"first": date(YEAR, 1, 1), "last": date(YEAR, 12, 31), "year": YEAR}
    con.execute(HAND_STATUS, {k: v for k, v in params.items() if k != "year"})
    lap("status")
    out = {}
    for code, sql in HAND.items():
        out[code] = con.sql(sql, params=params).to_arrow_table()
        lap(code)
    con.close()
    return out


def differ(a: pa.Table, b: pa.Table) -> int:
    """Rows of either table the other lacks (as multisets over every column)."""
    con = duckdb.connect()
    con.register("a", a)
    con.register("b", b)
    only = "(SELECT count(*) FROM (SELECT {0} FROM {1} EXCEPT ALL SELECT {0} FROM {2}))"
    found = con.execute(
        f"SELECT {only.format(COLUMNS, 'a', 'b')} + {only.format(COLUMNS, 'b', 'a')}"
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
        "seconds": laps.seconds(),
        "cpu_seconds": laps.cpu_seconds(),
        "parts": laps.parts,
        "loaded_mib": loaded,
        "pre_mib": pre,
        "peak_mib": peak_mib(),
        **all_totals(rows),
    }


def measure_hand(n: int) -> dict[str, Any]:
    tables = load(n)
    loaded = peak_mib()
    hand_rows(warm_up_tables(tables))
    pre = peak_mib()
    laps = Laps()
    rows = hand_rows(tables, laps)
    return {
        "seconds": laps.seconds(),
        "cpu_seconds": laps.cpu_seconds(),
        "parts": laps.parts,
        "loaded_mib": loaded,
        "pre_mib": pre,
        "peak_mib": peak_mib(),
        **all_totals(rows),
    }


def measure_check(n: int) -> dict[str, Any]:
    """The plan's rows against the hand statements', programme by programme."""
    tables = load(n)
    plan, hand = plan_rows(tables), hand_rows(tables)
    return {code: {"differ": differ(plan[code], hand[code]), **totals(plan[code])} for code in plan}


def measure_one(code: str, n: int) -> dict[str, Any]:
    measure: dict[str, Callable[[int], dict[str, Any]]] = {
        "generate": measure_generate,
        "plan": measure_plan,
        "hand": measure_hand,
        "check": measure_check,
    }
    return measure[code](n)


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
        print(json.dumps(measure_one(args.one[0], int(args.one[1]))))
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
            medians = median_children(__file__, ("plan", "hand"), n, args.repeat)
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
