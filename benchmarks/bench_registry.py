"""Registry benchmark: import a synthetic province's department files, then compare 10^7 insured.

What, in three stages, each measurement in a fresh subprocess of this script
(``--one``), so the peak resident memory (``ru_maxrss``) it reports is its own:

1. Import. ``doudi synth`` writes the seven department files (CSV) of a made-up
   Jiangxi (360000) of ``--people`` persons (default 10^6) plus ``--enrolled``
   insured who appear only in the two enrollment extracts (default 5%, so that
   the resident-medical extract has about 10^6 rows), into a scratch directory
   under /tmp; synthesis is timed on its own. Then every file is imported in
   order (poverty, dibao, tekun, disability, resident_pension, resident_medical,
   death) with ``rosters.importing.import_roster`` into a fresh SQLite registry, one
   file per process: rows, seconds, rows per second, peak MiB. An import changes
   the database, so it runs once (no best-of). ``--postgres URL`` repeats the
   stage on PostgreSQL (the database's public schema is dropped and migrated
   afresh: give it a throwaway database).
2. Read back. The six tables the comparison reads (``comparison.compare.TABLES``) are
   read from the stage-1 registry with ``Database.read`` (a real comparison reads
   them from the database first), table by table in rows per second; then
   ``compare`` runs on them (once), and two answers ``doudi synth`` promises are checked:
   every person the generator left out of both enrollment extracts on purpose is
   in ``uninsured_medical``, and ``paid_after_death`` holds exactly the dead who
   still receive a pension.
3. Comparison at scale. The registry tables of ``--insured`` persons (default
   10^7) with ``--status-rows`` status periods (default insured / 5) are built
   directly as Arrow with numpy (at stage 1's rate, 1.7·10^7 enrollment rows through
   CSV files and the import would take a quarter of an hour; that path is stage 1's
   business) and handed over in record batches of ``--batch-rows`` rows (default
   1,024: what ``Database.read`` returns from SQLite; the timings depend on it, as
   DuckDB scans an Arrow table's batches in parallel), then
   ``compare(tables, "360000", as_of)`` is timed against the floor for this work:
   hand-written DuckDB statements over the same Arrow tables that produce all eight
   findings with Jiangxi's readings written in (``comparison_hand``; not the summary,
   which ``compare`` also makes, so the ratio is on the comparison's side). Each side
   runs in ``--repeat`` fresh processes taking turns (``benchlib.turns``): the median
   and min–max, CPU, the largest peak, the load and the cores others kept busy;
   ``ratio`` is compare / hand (medians), and both must count the same rows per
   finding. Before, in a process of its own, both run on a province of
   ``--check-insured`` (default 10^6) and every finding's rows must be equal (every
   column, as multisets).

The stage-3 province: persons in Jiangxi's counties (weighted sizes), each county
with 8-20 townships of 5-15 villages; ages 0-16/16-60/60-95 at 17/60/23%; valid
GB 11643 ID numbers (unique sequence codes); 0.5% dead in the last two years
(mostly the elderly). Status periods over registered_poor / dibao / tekun /
severe_disability at 53/27/7/13%: half the dibao, 30% of the tekun and 25% of the
severely disabled are also registered poor (overlaps), 35% of the registered poor
exit-marked with an exit date (some after ``as_of``). One import batch per source
(as of 2018-03-31), every period matched by a roster entry of its list (0.4% of
them written with a full-width space, a writing variant; 0.2% with another given
name, a conflict), a death-list entry per dead person, 1% rejected rows per
batch. Enrollments: resident medical for 96% of people, resident pension for 85%
of those 16 and over (receiving from 60, tiers 100-2,000 yuan otherwise), every
living poor person in both except 5% of the not-exit-marked registered poor
(outreach), the dead keeping 30% of medical and 40% of pension enrollments (the
receiving ones are 死亡冒领), 1% of people (3% of the poor) insured in another
county. Entries of the enrollment extracts themselves are not generated (issue #4
asks for 2·10^6 roster rows); a registry that kept them would hold ~1.7·10^7 more
roster entries for the name comparison to scan.

Why: a county office compares a province's lists, and the import of an
enrollment extract is the long step of a caseworker's day. Targets on the 2-core
reference machine: the comparison of 10^7 insured under 15 s; the import of a
10^6-row roster (the resident-medical extract of stage 1) under 60 s.

Usage: ``bench_registry.py [--people 1000000] [--enrolled N] [--insured 10000000]
[--status-rows N] [--batch-rows 1024] [--repeat 2] [--postgres URL]
[--stages import,compare] [--keep]``;
a quick run: ``--people 100000 --insured 1000000``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import tempfile
import time
from collections.abc import Sequence
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

import comparison_hand
from benchlib import (
    best,
    cpu_seconds,
    load_average,
    machine,
    peak_mib,
    run_child,
    spread,
    turns,
    verdict,
)

REGION = "360000"
AS_OF = date(2018, 3, 31)
PEOPLE = 1_000_000
ENROLLED_SHARE = 0.05  # extra insured (enrollment extracts only) per roster person
INSURED = 10_000_000
STATUS_ROWS_PER_INSURED = 0.2
SOURCES = ("poverty", "dibao", "tekun", "disability", "resident_pension", "resident_medical")
ORDER = (*SOURCES, "death")
TARGET_ROSTER = "resident_medical"
TARGET_ROSTER_ROWS = 1_000_000
TARGET_IMPORT_SECONDS = 60.0
TARGET_INSURED = 10_000_000
TARGET_COMPARE_SECONDS = 15.0
TARGET_COMPARE_RATIO = 2.0
#: Insured of the province on which every finding is checked row by row against the
#: hand-written SQL (the timed runs compare row counts).
CHECK_INSURED = 1_000_000
#: The environment variable by which the parent hands its children the run's settings
#: (JSON: scratch directory, database URL, ...); they get only ``--one CODE N --repeat R``.
CONFIG = "DOUDI_BENCH_REGISTRY"
#: Database.read returns SQLite tables in record batches of this many rows (ADBC's
#: default); stage 3 hands compare its tables chunked alike (``--batch-rows``).
READ_BATCH_ROWS = 1024

MONEY = pa.decimal128(18, 2)
SEED = 2018
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蔡蒋余"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超霞平刚桂英华玉兰秀珍文红建国志金海云春生德福"
TOWN_STEMS = (
    "石桥", "龙泉", "青山", "白沙", "河口", "新店", "马鞍", "黄土", "柳林", "双河",
    "太平", "长安", "永安", "高坪", "大坝", "桥头", "三合", "清水", "金竹", "兴隆",
)  # fmt: skip
VILLAGE_STEMS = (
    *TOWN_STEMS,
    "王家", "李家", "张家", "刘家", "陈家", "杨家", "赵家", "周家", "新民", "新村",
    "白鹤", "双龙", "三星", "官渡", "渡口", "坪上", "岭下", "东山", "南山", "团结",
)  # fmt: skip
AGE_BANDS = ((0, 16, 0.17), (16, 60, 0.60), (60, 95, 0.23))
DEATH_SHARE = 0.005
#: Status, department, roster source, share of the status rows, share also registered poor.
STATUSES = (
    ("registered_poor", "poverty_office", "poverty", 0.53, 0.0),
    ("dibao", "civil_affairs", "dibao", 0.27, 0.5),
    ("tekun", "civil_affairs", "tekun", 0.07, 0.3),
    ("severe_disability", "disabled_federation", "disability", 0.13, 0.25),
)
STATUS_SINCE = {"registered_poor": "2014-04-01", "dibao": "2008-01-01", "tekun": "2006-01-01"}
EXIT_MARKED_SHARE = 0.35
OUTREACH_SHARE = 0.05
MEDICAL_SHARE, PENSION_SHARE = 0.96, 0.85
DEAD_KEEP_MEDICAL, DEAD_KEEP_PENSION = 0.3, 0.4
MOVED_SHARE, MOVED_IF_POOR = 0.01, 0.03
PENSION_AGE, RECEIVING_AGE = 16, 60
TIERS_YUAN = (100, 200, 300, 400, 500, 600, 700, 800, 900, 1000, 1500, 2000)
TIER_WEIGHTS = (0.55, 0.15, 0.08, 0.04, 0.06, 0.02, 0.02, 0.02, 0.01, 0.03, 0.01, 0.01)
VARIANT_SHARE, CONFLICT_SHARE = 0.004, 0.002
REJECTED_SHARE = 0.01
REJECTIONS = (  # code, column, share, reason
    ("id_check", "公民身份号码", 0.4, "校验码错误"),
    ("id_date", "公民身份号码", 0.1, "身份证号中的出生日期不存在"),
    ("duplicate", "公民身份号码", 0.3, "与前面的行身份证号重复"),
    ("missing", "姓名", 0.1, "必填项为空"),
    ("date", "纳入时间", 0.1, "日期无法识别"),
)


# --- stage 1: synthesize and import (child processes) ---------------------------------


def config() -> dict[str, Any]:
    settings: dict[str, Any] = json.loads(os.environ[CONFIG])
    return settings


def scratch() -> Path:
    return Path(config()["dir"])


def database() -> Any:
    """The benchmark registry (``db.Database``) of this process, Django set up."""
    from doudi.store import db

    db.setup()
    return db.register("bench", config()["url"])


def measure_synth(people: int) -> dict[str, Any]:
    from doudi.synth.departments import synthesize

    enrolled = config()["enrolled"]
    out = scratch() / "files"
    shutil.rmtree(out, ignore_errors=True)
    start, cpu = time.perf_counter(), cpu_seconds()
    manifest = synthesize(REGION, people, out, file_format="csv", enrolled=enrolled)
    seconds = time.perf_counter() - start
    files = [
        {
            "source": f.source,
            "path": f.path,
            "rows": f.rows,
            "encoding": f.encoding,
            "bytes": (out / f.path).stat().st_size,
        }
        for f in manifest.files
    ]
    rows = sum(f["rows"] for f in files)
    return {
        "seconds": seconds,
        "cpu_seconds": cpu_seconds() - cpu,
        "rows": rows,
        "files": files,
        "peak_mib": peak_mib(),
    }


def measure_migrate() -> dict[str, Any]:
    """A fresh, migrated registry."""
    from doudi.store import db

    registry = database()
    if registry.dialect == "sqlite":
        path = Path(registry.settings["NAME"])
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    else:
        with registry.transaction() as con:
            db.execute(con, "DROP SCHEMA public CASCADE")
            db.execute(con, "CREATE SCHEMA public")
    start = time.perf_counter()
    registry.migrate()
    return {"seconds": time.perf_counter() - start, "peak_mib": peak_mib()}


def measure_import(source: str) -> dict[str, Any]:
    from doudi.rosters.importing import import_roster
    from doudi.synth.departments import Manifest

    registry = database()
    files = scratch() / "files"
    manifest = Manifest.load(files)
    info = manifest.file(source)
    pre = peak_mib()
    start, cpu = time.perf_counter(), cpu_seconds()
    report = import_roster(registry, files / info.path, source, manifest.as_of, actor="bench")
    seconds = time.perf_counter() - start
    rejected = report.read.rejected.column("row_number")
    return {
        "source": source,
        "encoding": info.encoding,
        "rows": report.read.rows_read,
        "accepted": report.read.accepted.num_rows,
        "rejected": len(pc.unique(rejected)),
        "people_added": report.people_added,
        "periods_opened": report.periods_opened,
        "deaths": report.deaths_recorded,
        "seconds": seconds,
        "cpu_seconds": cpu_seconds() - cpu,
        "pre_mib": pre,
        "peak_mib": peak_mib(),
    }


def measure_read(repeat: int) -> dict[str, Any]:
    """Read the comparison's tables back, then compare them as read."""
    from doudi.comparison.compare import TABLES, compare
    from doudi.synth.departments import Manifest

    registry = database()
    manifest = Manifest.load(scratch() / "files")
    tables: dict[str, pa.Table] = {}
    reads = []
    start_all = time.perf_counter()
    for name in TABLES:
        start = time.perf_counter()
        tables[name] = registry.read(name)
        reads.append(
            {
                "table": name,
                "rows": tables[name].num_rows,
                "seconds": time.perf_counter() - start,
                "mib": tables[name].nbytes / 2**20,
            }
        )
    read_seconds = time.perf_counter() - start_all
    pre = peak_mib()
    runs, found = [], None
    for _ in range(repeat):
        del found
        start, cpu = time.perf_counter(), cpu_seconds()
        found = compare(tables, REGION, manifest.as_of)
        runs.append((time.perf_counter() - start, cpu_seconds() - cpu))
    assert found is not None

    def ids(table: pa.Table) -> set[str]:
        return set(table.column("id_number").to_pylist())

    outreach = set(manifest.poor_not_enrolled_ids)
    dead = set(manifest.dead_but_receiving_ids)
    return {
        "reads": reads,
        "read_seconds": read_seconds,
        "compare_seconds": min(runs)[0],
        "compare_cpu_seconds": min(runs)[1],
        "pre_mib": pre,
        "peak_mib": peak_mib(),
        "findings": {name: getattr(found, name).num_rows for name in FINDING_NAMES},
        "outreach": len(outreach),
        "outreach_missed": len(outreach - ids(found.uninsured_medical)),
        "dead_receiving": len(dead),
        "dead_receiving_diff": len(dead ^ ids(found.paid_after_death)),
    }


