"""Settlement benchmark: a synthetic year of hospital bills through the payer waterfall.

What: for each jurisdiction and N = 10^4, 10^5, 10^6 and 5·10^6 bills of 2018,
time ``backend.plan(code, 2018, {}, kind="bills").run(bills=..., statuses=...)``
(every settlement rule of ``policy/settlement/rules.py`` as one compiled DuckDB
statement) end to end, Arrow in to Arrow out, and report the median and min–max
wall seconds of ``--repeat`` fresh processes (``benchlib.median_children``), bills
per second and the largest peak resident memory of those processes (``pre MiB``:
the peak before the timed run, the generated input included). Compiling the plan
(Ibis to SQL, once per process) is reported on its own, and a 1,000-bill warm-up is
not timed. Every bill is checked: its five layers, ``patient_pays`` and
``hospital_bears`` add up to ``total_cost`` exactly (Decimal sums in Arrow); and no
person's yearly ``basic_paid`` exceeds the largest cap of its cap group (inpatient
care, and chronic outpatient class I and class II, which keep caps of their own).

The floor (issue #25 §1): for Jiangxi (360000), one hand-written DuckDB window query
over the same bills and status periods with the rules' numbers written in
(``settlement_hand.HAND_SQL``: deductibles and caps as window sums over a person's
year), run in fresh processes taking turns with Doudi's, so a slow spell of the
machine slows both sides of the ratio. At the smallest size both run in one process
and every amount column of every bill must be equal (the line under the table); the tests hold the
same at 10^4 (tests/engine/test_benchmark_settlement.py). Reported per pair: the
ratio of the medians, each side's CPU seconds and peak, the 1-minute load before →
after, and ``others``, the cores other processes kept busy meanwhile.

Why: the yearly settlement must run over a province's bills with the very rules
that explain one bill. Targets on the 2-core reference machine: 5·10^6 bills in
under 15 s; within 2× of the hand-written window query (issue #25).

Input is generated with numpy straight into Arrow columns (no per-row Python
objects): 10^6 people with unique 18-character ID numbers of the jurisdiction's
counties (for N < 10^6, N/5 people, the density of the 5·10^6-bill year); a
fifth of the bills from 5% of the people (frequent patients); levels 1/2/3/
referral-out 30/40/25/5%; 85% inpatient, 5% chronic class I, 8% class II, 2%
childbirth; 3% naming one of Jiangxi's 15 major diseases; log-normal in-policy
costs (inpatient median 6,000 yuan, up to 800,000); 0-30% out of policy; on a
fifth of the bills up to 5% non-compliant; on 3% of the inpatient bills special
drugs (``special_drug_cost``, 20-80% of the in-policy cost). Statuses: 20% of
the people hold one (registered poor 60%, dibao 30%, tekun 10%; periods from
2014, some closed, a quarter of the registered poor exit-marked), a tenth of
those a second, so some patients gain or lose a status in the middle of the year.

Usage: ``bench_settlement.py [--max-n N] [--jurisdictions 360000,370000] [--repeat 3]``
(or the environment variables ``DOUDI_BENCH_MAX_N``, ``DOUDI_BENCH_JURISDICTIONS``
and ``DOUDI_BENCH_REPEAT``).
"""

from __future__ import annotations

import json
import time
from decimal import Decimal
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

import settlement_hand
from benchlib import (
    best,
    load_average,
    machine,
    parse_args,
    peak_mib,
    run_child,
    spread,
    turns,
    verdict,
)
from doudi.core import regions
from doudi.engine import backend
from doudi.policy.params import Params
from doudi.policy.settlement import schema

JURISDICTIONS = ("360000", "370000", "510400")
SIZES = (10_000, 100_000, 1_000_000, 5_000_000)
YEAR = 2018
PEOPLE = 1_000_000
SMALL_BILLS_PER_PERSON = 5
WARM_UP_N = 1_000
TARGET_N = 5_000_000
TARGET_SECONDS = 15.0
TARGET_RATIO = 2.0
#: The jurisdiction the hand-written window query is written for.
HAND = settlement_hand.JURISDICTION
COMPARED = settlement_hand.COMPARED

