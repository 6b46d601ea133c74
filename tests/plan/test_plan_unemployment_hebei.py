"""Hebei's rural workers' unemployment benefit as plan rows, from imported records (issue
#20 §2, HE-2018-3/2.4), on SQLite and PostgreSQL.

Tangshan 2018, 迁安市 (130283). 按照城镇职工的标准领取失业保险金。在领取失业保险金期间参加
职工医保的，由失业保险基金负担医疗保险费；参加城镇居民医保的，可按照实际缴纳的医疗保险费领取
医疗保险补贴。The urban monthly benefit is local config: 1300 yuan. Each person's row is
the unemployment fund's, the year's sum:

- EMPLOYEE: qualifies, drew 6 months, employee medical, premium 600: 1300 × 6 = 7800.00
  + 600.00 = 8400.00;
- RESIDENT: qualifies, drew 6 months, resident medical, paid 220: 1300 × 6 = 7800.00
  + 220.00 = 8020.00;
- UNQUALIFIED: as EMPLOYEE but 是否符合领取失业保险金条件 否: nothing;
- DEAD: as EMPLOYEE, died 2017-12-01: nothing (HE-2018-3/3.2.1, docs/readings.md 24).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from conftest import make_id
from doudi.plan import versions as plan
from doudi.rosters.importing import NothingAccepted, import_roster
from doudi.store import db
from support import roster

MARCH, JUNE = date(2018, 3, 31), date(2018, 6, 30)
EMPLOYEE = (make_id("130283", "19850101", "012"), "孙立")
RESIDENT = (make_id("130283", "19860202", "024"), "周平")
UNQUALIFIED = (make_id("130283", "19870303", "036"), "吴海")
DEAD = (make_id("130283", "19880404", "048"), "郑芳")
PEOPLE = [EMPLOYEE, RESIDENT, UNQUALIFIED, DEAD]
FUND = "unemployment_fund"


def record(**cells: str) -> dict[str, list[str]]:
    """One worker's row of the unemployment-insurance records: a qualifying rural contract
    worker by default."""
    row = {
        "单位名称": "唐山某建筑公司",
        "是否农民合同制工人": "是",
        "本单位连续工作月数": "30",
        "单位是否缴纳失业保险费": "是",
        "劳动合同终止情形": "期满终止",
        "劳动合同终止日期": "2018-01-31",
        "累计参保月数": "40",
        "累计缴费月数": "40",
        "是否符合领取失业保险金条件": "是",
        "本年领取失业保险金月数": "6",
        **cells,
    }
    return {header: [value] for header, value in row.items()}


def rows_of(registry: db.Database, version: int) -> dict[tuple[str, str], tuple[Decimal, str]]:
    number = {r["id"]: r["id_number"] for r in registry.read("registry_person").to_pylist()}
    rows = registry.read("registry_contribution", "WHERE plan_version_id = ?", (version,))
    return {
        (number[r["person_id"]], r["payer"]): (r["amount"], r["basis"]) for r in rows.to_pylist()
    }


def load(registry: db.Database, tmp_path: Path) -> None:
    employee = {"领取期间参加的医疗保险": "职工医保", "领取期间职工医保缴费金额": "600"}
    lists = [
        record(**employee),
        record(**{"领取期间参加的医疗保险": "居民医保", "居民医保个人实缴金额": "220"}),
        record(**employee, **{"是否符合领取失业保险金条件": "否"}),
        record(**employee),
    ]
    headers = dict.fromkeys(h for one in lists for h in one)
    cells = {h: [one.get(h, [""])[0] for one in lists] for h in headers}
    import_roster(
        registry, roster(tmp_path / "ue.csv", PEOPLE, cells), "unemployment_records", JUNE
    )
    path = roster(tmp_path / "death.csv", [DEAD], {"死亡日期": ["2017-12-01"]})
    import_roster(registry, path, "death", MARCH)


def unemployment(registry: db.Database, tmp_path: Path) -> plan.PlanResult:
    return plan.run_plan(
        registry, "130200", 2018, programme="unemployment", snapshots=tmp_path / "plans"
    )


def test_HE_2018_3_2_4_the_fund_pays_the_months_drawn_and_the_medical_premium(registry, tmp_path):
    load(registry, tmp_path)
    result = unemployment(registry, tmp_path)
    assert rows_of(registry, result.version_id) == {
        # 1300 × 6 = 7800.00 + 600.00 employee premium = 8400.00
        (EMPLOYEE[0], FUND): (Decimal("8400.00"), "HE-2018-3/2.4"),
        # 1300 × 6 = 7800.00 + 220.00 resident premium refunded = 8020.00
        (RESIDENT[0], FUND): (Decimal("8020.00"), "HE-2018-3/2.4"),
    }
    # 8400.00 + 8020.00 = 16420.00; UNQUALIFIED and DEAD get nothing
    assert (result.targets, result.gov_paid) == (2, Decimal("16420.00"))
    assert result.by_payer == {FUND: Decimal("16420.00")}


def test_HE_2018_3_2_4_a_bad_months_cell_is_refused_with_its_row_and_nothing_is_written(
    registry, tmp_path
):
    before = {t: registry.read(t).num_rows for t in ("registry_person", "registry_roster_entry")}
    path = roster(tmp_path / "bad.csv", [EMPLOYEE], record(**{"本年领取失业保险金月数": "13"}))
    with pytest.raises(NothingAccepted) as refused:
        import_roster(registry, path, "unemployment_records", JUNE)
    [bad] = refused.value.read.rejected.to_pylist()
    assert (bad["row_number"], bad["column"], bad["code"]) == (
        2,
        "本年领取失业保险金月数",
        "out_of_range",
    )
    assert bad["reason"] == "应在 0 至 12 之间，实为「13」"
    after = {t: registry.read(t).num_rows for t in before}
    assert after == before


def test_HE_2018_3_2_4_a_negative_employee_premium_is_refused(registry, tmp_path):
    path = roster(tmp_path / "bad.csv", [EMPLOYEE], record(**{"领取期间职工医保缴费金额": "-600"}))
    with pytest.raises(NothingAccepted) as refused:
        import_roster(registry, path, "unemployment_records", JUNE)
    [bad] = refused.value.read.rejected.to_pylist()
    assert (bad["row_number"], bad["column"]) == (2, "领取期间职工医保缴费金额")
    assert "实为「-600」" in bad["reason"]
    assert registry.read("registry_roster_entry").num_rows == 0