FINDING_NAMES = (
    "uninsured_pension",
    "uninsured_medical",
    "insured_elsewhere",
    "paid_after_death",
    "name_conflicts",
    "invalid_ids",
    "duplicates",
    "multiple_lists",
)


# --- stage 3: a province as Arrow registry tables ---------------------------------------


def take(values: Sequence[str] | pa.Array, index: np.ndarray) -> pa.Array:
    """``values[index]`` as one Arrow string array (no Python string per row)."""
    pool = values if isinstance(values, pa.Array) else pa.array(list(values), pa.string())
    return pool.take(pa.array(index))


def day_array(days: np.ndarray, missing: np.ndarray | None = None) -> pa.Array:
    return pa.array(days.astype("datetime64[D]"), pa.date32(), mask=missing)


def dates(rng: np.random.Generator, first: str, last: date, n: int) -> np.ndarray:
    start = np.datetime64(first, "D")
    span = int((np.datetime64(last, "D") - start).astype(np.int64))
    return start + rng.integers(0, span + 1, n)


class Places:
    """Townships and villages of every county of the region, as flat arrays."""

    def __init__(self, counties: list[str], rng: np.random.Generator):
        towns: list[str] = []
        villages: list[str] = []
        first, count = [], []
        for _ in counties:
            first.append(len(villages))
            stems = rng.choice(len(TOWN_STEMS), int(rng.integers(8, 21)), replace=False)
            for stem in stems:
                suffix = str(rng.choice(["镇", "乡", "街道"], p=(0.55, 0.4, 0.05)))
                picked = rng.choice(len(VILLAGE_STEMS), int(rng.integers(5, 16)), replace=False)
                for v in picked:
                    towns.append(TOWN_STEMS[stem] + suffix)
                    villages.append(VILLAGE_STEMS[v] + ("社区" if rng.random() < 0.08 else "村"))
            count.append(len(villages) - first[-1])
        self.first, self.count = np.array(first), np.array(count)
        self.township = pa.array(towns, pa.string())
        self.village = pa.array(villages, pa.string())

    def pick(self, rng: np.random.Generator, county: np.ndarray) -> np.ndarray:
        offset = (rng.random(len(county)) * self.count[county]).astype(np.int64)
        villages: np.ndarray = self.first[county] + offset
        return villages


