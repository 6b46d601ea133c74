"""Policy-engine benchmark: synthetic people through the real rules, per jurisdiction.

What: for each jurisdiction and N = 10^4, 10^5, 10^6 synthetic people (year
2018), time ``backend.plan(...).run(people, statuses)`` (every rule of
``evaluate_table`` as one compiled DuckDB statement) end to end, Arrow in to
Arrow out, and report wall seconds (the median and min–max of ``--repeat`` fresh
processes, ``benchlib.median_children``), people per second and the largest peak
resident memory of those processes. Each measurement runs in a fresh subprocess of
this script (``--one``), so ``ru_maxrss`` is that run's own peak; it includes
generating the input, which ``pre MiB`` shows separately. Compiling the plan (Ibis to SQL, once per
process) is reported on its own, and a 1,000-person warm-up is not timed.

Why: the batch must evaluate a province (10^6 and more people) with the very
rule functions that answer a single scenario. The target is 10^6 people in
under 3 s on the 2-core reference machine. For scale, the same resident-pension
government-paid rule (with its payer split) and the resident-medical subsidy
are written again below as a plain per-person Python loop over dicts; it is
timed for N up to 10^5, extrapolated linearly to 10^6 (marked ``*``), and
checked row by row against the engine (``diff`` must be 0). The loop computes
only those amounts while the engine computes every output column, and the
loop's input conversion (``to_pylist``) is not timed, so the ratio is
conservative. Sums of ``rp_gov_paid`` are exact Decimals and the ``rp_fund_*``
parts must add up to them exactly.

Input is generated with numpy straight into Arrow columns (no per-row Python
objects): birth dates 1940-2010, county codes of the jurisdiction (3% from
another province; 5% of Hebei's in province-direct Dingzhou), 90% enrolled
(tiers 100/200/300/500, 5% unset), 3% students, 5% in the employee pension, 2%
of rows repeating another row's ID number, and 0.3 status rows per person on
average (2012-2018, some closed, some registered-poor rows marked exited).

Then one scenario as a caseworker evaluates it (``scenario_timing``, issue #25 §1):
cold ``doudi evaluate`` of one person and the warm in-process evaluation, each the
median of ``--repeat`` fresh processes taking turns, against the targets (cold ≤ 0.5 s,
warm ≤ 20 ms), and against a hand-written decision of the same person
(``scenario_hand``), checked equal in the same run.

Usage: ``bench_engine.py [--max-n N] [--jurisdictions 360000,500000] [--repeat 3]``
(or the environment variables ``DOUDI_BENCH_MAX_N``, ``DOUDI_BENCH_JURISDICTIONS``
and ``DOUDI_BENCH_REPEAT``).
"""

from __future__ import annotations

import json
import sys
import time
from collections import defaultdict
from datetime import date
from decimal import Decimal
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

import scenario_timing
from benchlib import (
    cpu_seconds,
    load_average,
    machine,
    median_children,
    parse_args,
    peak_mib,
    turns,
)
from doudi.core import regions
from doudi.core.money import split, yuan
from doudi.engine import backend
from doudi.policy import schema
from doudi.policy.params import Params

JURISDICTIONS = ("360000", "130000", "130200", "370000", "510400", "500000")
SIZES = (10_000, 100_000, 1_000_000)
YEAR = 2018
LOOP_MAX_N = 100_000
WARM_UP_N = 1_000
TARGET_N = 1_000_000
TARGET_SECONDS = 3.0

STATUS_KINDS = ("registered_poor", "dibao", "tekun", "severe_disability", "low_income_family")
STATUS_WEIGHTS = (0.40, 0.25, 0.05, 0.15, 0.15)
STATUS_ROWS_PER_PERSON = 0.3
DUPLICATE_ID_SHARE = 0.02
MIGRANT_SHARE = 0.03
MIGRANT_REGION = 430102  # 长沙市芙蓉区: a hukou outside every benchmarked province
PROVINCE_DIRECT = {"130000": 130682}  # 定州市, a Hebei province-direct county
PROVINCE_DIRECT_SHARE = 0.05
MONEY = pa.decimal128(18, 2)
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN_NAMES = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超霞平刚"


def overrides(code: str) -> dict[str, Any]:
    """Chongqing's minimum tier is local configuration; the benchmark fixes it at 100."""
    return {"resident_pension.minimum_tier": 100} if code == "500000" else {}


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


