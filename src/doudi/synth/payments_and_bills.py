"""The two files that are not department rosters: the collection system's payments of the
year so far (征缴明细) and the hospitals' settlement export of inpatient bills.

Why: the collection books a target who paid the whole contribution themselves as a
post-hoc subsidy (事后补助), and the bills need inpatient stays of insured people, poor
ones more often; both are drawn from the same population and lists as the rosters.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from doudi.rosters.sources import SOURCES
from doudi.synth.lists import TIERS, Lists
from doudi.synth.people import People
from doudi.synth.randomness import Bools, Ints, random_dates, stream
from doudi.synth.writing import Style, day_array, format_dates, write_csv, yes_no

PAYMENTS_FILE = "pension_payment.csv"
BILLS_FILE = "bills.csv"
#: Of the resident-medical insured: the share with hospital stays this year (poor people
#: more often), and the hospital levels' weights (一级, 二级, 三级).
BILLED_IF_POOR, BILLED_IF_NOT = 0.12, 0.03
LEVEL_WEIGHTS = (0.35, 0.45, 0.2)
# contributors who paid the year's whole contribution themselves by the as-of date
SELF_PAID_IF_POOR, SELF_PAID_IF_NOT = 0.10, 0.40


def write_payments(path: Path, seed: int, p: People, s: Lists, as_of: date) -> Bools:
    """The collection system's record of the year's contributions paid so far: some
    contributors paid their whole tier themselves between 1 January and ``as_of``
    (GB18030 CSV, one serial number per payment). Returns who paid."""
    rng = stream(seed, "payments")
    statused = s.poor | s.dibao | s.tekun | s.disability
    paying = s.pension & ~s.receiving & ~s.dead
    paid = paying & (rng.random(len(p)) < np.where(statused, SELF_PAID_IF_POOR, SELF_PAID_IF_NOT))
    rows = np.flatnonzero(paid)
    first = date(as_of.year, 1, 1)
    tiers = pa.array([str(t) for t in TIERS], pa.string())
    serial = pc.utf8_lpad(pa.array(np.arange(1, len(rows) + 1)).cast(pa.string()), 8, "0")
    table = pa.table(
        {
            "id_number": p.ids.take(rows),
            "name": p.names.take(rows),
            "amount": tiers.take(pa.array(s.tier[rows])),
            "paid_on": format_dates(
                day_array(random_dates(rng, first, as_of, len(rows))), "%Y-%m-%d"
            ),
            "reference": pc.binary_join_element_wise(f"JF{as_of.year}", serial, ""),
        }
    )
    labels = [c.label for c in SOURCES["pension_payment"].columns]
    write_csv(path, table, Style("gb18030", None, labels, "%Y-%m-%d"))
    return paid


def write_bills(path: Path, region: str, seed: int, p: People, s: Lists, as_of: date) -> None:
    """The hospitals' settlement export of the year so far (GB18030 CSV, Chinese
    headers): inpatient stays of resident-medical insured people, one to three each,
    discharged between 1 January and ``as_of``; 75–95 % of a bill within the policy
    scope, up to 3 % non-compliant, 9 in 10 in the county. Bill numbers carry the
    region's code, as a hospital's carry its own: two synthetic regions' bills can share
    one registry."""
    rng = stream(seed, "bills")
    statused = s.poor | s.dibao | s.tekun | s.disability
    insured = s.medical & ~s.dead
    billed = insured & (rng.random(len(p)) < np.where(statused, BILLED_IF_POOR, BILLED_IF_NOT))
    # a stay begins at most 20 days before its discharge, from the 21st of January on:
    # only people born before the year are billed, so no stay precedes a birth (the
    # import refuses one that does)
    billed &= p.birth < np.datetime64(date(as_of.year, 1, 1), "D")
    person = np.repeat(np.flatnonzero(billed), rng.integers(1, 4, int(billed.sum())))
    n = len(person)
    first = date(as_of.year, 1, 1)
    discharged = np.sort(random_dates(rng, first + timedelta(days=20), as_of, n))
    admitted = discharged - rng.integers(2, 21, n)
    total = rng.integers(200_000, 6_000_000, n)  # fen
    in_policy = total * rng.integers(75, 96, n) // 100
    non_compliant = (total - in_policy) * rng.integers(0, 31, n) // 100
    levels = pa.array(["一级", "二级", "三级"]).take(pa.array(rng.choice(3, n, p=LEVEL_WEIGHTS)))
    serial = pc.utf8_lpad(pa.array(np.arange(1, n + 1)).cast(pa.string()), 7, "0")

    def yuan(fen: Ints) -> pa.Array:
        return pa.array([f"{f // 100}.{f % 100:02d}" for f in fen.tolist()], pa.string())

    table = pa.table(
        {
            "bill_id": pc.binary_join_element_wise(f"ZY{region}{as_of.year}", serial, ""),
            "id_number": p.ids.take(pa.array(person)),
            "name": p.names.take(pa.array(person)),
            "admission_date": format_dates(day_array(admitted), "%Y-%m-%d"),
            "discharge_date": format_dates(day_array(discharged), "%Y-%m-%d"),
            "hospital_level": levels,
            "in_county": yes_no(rng.random(n) < 0.9),
            "total_cost": yuan(total),
            "in_policy_cost": yuan(in_policy),
            "non_compliant_cost": yuan(non_compliant),
        }
    )
    labels = [
        "单据号",
        "公民身份号码",
        "姓名",
        "入院日期",
        "出院日期",
        "医院等级",
        "县域内",
        "总费用",
        "政策范围内费用",
        "不合规费用",
    ]
    write_csv(path, table, Style("gb18030", None, labels, "%Y-%m-%d"))