def full_years(birth: np.ndarray) -> np.ndarray:
    """Age in whole years on ``AS_OF`` (the comparison computes its own)."""
    month_start = birth.astype("datetime64[M]")
    year = birth.astype("datetime64[Y]").astype(np.int64) + 1970
    month = month_start.astype(np.int64) % 12 + 1
    day = (birth - month_start).astype(np.int64) + 1
    age: np.ndarray = AS_OF.year - year - (month * 100 + day > AS_OF.month * 100 + AS_OF.day)
    return age


def unique_sequences(county: np.ndarray, birth: np.ndarray, male: np.ndarray) -> np.ndarray:
    """GB 11643 sequence codes, unique per county and birth date (odd for men)."""
    key = county * 100_000 + (birth - np.datetime64("1900-01-01", "D")).astype(np.int64)
    order = np.argsort(key, kind="stable")
    ranked = key[order]
    start = np.r_[True, ranked[1:] != ranked[:-1]]
    first = np.maximum.accumulate(np.where(start, np.arange(len(key)), 0))
    rank = np.empty(len(key), np.int64)
    rank[order] = np.arange(len(key)) - first
    if rank.max() >= 490:
        raise ValueError("too many people of one county born on one day")
    return 2 * (rank + 1) + male.astype(np.int64)