MONEY = pa.decimal128(18, 2)
ZERO = Decimal("0.00")
LEVELS = ("1", "2", "3", "referral_out")
LEVEL_WEIGHTS = (0.30, 0.40, 0.25, 0.05)
IN_COUNTY_SHARE = (0.9, 0.9, 0.4, 0.0)  # by level
CLAIMS = ("inpatient", "chronic_1", "chronic_2", "childbirth")
CLAIM_WEIGHTS = (0.85, 0.05, 0.08, 0.02)
#: Median in-policy cost (yuan) and log-normal sigma by claim type.
COST = ((6_000, 1.1), (1_500, 0.8), (500, 0.8), (3_000, 0.3))
MAX_COST_FEN = 80_000_000  # 800,000 yuan
FREQUENT_SHARE = 0.05  # of the people (frequent patients) ...
FREQUENT_BILLS = 0.20  # ... get this share of the bills besides their even share
MAJOR_DISEASE_SHARE = 0.03
SPECIAL_DRUG_SHARE = 0.03  # of the inpatient bills: 20-80% of the in-policy cost
STATUS_KINDS = ("registered_poor", "dibao", "tekun")
STATUS_WEIGHTS = (0.6, 0.3, 0.1)
STATUS_PEOPLE_SHARE = 0.20
SECOND_STATUS_SHARE = 0.10
EXIT_MARKED_SHARE = 0.25
LAYERS = ("basic", "critical_illness", "supplementary", "tilt", "assistance")
CHRONIC = ("chronic_1", "chronic_2")

# --- synthetic input ----------------------------------------------------------


def counties(code: str) -> list[int]:
    """Every county-level code below ``code`` in the GB/T 2260 tree."""
    found: list[int] = []
    for child in regions.children(code):
        found += [int(child.code)] if child.level == "county" else counties(child.code)
    return found


def random_dates(rng: np.random.Generator, first: str, last: str, n: int) -> np.ndarray:
    start = np.datetime64(first, "D")
    span = int((np.datetime64(last, "D") - start).astype(int))
    return start + rng.integers(0, span + 1, n)


