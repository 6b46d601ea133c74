"""The people the costing's tests cost: a few of a county, on the departments' lists
imported into a registry with the real import, and the same people typed into a
scenario (docs/scenario.md) for ``doudi evaluate`` to compare with, person by person.

Each person is on their status list since 2016-06-01 (so held at the end of 2017 and
all of 2018: Chongqing's targets are the year before's, CQ-2018-82/2.1.1) and on the
resident-pension list since 2015-01-01 at their tier (none: enrolled without one), or
on no pension list (not enrolled).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.csv as pacsv

from conftest import make_id
from doudi.costing import reform as reforms
from doudi.costing.run import Costing
from doudi.rosters.importing import import_roster
from doudi.store import db

MARCH = date(2018, 3, 31)
SINCE = "2016-06-01"
ENROLLED = "2015-01-01"
#: the status lists and the status each records
LISTS = {"poverty": "registered_poor", "dibao": "dibao", "tekun": "tekun"}
#: the pension list's county column (rosters/columns.py): the person's 参保地
REGION = "行政区划代码"


@dataclass(frozen=True)
class Someone:
    id_number: str
    name: str
    status: str | None  # a list of LISTS, or none
    tier: str | None  # the pension list's 缴费档次 ("" enrolled without one; None not enrolled)
    insured: str | None = None  # the pension list's county, where not the hukou county


def jiangxi() -> list[Someone]:
    """Six people of 东湖区 (360102)."""
    return [
        Someone(make_id("360102", "19800512", "011"), "李梅", "poverty", "100"),
        Someone(make_id("360102", "19900101", "023"), "王强", "dibao", ""),
        Someone(make_id("360102", "19650303", "035"), "赵兰", "tekun", "100"),
        Someone(make_id("360102", "19750707", "047"), "张伟", None, "300"),
        Someone(make_id("360102", "19850202", "059"), "刘洋", None, ""),
        Someone(make_id("360102", "19701010", "061"), "陈静", "poverty", None),
    ]


def load(registry: db.Database, tmp_path: Path, people: list[Someone]) -> None:
    """The status lists first (a person's hukou is their first list's), then the
    pension list, each a snapshot as of March 2018."""
    for source in LISTS:
        mine = [p for p in people if p.status == source]
        if mine:
            cells = {"纳入时间": [SINCE] * len(mine)}
            if source == "poverty":
                cells["是否标注脱贫"] = ["否"] * len(mine)
            path = _csv(tmp_path / f"{source}.csv", mine, cells)
            import_roster(registry, path, source, MARCH)
    enrolled = [p for p in people if p.tier is not None]
    cells = {
        "参保时间": [ENROLLED] * len(enrolled),
        "缴费档次": [p.tier or "" for p in enrolled],
        REGION: [p.insured or p.id_number[:6] for p in enrolled],
    }
    import_roster(
        registry, _csv(tmp_path / "pension.csv", enrolled, cells), "resident_pension", MARCH
    )


def _csv(path: Path, people: list[Someone], cells: dict[str, list[str]]) -> Path:
    table = {"公民身份号码": [p.id_number for p in people], "姓名": [p.name for p in people]}
    pacsv.write_csv(pa.table({**table, **cells}), path)
    return path


def scenario(jurisdiction: str, year: int, people: list[Someone], **parameters: Any) -> dict:
    """The same people as a scenario states them (the lists as the registry reads them:
    docs/readings.md 1 and 31)."""
    return {
        "jurisdiction": jurisdiction,
        "year": year,
        "parameters": parameters,
        "people": [
            {
                "id_number": p.id_number,
                "name": p.name,
                "statuses": [{"status": LISTS[p.status], "from": SINCE}] if p.status else [],
                **({"insured_region": p.insured} if p.insured else {}),
                "resident_pension": {
                    "enrolled": p.tier is not None,
                    "ever_enrolled": p.tier is not None,
                    "tier": p.tier or None,
                },
            }
            for p in people
        ],
    }


#: A person's rows as (programme, payer) → amount.
Amounts = dict[tuple[str, str], Decimal]


def evaluated(result: dict[str, Any], person: Someone) -> Amounts:
    """A scenario result's amounts as a plan writes them (plan.programmes): each payer's
    part of the pension's government-paid contribution and of the medical subsidy, and
    the ``self`` rows: the pension's for the enrolled (their own part; these people are
    alive and insured in the jurisdiction), the medical's for the subsidised."""
    found: Amounts = {}
    pension, medical = result["resident_pension"], result["resident_medical"]
    for payer, amount in pension["funding"].items():
        if Decimal(amount):
            found[("resident_pension", payer)] = Decimal(amount)
    if person.tier is not None:
        found[("resident_pension", "self")] = Decimal(pension["self_due"])
    if medical["eligible"]:
        for payer, amount in medical["funding"].items():
            found[("resident_medical", payer)] = Decimal(amount)
        found[("resident_medical", "self")] = Decimal(medical["self_due"])
    return found


def costed(found: Costing, side: str) -> dict[str, Amounts]:
    """A costing's rows of one side ("baseline" or "reform") by ID number, a row of
    0.00 that side has not left out where the other side has the row."""
    out: dict[str, Amounts] = {}
    for r in found.rows.to_pylist():
        amounts = out.setdefault(r["id_number"], {})
        if r[f"{side}_basis"] is not None:  # the side has the row
            amounts[(r["programme"], r["payer"])] = r[side]
    return out


def reform(changes: dict[str, Any], jurisdiction: str = "360000", year: int = 2018):
    """A reform of ``changes`` on ``jurisdiction``'s rules of ``year``."""
    return reforms.parse(
        {
            "name": "测试",
            "baseline": {"jurisdiction": jurisdiction, "year": year},
            "changes": changes,
        }
    )