def province(insured: int, status_rows: int, seed: int = SEED) -> dict[str, pa.Table]:
    """The registry tables the comparison reads, for ``insured`` persons (module docstring)."""
    from doudi.store import db
    from doudi.synth.people import id_numbers
    from doudi.synth.places import counties_under

    db.setup()
    rng = np.random.default_rng(seed)
    n = insured
    counties = counties_under(REGION)
    places = Places(counties, rng)
    batch = {source: i + 1 for i, source in enumerate(ORDER)}
    end = np.datetime64(AS_OF, "D")

    # Persons.
    weight = rng.uniform(0.5, 1.5, len(counties))
    county = rng.choice(len(counties), n, p=weight / weight.sum()).astype(np.int64)
    village = places.pick(rng, county)
    male = rng.random(n) < 0.5
    band = rng.choice(len(AGE_BANDS), n, p=[b[2] for b in AGE_BANDS])
    low, high = (np.array([b[i] for b in AGE_BANDS])[band] for i in (0, 1))
    birth = end - np.maximum(((low + rng.random(n) * (high - low)) * 365.2425).astype(np.int64), 1)
    del low, high, band
    age = full_years(birth)
    county_num = np.array([int(c) for c in counties], np.int64)[county]
    ids = id_numbers(county_num, birth, unique_sequences(county, birth, male))
    del county_num
    given = take(GIVEN, rng.integers(0, len(GIVEN), n))
    second = take(
        [*GIVEN, ""], rng.choice(len(GIVEN) + 1, n, p=[0.7 / len(GIVEN)] * len(GIVEN) + [0.3])
    )
    names = pc.binary_join_element_wise(
        take(SURNAMES, rng.integers(0, len(SURNAMES), n)), given, second, ""
    )
    del given, second
    death_weight = np.where(age >= RECEIVING_AGE, 5.0, 0.4)
    dead = rng.random(n) < DEATH_SHARE * death_weight / death_weight.mean()
    del death_weight
    death_date = np.maximum(dates(rng, f"{AS_OF.year - 2}-{AS_OF.month:02d}-01", AS_OF, n), birth)
    county_codes = take(counties, county)

    # Status periods: registered poor first, the others partly among them (overlaps).
    shuffled = rng.permutation(n)
    holders, kinds, offset = [], [], 0
    counts = [round(status_rows * s[3]) for s in STATUSES]
    counts[0] = status_rows - sum(counts[1:])
    registered = shuffled[: counts[0]]
    for k, ((_, _, _, _, also_poor), count) in enumerate(zip(STATUSES, counts, strict=True)):
        if k == 0:
            who, offset = registered, counts[0]
        else:
            among_poor = round(count * also_poor)
            who = np.concatenate(
                [
                    rng.choice(registered, among_poor, replace=False),
                    shuffled[offset : offset + count - among_poor],
                ]
            )
            offset += count - among_poor
        holders.append(np.sort(who))
        kinds.append(np.full(len(who), k))
    del shuffled
    person = np.concatenate(holders)
    kind = np.concatenate(kinds)
    m = len(person)
    status_name = [s[0] for s in STATUSES]
    since = np.empty(m, "datetime64[D]")
    for k, name in enumerate(status_name):
        rows = kind == k
        first = STATUS_SINCE.get(name, "2008-01-01")
        since[rows] = dates(rng, first, AS_OF, int(rows.sum()))
    since = np.minimum(np.maximum(since, birth[person]), end)
    poor_row = kind == 0
    exit_marked = poor_row & (rng.random(m) < EXIT_MARKED_SHARE)
    exit_from = np.maximum(since + 90, np.datetime64("2016-01-01"))
    exit_date = exit_from + (rng.random(m) * 900).astype(np.int64)  # some after as_of
    periods = pa.table(
        {
            "id": pa.array(np.arange(1, m + 1)),
            "person_id": pa.array(person + 1),
            "status": take(status_name, kind),
            "department": take([s[1] for s in STATUSES], kind),
            "valid_from": day_array(since),
            "valid_to": pa.nulls(m, pa.date32()),
            "exit_marked": pa.array(exit_marked),
            "exit_date": day_array(exit_date, ~exit_marked),
            "batch_id": pa.array(np.array([batch[s[2]] for s in STATUSES])[kind]),
        }
    )

    # Who is poor (as the generator sees it), the outreach list, the movers.
    poor = np.zeros(n, bool)
    poor[person[~(poor_row & exit_marked)]] = True
    current_poor = person[poor_row & ~exit_marked]
    candidates = current_poor[~dead[current_poor]]
    outreach = np.zeros(n, bool)
    outreach[rng.choice(candidates, round(len(candidates) * OUTREACH_SHARE), replace=False)] = True
    alive_poor = poor & ~dead
    medical = ((rng.random(n) < MEDICAL_SHARE) | alive_poor) & ~outreach
    medical &= ~dead | (rng.random(n) < DEAD_KEEP_MEDICAL)
    pension = (age >= PENSION_AGE) & ((rng.random(n) < PENSION_SHARE) | alive_poor) & ~outreach
    pension &= ~dead | (rng.random(n) < DEAD_KEEP_PENSION)
    receiving = pension & (age >= RECEIVING_AGE)
    moved = ~dead & (rng.random(n) < np.where(poor, MOVED_IF_POOR, MOVED_SHARE))
    enrolled_county = county.copy()
    enrolled_county[moved] = (county[moved] + rng.integers(1, len(counties), moved.sum())) % len(
        counties
    )
    del county

    # Enrollments: the pension extract's rows, then the medical extract's.
    tiers = pa.array([Decimal(f"{t}.00") for t in TIERS_YUAN], MONEY)
    parts = []
    for scheme, member, first in (
        ("resident_pension", pension, "2010-07-01"),
        ("resident_medical", medical, "2008-01-01"),
    ):
        who = np.flatnonzero(member)
        k = len(who)
        start = np.maximum(dates(rng, first, AS_OF, k), birth[who])
        if scheme == "resident_pension":
            start = np.minimum(np.maximum(start, birth[who] + 5844), end)  # from 16
            paying = ~receiving[who]
            tier_index = rng.choice(len(TIERS_YUAN), k, p=TIER_WEIGHTS)
            tier = tiers.take(pa.array(tier_index, mask=~paying))
            getting = pa.array(receiving[who])
        else:
            tier = pa.nulls(k, MONEY)
            getting = pa.array(np.zeros(k, bool))
        parts.append(
            pa.table(
                {
                    "person_id": pa.array(who + 1),
                    "scheme": take([scheme], np.zeros(k, np.int64)),
                    "region_code": take(counties, enrolled_county[who]),
                    "valid_from": day_array(start),
                    "valid_to": pa.nulls(k, pa.date32()),
                    "contribution_tier": tier,
                    "receiving": getting,
                    "batch_id": pa.array(np.full(k, batch[scheme])),
                }
            )
        )
    enrollments = pa.concat_tables(parts)
    enrollments = enrollments.append_column("id", pa.array(np.arange(1, enrollments.num_rows + 1)))
    del parts, enrolled_county

    # Roster entries: the status lists' rows (matching the periods), then the death list.
    dead_who = np.flatnonzero(dead)
    entry_person = np.concatenate([person, dead_who])
    e = len(entry_person)
    entry_source = np.concatenate([kind, np.full(len(dead_who), len(STATUSES))])
    entry_names = names.take(pa.array(entry_person))
    touched = rng.choice(e, round(e * (VARIANT_SHARE + CONFLICT_SHARE)), replace=False)
    variant = rng.random(len(touched)) < VARIANT_SHARE / (VARIANT_SHARE + CONFLICT_SHARE)
    written = []
    for name, is_variant in zip(
        entry_names.take(pa.array(touched)).to_pylist(), variant, strict=True
    ):
        if is_variant:
            written.append(name[0] + "\u3000" + name[1:])  # full-width space: a variant
        else:
            other = GIVEN[(GIVEN.index(name[-1]) + 1) % len(GIVEN)] if name[-1] in GIVEN else "明"
            written.append(name[:-1] + other)
    mask = np.zeros(e, bool)
    mask[touched] = True
    entry_names = pc.replace_with_mask(
        entry_names, pa.array(mask), pa.array([written[i] for i in np.argsort(touched)])
    )
    row_number = np.empty(e, np.int64)
    for k in range(len(STATUSES) + 1):
        rows = entry_source == k
        row_number[rows] = np.arange(2, int(rows.sum()) + 2)
    is_status = np.arange(e) < m
    grade = rng.integers(1, 3, e).astype(np.int16)
    entry_exit = np.concatenate([exit_marked, np.zeros(len(dead_who), bool)])
    entries = pa.table(
        {
            "id": pa.array(np.arange(1, e + 1)),
            "batch_id": pa.array(
                np.array([batch[s] for s in (*SOURCES[:4], "death")])[entry_source]
            ),
            "row_number": pa.array(row_number.astype(np.int32)),
            "person_id": pa.array(entry_person + 1),
            "id_number": ids.take(pa.array(entry_person)),
            "name": entry_names,
            "region_code": county_codes.take(pa.array(entry_person)),
            "county": county_codes.take(pa.array(entry_person)),
            "township": places.township.take(pa.array(village[entry_person])),
            "village": places.village.take(pa.array(village[entry_person])),
            "since": day_array(np.concatenate([since, np.full(len(dead_who), end)]), ~is_status),
            "exit_marked": pa.array(
                np.where(entry_source == 0, entry_exit, False), mask=entry_source != 0
            ),
            "exit_date": day_array(
                np.concatenate([exit_date, np.full(len(dead_who), end)]), ~entry_exit
            ),
            "disability_grade": pa.array(grade, mask=entry_source != 3),
            "contribution_tier": pa.nulls(e, MONEY),
            "receiving": pa.nulls(e, pa.bool_()),
            "death_date": day_array(death_date[entry_person], is_status),
            "bank_account": pa.nulls(e, pa.string()),  # only the pension extract has one
            # only the veterans' list has these
            "veteran_category": pa.nulls(e, pa.string()),
            "unemployed": pa.nulls(e, pa.bool_()),
            "in_employee_medical": pa.nulls(e, pa.bool_()),
        }
    )

    # Import batches and rejected rows.
    listed = {s[2]: int((kind == k).sum()) for k, s in enumerate(STATUSES)}
    listed |= {
        "resident_pension": int(pension.sum()),
        "resident_medical": int(medical.sum()),
        "death": len(dead_who),
    }
    rejected_n = {s: round(listed[s] * REJECTED_SHARE) for s in ORDER}
    now = datetime(2018, 4, 2, 9, 0, tzinfo=UTC)
    batches = pa.table(
        {
            "id": pa.array([batch[s] for s in ORDER], pa.int64()),
            "source": list(ORDER),
            "file_name": [f"{s}.csv" for s in ORDER],
            "checksum": [hashlib.sha256(s.encode()).hexdigest() for s in ORDER],
            "as_of": pa.array([AS_OF] * len(ORDER), pa.date32()),
            "encoding": ["gb18030"] * len(ORDER),
            "rows_read": pa.array([listed[s] + rejected_n[s] for s in ORDER], pa.int32()),
            "rows_accepted": pa.array([listed[s] for s in ORDER], pa.int32()),
            "rows_rejected": pa.array([rejected_n[s] for s in ORDER], pa.int32()),
            "people_added": pa.array([0] * len(ORDER), pa.int32()),
            "periods_opened": pa.array([listed[s] for s in ORDER], pa.int32()),
            "periods_closed": pa.array([0] * len(ORDER), pa.int32()),
            "imported_by": ["bench"] * len(ORDER),
            "imported_at": pa.array([now] * len(ORDER), pa.timestamp("us", tz="UTC")),
            # every list a full snapshot of the province (rosters.closing)
            "mode": ["snapshot"] * len(ORDER),
            "region": [""] * len(ORDER),
        }
    )
    r = sum(rejected_n.values())
    code = rng.choice(len(REJECTIONS), r, p=[x[2] for x in REJECTIONS])
    rejected = pa.table(
        {
            "id": pa.array(np.arange(1, r + 1)),
            "batch_id": pa.array(
                np.repeat([batch[s] for s in ORDER], [rejected_n[s] for s in ORDER])
            ),
            "row_number": pa.array(rng.integers(2, 10**6, r).astype(np.int32)),
            "column": take([x[1] for x in REJECTIONS], code),
            "code": take([x[0] for x in REJECTIONS], code),
            "value": ids.take(pa.array(rng.integers(0, n, r))),
            "reason": take([x[3] for x in REJECTIONS], code),
        }
    )

    persons = pa.table(
        {
            "id": pa.array(np.arange(1, n + 1)),
            "id_number": ids,
            "name": names,
            "sex": take(["F", "M"], male.astype(np.int8)),
            "birth_date": day_array(birth),
            "hukou_region": county_codes,
            "township": places.township.take(pa.array(village)),
            "village": places.village.take(pa.array(village)),
            "death_date": day_array(death_date, ~dead),
            "created_batch_id": pa.array(
                np.where(poor, batch["poverty"], batch["resident_medical"])
            ),
        }
    )
    # every list covers the counties its rows are of (rosters.importing's default scope)
    scope = (
        duckdb.connect()
        .sql("SELECT DISTINCT batch_id, county FROM entries ORDER BY batch_id, county")
        .to_arrow_table()
    )
    scope = scope.add_column(0, "id", pa.array(np.arange(1, scope.num_rows + 1)))
    tables = {
        "registry_person": persons,
        "registry_status_period": periods,
        "registry_enrollment": enrollments,
        "registry_roster_entry": entries,
        "registry_import_batch": batches,
        "registry_import_scope": scope,
        "registry_rejected_row": rejected,
    }
    return {name: conform(table, db.schema(name)) for name, table in tables.items()}


