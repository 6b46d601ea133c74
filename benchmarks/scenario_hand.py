"""The scenario benchmark's floor: one Jiangxi 2018 person's pension and medical amounts by
hand-written Python, the numbers written in (issue #25 §1: "the evaluation of one
scenario").

Why: ``scenario_timing`` times ``doudi evaluate`` of one person against absolute targets
(cold ≤ 0.5 s, warm ≤ 20 ms); this says what the same answer costs without Doudi — a
fresh interpreter reading the scenario file and deciding the person with plain
comparisons (cold), or the decision alone in a process that has made it before (warm).
It writes the pension's and the medical subsidy's amounts and payers, the categories and
the clause each amount cites (``COMPARED``) — not the unemployment programmes, the
reasons, the explanations' Chinese nor the local-config notes, which Doudi also gives: it
does less, so the ratio is an upper bound of Doudi's overhead. ``differing`` holds it to
``engine.scenario.evaluate``'s result.

Jiangxi 2018, as the rules read it (JX-2017-58/2.1.1, 2.1.2; RULES.md §2, §3.1): the
pension is paid for a registered-poor person not exit-marked, a dibao or tekun person,
enrolled, 16 on 31 December and under 60 on 1 January, not a student, not in the
employee pension, with a Jiangxi hukou — 100 yuan, at most the tier, the county paying;
the medical contribution (220 yuan, local config) is paid in full for the listed groups,
split 1:1:1 between province, city and county (local config), the fen left over to the
province. Run as a script (``scenario_hand.py FILE``) it prints the result as JSON.
"""

from __future__ import annotations

import json
import sys
from datetime import date
from decimal import Decimal
from typing import Any

YEAR = 2018
FIXED, MEDICAL = Decimal("100.00"), Decimal("220.00")
PENSION_CLAUSE, MEDICAL_CLAUSE = "JX-2017-58/2.1.1", "JX-2017-58/2.1.2"
#: The medical subsidy's payers, in the order the fen left over goes.
MEDICAL_PAYERS = ("province", "city", "county")
JAN1, DEC31 = date(YEAR, 1, 1), date(YEAR, 12, 31)

#: What the two results are compared on, per programme.
COMPARED = {
    "resident_pension": (
        "eligible",
        "category",
        "contribution",
        "gov_paid",
        "self_due",
        "funding",
        "basis",
    ),
    "resident_medical": (
        "eligible",
        "category",
        "contribution",
        "subsidy_share",
        "subsidy",
        "self_due",
        "funding",
        "basis",
    ),
}


def age_on(birth: date, day: date) -> int:
    return day.year - birth.year - ((birth.month, birth.day) > (day.month, day.day))


def _day(text: Any) -> date | None:
    return None if text is None else date.fromisoformat(str(text))


def _held(status: dict[str, Any], respect_exit: bool) -> bool:
    """The status on some day of the year (an exit mark ends it, where it counts)."""
    start, end = _day(status.get("from")), _day(status.get("to"))
    exited = _day(status.get("exit_date"))
    if respect_exit and exited is not None:
        end = exited if end is None else min(end, exited)
    return start is not None and start <= DEC31 and (end is None or end > JAN1)


def person(p: dict[str, Any]) -> dict[str, Any]:
    """One person's pension and medical amounts, with their payers and clauses."""
    number = p["id_number"]
    birth = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    statuses = p.get("statuses", [])
    pension_held = {s["status"] for s in statuses if _held(s, respect_exit=True)}
    medical_held = {s["status"] for s in statuses if _held(s, respect_exit=False)}
    pension = p.get("resident_pension", {})
    category = next((c for c in ("tekun", "dibao", "registered_poor") if c in pension_held), None)
    enrolled = bool(pension.get("enrolled"))
    tier = Decimal(str(pension.get("tier", 100))).quantize(Decimal("0.01"))
    contribution = tier if enrolled and age_on(birth, JAN1) < 60 else Decimal("0.00")
    eligible = (
        category is not None
        and enrolled
        and age_on(birth, DEC31) >= 16
        and age_on(birth, JAN1) < 60
        and not p.get("student", False)
        and not p.get("employee_pension", False)
        and p["hukou_region"].startswith("36")
    )
    paid = min(FIXED, contribution) if eligible else Decimal("0.00")
    young, old = age_on(birth, JAN1) < 18, age_on(birth, JAN1) >= 60
    groups = [
        ("tekun", "tekun" in medical_held),
        ("dibao", "dibao" in medical_held),
        ("registered_poor", "registered_poor" in medical_held),
        ("low_income_family", "low_income_family" in medical_held and (young or old)),
    ]
    medical = next((name for name, holds in groups if holds), None)
    subsidy = MEDICAL if medical is not None else Decimal("0.00")
    third = (subsidy / 3).quantize(Decimal("0.01"), rounding="ROUND_DOWN")
    parts = dict.fromkeys(MEDICAL_PAYERS, third)
    parts["province"] += subsidy - 3 * third
    return {
        "id_number": number,
        "resident_pension": {
            "eligible": eligible,
            "category": category,
            "contribution": contribution,
            "gov_paid": paid,
            "self_due": contribution - paid,
            "funding": {"county": paid} if paid else {},
            "basis": [PENSION_CLAUSE],
        },
        "resident_medical": {
            "eligible": medical is not None,
            "category": medical,
            "contribution": MEDICAL,
            "subsidy_share": Decimal("1.00") if medical else Decimal("0.00"),
            "subsidy": subsidy,
            "self_due": MEDICAL - subsidy,
            "funding": parts if subsidy else {},
            "basis": [MEDICAL_CLAUSE],
        },
    }


def evaluate(scenario: dict[str, Any]) -> list[dict[str, Any]]:
    return [person(p) for p in scenario["people"]]


def differing(hand: list[dict[str, Any]], doudi: dict[str, Any]) -> list[str]:
    """The fields of ``COMPARED`` whose values differ, as ``id_number programme field``
    (none: the same answer). Doudi's amounts are text, the hand's Decimals."""
    out = []
    for mine, theirs in zip(hand, doudi["results"], strict=True):
        for programme, fields in COMPARED.items():
            for field in fields:
                a, b = mine[programme][field], theirs[programme][field]
                if json.dumps(a, default=str, sort_keys=True) != json.dumps(
                    b, default=str, sort_keys=True
                ):
                    out.append(f"{mine['id_number']} {programme} {field}: {a!r} ≠ {b!r}")
    return out


if __name__ == "__main__":
    with open(sys.argv[1], encoding="utf-8") as f:
        print(json.dumps(evaluate(json.load(f)), ensure_ascii=False, default=str))
