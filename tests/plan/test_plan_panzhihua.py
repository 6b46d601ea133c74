"""Panzhihua's government contribution subsidy and third-party funding in the yearly plan
(issue #20 §2, decision 0013), from imported lists, on SQLite and PostgreSQL.

Panzhihua 2018, 东区 (510402). PZH-2018-195/1.1: the county pays the registered poor's
minimum contribution, 100 yuan. PZH-2018-195/1.3: the government-paid contribution still
earns the government contribution subsidy, at the tier of the summed amount (the table is
local config: 100 → 30, 300 → 40). PZH-2018-195/1.2: third parties may fund a poor
person's contribution, up to the highest tier; they pay what the person would owe.

- PAID: registered poor, tier 100: county 100.00, self 0.00; subsidy 30.00 (100 → 30);
- TOPPED: registered poor, tier 300, a charity funds 150 for 2018: county 100.00, third
  party 150.00 (≤ 300 − 100 = 200 owed), self 300 − 100 − 150 = 50.00; subsidy 40.00
  (300 → 40);
- LAST_YEAR: registered poor, tier 100, funded for 2017 only: county 100.00, subsidy
  30.00, no third-party row in 2018;
- OVER: registered poor, tier 200, a company funds 500: county 100.00, third party
  min(500, 200 − 100) = 100.00, self 0.00, subsidy 35.00 (200 → 35).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

from conftest import make_id
from doudi.plan import versions as plan
from doudi.rosters.importing import import_roster
from doudi.store import db
from support import roster

MARCH = date(2018, 3, 31)
PAID = (make_id("510402", "19700101", "012"), "李明")
TOPPED = (make_id("510402", "19710202", "024"), "王芳")
LAST_YEAR = (make_id("510402", "19720303", "036"), "张军")
OVER = (make_id("510402", "19730404", "048"), "陈静")
PEOPLE = [PAID, TOPPED, LAST_YEAR, OVER]


def load(registry: db.Database, tmp_path: Path) -> None:
    n = len(PEOPLE)
    poor = roster(tmp_path / "poor.csv", PEOPLE, {"纳入时间": ["2017-06-01"] * n})
    import_roster(registry, poor, "poverty", MARCH)
    tiers = {"缴费档次": ["100", "300", "100", "200"], "参保时间": ["2015-01-01"] * n}
    import_roster(registry, roster(tmp_path / "rp.csv", PEOPLE, tiers), "resident_pension", MARCH)
    funded = [TOPPED, LAST_YEAR, OVER]
    funding = {
        "资助方": ["某某慈善基金会", "某某慈善基金会", "某某公司"],
        "资助金额": ["150", "100", "500"],
        "资助年度": ["2018", "2017", "2018"],
    }
    path = roster(tmp_path / "funding.csv", funded, funding)
    import_roster(registry, path, "third_party_funding", MARCH)


def rows_of(registry: db.Database, version: int) -> dict[tuple[str, str], tuple[Decimal, str]]:
    number = {r["id"]: r["id_number"] for r in registry.read("registry_person").to_pylist()}
    rows = registry.read("registry_contribution", "WHERE plan_version_id = ?", (version,))
    return {
        (number[r["person_id"]], r["payer"]): (r["amount"], r["basis"]) for r in rows.to_pylist()
    }


def run(registry: db.Database, tmp_path: Path) -> dict[str, plan.PlanResult]:
    done = plan.run_plans(registry, "510400", 2018, snapshots=tmp_path / "plans")
    return {r.programme: r for r in done.results}


def test_decision_0013_panzhihua_plans_five_programmes(registry, tmp_path):
    load(registry, tmp_path)
    assert list(run(registry, tmp_path)) == [
        "resident_pension",
        "resident_medical",
        "resident_pension_subsidy",
        "third_party_funding",
    ]


def test_PZH_2018_195_1_3_the_contribution_subsidy_is_planned_at_the_summed_tier(
    registry, tmp_path
):
    load(registry, tmp_path)
    subsidy = run(registry, tmp_path)["resident_pension_subsidy"]
    clause = "PZH-2018-195/1.3"
    assert rows_of(registry, subsidy.version_id) == {
        (PAID[0], "finance"): (Decimal("30.00"), clause),  # 100 → 30
        (TOPPED[0], "finance"): (Decimal("40.00"), clause),  # 300 → 40
        (LAST_YEAR[0], "finance"): (Decimal("30.00"), clause),  # 100 → 30
        (OVER[0], "finance"): (Decimal("35.00"), clause),  # 200 → 35
    }
    # 30 + 40 + 30 + 35 = 135.00, nothing owed by the people
    assert (subsidy.targets, subsidy.gov_paid, subsidy.self_due) == (
        4,
        Decimal("135.00"),
        Decimal("0.00"),
    )
    assert subsidy.by_payer == {"finance": Decimal("135.00")}


def test_PZH_2018_195_1_2_third_parties_pay_what_the_person_would_owe(registry, tmp_path):
    load(registry, tmp_path)
    done = run(registry, tmp_path)
    funded = rows_of(registry, done["third_party_funding"].version_id)
    clause = "PZH-2018-195/1.2"
    assert funded == {
        (TOPPED[0], "third_party"): (Decimal("150.00"), clause),
        # min(500, 200 − 100) = 100.00
        (OVER[0], "third_party"): (Decimal("100.00"), clause),
    }
    assert done["third_party_funding"].gov_paid == Decimal("250.00")  # 150 + 100
    pension = rows_of(registry, done["resident_pension"].version_id)
    assert {k: v[0] for k, v in pension.items()} == {
        (PAID[0], "county"): Decimal("100.00"),
        (PAID[0], "self"): Decimal("0.00"),
        (TOPPED[0], "county"): Decimal("100.00"),
        (TOPPED[0], "self"): Decimal("50.00"),  # 300 − 100 − 150
        (LAST_YEAR[0], "county"): Decimal("100.00"),
        (LAST_YEAR[0], "self"): Decimal("0.00"),
        (OVER[0], "county"): Decimal("100.00"),
        (OVER[0], "self"): Decimal("0.00"),  # 200 − 100 − 100
    }
    # the pension's government total is the county's alone: no third party in it
    assert done["resident_pension"].by_payer == {"county": Decimal("400.00")}


def test_decision_0013_the_ledgers_of_the_subsidy_and_the_funding_add_up(registry, tmp_path):
    from doudi.plan.ledger import ledger
    from doudi.plan.ledger_workbook import ledger_workbook

    load(registry, tmp_path)
    done = run(registry, tmp_path)
    for code, payer, total in (
        ("resident_pension_subsidy", "finance", Decimal("135.00")),
        ("third_party_funding", "third_party", Decimal("250.00")),
    ):
        version = done[code].version_id
        book = ledger(registry, version)
        assert book.payers == (payer,)
        assert book.by_payer.column("amount").to_pylist() == [total]
        assert book.terms.title_zh.startswith(
            {"finance": "城乡居民养老保险政府缴费补贴", "third_party": "第三方资助参保缴费"}[payer]
        )
        ledger_workbook(registry, version, tmp_path / f"{code}.xlsx")
        assert (tmp_path / f"{code}.xlsx").stat().st_size > 0