def conform(table: pa.Table, schema: pa.Schema) -> pa.Table:
    """``table`` with the registry table's columns, in order and type: a column the
    province's lists do not fill (a record source's, say) is null."""
    columns = [
        table.column(f.name) if f.name in table.column_names else pa.nulls(table.num_rows, f.type)
        for f in schema
    ]
    return pa.table(columns, names=schema.names).cast(schema)


# --- stage 3: the measurement (child process) ----------------------------------------


def compare_tables(insured: int) -> tuple[dict[str, pa.Table], float]:
    """The stage-3 province of ``insured`` persons as the comparison is handed it, and
    the seconds it took to build."""
    settings = config()
    start = time.perf_counter()
    status_rows = settings["status_rows"]
    if insured != settings["insured"]:  # the check's smaller province
        status_rows = round(insured * STATUS_ROWS_PER_INSURED)
    tables = province(insured, status_rows)
    if settings["batch_rows"]:  # zero-copy slices, as Database.read would hand them over
        size = settings["batch_rows"]
        tables = {
            name: pa.Table.from_batches(t.to_batches(max_chunksize=size), t.schema)
            for name, t in tables.items()
        }
    return tables, time.perf_counter() - start


def measure_compare(side: str, insured: int) -> dict[str, Any]:
    """One fresh process's run of ``compare`` (the comparison) or ``hand`` (the hand-
    written statements, ``comparison_hand``); ``check``: both, and the rows that differ."""
    from doudi.comparison.compare import FINDINGS, compare

    tables, generate_seconds = compare_tables(insured)
    if side == "check":
        found = compare(tables, REGION, AS_OF)
        theirs = {name: found.finding(name) for name, _ in FINDINGS}
        hand = comparison_hand.findings(tables, AS_OF)
        return {
            "differ": comparison_hand.differing(theirs, hand),
            "rows": {name: t.num_rows for name, t in theirs.items()},
        }
    sizes = {name: (t.num_rows, t.nbytes / 2**20) for name, t in tables.items()}
    pre = peak_mib()
    result: dict[str, Any] = {"sizes": sizes, "generate_seconds": generate_seconds}
    if side == "compare":
        seconds, cpu, found = best(1, lambda: compare(tables, REGION, AS_OF))
        result["findings"] = {name: found.finding(name).num_rows for name, _ in FINDINGS}
        result["summary_rows"] = found.summary.num_rows
    else:
        seconds, cpu, hand = best(1, lambda: comparison_hand.findings(tables, AS_OF))
        result["findings"] = {name: hand[name].num_rows for name, _ in FINDINGS}
    result.update(seconds=seconds, cpu_seconds=cpu, pre_mib=pre, peak_mib=peak_mib())
    return result