def digit_strings(values: np.ndarray, width: int, prefix: str = "") -> pa.Array:
    """Non-negative integers as ``prefix`` + ``width`` zero-padded digits, one buffer."""
    head = prefix.encode("ascii")
    size = len(head) + width
    chars = np.empty((len(values), size), dtype=np.uint8)
    chars[:, : len(head)] = np.frombuffer(head, dtype=np.uint8)
    for i in range(width):
        chars[:, len(head) + i] = (values // 10 ** (width - 1 - i)) % 10 + ord("0")
    offsets = np.arange(0, size * (len(values) + 1), size, dtype=np.int32)
    data = pa.py_buffer(chars.tobytes())
    return pa.StringArray.from_buffers(len(values), pa.py_buffer(offsets), data)


def money_array(fen: np.ndarray) -> pa.Array:
    """Non-negative amounts in fen as exact decimal(18, 2): the 128-bit unscaled values."""
    words = np.zeros((len(fen), 2), dtype=np.int64)  # little-endian low word, high word 0
    words[:, 0] = fen
    return pa.Array.from_buffers(MONEY, len(fen), [None, pa.py_buffer(words)])


def id_numbers(code: str, people: int, rng: np.random.Generator) -> pa.Array:
    """``people`` distinct ID numbers: county, birth date 1940-2017, four tail digits."""
    pool = np.array(counties(code), dtype=np.int64)
    first = np.datetime64("1940-01-01", "D")
    days = int((np.datetime64("2017-12-31", "D") - first).astype(int)) + 1
    # Distinct (birth date, tail) pairs make distinct numbers whatever the county.
    pair = rng.choice(days * 10_000, people, replace=False, shuffle=False)
    birth = first + pair // 10_000
    years = birth.astype("datetime64[Y]").astype(np.int64) + 1970
    month_start = birth.astype("datetime64[M]")
    months = month_start.astype(np.int64) % 12 + 1
    ymd = years * 10_000 + months * 100 + (birth - month_start).astype(np.int64) + 1
    region = pool[rng.integers(0, len(pool), people)]
    return digit_strings(region * 10**12 + ymd * 10**4 + pair % 10_000, 18)


def synthetic_bills(n: int, ids: pa.Array, rng: np.random.Generator) -> pa.Table:
    people = len(ids)
    person = rng.integers(0, people, n)
    frequent = rng.random(n) < FREQUENT_BILLS
    person[frequent] = rng.integers(0, max(1, round(people * FREQUENT_SHARE)), frequent.sum())
    level = rng.choice(len(LEVELS), n, p=LEVEL_WEIGHTS)
    claim = rng.choice(len(CLAIMS), n, p=CLAIM_WEIGHTS)
    median, sigma = (np.array(x)[claim] for x in zip(*COST, strict=True))
    in_policy = np.minimum(rng.lognormal(np.log(median * 100), sigma), MAX_COST_FEN)
    in_policy = np.rint(in_policy).astype(np.int64)
    out_of_policy = np.rint(in_policy * rng.uniform(0, 0.3, n)).astype(np.int64)
    non_compliant = np.rint(in_policy * rng.uniform(0, 0.05, n)).astype(np.int64)
    non_compliant[rng.random(n) >= 0.2] = 0
    special = np.rint(in_policy * rng.uniform(0.2, 0.8, n)).astype(np.int64)
    inpatient = claim == CLAIMS.index("inpatient")
    has_special = inpatient & (rng.random(n) < SPECIAL_DRUG_SHARE)
    admission = random_dates(rng, f"{YEAR}-01-01", f"{YEAR}-12-31", n)
    outpatient = np.isin(claim, [CLAIMS.index(c) for c in CHRONIC])
    stay = np.where(outpatient, 0, np.minimum(rng.geometric(0.12, n) - 1, 60))
    discharge = np.minimum(admission + stay, np.datetime64(f"{YEAR}-12-31", "D"))
    quota = Params("360000", YEAR).get("medical_settlement.major_disease_quota")
    diseases = list(quota)
    columns = {
        "bill_no": pa.array(np.arange(n, dtype=np.int64)),
        "bill_id": digit_strings(np.arange(n, dtype=np.int64), 10, "ZY"),
        "id_number": ids.take(pa.array(person)),
        "admission_date": pa.array(admission),
        "discharge_date": pa.array(discharge),
        "hospital_level": pa.array(LEVELS).take(pa.array(level)),
        "in_county": pa.array(rng.random(n) < np.array(IN_COUNTY_SHARE)[level]),
        "total_cost": money_array(in_policy + out_of_policy + non_compliant),
        "in_policy_cost": money_array(in_policy),
        "non_compliant_cost": money_array(non_compliant),
        "special_drug_cost": pc.if_else(has_special, money_array(special), pa.scalar(None, MONEY)),
        "claim_type": pa.array(CLAIMS).take(pa.array(claim)),
        "disease": pa.array(diseases).take(
            pa.array(rng.integers(0, len(diseases), n), mask=rng.random(n) >= MAJOR_DISEASE_SHARE)
        ),
    }
    return pa.table(columns).cast(schema.BILLS.to_pyarrow())


def synthetic_statuses(ids: pa.Array, rng: np.random.Generator) -> pa.Table:
    holders = rng.choice(len(ids), round(len(ids) * STATUS_PEOPLE_SHARE), replace=False)
    second = rng.choice(holders, round(len(holders) * SECOND_STATUS_SHARE), replace=False)
    who = np.concatenate([holders, second])
    m = len(who)
    kind = rng.choice(len(STATUS_KINDS), m, p=STATUS_WEIGHTS)
    valid_from = random_dates(rng, "2014-01-01", f"{YEAR}-12-31", m)
    exit_marked = (kind == STATUS_KINDS.index("registered_poor")) & (
        rng.random(m) < EXIT_MARKED_SHARE
    )
    columns = {
        "id_number": ids.take(pa.array(who)),
        "status": pa.array(STATUS_KINDS).take(pa.array(kind)),
        "valid_from": pa.array(valid_from),
        "valid_to": pa.array(valid_from + rng.integers(30, 1_500, m), mask=rng.random(m) >= 0.4),
        "exit_date": pa.array(valid_from + rng.integers(90, 1_200, m), mask=~exit_marked),
    }
    return pa.table(columns).cast(schema.BILL_STATUSES.to_pyarrow())


def population(n: int) -> int:
    return PEOPLE if n >= PEOPLE else max(1, n // SMALL_BILLS_PER_PERSON)


def synthetic(code: str, n: int) -> tuple[pa.Table, pa.Table]:
    rng = np.random.default_rng([int(code), n])
    ids = id_numbers(code, population(n), rng)
    return synthetic_bills(n, ids, rng), synthetic_statuses(ids, rng)


# --- one measurement (child process) --------------------------------------------


def largest_caps(p: Params) -> dict[str, Decimal]:
    """The largest yearly basic cap a bill of each cap group can have."""

    def setting(name: str, default: Any = ...) -> Any:
        return p.get(f"medical_settlement.{name}", default)

    caps = {
        "inpatient": max(setting("basic_annual_cap"), setting("poor_basic_annual_cap", Decimal(0)))
    }
    poor_chronic = setting("poor_chronic_annual_cap", {})
    for claim, cap in setting("chronic_annual_cap").items():
        caps[claim] = max(cap, poor_chronic.get(claim, 0))
    return caps


def check(out: pa.Table, p: Params) -> dict[str, Any]:
    """Bills whose parts do not add up to ``total_cost``; the largest yearly basic per group."""
    total = out["patient_pays"]
    for column in (*(f"{name}_paid" for name in LAYERS), "hospital_bears"):
        total = pc.add(total, out[column])
    wrong = pc.sum(pc.not_equal(total, out["total_cost"].cast(total.type))).as_py()
    claim = out["claim_type"]
    group = pc.if_else(pc.is_in(claim, pa.array(CHRONIC)), claim, "inpatient")
    # Shandong's class-B top-up on special drugs is a subsidy apart from the cap.
    special = pc.fill_null(pc.greater(out["special_drug_cost"], 0), False)
    capped_basic = pc.if_else(special, pa.scalar(None, out["basic_paid"].type), out["basic_paid"])
    yearly = (
        pa.table({"id_number": out["id_number"], "group": group, "basic": capped_basic})
        .group_by(["id_number", "group"])
        .aggregate([("basic", "sum")])
        .group_by("group")
        .aggregate([("basic_sum", "max")])
    )
    largest = dict(
        zip(yearly["group"].to_pylist(), yearly["basic_sum_max"].to_pylist(), strict=True)
    )
    caps = largest_caps(p)
    return {
        "not_adding_up": wrong,
        "caps_held": all(v <= caps[k] for k, v in largest.items()),
        "max_basic": str(largest.get("inpatient", Decimal(0))),
        "funds": str(
            sum((pc.sum(out[f"{name}_paid"]).as_py() or Decimal(0) for name in LAYERS), Decimal(0))
        ),
    }


def measure_one(spec: str, n: int) -> dict[str, Any]:
    """One fresh process's run of ``spec`` = SIDE:JURISDICTION, SIDE one of ``doudi``
    (the compiled rules), ``hand`` (the hand-written window query) or ``check`` (both,
    and the bills whose amounts differ)."""
    side, code = spec.split(":")
    bills, statuses = synthetic(code, n)
    if side == "check":
        plan = backend.plan(code, YEAR, {}, kind="bills")
        doudi = plan.run(bills=bills, statuses=statuses)
        hand = settlement_hand.settle(bills, statuses)
        return {"differ": settlement_hand.differing(doudi, hand), "rows": doudi.num_rows}
    result: dict[str, Any] = {"people": population(n)}
    if side == "doudi":
        start = time.perf_counter()
        plan = backend.plan(code, YEAR, {}, kind="bills")
        result["compile_seconds"] = time.perf_counter() - start

        def run() -> pa.Table:
            return plan.run(bills=bills, statuses=statuses)

        plan.run(bills=bills.slice(0, WARM_UP_N), statuses=statuses)
    else:

        def run() -> pa.Table:
            return settlement_hand.settle(bills, statuses)

        settlement_hand.settle(bills.slice(0, WARM_UP_N), statuses)
    pre = peak_mib()
    seconds, cpu, out = best(1, run)
    result.update(seconds=seconds, cpu_seconds=cpu, pre_mib=pre, peak_mib=peak_mib())
    result["rows_out"] = out.num_rows
    result["funds"] = str(
        sum((pc.sum(out[f"{name}_paid"]).as_py() or Decimal(0) for name in LAYERS), Decimal(0))
    )
    if side == "doudi":
        result.update(check(out, Params(code, YEAR)))
    return result


# --- orchestration (parent process) ---------------------------------------------


COLUMNS = (
    ("jurisdiction", "<19"),
    ("N", ">9"),
    ("people", ">9"),
    ("compile s", ">9"),
    ("seconds", ">8"),
    ("min–max", ">11"),
    ("cpu s", ">6"),
    ("bills/s", ">9"),
    ("pre MiB", ">8"),
    ("peak MiB", ">9"),
    ("hand s", ">7"),
    ("hand min–max", ">12"),
    ("hand cpu", ">8"),
    ("hand peak", ">9"),
    ("ratio", ">6"),
    ("Σ funds paid", ">17"),
    ("adds up", ">7"),
    ("caps", ">4"),
    ("max Σ basic", ">11"),
    ("load", ">9"),
    ("others", ">6"),
)


def row_text(values: list[str]) -> str:
    return "  ".join(f"{v:{fmt}}" for v, (_, fmt) in zip(values, COLUMNS, strict=True))


def size_row(code: str, document: str, n: int, r: dict[str, Any]) -> list[str]:
    doudi, hand = r["doudi"], r.get("hand")
    same_funds = hand is None or hand["funds"] == doudi["funds"]
    return [
        f"{code} {document}",
        f"{n:,}",
        f"{doudi['people']:,}",
        f"{doudi['compile_seconds']:.2f}",
        f"{doudi['seconds']:.3f}",
        spread(doudi),
        f"{doudi['cpu_seconds']:.2f}",
        f"{n / doudi['seconds']:,.0f}",
        f"{doudi['pre_mib']:.0f}",
        f"{doudi['peak_mib']:.0f}",
        "-" if hand is None else f"{hand['seconds']:.3f}",
        "-" if hand is None else spread(hand),
        "-" if hand is None else f"{hand['cpu_seconds']:.2f}",
        "-" if hand is None else f"{hand['peak_mib']:.0f}",
        "-" if hand is None else f"{doudi['seconds'] / hand['seconds']:.2f}",
        doudi["funds"] + ("" if same_funds else " ≠ hand"),
        "yes" if doudi["not_adding_up"] == 0 and doudi["rows_out"] == n else "NO",
        "yes" if doudi["caps_held"] else "NO",
        doudi["max_basic"],
        f"{r['load'][0]:.1f}→{r['load'][1]:.1f}",
        f"{r['others']:.2f}",
    ]


def main() -> None:
    args = parse_args(__doc__.splitlines()[0], max(SIZES), JURISDICTIONS, 3)
    if args.one:
        print(json.dumps(measure_one(args.one[0], int(args.one[1]))))
        return
    codes = [c.strip() for c in args.jurisdictions.split(",") if c.strip()]
    sizes = [n for n in SIZES if n <= args.max_n]
    print(
        f"Doudi settlement benchmark, bills discharged in {YEAR}, {args.repeat} fresh "
        f"processes per side taking turns; the hand-written window query for {HAND}"
    )
    print("\n".join(machine()))
    print()
    print(row_text([name for name, _ in COLUMNS]), flush=True)
    results: dict[tuple[str, int], dict[str, Any]] = {}
    checks: dict[str, dict[str, Any]] = {}
    for code in codes:
        document = Params(code, YEAR).jurisdiction.document
        sides = ("doudi", "hand") if code == HAND else ("doudi",)
        if code == HAND:
            checks[code] = run_child(__file__, f"check:{code}", sizes[0], 1)
        for n in sizes:
            r = turns(__file__, tuple(f"{side}:{code}" for side in sides), n, args.repeat)
            r = {key.split(":")[0]: value for key, value in r.items()}
            results[(code, n)] = r
            print(row_text(size_row(code, document, n, r)), flush=True)
    print()
    for code, c in checks.items():
        same = "the same rows" if c["differ"] == 0 else "NOT the same rows"
        print(
            f"Doudi vs the hand-written window query, {code} at {sizes[0]:,} bills: {same} "
            f"({c['differ']} of {c['rows']:,} bills differ in {', '.join(COMPARED)})"
        )
    print(
        f"compile s: backend.plan(kind='bills') (Ibis → SQL, once per process, not in seconds); "
        f"seconds: the median of {args.repeat} fresh processes' runs of plan.run, Arrow in → "
        f"Arrow out (min–max: the fastest and slowest); cpu s: CPU time of the median run (≈ 2 × "
        f"seconds when both cores were ours); pre MiB: peak before the timed run (input, "
        f"compile, warm-up); peak MiB: the largest of the runs; hand s, hand min–max, hand cpu, "
        f"hand peak: the same of the hand-written window query (settlement_hand.HAND_SQL), "
        f"each run in its own process taking turns with Doudi's; ratio: seconds / hand s; "
        f"adds up: every bill's five layers + patient_pays + hospital_bears = total_cost "
        f"exactly; caps: no person's yearly basic_paid above the largest cap of its group "
        f"(inpatient, chronic I, chronic II); max Σ basic: the largest yearly inpatient "
        f"basic_paid of one person; load: the 1-minute load average before → after the "
        f"size's runs (the benchmark's own runs count); others: cores other processes kept "
        f"busy meanwhile."
    )
    print(load_average())
    print_targets(codes, results)


def print_targets(codes: list[str], results: dict[tuple[str, int], dict[str, Any]]) -> None:
    for code in codes:
        name = f"target {TARGET_N:,} bills, {code}"
        if (code, TARGET_N) not in results:
            print(f"{name}: not measured")
            continue
        r = results[(code, TARGET_N)]
        doudi = r["doudi"]
        text = f"median {doudi['seconds']:.2f} s, {spread(doudi)} s"
        print(
            f"{name} < {TARGET_SECONDS:.0f} s: {verdict(doudi['seconds'] < TARGET_SECONDS, text)}"
        )
        if "hand" in r:
            ratio = doudi["seconds"] / r["hand"]["seconds"]
            text = f"{ratio:.2f}×, hand median {r['hand']['seconds']:.2f} s"
            met = verdict(ratio <= TARGET_RATIO, text)
            print(f"{name} within {TARGET_RATIO}× of the hand query: {met}")


if __name__ == "__main__":
    main()