def money_array(cents: np.ndarray, present: np.ndarray) -> pa.Array:
    """Amounts in fen as decimal(18, 2); float64 holds fen exactly at these sizes."""
    return pa.array(cents / 100, mask=~present).cast(MONEY)


def pick(values: list[str], index: np.ndarray, present: np.ndarray | None = None) -> pa.Array:
    """Strings from a small pool by index (null where not ``present``)."""
    mask = None if present is None else ~present
    return pa.array(values).take(pa.array(index, mask=mask))


def id_numbers(region: np.ndarray, birth: np.ndarray, tail: np.ndarray) -> pa.Array:
    """18-character ID numbers (region, birth date, four tail digits) as one buffer."""
    years = birth.astype("datetime64[Y]").astype(np.int64) + 1970
    month_start = birth.astype("datetime64[M]")
    months = month_start.astype(np.int64) % 12 + 1
    days = (birth - month_start).astype(np.int64) + 1
    ymd = years * 10_000 + months * 100 + days
    body = region * 10**12 + ymd * 10**4 + tail
    digits = (body[:, None] // 10 ** np.arange(17, -1, -1)) % 10 + ord("0")
    offsets = np.arange(0, 18 * (len(birth) + 1), 18, dtype=np.int32)
    data = digits.astype(np.uint8).tobytes()
    return pa.StringArray.from_buffers(len(birth), pa.py_buffer(offsets), pa.py_buffer(data))


def synthetic_people(code: str, n: int, rng: np.random.Generator) -> pa.Table:
    pool = np.array(counties(code), dtype=np.int64)
    region = pool[rng.integers(0, len(pool), n)]
    if code in PROVINCE_DIRECT:
        region[rng.random(n) < PROVINCE_DIRECT_SHARE] = PROVINCE_DIRECT[code]
    region[rng.random(n) < MIGRANT_SHARE] = MIGRANT_REGION
    birth = random_dates(rng, "1940-01-01", "2010-12-31", n)
    names = [s + g for s in SURNAMES for g in GIVEN_NAMES]
    name_index = rng.integers(0, len(names), n)
    # The same person registered twice (e.g. by two offices): same ID, name, birth.
    duplicate = np.flatnonzero(rng.random(n) < DUPLICATE_ID_SHARE)
    original = rng.integers(0, n, len(duplicate))
    tail = rng.integers(0, 10_000, n)
    for column in (region, birth, name_index, tail):
        column[duplicate] = column[original]

    enrolled = rng.random(n) < 0.90
    tier = rng.choice(np.array([100, 200, 300, 500], dtype=np.int32), n, p=[0.6, 0.2, 0.1, 0.1])
    rural = rng.random(n) < 0.05
    certified = rural & (rng.random(n) < 0.3)
    contribution_months = rng.integers(0, 121, n)
    has_income = rng.random(n) < 0.15
    income = rng.integers(0, 3_000_000, n)
    columns = {
        "row_no": pa.array(np.arange(n, dtype=np.int64)),
        "id_number": id_numbers(region, birth, tail),
        "name": pick(names, name_index),
        "birth_date": pa.array(birth),
        "death_date": pa.nulls(n, pa.date32()),  # the living (docs/readings.md 24)
        "hukou_region": pa.array(region.astype(str)),
        # insured where their hukou is, as plan.inputs reads a person without a region
        "insured_region": pa.array(region.astype(str)),
        "student": pa.array(rng.random(n) < 0.03),
        "employee_pension": pa.array(rng.random(n) < 0.05),
        "employee_medical": pa.array(rng.random(n) < 0.05),
        "unable_to_work": pa.array(rng.random(n) < 0.02),
        "rp_enrolled": pa.array(enrolled),
        "rp_ever_enrolled": pa.array(enrolled | (rng.random(n) < 0.3)),
        "rp_tier": pa.array(tier, mask=~enrolled | (rng.random(n) < 0.05)).cast(MONEY),
        "rp_application_date": pa.array(
            random_dates(rng, "2018-01-01", "2018-12-31", n), mask=rng.random(n) >= 0.02
        ),
        "rp_early_application_date": pa.nulls(n, pa.date32()),
        "rp_early_review_result": pa.nulls(n, pa.string()),
        "third_party_funding": money_array(np.full(n, 10_000), rng.random(n) < 0.02),
        "ue_rural_contract_worker": pa.array(rural),
        "ue_months_at_unit": pa.array(rng.integers(0, 73, n), mask=~rural),
        "ue_unit_paid": pa.array(rural & (rng.random(n) < 0.8)),
        "ue_contract_end": pick(
            ["expired_not_renewed", "terminated_early"],
            rng.integers(0, 2, n),
            rural & (rng.random(n) < 0.7),
        ),
        "ue_contribution_months": pa.array(contribution_months, mask=~rural),
        "ue_insured_months": pa.array(contribution_months + rng.integers(0, 25, n), mask=~rural),
        "ue_certificate_level": pa.array(rng.integers(3, 6, n), mask=~certified),
        "ue_certificate_date": pa.array(
            random_dates(rng, "2015-01-01", "2018-12-31", n), mask=~certified
        ),
        "ue_same_level_certificate_date": pa.nulls(n, pa.date32()),
        "ue_benefit_qualified": pa.array(rural & (rng.random(n) < 0.5)),
        "ue_medical_scheme": pick(["employee", "resident"], rng.integers(0, 2, n), rural),
        "ue_resident_medical_paid": money_array(np.full(n, 22_000), rural),
        "ue_benefit_months": pa.array(rng.integers(0, 13, n), mask=~rural),
        "ue_employee_medical_premium": money_array(np.full(n, 90_000), rural),
        "in_total": money_array(income, has_income),
        "in_basic_pension": money_array(
            np.minimum(income, rng.integers(0, 200_000, n)), has_income & (rng.random(n) < 0.5)
        ),
    }
    return pa.table(columns).cast(schema.PEOPLE.to_pyarrow())


def synthetic_statuses(n: int, rng: np.random.Generator) -> pa.Table:
    m = round(n * STATUS_ROWS_PER_PERSON)
    kind = rng.choice(len(STATUS_KINDS), m, p=STATUS_WEIGHTS)
    valid_from = random_dates(rng, "2012-01-01", "2018-12-31", m)
    valid_to = valid_from + rng.integers(30, 2_200, m)
    exit_date = valid_from + rng.integers(180, 1_500, m)
    exited = (
        (kind == STATUS_KINDS.index("registered_poor"))
        & (rng.random(m) < 0.3)
        & (exit_date <= np.datetime64("2018-12-31"))
    )
    columns = {
        "row_no": pa.array(np.sort(rng.integers(0, n, m))),
        "status": pick(list(STATUS_KINDS), kind),
        "valid_from": pa.array(valid_from),
        "valid_to": pa.array(valid_to, mask=rng.random(m) >= 0.25),
        "exit_date": pa.array(exit_date, mask=~exited),
    }
    return pa.table(columns).cast(schema.STATUSES.to_pyarrow())


def synthetic(code: str, n: int) -> tuple[pa.Table, pa.Table]:
    rng = np.random.default_rng([int(code), n])
    return synthetic_people(code, n, rng), synthetic_statuses(n, rng)


# --- the same rules as a plain per-person loop ----------------------------------


def age_on(birth: date, on: date) -> int:
    return on.year - birth.year - ((birth.month, birth.day) > (on.month, on.day))


def held(status: dict[str, Any], start: date, end: date, exit_mode: str | date) -> bool:
    """Whether a status counts on some day of [start, end] (rules/status.py)."""
    stop, exited = status["valid_to"], status["exit_date"]
    if exited is not None and (
        exit_mode == "respect" or (isinstance(exit_mode, date) and exited < exit_mode)
    ):
        stop = exited if stop is None else min(stop, exited)
    return status["valid_from"] <= end and (stop is None or stop > start)


#: Most favourable status first (resident_pension.CATEGORY_ORDER).
PRIORITY = {"tekun": 0, "severe_disability": 1, "dibao": 2, "registered_poor": 3}


def loop_evaluate(
    people: list[dict[str, Any]], statuses: list[dict[str, Any]], p: Params
) -> list[tuple[Decimal, dict[str, Decimal], Decimal]]:
    """Per row: ``rp_gov_paid``, the ``rp_fund_*`` parts and ``rm_subsidy``."""
    doc = p.jurisdiction.document
    jan1, dec31 = date(p.year, 1, 1), date(p.year, 12, 31)
    chongqing = doc == "CQ-2018-82"
    in_force = p.get("resident_pension.gov_paid_in_force", None) is True
    minimum = p.get("resident_pension.minimum_tier")
    age_from = int(p.get("resident_pension.contribution_age_from"))
    pension_age = int(p.get("resident_pension.pension_age"))
    hukou_province = p.get("resident_pension.hukou_province", None)
    fixed = p.get("resident_pension.gov_paid_amount", None)
    retained = p.get("resident_pension.retained_tier", None)
    # SD-2017-37, PZH-2018-195: a target who may enroll is paid for (and enrolled).
    requires_enrollment = bool(p.get("resident_pension.requires_enrollment"))
    share_by_category: dict[str, Decimal] = {}
    if fixed is None:
        share = p.get("resident_pension.gov_paid_share")
        share_by_category = dict.fromkeys(("tekun", "dibao", "registered_poor"), share)
        if chongqing:
            share_by_category["tekun"] = p.get("resident_pension.tekun_share")
            share_by_category["severe_disability"] = p.get(
                "resident_pension.severe_disability_share"
            )
    # CQ-2018-82 counts the list on 31 December of Y-1, except the continued
    # severely-disabled policy (held in Y itself); elsewhere any day of Y.
    year_window = (jan1, dec31)
    rp_window = (date(p.year - 1, 12, 31),) * 2 if chongqing else year_window
    rp_mode = "ignore" if p.get("resident_pension.registered_poor_includes_exited") else "respect"
    rp_order = ["tekun", "severe_disability"] if chongqing else ["tekun"]
    rp_order += ["dibao", "registered_poor"]
    weights = p.get("resident_pension.payer_weights")
    direct_weights = p.get("resident_pension.province_direct_payer_weights", None)
    direct_counties = set(p.get("resident_pension.province_direct_counties", ()))
    disabled_payer = str(p.get("resident_pension.severe_disability_payer", ""))

    standard = p.get("resident_medical.personal_contribution")
    full = p.get("resident_medical.subsidy_share")
    other = p.get("resident_medical.other_assistance_share", None)
    rm_mode = p.get("resident_medical.registered_poor_exited_after", None)
    if rm_mode is None:
        includes = p.get("resident_medical.registered_poor_includes_exited")
        rm_mode = "ignore" if includes else "respect"

    by_row: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for s in statuses:
        by_row[s["row_no"]].append(s)
    ordered = sorted(people, key=lambda r: r["row_no"])
    # First pass: each row's status category and conditions; then once per ID
    # number and year the most favourable status wins, then the first row.
    pre: dict[int, tuple[str | None, bool, int, int]] = {}
    best: dict[str, int] = {}
    for person in ordered:
        mine = by_row.get(person["row_no"], [])
        birth = person["birth_date"]
        age_jan1, age_dec31 = age_on(birth, jan1), age_on(birth, dec31)
        hukou = person["hukou_region"]
        rp = {
            s["status"]
            for s in mine
            if held(s, *(year_window if s["status"] == "severe_disability" else rp_window), rp_mode)
        }
        category = next((c for c in rp_order if c in rp), None)
        ok = (
            in_force
            and category is not None
            and not (hukou_province and (hukou is None or hukou[:2] != hukou_province[:2]))
            and not person["student"]
            and not person["employee_pension"]
            and age_dec31 >= age_from
            and age_jan1 < pension_age
            and (person["rp_enrolled"] or not requires_enrollment)
        )
        key = PRIORITY.get(category or "", 9) * 10**12 + person["row_no"]
        pre[person["row_no"]] = (category, ok, key, age_jan1)
        if ok:
            best[person["id_number"]] = min(key, best.get(person["id_number"], key))
    out = []
    for person in ordered:
        mine = by_row.get(person["row_no"], [])
        birth = person["birth_date"]
        hukou = person["hukou_region"]
        category, ok, key, age_jan1 = pre[person["row_no"]]
        eligible = ok and best[person["id_number"]] == key
        joins = person["rp_enrolled"] or (eligible and not requires_enrollment)
        contributes = joins and age_jan1 < pension_age
        tier = person["rp_tier"]
        if contributes and person["rp_enrolled"]:
            contribution = tier if tier is not None else minimum
        else:  # joining now (not yet enrolled): at the minimum tier
            contribution = minimum if contributes else Decimal(0)
        # A person kept on an old, lower minimum tier: the share applies to that tier.
        kept = tier is not None and retained is not None and tier == retained < minimum
        gov_paid = Decimal("0.00")
        if eligible:
            base = retained if kept else minimum
            amount = fixed if fixed is not None else yuan(base * share_by_category[category])
            gov_paid = yuan(min(amount, contribution))
        if chongqing:
            w = {
                "civil_affairs": int(category in ("tekun", "dibao")),
                "poverty_office": int(category == "registered_poor"),
                disabled_payer: int(category == "severe_disability"),
            }
        elif direct_weights is not None and hukou in direct_counties:
            w = {k: direct_weights.get(k, 0) for k in weights}
        else:
            w = dict(weights)
        zero = gov_paid == 0 or not any(w.values())  # nothing to split: all parts 0.00
        funds = dict.fromkeys(w, Decimal("0.00")) if zero else split(gov_paid, w)

        # Resident medical: ages on 1 January; several statuses give one subsidy.
        rm = {s["status"] for s in mine if held(s, *year_window, rm_mode)}
        if doc == "JX-2017-58":
            cats = [
                ("tekun" in rm, full),
                ("dibao" in rm, full),
                ("severe_disability" in rm and (person["student"] or age_jan1 < 18), full),
                (
                    "severe_disability" in rm and age_jan1 >= 18 and person["unable_to_work"],
                    full,
                ),
                ("low_income_family" in rm and (age_jan1 < 18 or age_jan1 >= 60), full),
                ("demobilized_14" in rm, full),
                ("registered_poor" in rm, full),
            ]
        elif doc == "HE-2018-3":
            cats = [
                ("registered_poor" in rm or "tekun" in rm, full),
                (bool(rm & {"dibao", "low_income_family", "severe_disability"}), other),
                (bool(rm & {"demobilized_14", "other_assistance"}), other),
            ]
        else:
            cats = [(bool(rm & {"tekun", "dibao", "registered_poor"}), full)]
        rm_share = next((value for held_one, value in cats if held_one), None)
        subsidy = Decimal("0.00")
        if rm_share is not None and not person["employee_medical"]:
            subsidy = yuan(standard * rm_share)
        out.append((gov_paid, funds, subsidy))
    return out


# --- one measurement (child process) --------------------------------------------


def engine_rows(out: pa.Table) -> list[tuple[Decimal, dict[str, Decimal], Decimal]]:
    out = out.sort_by("row_no")  # the engine returns rows in no particular order
    fund_columns = [c for c in out.column_names if c.startswith("rp_fund_")]
    gov = out["rp_gov_paid"].to_pylist()
    subsidy = out["rm_subsidy"].to_pylist()
    funds = [out[c].to_pylist() for c in fund_columns]
    names = [c.removeprefix("rp_fund_") for c in fund_columns]
    return [
        (gov[i], {name: parts[i] for name, parts in zip(names, funds, strict=True)}, subsidy[i])
        for i in range(out.num_rows)
    ]


def measure_one(code: str, n: int, repeat: int) -> dict[str, Any]:
    if code in scenario_timing.CODES:
        return scenario_timing.measure(code)
    people, statuses = synthetic(code, n)
    start = time.perf_counter()
    plan = backend.plan(code, YEAR, overrides(code))
    compile_seconds = time.perf_counter() - start
    plan.run(people.slice(0, WARM_UP_N), statuses.filter(pc.field("row_no") < WARM_UP_N))
    pre = peak_mib()
    runs = []  # (wall seconds, CPU seconds of this process)
    out = None
    for _ in range(repeat):
        del out  # free the previous result, so the peak is that of one run
        start, cpu_start = time.perf_counter(), cpu_seconds()
        out = plan.run(people, statuses)
        runs.append((time.perf_counter() - start, cpu_seconds() - cpu_start))
    peak = peak_mib()

    gov_paid = pc.sum(out["rp_gov_paid"]).as_py() or Decimal(0)
    fund_columns = [c for c in out.column_names if c.startswith("rp_fund_")]
    funds = sum((pc.sum(out[c]).as_py() or Decimal(0) for c in fund_columns), Decimal(0))
    result: dict[str, Any] = {
        "code": code,
        "n": n,
        "rows_out": out.num_rows,
        "seconds": min(runs)[0],
        "cpu_seconds": min(runs)[1],
        "compile_seconds": compile_seconds,
        "pre_mib": pre,
        "peak_mib": peak,
        "gov_paid": str(gov_paid),
        "funds": str(funds),
        "rm_subsidy": str(pc.sum(out["rm_subsidy"]).as_py() or Decimal(0)),
    }
    if n <= LOOP_MAX_N:
        people_rows, status_rows = people.to_pylist(), statuses.to_pylist()
        params = Params(code, YEAR, overrides(code))
        loop_seconds = []
        for _ in range(repeat):
            start = time.perf_counter()
            loop = loop_evaluate(people_rows, status_rows, params)
            loop_seconds.append(time.perf_counter() - start)
        result["loop_seconds"] = min(loop_seconds)
        result["mismatches"] = sum(a != b for a, b in zip(loop, engine_rows(out), strict=True))
    return result


# --- orchestration (parent process) ---------------------------------------------


COLUMNS = (
    ("jurisdiction", "<19"),
    ("N", ">9"),
    ("compile s", ">9"),
    ("seconds", ">8"),
    ("cpu s", ">6"),
    ("people/s", ">11"),
    ("pre MiB", ">8"),
    ("peak MiB", ">9"),
    ("loop people/s", ">14"),
    ("ratio", ">7"),
    ("Σ rp_gov_paid", ">15"),
    ("funds=gov", ">9"),
    ("Σ rm_subsidy", ">15"),
    ("diff", ">5"),
)


def row_text(values: list[str]) -> str:
    return "  ".join(f"{v:{fmt}}" for v, (_, fmt) in zip(values, COLUMNS, strict=True))


def main() -> None:
    args = parse_args(__doc__.splitlines()[0], max(SIZES), JURISDICTIONS, 3)
    if args.one:
        print(json.dumps(measure_one(args.one[0], int(args.one[1]), args.repeat)))
        return
    codes = [c.strip() for c in args.jurisdictions.split(",") if c.strip()]
    sizes = [n for n in SIZES if n <= args.max_n]
    print("Doudi policy-engine benchmark, year", YEAR)
    print("\n".join(machine()))
    print()
    print(row_text([name for name, _ in COLUMNS]))
    million_seconds: dict[str, float] = {}
    for code in codes:
        document = Params(code, YEAR, overrides(code)).jurisdiction.document
        loop_rate: float | None = None
        for n in sizes:
            r = median_children(__file__, (code,), n, args.repeat)[code]
            rate = n / r["seconds"]
            marker = ""
            if "loop_seconds" in r:
                loop_rate = n / r["loop_seconds"]
            elif loop_rate is not None:
                marker = "*"
            if n == TARGET_N:
                million_seconds[code] = r["seconds"]
            print(
                row_text(
                    [
                        f"{code} {document}",
                        f"{n:,}",
                        f"{r['compile_seconds']:.2f}",
                        f"{r['seconds']:.3f}",
                        f"{r['cpu_seconds']:.2f}",
                        f"{rate:,.0f}",
                        f"{r['pre_mib']:.0f}",
                        f"{r['peak_mib']:.0f}",
                        f"{loop_rate:,.0f}{marker}" if loop_rate else "-",
                        f"{rate / loop_rate:.1f}{marker}" if loop_rate else "-",
                        r["gov_paid"],
                        "yes" if r["funds"] == r["gov_paid"] and r["rows_out"] == n else "NO",
                        r["rm_subsidy"],
                        str(r.get("mismatches", "-")),
                    ]
                ),
                flush=True,
            )
    print()
    print(
        f"compile s: backend.plan (Ibis → SQL, once per process, not in seconds); seconds: "
        f"the median of {args.repeat} fresh processes' runs of plan.run, Arrow in → Arrow out; "
        f"cpu s: CPU time of the median run (≈ 2 × seconds when both cores were ours); "
        f"pre MiB: peak before the timed runs (input, compile, warm-up); * loop extrapolated "
        f"linearly from N={LOOP_MAX_N:,}; diff: rows where the loop and the engine disagree on "
        f"rp_gov_paid, rp_fund_* or rm_subsidy."
    )
    print(load_average())
    for code in codes:
        if code in million_seconds:
            met = "met" if million_seconds[code] < TARGET_SECONDS else "NOT met"
            print(
                f"target {TARGET_N:,} people < {TARGET_SECONDS:.0f} s, {code}: "
                f"{met} ({million_seconds[code]:.2f} s)"
            )
        else:
            print(f"target {TARGET_N:,} people < {TARGET_SECONDS:.0f} s, {code}: not measured")
    print()
    scenario = turns(__file__, scenario_timing.CODES, 1, args.repeat)
    print("\n".join(scenario_timing.lines(scenario, args.repeat)))
    if scenario["warm"]["differing"]:
        sys.exit(
            "the hand-written decision differs from Doudi's answer: the pair is not comparable"
        )


if __name__ == "__main__":
    main()