def measure_one(code: str, n: int, repeat: int) -> dict[str, Any]:
    if code == "synth":
        return measure_synth(n)
    if code == "migrate":
        return measure_migrate()
    if code.startswith("import:"):
        return measure_import(code.split(":", 1)[1])
    if code == "read":
        return measure_read(repeat)
    if code in ("compare", "hand", "check"):
        return measure_compare(code, n)
    raise ValueError(code)


# --- orchestration (parent process) ---------------------------------------------------


def table_text(columns: list[tuple[str, str]], rows: list[list[str]]) -> str:
    lines = ["  ".join(f"{name:{fmt}}" for name, fmt in columns)]
    lines += [
        "  ".join(f"{v:{fmt}}" for v, (_, fmt) in zip(row, columns, strict=True)) for row in rows
    ]
    return "\n".join(lines)


def rate(rows: float, seconds: float) -> str:
    return f"{rows / seconds:,.0f}" if seconds > 0 else "-"


def target(met: bool, seconds: float) -> str:
    return f"{'met' if met else 'NOT met'} ({seconds:.2f} s)"


def parse_args() -> argparse.Namespace:
    env = os.environ.get
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=int(env("DOUDI_BENCH_PEOPLE", PEOPLE)))
    parser.add_argument(
        "--enrolled",
        type=int,
        default=None,
        help="insured only in the enrollment extracts (default: 5%% of --people)",
    )
    parser.add_argument("--insured", type=int, default=int(env("DOUDI_BENCH_INSURED", INSURED)))
    parser.add_argument(
        "--status-rows", type=int, default=None, help="status periods (default: insured / 5)"
    )
    parser.add_argument(
        "--batch-rows",
        type=int,
        default=READ_BATCH_ROWS,
        help="stage 3: rows per record batch of the input tables (0: one chunk)",
    )
    parser.add_argument(
        "--check-insured",
        type=int,
        default=CHECK_INSURED,
        help="insured of the province checked row by row against the hand-written SQL",
    )
    parser.add_argument(
        "--repeat",
        type=int,
        default=int(env("DOUDI_BENCH_REPEAT", 3)),
        help="fresh processes per side of the comparison at scale: the median and min–max",
    )
    parser.add_argument("--postgres", metavar="URL", help="also import into this (wiped) database")
    parser.add_argument("--stages", default="import,compare", help="import, compare or both")
    parser.add_argument("--keep", action="store_true", help="keep the scratch directory")
    parser.add_argument("--one", nargs=2, metavar=("CODE", "N"), help=argparse.SUPPRESS)
    return parser.parse_args()


