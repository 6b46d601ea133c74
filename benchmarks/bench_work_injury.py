"""Work-injury benchmark: the checks of a province's lists, 10^5 projects and 10^7 project
workers, against plain DuckDB statements of the same findings.

What (issue #21): the four current lists of a made-up Jiangxi (``--region``, default
360000) as ``work_injury.reading.current_tables`` gives them — N project workers
(stints on a project's real-name roster, default 10^7) on N / 100 projects — and the
registry rows of the people they name as ``work_injury.poor.named_registry`` gives them
(the persons and their status periods), generated directly as Arrow with a fixed seed
(``county_set``; importing 10^7 roster rows would be the import's benchmark). Timed:
``work_injury.findings.from_tables`` — what ``doudi work-injury findings`` does below
the database reads: who among the people named is poor on the day (``poor.poor_on``),
then every check and its Chinese explanations (``checks.check``); its parts are
reported (``poor``, ``sql``: the checks' DuckDB statements, ``explain``: the sentences,
row by row in Python).

The lists, on 2018-12-31, at realistic shares (the constants below):

- projects in every county of the region (county sizes weighted), numbered per county
  (two counties number theirs alike), six sectors, a contractor for every 8 projects
  (a few with many of them), started from 2015 to half a year after the day,
  120-1,100 days long; covered from their start (84%: half open-ended, half to their
  completion), covered only after their start (6%: 先开工后参保), never covered (4%), or
  with a cover ending before the works do (6%); 1% of contractors written with a
  trailing space;
- workers: N stints of N / 2.5 people (85% men of 18-60, 8% with a hukou outside the
  region and so not in its registry) on the projects started by the day, in proportion
  to a project's size (log-normal), entering during the works and staying 15-500 days,
  an exit left empty while on site; 1% of stints with the name written otherwise;
- who is poor: 14% of the region's people named hold a status period (建档立卡 70%, of
  which 40% exit-marked, a few without a date; dibao 12% and half of them also
  registered poor; tekun 2%; severe disability 4%; an urban low-income family member
  12%, not a poor-worker status), 12% of periods ended; 0.3% of people with a death
  date, most of them by the day;
- cases: 0.5 per 100 stints, numbered per county: 85% of a worker injured on the site of
  their stint (the employer the project's contractor, insured when the project was
  covered that day), 8% injured working for a contractor of a listed project but off its
  rosters, 7% at another employer; recognised 78% (15-150 days after the injury, later
  than the day: still pending), not recognised 8%, pending 14%; the employer paid 85% of
  its insured cases and 35% of the others; claims of 3,000-150,000 yuan (3% empty); 2%
  pneumoconiosis; 2% of employers written with spaces around;
- advance payments (先行支付): for 55% of the recognised cases of employers neither
  insured nor paying, one to three payments of 30-100% of the claim, by the day; 30%
  partly and 15% wholly recovered later (a recovery after the day is not yet written).

The floor: hand-written DuckDB statements (``HAND_*``) over the same Arrow tables that
compute every finding list of the checks — the poor from the status periods once (a
temporary table), the projects uncovered on the day once, each list after — with the
readings of ``work_injury/checks.py`` written in (the poor-worker statuses of
``work_injury.poor_worker_statuses`` included). Both sides write the columns that
matter of each list (ids, persons, dates, amounts, counts, the queue's positions:
``COMPARED``); sorted, they must be equal row by row, list by list, from the very runs
timed. A list the jurisdiction's document does not order (``basis_of``: only Chongqing
orders the priority queue, only Jiangxi, Hebei and Shandong the pneumoconiosis list) is
not written by hand, and the checks' is empty.

Each measurement runs in a fresh subprocess of this script (``--one``): one generates
the tables and writes them as Arrow IPC files to a scratch directory under /tmp (not
timed as the checks); each measuring process reads them back into memory (the lists in
chunks of 10^6 rows, as DuckDB gives ``current_tables``; the registry rows in record
batches of 1,024, as ``Database.read`` gives them from SQLite), runs its side once on
the first 5,000 rows of every table (the modules, the policy and the region names
loaded: not timed), then once on everything. The checks' and the hand's runs take
turns, ``--repeat`` each (default 3): reported the median and the min–max, the largest
peak resident memory (input tables included) and ``+`` the peak above the loaded input,
the 1-minute load before → after and ``others``, the cores other processes kept busy
meanwhile (``benchlib``).

Why: the checks of a province's lists run on one machine, like the comparison and the
plan; the hand-written statements are the floor the checks' DuckDB work is measured
against (the explanations are the checks' own cost: the hand writes none).

Usage: ``bench_work_injury.py [--sizes 10000000] [--region 360000] [--repeat 3]
[--wait-load 1.0] [--keep]`` (sizes: project workers, comma-separated; the projects are
a hundredth: ``--sizes 1000000`` is 10^4 projects and 10^6 workers);
``DOUDI_BENCH_WORK_INJURY_SIZES``, ``DOUDI_BENCH_REPEAT``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from bench_plan import Laps
from bench_registry import (
    GIVEN,
    READ_BATCH_ROWS,
    SURNAMES,
    TOWN_STEMS,
    Places,
    conform,
    day_array,
    table_text,
    take,
    unique_sequences,
)
from benchlib import (
    OthersBusy,
    load_average,
    machine,
    median_children,
    peak_mib,
    run_child,
    wait_for_quiet,
)

REGION = "360000"
AS_OF = date(2018, 12, 31)
SEED = 21
SIZES = (10_000_000,)
#: The environment variable by which the parent hands its children the run's settings.
CONFIG = "DOUDI_BENCH_WORK_INJURY"
#: How long to wait for a quiet machine before starting (``--wait-load``).
WAIT_SECONDS = 20 * 60
#: Rows of every table of the untimed warm-up run.
WARM_UP_ROWS = 5_000
#: Rows per chunk of the lists (DuckDB's Arrow batches: ``current_tables``).
LIST_CHUNK_ROWS = 1_000_000

WORKERS_PER_PROJECT = 100
STINTS_PER_WORKER = 2.5
FIRST_START = np.datetime64("2015-01-01", "D")
PLANNED_DAYS = 180  # a project is listed (and may be insured) before it starts
DURATION_DAYS = (120, 1_100)
SECTORS = (
    ("construction", 0.68),
    ("transport", 0.14),
    ("railway", 0.03),
    ("water", 0.08),
    ("energy", 0.05),
    ("other", 0.02),
)
WORKS = ("安置房工程", "中学教学楼", "公路改扩建工程", "水库除险加固工程", "光伏电站", "大桥")
TRADES = ("建筑", "路桥", "水电", "安装", "市政", "建工", "交通", "土石方")
PROJECTS_PER_CONTRACTOR = 8
#: How a project is covered: from its start, only after it, never, or not to its end.
COVER = (("in_order", 0.84), ("late", 0.06), ("none", 0.04), ("ended", 0.06))
OPEN_COVER_SHARE = 0.5
SPACED_CONTRACTOR_SHARE = 0.01
STAY_DAYS = (15, 500)
NAME_VARIANT_SHARE = 0.01
OUTSIDE_SHARE = 0.08
OUTSIDE_COUNTIES = ("430102", "420102", "350102", "440103", "520102", "510104")
MALE_SHARE = 0.85
WORKING_AGES = (18, 60)
DEAD_SHARE = 0.003
#: Status, department, share of the holders; dibao holders also registered poor.
STATUSES = (
    ("registered_poor", "poverty_office", 0.70),
    ("dibao", "civil_affairs", 0.12),
    ("tekun", "civil_affairs", 0.02),
    ("severe_disability", "disabled_federation", 0.04),
    ("low_income_family", "civil_affairs", 0.12),
)
STATUS_HOLDER_SHARE = 0.14
DIBAO_ALSO_POOR = 0.5
EXIT_MARKED_SHARE, EXIT_UNDATED_SHARE = 0.40, 0.05
ENDED_PERIOD_SHARE = 0.12
CASES_PER_STINT = 0.005
CASE_KINDS = (("on_roster", 0.85), ("off_roster", 0.08), ("other_employer", 0.07))
EMPLOYERS = ("瑞兴建材有限公司", "红都石材厂", "绿源矿业有限公司", "宏达物流有限公司")
RECOGNITION = (("recognised", 0.78), ("not_recognised", 0.08), ("pending", 0.14))
RECOGNITION_DAYS = (15, 150)
OFF_ROSTER_INSURED, OTHER_INSURED = 0.6, 0.75
PAID_IF_INSURED, PAID_IF_NOT = 0.85, 0.35
CLAIM_FEN = (300_000, 15_000_000)
EMPTY_CLAIM_SHARE = 0.03
PNEUMOCONIOSIS_SHARE = 0.02
SPACED_EMPLOYER_SHARE = 0.02
ADVANCED_SHARE = 0.55
PART_RECOVERED, WHOLLY_RECOVERED = 0.30, 0.15

LISTS = ("projects", "project_workers", "cases", "advance_payments")
REGISTRY = ("registry_person", "registry_status_period")

#: The columns of each finding compared between the checks and the hand statements.
COMPARED: dict[str, tuple[str, ...]] = {
    "started_before_cover": (
        "county_code",
        "project_id",
        "contractor",
        "start_date",
        "insured_from",
    ),
    "running_uncovered": (
        "county_code",
        "project_id",
        "start_date",
        "insured_from",
        "insured_to",
        "workers_on_day",
    ),
    "poor_workers_uncovered": (
        "county_code",
        "project_id",
        "id_number",
        "name",
        "township",
        "village",
        "from_date",
    ),
    "poor_off_roster": (
        "county_code",
        "township",
        "village",
        "id_number",
        "name",
        "case_id",
        "injury_date",
        "employer",
        "projects",
    ),
    "advance_payment_qualifying": (
        "county_code",
        "id_number",
        "name",
        "case_id",
        "claimed",
        "paid",
    ),
    "advance_payment_due": (
        "county_code",
        "id_number",
        "name",
        "case_id",
        "claimed",
        "paid",
        "shortfall",
    ),
    "recovery_outstanding": (
        "county_code",
        "id_number",
        "name",
        "case_id",
        "employer",
        "paid",
        "recovered",
        "outstanding",
        "last_paid_on",
    ),
    "priority_queue": (
        "position",
        "poor_worker",
        "id_number",
        "name",
        "case_id",
        "recognition_date",
        "claimed",
        "paid",
    ),
    "pneumoconiosis": ("county_code", "id_number", "name", "case_id", "recognition_date"),
}


# --- the county set (generated as Arrow) -----------------------------------------------


def _pick(rng: np.random.Generator, shares: Sequence[tuple[str, float]], n: int) -> np.ndarray:
    """Indexes into ``shares`` drawn by their shares."""
    return rng.choice(len(shares), n, p=[s for _, s in shares])


def _within(groups: np.ndarray, order: np.ndarray) -> np.ndarray:
    """1-based rank of each row within its group, rows ranked by ``order``."""
    idx = np.lexsort((order, groups))
    ranked = groups[idx]
    start = np.r_[True, ranked[1:] != ranked[:-1]]
    first = np.maximum.accumulate(np.where(start, np.arange(len(idx)), 0))
    rank = np.empty(len(idx), np.int64)
    rank[idx] = np.arange(len(idx)) - first + 1
    return rank


def _numbered(prefix: str, numbers: np.ndarray) -> pa.Array:
    return pa.array([f"{prefix}{k:05d}" for k in numbers.tolist()], pa.string())


def _between(rng: np.random.Generator, low: int, high: int, n: int) -> np.ndarray:
    return rng.integers(low, high + 1, n).astype("timedelta64[D]")


def _contractor_names(n: int) -> list[str]:
    """``n`` distinct company names (石桥王建筑工程有限公司 …)."""
    names = []
    for i in range(n):
        surname, stem = SURNAMES[i % len(SURNAMES)], TOWN_STEMS[(i // len(SURNAMES)) % 20]
        trade = TRADES[(i // (len(SURNAMES) * 20)) % len(TRADES)]
        branch = i // (len(SURNAMES) * 20 * len(TRADES))
        suffix = f"第{branch}分公司" if branch else ""
        names.append(f"{stem}{surname}{trade}工程有限公司{suffix}")
    return names


def county_set(stints: int, region: str = REGION, seed: int = SEED) -> dict[str, pa.Table]:
    """The four lists (``current_tables``' columns) and the registry rows of the people
    they name (``named_registry``'s) for ``stints`` project workers (module docstring)."""
    from doudi.store import db
    from doudi.synth.people import id_numbers
    from doudi.synth.places import counties_under
    from doudi.work_injury.reading import SCHEMAS

    db.setup()
    rng = np.random.default_rng(seed)
    day = np.datetime64(AS_OF, "D")
    counties = counties_under(region)
    weight = rng.uniform(0.5, 1.5, len(counties))
    weight /= weight.sum()

    # Projects.
    n_p = max(stints // WORKERS_PER_PROJECT, 1)
    county = rng.choice(len(counties), n_p, p=weight)
    span = int((day + PLANNED_DAYS - FIRST_START).astype(np.int64))
    start = FIRST_START + rng.integers(0, span + 1, n_p).astype("timedelta64[D]")
    end = start + _between(rng, *DURATION_DAYS, n_p)
    cover = _pick(rng, COVER, n_p)
    early = start - _between(rng, 0, 30, n_p)
    insured_from = np.where(cover == 1, start + _between(rng, 1, 180, n_p), early)
    open_end = rng.random(n_p) < OPEN_COVER_SHARE
    insured_to = np.where(cover == 3, end - _between(rng, 30, 240, n_p), end)
    insured_to = np.maximum(insured_to, insured_from + 30)
    no_end = (cover == 2) | ((cover != 3) & open_end)
    n_c = max(n_p // PROJECTS_PER_CONTRACTOR, 4)
    contractor = (n_c * rng.random(n_p) ** 2).astype(np.int64)  # a few large contractors
    contractors = pa.array(_contractor_names(n_c), pa.string())
    written = contractors.take(pa.array(contractor))
    spaced = pa.array(rng.random(n_p) < SPACED_CONTRACTOR_SHARE)
    works = [stem + work for stem in TOWN_STEMS for work in WORKS]
    county_codes = pa.array(counties, pa.string())
    projects = pa.table(
        {
            "project_id": _numbered("GC", _within(county, start.astype(np.int64))),
            "name": take(works, rng.integers(0, len(works), n_p)),
            "sector": take([s for s, _ in SECTORS], _pick(rng, SECTORS, n_p)),
            "county": county_codes.take(pa.array(county)),
            "contractor": pc.if_else(
                spaced, pc.binary_join_element_wise(written, " ", ""), written
            ),
            "start_date": day_array(start),
            "insured_from": day_array(insured_from, cover == 2),
            "insured_to": day_array(insured_to, no_end),
        }
    )

    # People: their hukou mostly in the region's counties, some outside it.
    n_w = max(round(stints / STINTS_PER_WORKER), 1)
    codes = [*counties, *(c for c in OUTSIDE_COUNTIES if not c.startswith(region[:2]))]
    outside = rng.random(n_w) < OUTSIDE_SHARE
    home = np.where(
        outside,
        len(counties) + rng.integers(0, len(codes) - len(counties), n_w),
        rng.choice(len(counties), n_w, p=weight),
    )
    low, high = WORKING_AGES
    birth = day - (rng.uniform(low, high, n_w) * 365.2425).astype("timedelta64[D]")
    male = rng.random(n_w) < MALE_SHARE
    numbers = np.array([int(c) for c in codes], np.int64)[home]
    ids = id_numbers(numbers, birth, unique_sequences(home, birth, male))
    given = take(GIVEN, rng.integers(0, len(GIVEN), n_w))
    second = take([*GIVEN, ""], rng.integers(0, len(GIVEN) + 8, n_w).clip(max=len(GIVEN)))
    surname = take(SURNAMES, rng.integers(0, len(SURNAMES), n_w))
    names = pc.binary_join_element_wise(surname, given, second, "")
    other_names = pc.binary_join_element_wise(
        surname, take(GIVEN, rng.integers(0, len(GIVEN), n_w)), ""
    )

    # Stints on the projects started by the day, by the projects' sizes.
    started = start <= day
    size = rng.lognormal(0.0, 1.0, n_p) * started
    project = rng.choice(n_p, stints, p=size / size.sum())
    person = rng.integers(0, n_w, stints)
    last = np.minimum(end, day)[project]
    entry = start[project] + (
        rng.random(stints) * ((last - start[project]).astype(np.int64) + 1)
    ).astype("timedelta64[D]")
    leave = entry + _between(rng, *STAY_DAYS, stints)
    on_site = (leave > last) & (end[project] > day)
    leave = np.minimum(leave, last)
    variant = pa.array(rng.random(stints) < NAME_VARIANT_SHARE)
    stint_person = pa.array(person)
    workers = pa.table(
        {
            "person_id": ids.take(stint_person),
            "name": pc.if_else(variant, other_names.take(stint_person), names.take(stint_person)),
            "project_id": projects.column("project_id").take(pa.array(project)),
            "from_date": day_array(entry),
            "to_date": day_array(leave, on_site),
            "county": projects.column("county").take(pa.array(project)),
        }
    )
    del variant, stint_person, last

    # Who is poor: status periods of some of the region's people.
    registry_people = ~outside
    holders = np.flatnonzero(registry_people & (rng.random(n_w) < STATUS_HOLDER_SHARE))
    kind = _pick(rng, [(s, share) for s, _, share in STATUSES], len(holders))
    also_poor = holders[(kind == 1) & (rng.random(len(holders)) < DIBAO_ALSO_POOR)]
    holder = np.concatenate([holders, also_poor])
    kind = np.concatenate([kind, np.zeros(len(also_poor), np.int64)])
    m = len(holder)
    since = np.where(
        kind == 0,
        np.datetime64("2014-04-01", "D") + _between(rng, 0, 1_500, m),
        np.datetime64("2010-01-01", "D") + _between(rng, 0, 3_000, m),
    )
    since = np.minimum(since, day)
    ended = rng.random(m) < ENDED_PERIOD_SHARE
    valid_to = since + _between(rng, 180, 1_500, m)
    exit_marked = (kind == 0) & (rng.random(m) < EXIT_MARKED_SHARE)
    undated = exit_marked & (rng.random(m) < EXIT_UNDATED_SHARE)
    exit_from = np.maximum(since + 90, np.datetime64("2016-01-01", "D"))
    exit_date = exit_from + _between(rng, 0, 1_200, m)

    # Cases: most on the site of a stint, some off the rosters, some elsewhere.
    n_k = max(round(stints * CASES_PER_STINT), 1)
    case_kind = _pick(rng, CASE_KINDS, n_k)
    stint = rng.integers(0, stints, n_k)
    of_project = project[stint]
    stay = (np.where(on_site[stint], day, leave[stint]) - entry[stint]).astype(np.int64)
    anywhen = np.datetime64("2016-01-01", "D")
    injury = np.where(
        case_kind == 0,
        entry[stint] + (rng.random(n_k) * (stay + 1)).astype("timedelta64[D]"),
        anywhen + _between(rng, 0, int((day - anywhen).astype(np.int64)), n_k),
    )
    case_person = np.where(case_kind == 0, person[stint], rng.integers(0, n_w, n_k))
    elsewhere = contractor[rng.integers(0, n_p, n_k)]  # a contractor of some project
    hired_by = np.where(case_kind == 1, elsewhere, contractor[of_project])
    covered = (
        (cover[of_project] != 2)
        & (insured_from[of_project] <= injury)
        & (no_end[of_project] | (injury <= insured_to[of_project]))
    )
    insured = np.where(
        case_kind == 0,
        covered,
        rng.random(n_k) < np.where(case_kind == 1, OFF_ROSTER_INSURED, OTHER_INSURED),
    )
    paid_by_employer = rng.random(n_k) < np.where(insured, PAID_IF_INSURED, PAID_IF_NOT)
    recognition = _pick(rng, RECOGNITION, n_k)
    decided = injury + _between(rng, *RECOGNITION_DAYS, n_k)
    recognition = np.where((recognition != 2) & (decided > day), 2, recognition)
    employer = pc.if_else(
        pa.array(case_kind == 2),
        take(EMPLOYERS, rng.integers(0, len(EMPLOYERS), n_k)),
        contractors.take(pa.array(hired_by)),
    )
    spaced_employer = pa.array(rng.random(n_k) < SPACED_EMPLOYER_SHARE)
    padded = pc.binary_join_element_wise(" ", employer, "  ", "")
    employer = pc.if_else(spaced_employer, padded, employer)
    anywhere = rng.choice(len(counties), n_k, p=weight)
    case_county = np.where(case_kind == 0, county[of_project], anywhere)
    claim = rng.integers(CLAIM_FEN[0], CLAIM_FEN[1] + 1, n_k)
    claim *= rng.random(n_k) >= EMPTY_CLAIM_SHARE
    case_ids = _numbered("GS", _within(case_county, injury.astype(np.int64)))
    recognition_words = [r for r, _ in RECOGNITION]
    cases = pa.table(
        {
            "case_id": case_ids,
            "person_id": ids.take(pa.array(case_person)),
            "injury_date": day_array(injury),
            "employer": employer,
            "recognition": take(recognition_words, recognition),
            "recognition_date": day_array(decided, recognition == 2),
            "employer_insured": pa.array(insured),
            "employer_paid": pa.array(paid_by_employer),
            "claimed": pa.array([Decimal(f) / 100 for f in claim.tolist()], pa.decimal128(18, 2)),
            "pneumoconiosis": pa.array(rng.random(n_k) < PNEUMOCONIOSIS_SHARE),
            "county": county_codes.take(pa.array(case_county)),
        }
    )

    # Advance payments of the recognised cases of employers neither insured nor paying.
    due = np.flatnonzero(
        (recognition == 0) & ~insured & ~paid_by_employer & (rng.random(n_k) < ADVANCED_SHARE)
    )
    payments = _advance_payments(rng, due, claim, decided, case_ids, cases.column("county"), day)

    # The registry: the region's people the lists name, and their status periods.
    named = np.zeros(n_w, bool)
    named[person] = True
    named[case_person] = True
    kept = np.flatnonzero(registry_people & named)
    registry_id = np.zeros(n_w, np.int64)
    registry_id[kept] = np.arange(1, len(kept) + 1)
    places = Places(counties, rng)
    village = places.pick(rng, np.minimum(home[kept], len(counties) - 1))
    dead = rng.random(len(kept)) < DEAD_SHARE
    death = day - _between(rng, -180, 700, len(kept))
    persons = pa.table(
        {
            "id": pa.array(registry_id[kept]),
            "id_number": ids.take(pa.array(kept)),
            "name": names.take(pa.array(kept)),
            "sex": take(["F", "M"], male[kept].astype(np.int8)),
            "birth_date": day_array(birth[kept]),
            "hukou_region": county_codes.take(pa.array(home[kept])),
            "township": places.township.take(pa.array(village)),
            "village": places.village.take(pa.array(village)),
            "death_date": day_array(death, ~dead),
            "created_batch_id": pa.array(np.ones(len(kept), np.int64)),
        }
    )
    listed = registry_id[holder] > 0
    periods = pa.table(
        {
            "id": pa.array(np.arange(1, int(listed.sum()) + 1)),
            "person_id": pa.array(registry_id[holder][listed]),
            "status": take([s for s, _, _ in STATUSES], kind[listed]),
            "department": take([d for _, d, _ in STATUSES], kind[listed]),
            "valid_from": day_array(since[listed]),
            "valid_to": day_array(valid_to[listed], ~ended[listed]),
            "exit_marked": pa.array(exit_marked[listed]),
            "exit_date": day_array(exit_date[listed], (~exit_marked | undated)[listed]),
            "batch_id": pa.array(np.ones(int(listed.sum()), np.int64)),
        }
    )
    lists = {"projects": projects, "project_workers": workers, "cases": cases}
    lists["advance_payments"] = payments
    out = {name: lists[name].cast(SCHEMAS[name][1]) for name in LISTS}
    out["registry_person"] = conform(persons, db.schema("registry_person"))
    out["registry_status_period"] = conform(periods, db.schema("registry_status_period"))
    return out


def _advance_payments(
    rng: np.random.Generator,
    due: np.ndarray,
    claim: np.ndarray,
    decided: np.ndarray,
    case_ids: pa.Array,
    counties: pa.ChunkedArray,
    day: np.datetime64,
) -> pa.Table:
    """One to three payments per case of ``due`` by the day, part of them recovered."""
    rows: dict[str, list[Any]] = {
        k: [] for k in ("case_id", "amount", "paid_on", "recovered", "recovered_on", "county")
    }
    last = day.astype(date)
    for k in due.tolist():
        total = int(claim[k]) or int(rng.integers(500_000, 3_000_001))
        total = int(total * rng.uniform(0.3, 1.0))
        times = int(rng.integers(1, 4))
        parts = np.diff(np.r_[0, np.sort(rng.integers(1, total, times - 1)), total])
        paid_on = decided[k] + np.cumsum(rng.integers(10, 120, times)).astype("timedelta64[D]")
        for fen, when in zip(parts.tolist(), paid_on.astype(date).tolist(), strict=True):
            if when > last or fen <= 0:
                continue
            luck = rng.random()
            back = 0 if luck >= PART_RECOVERED + WHOLLY_RECOVERED else fen
            if luck < PART_RECOVERED:
                back = int(fen * rng.uniform(0.1, 0.9))
            back_on = when + timedelta(days=int(rng.integers(30, 401)))
            if back == 0 or back_on > last:
                back, back_on = 0, None
            rows["case_id"].append(case_ids[k].as_py())
            rows["amount"].append(Decimal(fen) / 100)
            rows["paid_on"].append(when)
            rows["recovered"].append(Decimal(back) / 100)
            rows["recovered_on"].append(back_on)
            rows["county"].append(counties[k].as_py())
    return pa.table(
        {
            "case_id": pa.array(rows["case_id"], pa.string()),
            "amount": pa.array(rows["amount"], pa.decimal128(18, 2)),
            "paid_on": pa.array(rows["paid_on"], pa.date32()),
            "recovered": pa.array(rows["recovered"], pa.decimal128(18, 2)),
            "recovered_on": pa.array(rows["recovered_on"], pa.date32()),
            "county": pa.array(rows["county"], pa.string()),
        }
    )


def lists_of(tables: Mapping[str, pa.Table]) -> dict[str, pa.Table]:
    return {name: tables[name] for name in LISTS}


def registry_of(tables: Mapping[str, pa.Table]) -> dict[str, pa.Table]:
    return {name: tables[name] for name in REGISTRY}


# --- the hand-written statements --------------------------------------------------------

#: The poor on the day (``work_injury/poor.py``'s reading, the statuses of
#: ``work_injury.poor_worker_statuses`` written in): alive, holding one of them, a
#: registered-poor period exit-marked by the day (or without an exit date) not counted.
HAND_POOR = """
CREATE OR REPLACE TEMP TABLE poor AS
SELECT p.id_number AS person_id, p.name, substr(p.hukou_region, 1, 6) AS county_code,
       coalesce(p.township, '') AS township, coalesce(p.village, '') AS village
FROM registry_person p
WHERE (p.death_date IS NULL OR p.death_date > $as_of)
  AND p.id IN (
      SELECT person_id FROM registry_status_period
      WHERE valid_from <= $as_of AND (valid_to IS NULL OR $as_of < valid_to)
        AND status IN ('registered_poor', 'dibao', 'tekun', 'severe_disability')
        AND NOT (status = 'registered_poor' AND coalesce(exit_marked, false)
                 AND (exit_date IS NULL OR exit_date <= $as_of)))
"""

#: Who is on which roster on the day (进场 to 退场, both days included), once a person.
HAND_ON_DAY = """
CREATE OR REPLACE TEMP TABLE on_day AS
SELECT county, project_id, person_id, min(from_date) AS from_date
FROM project_workers
WHERE from_date <= $as_of AND (to_date IS NULL OR $as_of <= to_date)
GROUP BY county, project_id, person_id
"""

#: The projects not covered on the day (cover from insured_from to insured_to, both included).
HAND_UNCOVERED = """
CREATE OR REPLACE TEMP TABLE uncovered AS
SELECT * FROM projects
WHERE insured_from IS NULL OR insured_from > $as_of OR insured_to < $as_of
"""

#: Per case (its county's number), the advance payments paid and recovered by the day.
HAND_PAID = """
CREATE OR REPLACE TEMP TABLE paid AS
SELECT county, case_id, CAST(sum(amount) AS DECIMAL(18, 2)) AS paid,
       CAST(sum(CASE WHEN recovered_on <= $as_of THEN recovered ELSE 0 END)
            AS DECIMAL(18, 2)) AS recovered,
       max(paid_on) AS last_paid_on
FROM advance_payments WHERE paid_on <= $as_of
GROUP BY county, case_id
"""

#: A name for the people of the cases who are not poor: their rosters'.
HAND_NAMES = """
CREATE OR REPLACE TEMP TABLE case_names AS
SELECT person_id, min(name) AS name FROM project_workers
WHERE person_id IN (SELECT person_id FROM cases)
GROUP BY person_id
"""

#: The recognised cases of employers neither insured nor paying, of a poor worker.
HAND_QUALIFYING = """
CREATE OR REPLACE TEMP TABLE qualifying AS
SELECT p.county_code, c.person_id AS id_number, p.name, c.case_id, c.claimed,
       CAST(coalesce(d.paid, 0) AS DECIMAL(18, 2)) AS paid
FROM cases c
JOIN poor p ON p.person_id = c.person_id
LEFT JOIN paid d ON d.county = c.county AND d.case_id = c.case_id
WHERE c.recognition = 'recognised' AND c.recognition_date <= $as_of
  AND NOT c.employer_insured AND NOT c.employer_paid
"""

HAND_FINDINGS = {
    "started_before_cover": """
SELECT county AS county_code, project_id, contractor, start_date, insured_from
FROM projects
WHERE start_date <= $as_of AND (insured_from IS NULL OR insured_from > start_date)
""",
    "running_uncovered": """
SELECT u.county AS county_code, u.project_id, u.start_date, u.insured_from, u.insured_to,
       CAST(coalesce(k.n, 0) AS INTEGER) AS workers_on_day
FROM uncovered u
LEFT JOIN (SELECT county, project_id, count(*) AS n FROM on_day GROUP BY county, project_id) k
       ON k.county = u.county AND k.project_id = u.project_id
WHERE u.start_date <= $as_of
  AND (u.insured_from IS NULL OR u.insured_from > $as_of OR k.n > 0)
""",
    "poor_workers_uncovered": """
SELECT u.county AS county_code, u.project_id, w.person_id AS id_number, p.name,
       p.township, p.village, w.from_date
FROM on_day w
JOIN uncovered u ON u.county = w.county AND u.project_id = w.project_id
JOIN poor p ON p.person_id = w.person_id
""",
    "poor_off_roster": """
WITH contractors AS (
    SELECT trim(contractor) AS firm, CAST(count(*) AS INTEGER) AS projects
    FROM projects GROUP BY 1
),
hurt AS (
    SELECT c.county, c.case_id, c.person_id, c.injury_date, c.employer, k.firm, k.projects
    FROM cases c JOIN contractors k ON k.firm = trim(c.employer)
    WHERE c.injury_date <= $as_of AND c.person_id IN (SELECT person_id FROM poor)
),
rostered AS (
    SELECT DISTINCT h.county, h.case_id
    FROM hurt h
    JOIN project_workers w ON w.person_id = h.person_id AND w.from_date <= h.injury_date
                          AND (w.to_date IS NULL OR h.injury_date <= w.to_date)
    JOIN projects pr ON pr.county = w.county AND pr.project_id = w.project_id
    WHERE trim(pr.contractor) = h.firm
)
SELECT p.county_code, p.township, p.village, h.person_id AS id_number, p.name, h.case_id,
       h.injury_date, h.employer, h.projects
FROM hurt h
JOIN poor p ON p.person_id = h.person_id
WHERE NOT EXISTS (SELECT 1 FROM rostered r WHERE r.county = h.county AND r.case_id = h.case_id)
""",
    "advance_payment_qualifying": "SELECT * FROM qualifying",
    "advance_payment_due": """
SELECT *, CAST(greatest(claimed - paid, 0) AS DECIMAL(18, 2)) AS shortfall
FROM qualifying WHERE paid = 0 OR paid < claimed
""",
    "recovery_outstanding": """
SELECT coalesce(p.county_code, '') AS county_code, c.person_id AS id_number,
       coalesce(p.name, n.name, '') AS name, d.case_id, coalesce(c.employer, '') AS employer,
       d.paid, d.recovered, CAST(d.paid - d.recovered AS DECIMAL(18, 2)) AS outstanding,
       d.last_paid_on
FROM paid d
LEFT JOIN cases c ON c.county = d.county AND c.case_id = d.case_id
LEFT JOIN poor p ON p.person_id = c.person_id
LEFT JOIN case_names n ON n.person_id = c.person_id
WHERE d.paid > d.recovered
""",
    "priority_queue": """
SELECT CAST(row_number() OVER (ORDER BY p.person_id IS NOT NULL DESC, c.recognition_date,
                                        c.case_id, c.county) AS INTEGER) AS position,
       p.person_id IS NOT NULL AS poor_worker, c.person_id AS id_number,
       coalesce(p.name, n.name, '') AS name, c.case_id, c.recognition_date, c.claimed,
       CAST(coalesce(d.paid, 0) AS DECIMAL(18, 2)) AS paid
FROM cases c
LEFT JOIN poor p ON p.person_id = c.person_id
LEFT JOIN case_names n ON n.person_id = c.person_id
LEFT JOIN paid d ON d.county = c.county AND d.case_id = c.case_id
WHERE c.recognition = 'recognised' AND c.recognition_date <= $as_of AND NOT c.employer_paid
  AND NOT (c.claimed > 0 AND coalesce(d.paid, 0) >= c.claimed)
""",
    "pneumoconiosis": """
SELECT coalesce(p.county_code, '') AS county_code, c.person_id AS id_number,
       coalesce(p.name, n.name, '') AS name, c.case_id, c.recognition_date
FROM cases c
LEFT JOIN poor p ON p.person_id = c.person_id
LEFT JOIN case_names n ON n.person_id = c.person_id
WHERE c.pneumoconiosis AND c.recognition = 'recognised' AND c.recognition_date <= $as_of
""",
}

#: The statements every list reads, in order, before the lists.
HAND_STEPS = {
    "poor": HAND_POOR,
    "on_day": HAND_ON_DAY,
    "uncovered": HAND_UNCOVERED,
    "paid": HAND_PAID,
    "names": HAND_NAMES,
    "qualifying": HAND_QUALIFYING,
}


def ordered(region: str) -> tuple[str, ...]:
    """The findings the region's document orders (``basis_of``), in report order."""
    from doudi.policy import jurisdictions
    from doudi.work_injury.basis import basis_of
    from doudi.work_injury.checks import FINDINGS

    basis = basis_of(jurisdictions.resolve(region))
    left_out = {
        name
        for name, clause in (
            ("priority_queue", basis.priority),
            ("pneumoconiosis", basis.pneumoconiosis),
        )
        if clause is None
    }
    return tuple(name for name, _ in FINDINGS if name not in left_out)


def hand_findings(
    tables: Mapping[str, pa.Table],
    region: str = REGION,
    lap: Callable[[str], None] = lambda part: None,
) -> dict[str, pa.Table]:
    """Every list the region's document orders, by the hand statements; ``lap`` is told
    each step's and each list's end."""
    con = duckdb.connect()
    try:
        for name, table in tables.items():
            con.register(name, table)
        for step, sql in HAND_STEPS.items():
            con.execute(sql, {"as_of": AS_OF} if "$as_of" in sql else None)
            lap(step)
        out = {}
        for name in ordered(region):
            sql = HAND_FINDINGS[name]
            params = {"as_of": AS_OF} if "$as_of" in sql else None
            out[name] = con.sql(sql, params=params).to_arrow_table()
            lap(name)
    finally:
        con.close()
    return out


# --- the checks -------------------------------------------------------------------------


def checks_findings(tables: Mapping[str, pa.Table], region: str = REGION) -> Any:
    """``findings.from_tables``: what ``doudi work-injury findings`` does below the
    database reads."""
    from doudi.policy import jurisdictions
    from doudi.work_injury import findings

    jurisdiction = jurisdictions.resolve(region)
    return findings.from_tables(lists_of(tables), registry_of(tables), jurisdiction, AS_OF)


class Parts:
    """Seconds spent in named functions of the timed path, by wrapping them where the
    path looks them up (module attributes), so the path itself is unchanged."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}

    def wrap(self, module: Any, name: str, label: str) -> None:
        inner = getattr(module, name)

        def timed(*args: Any, **kwargs: Any) -> Any:
            start = time.perf_counter()
            try:
                return inner(*args, **kwargs)
            finally:
                spent = time.perf_counter() - start
                self.seconds[label] = self.seconds.get(label, 0.0) + spent

        setattr(module, name, timed)


# --- the same rows ----------------------------------------------------------------------


def differing(checks: pa.Table, hand: pa.Table, name: str) -> int:
    """Rows of either the other lacks, as multisets of the columns compared: 0 when the
    two, sorted, are equal row by row."""
    rows = [
        Counter(zip(*(t.column(c).to_pylist() for c in COMPARED[name]), strict=True))
        for t in (checks, hand)
    ]
    return sum((rows[0] - rows[1]).values()) + sum((rows[1] - rows[0]).values())


# --- child processes --------------------------------------------------------------------


def config() -> dict[str, Any]:
    settings: dict[str, Any] = json.loads(os.environ[CONFIG])
    return settings


def size_dir(n: int, work: Path | None = None) -> Path:
    return (work or Path(config()["dir"])) / str(n)


def measure_generate(n: int) -> dict[str, Any]:
    start = time.perf_counter()
    tables = county_set(n, config()["region"])
    seconds = time.perf_counter() - start
    out = size_dir(n)
    out.mkdir(parents=True, exist_ok=True)
    rows = {}
    for name in (*LISTS, *REGISTRY):
        table = tables.pop(name)
        with (
            pa.OSFile(str(out / f"{name}.arrow"), "wb") as sink,
            pa.ipc.new_file(sink, table.schema) as writer,
        ):
            writer.write_table(table, max_chunksize=LIST_CHUNK_ROWS)
        rows[name] = table.num_rows
    return {"seconds": seconds, "rows": rows, "peak_mib": peak_mib()}


def load(n: int) -> dict[str, pa.Table]:
    """The tables as the command reads them: the lists in chunks of 10^6 rows, the
    registry rows in record batches of 1,024."""
    tables = {}
    for name in (*LISTS, *REGISTRY):
        with pa.OSFile(str(size_dir(n) / f"{name}.arrow"), "rb") as source:
            table = pa.ipc.open_file(source).read_all()
        size = READ_BATCH_ROWS if name in REGISTRY else LIST_CHUNK_ROWS
        tables[name] = pa.Table.from_batches(table.to_batches(max_chunksize=size), table.schema)
    return tables


def warm_up(tables: Mapping[str, pa.Table]) -> dict[str, pa.Table]:
    return {name: t.slice(0, WARM_UP_ROWS) for name, t in tables.items()}


def write_rows(found: Mapping[str, pa.Table], code: str, n: int) -> None:
    """The columns compared of each list, for the parent to compare (after the timing)."""
    out = size_dir(n) / code
    out.mkdir(exist_ok=True)
    for name, table in found.items():
        if name in COMPARED:
            pq.write_table(table.select(list(COMPARED[name])), out / f"{name}.parquet")


def measure_checks(n: int) -> dict[str, Any]:
    from doudi.work_injury import explain, findings, poor

    region = config()["region"]
    tables = load(n)
    loaded = peak_mib()
    checks_findings(warm_up(tables), region)
    pre = peak_mib()
    parts = Parts()
    parts.wrap(poor, "poor_on", "poor")
    parts.wrap(findings, "check", "check")
    parts.wrap(explain, "explained", "explain")
    laps = Laps()
    found = checks_findings(tables, region)
    laps("checks")
    seconds = parts.seconds
    peak = peak_mib()
    write_rows(found.tables, "checks", n)
    return {
        "seconds": laps.seconds(),
        "cpu_seconds": laps.cpu_seconds(),
        "parts": {
            "poor": seconds["poor"],
            "sql": seconds["check"] - seconds["explain"],
            "explain": seconds["explain"],
        },
        "loaded_mib": loaded,
        "pre_mib": pre,
        "peak_mib": peak,
        "findings": {name: t.num_rows for name, t in found.tables.items()},
        "not_ordered": list(found.not_ordered),
    }


def measure_hand(n: int) -> dict[str, Any]:
    region = config()["region"]
    tables = load(n)
    loaded = peak_mib()
    hand_findings(warm_up(tables), region)
    pre = peak_mib()
    laps = Laps()
    found = hand_findings(tables, region, laps)
    peak = peak_mib()
    write_rows(found, "hand", n)
    return {
        "seconds": laps.seconds(),
        "cpu_seconds": laps.cpu_seconds(),
        "parts": laps.parts,
        "loaded_mib": loaded,
        "pre_mib": pre,
        "peak_mib": peak,
        "findings": {name: t.num_rows for name, t in found.items()},
    }


def measure_one(code: str, n: int) -> dict[str, Any]:
    measure: dict[str, Callable[[int], dict[str, Any]]] = {
        "generate": measure_generate,
        "checks": measure_checks,
        "hand": measure_hand,
    }
    return measure[code](n)


# --- orchestration (parent process) -----------------------------------------------------


def compare_written(n: int, region: str, work: Path) -> dict[str, dict[str, int]]:
    """Per list the region orders: the rows of each side (of the last runs) and the rows
    differing, sorted."""
    out = {}
    for name in ordered(region):
        checks = pq.read_table(size_dir(n, work) / "checks" / f"{name}.parquet")
        hand = pq.read_table(size_dir(n, work) / "hand" / f"{name}.parquet")
        out[name] = {
            "checks": checks.num_rows,
            "hand": hand.num_rows,
            "differ": differing(checks, hand, name),
        }
    return out


def parse_args() -> argparse.Namespace:
    env = os.environ.get
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes",
        default=env("DOUDI_BENCH_WORK_INJURY_SIZES", ",".join(str(n) for n in SIZES)),
        help="project workers (stints) per run, comma-separated; projects: a hundredth",
    )
    parser.add_argument("--region", default=REGION, help="a province or city code")
    parser.add_argument(
        "--repeat",
        type=int,
        default=int(env("DOUDI_BENCH_REPEAT", 3)),
        help="fresh processes per side, the checks' and the hand's in turns; the median"
        " and the min–max are reported",
    )
    parser.add_argument(
        "--wait-load",
        type=float,
        default=None,
        help="first wait (up to 20 minutes) until the 1-minute load average is at most this",
    )
    parser.add_argument("--keep", action="store_true", help="keep the scratch directory")
    parser.add_argument("--one", nargs=2, metavar=("CODE", "N"), help=argparse.SUPPRESS)
    return parser.parse_args()


def spread(r: Mapping[str, Any]) -> str:
    return f"{r['seconds_min']:.2f}–{r['seconds_max']:.2f}"


COLUMNS_OUT = [
    ("workers", ">10"),
    ("projects", ">8"),
    ("people", ">9"),
    ("periods", ">8"),
    ("cases", ">6"),
    ("payments", ">8"),
    ("gen s", ">6"),
    ("poor s", ">6"),
    ("sql s", ">6"),
    ("explain s", ">9"),
    ("checks s", ">8"),
    ("min–max", ">11"),
    ("cpu s", ">6"),
    ("peak MiB", ">8"),
    ("+MiB", ">6"),
    ("hand s", ">6"),
    ("min–max", ">11"),
    ("cpu s", ">6"),
    ("hand peak", ">9"),
    ("ratio", ">5"),
    ("rows out", ">8"),
    ("same", ">4"),
    ("load", ">9"),
    ("others", ">6"),
]


def row_text(n: int, r: Mapping[str, Any]) -> str:
    checks, hand, generated = r["checks"], r["hand"], r["generated"]
    rows, parts = generated["rows"], checks["parts"]
    same = all(c["differ"] == 0 and c["checks"] == c["hand"] for c in r["compared"].values())
    cells = [
        f"{rows['project_workers']:,}",
        f"{rows['projects']:,}",
        f"{rows['registry_person']:,}",
        f"{rows['registry_status_period']:,}",
        f"{rows['cases']:,}",
        f"{rows['advance_payments']:,}",
        f"{generated['seconds']:.1f}",
        f"{parts['poor']:.2f}",
        f"{parts['sql']:.2f}",
        f"{parts['explain']:.2f}",
        f"{checks['seconds']:.2f}",
        spread(checks),
        f"{checks['cpu_seconds']:.1f}",
        f"{checks['peak_mib']:,.0f}",
        f"{checks['peak_mib'] - checks['loaded_mib']:,.0f}",
        f"{hand['seconds']:.2f}",
        spread(hand),
        f"{hand['cpu_seconds']:.1f}",
        f"{hand['peak_mib']:,.0f}",
        f"{checks['seconds'] / hand['seconds']:.2f}",
        f"{sum(checks['findings'].values()):,}",
        "yes" if same else "NO",
        f"{r['load'][0]:.1f}→{r['load'][1]:.1f}",
        f"{r['others']:.2f}",
    ]
    return table_text(COLUMNS_OUT, [cells]).splitlines()[1]


def print_lists(n: int, r: Mapping[str, Any]) -> None:
    """Per list: its rows on each side, the rows differing, the hand statement's time."""
    from doudi.work_injury.checks import FINDINGS

    hand = r["hand"]["parts"]
    steps = ", ".join(f"{step} {hand[step]:.2f}" for step in HAND_STEPS)
    print(f"  {n:,} workers: hand steps (median run) {steps} s")
    for name, title in FINDINGS:
        if name not in r["compared"]:
            rows = r["checks"]["findings"][name]
            print(f"    {name} {title}: not ordered here, checks {rows} rows")
            continue
        c = r["compared"][name]
        print(
            f"    {name} {title}: checks {c['checks']:,} rows, hand {c['hand']:,} rows, "
            f"{c['differ']} differing; hand {hand[name]:.3f} s"
        )
    runs = ", ".join(f"{s:.2f}" for s in r["checks"]["seconds_all"])
    hand_runs = ", ".join(f"{s:.2f}" for s in r["hand"]["seconds_all"])
    print(f"    runs: checks {runs} s; hand {hand_runs} s")


def main() -> None:
    args = parse_args()
    if args.one:
        print(json.dumps(measure_one(args.one[0], int(args.one[1]))))
        return
    sizes = sorted({int(x) for x in args.sizes.split(",") if x.strip()})
    if args.wait_load is not None:
        load_now = wait_for_quiet(args.wait_load, WAIT_SECONDS)
        print(f"waited for a 1-minute load ≤ {args.wait_load}: now {load_now:.2f}")
    work = Path(tempfile.mkdtemp(prefix="doudi-bench-work-injury-", dir="/tmp"))
    os.environ[CONFIG] = json.dumps({"dir": str(work), "region": args.region})
    print(
        f"Doudi work-injury benchmark, {args.region} on {AS_OF}: findings.from_tables "
        f"(poor_on + check) against hand-written DuckDB statements, {args.repeat} fresh "
        f"processes per side (scratch {work})"
    )
    print("\n".join(machine()))
    print()
    started = time.perf_counter()
    results: dict[int, dict[str, Any]] = {}
    try:
        print(table_text(COLUMNS_OUT, []), flush=True)
        for n in sizes:
            generated = run_child(__file__, "generate", n, 1)
            before, others = os.getloadavg()[0], OthersBusy()
            medians = median_children(__file__, ("checks", "hand"), n, args.repeat)
            results[n] = {
                **medians,
                "generated": generated,
                "compared": compare_written(n, args.region, work),
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
    for n in sizes:
        print_lists(n, results[n])
    print()
    print(
        "workers: stints on the rosters; people, periods: the registry rows of the people "
        "the lists name (persons in the region, status periods); gen s: generating the "
        "tables (its own process, not timed as the checks); poor s: poor.poor_on; sql s: "
        "checks.check less its explanations (the DuckDB statements); explain s: the "
        "Chinese sentences (explain.explained); checks s: findings.from_tables, the median "
        f"of {args.repeat} fresh processes (the parts and cpu s: of the median run); "
        "min–max: the fastest and slowest run; peak MiB: the largest peak resident "
        "memory (ru_maxrss) of the runs, input tables included; +MiB: the peak above the "
        "loaded input; hand s, hand peak: the same of the hand-written statements, in "
        "processes taking turns with the checks'; ratio: checks s / hand s (medians); "
        "rows out: rows of every list the checks found; same: every list the region "
        "orders has the same rows on both sides, sorted (the columns of COMPARED, from "
        "the last runs); load: 1-minute load average before → after the size's runs "
        "(this benchmark's own runs count); others: cores other processes kept busy "
        "meanwhile."
    )
    print(f"total {time.perf_counter() - started:.0f} s")
    print(load_average())


if __name__ == "__main__":
    main()