def import_stage(args: argparse.Namespace, databases: list[tuple[str, str]]) -> list[str]:
    """Synthesize, import into each database, read back; the target lines."""
    synth = run_child(__file__, "synth", args.people, 1)
    print(
        f"synthesis: {args.people:,} people + {args.enrolled:,} insured only → "
        f"{len(synth['files'])} CSV files, {synth['rows']:,} rows, "
        f"{sum(f['bytes'] for f in synth['files']) / 2**20:,.0f} MiB in "
        f"{synth['seconds']:.1f} s ({rate(synth['rows'], synth['seconds'])} rows/s), "
        f"peak {synth['peak_mib']:,.0f} MiB",
        flush=True,
    )
    targets = []
    columns = [
        ("file", "<22"),
        ("encoding", "<9"),
        ("rows", ">9"),
        ("accepted", ">9"),
        ("rejected", ">8"),
        ("seconds", ">8"),
        ("cpu s", ">7"),
        ("rows/s", ">8"),
        ("pre MiB", ">8"),
        ("peak MiB", ">9"),
        ("people +", ">9"),
        ("periods +", ">9"),
    ]
    for label, url in databases:
        os.environ[CONFIG] = json.dumps({**config(), "url": url})
        migrated = run_child(__file__, "migrate", 0, 1)
        print(
            f"\nimport into {label} (migrated in {migrated['seconds']:.1f} s), one file per process"
        )
        print(table_text(columns, []), flush=True)
        total_rows, total_seconds = 0, 0.0
        for source in ORDER:
            r = run_child(__file__, f"import:{source}", 0, 1)
            total_rows += r["rows"]
            total_seconds += r["seconds"]
            added = r["periods_opened"] if source != "death" else r["deaths"]
            print(
                table_text(
                    columns,
                    [
                        [
                            f"{source}.csv",
                            r["encoding"],
                            f"{r['rows']:,}",
                            f"{r['accepted']:,}",
                            f"{r['rejected']:,}",
                            f"{r['seconds']:.2f}",
                            f"{r['cpu_seconds']:.2f}",
                            rate(r["rows"], r["seconds"]),
                            f"{r['pre_mib']:,.0f}",
                            f"{r['peak_mib']:,.0f}",
                            f"{r['people_added']:,}",
                            f"{added:,}",
                        ]
                    ],
                ).splitlines()[1],
                flush=True,
            )
            if source == TARGET_ROSTER:
                name = f"target import of a {TARGET_ROSTER_ROWS:,}-row roster < "
                name += f"{TARGET_IMPORT_SECONDS:.0f} s ({label}, {r['rows']:,} rows): "
                if r["rows"] >= TARGET_ROSTER_ROWS:
                    targets.append(
                        name + target(r["seconds"] < TARGET_IMPORT_SECONDS, r["seconds"])
                    )
                else:
                    targets.append(name + f"not measured ({r['seconds']:.2f} s)")
        print(
            f"all files: {total_rows:,} rows in {total_seconds:.1f} s "
            f"({rate(total_rows, total_seconds)} rows/s)"
        )
        read_back(label)
    return targets


def read_back(label: str) -> None:
    r = run_child(__file__, "read", 0, 1)
    columns = [
        ("table", "<24"),
        ("rows", ">11"),
        ("seconds", ">8"),
        ("rows/s", ">10"),
        ("MiB", ">7"),
    ]
    rows = [
        [
            x["table"],
            f"{x['rows']:,}",
            f"{x['seconds']:.2f}",
            rate(x["rows"], x["seconds"]),
            f"{x['mib']:,.0f}",
        ]
        for x in r["reads"]
    ]
    total = sum(x["rows"] for x in r["reads"])
    mib = sum(x["mib"] for x in r["reads"])
    rows.append(
        [
            "all six",
            f"{total:,}",
            f"{r['read_seconds']:.2f}",
            rate(total, r["read_seconds"]),
            f"{mib:,.0f}",
        ]
    )
    print(f"\nread back from {label} (Database.read), then compare on what was read")
    print(table_text(columns, rows))
    findings = ", ".join(f"{k} {v:,}" for k, v in r["findings"].items())
    print(
        f"compare: {r['compare_seconds']:.2f} s (cpu {r['compare_cpu_seconds']:.2f} s), "
        f"read + compare {r['read_seconds'] + r['compare_seconds']:.2f} s, "
        f"pre {r['pre_mib']:,.0f} MiB, peak {r['peak_mib']:,.0f} MiB\nfindings: {findings}"
    )
    print(
        f"checks: outreach people (in neither extract) missing from uninsured_medical: "
        f"{r['outreach_missed']} of {r['outreach']:,}; dead still receiving vs paid_after_death: "
        f"{r['dead_receiving_diff']} differ of {r['dead_receiving']:,}",
        flush=True,
    )


def compare_stage(args: argparse.Namespace) -> list[str]:
    check = run_child(__file__, "check", args.check_insured, 1)
    pair = turns(__file__, ("compare", "hand"), args.insured, args.repeat)
    r, hand = pair["compare"], pair["hand"]
    chunks = f"in record batches of {args.batch_rows:,} rows" if args.batch_rows else "one chunk"
    print(
        f"\ncomparison at scale: {args.insured:,} insured, {args.status_rows:,} status rows, "
        f"built as Arrow in {r['generate_seconds']:.1f} s, handed over {chunks}; "
        f"{args.repeat} fresh processes per side, taking turns"
    )
    print(
        table_text(
            [("table", "<24"), ("rows", ">12"), ("MiB", ">7")],
            [[name, f"{rows:,}", f"{mib:,.0f}"] for name, (rows, mib) in r["sizes"].items()],
        )
    )
    rows_in = sum(rows for rows, _ in r["sizes"].values())
    columns = [
        ("step", "<34"),
        ("seconds", ">8"),
        ("min–max", ">11"),
        ("cpu s", ">7"),
        ("input rows/s", ">13"),
        ("persons/s", ">11"),
        ("peak MiB", ">9"),
    ]
    steps = (("hand-written SQL (8 findings)", hand), ("compare (8 findings + summary)", r))
    print()
    print(
        table_text(
            columns,
            [
                [
                    name,
                    f"{m['seconds']:.2f}",
                    spread(m),
                    f"{m['cpu_seconds']:.2f}",
                    rate(rows_in, m["seconds"]),
                    rate(args.insured, m["seconds"]),
                    f"{m['peak_mib']:,.0f}",
                ]
                for name, m in steps
            ],
        )
    )
    ratio = r["seconds"] / hand["seconds"]
    same = all(n == 0 for n in check["differ"].values())
    findings = ", ".join(f"{k} {v:,}" for k, v in r["findings"].items())
    print(
        f"ratio compare / hand: {ratio:.2f} (CPU {r['cpu_seconds'] / hand['cpu_seconds']:.2f}); "
        f"load {pair['load'][0]:.1f}→{pair['load'][1]:.1f}, others {pair['others']:.2f}; "
        f"pre {r['pre_mib']:,.0f} MiB (input built)\nfindings: {findings}; summary rows "
        f"{r['summary_rows']:,}; the hand's counts the same: "
        f"{'yes' if hand['findings'] == r['findings'] else 'NO'}\n"
        f"compare vs hand-written SQL at {args.check_insured:,} insured: "
        f"{'the same rows' if same else 'NOT the same rows'} (rows one side lacks: "
        + ", ".join(f"{k} {v} of {check['rows'][k]:,}" for k, v in check["differ"].items())
        + ")",
        flush=True,
    )
    name = f"target comparison of {TARGET_INSURED:,} insured"
    if args.insured < TARGET_INSURED:
        return [f"{name}: not measured ({args.insured:,} insured: {r['seconds']:.2f} s)"]
    seconds = r["seconds"]
    text = f"median {seconds:.2f} s, {spread(r)} s"
    return [
        f"{name} < {TARGET_COMPARE_SECONDS:.0f} s: "
        + verdict(seconds < TARGET_COMPARE_SECONDS, text),
        f"{name} within {TARGET_COMPARE_RATIO}× of the hand-written SQL: "
        + verdict(
            ratio <= TARGET_COMPARE_RATIO, f"{ratio:.2f}×, hand median {hand['seconds']:.2f} s"
        ),
    ]


def main() -> None:
    args = parse_args()
    if args.one:
        print(json.dumps(measure_one(args.one[0], int(args.one[1]), args.repeat)))
        return
    if args.enrolled is None:
        args.enrolled = round(args.people * ENROLLED_SHARE)
    if args.status_rows is None:
        args.status_rows = round(args.insured * STATUS_ROWS_PER_INSURED)
    args.check_insured = min(args.check_insured, args.insured)
    stages = {s.strip() for s in args.stages.split(",") if s.strip()}
    work = Path(tempfile.mkdtemp(prefix="doudi-bench-registry-", dir="/tmp"))
    sqlite = f"sqlite:///{work}/registry.sqlite3"
    os.environ[CONFIG] = json.dumps(
        {
            "dir": str(work),
            "url": sqlite,
            "enrolled": args.enrolled,
            "status_rows": args.status_rows,
            "batch_rows": args.batch_rows,
            "insured": args.insured,
        }
    )
    # Django's default database too, so nothing touches var/doudi.sqlite3.
    os.environ["DOUDI_DATABASE_URL"] = f"sqlite:///{work}/default.sqlite3"
    databases = [("SQLite", sqlite)]
    if args.postgres:
        databases.append(("PostgreSQL", args.postgres))
    print(f"Doudi registry benchmark, region {REGION}, lists as of {AS_OF} (scratch {work})")
    print("\n".join(machine()))
    print()
    started = time.perf_counter()
    targets = []
    try:
        if "import" in stages:
            targets += import_stage(args, databases)
        if "compare" in stages:
            targets += compare_stage(args)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    print()
    print(
        "seconds: wall time of the step (imports, reads and the compare of what was read run "
        f"once; at scale, compare and the hand-written SQL the median of {args.repeat} fresh "
        "processes each, min–max the fastest and slowest); cpu s: CPU time of that run (up to "
        "2 × seconds on two cores); rows: data rows of the file; rejected: rows refused; people "
        "+: persons new to the registry; periods +: periods opened (death list: deaths "
        "recorded); pre MiB: peak before the timed step (modules, input); peak MiB: the "
        "process's peak resident memory (ru_maxrss) after it (at scale the largest of the "
        "runs); ratio: compare / hand-written SQL."
    )
    print(f"total {time.perf_counter() - started:.0f} s")
    print(load_average())
    for line in targets:
        print(line)


if __name__ == "__main__":
    main()
