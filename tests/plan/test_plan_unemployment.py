"""The unemployment programme of the yearly plan from imported records (issue #20 §1–2,
docs/readings.md 35), on SQLite and PostgreSQL.

Jiangxi 2018, 东湖区 (360102). JX-2017-58/2.3.9: a rural contract worker at least a year
at the unit, whose unit paid unemployment insurance and whose contract ended, gets a
one-off living allowance of 60% × the monthly benefit base (local config: 1200) × one
month per started year of contribution (at most 24); insured ≥ 3 years with ≥ 36 months
paid and a certificate obtained from 2017 on, a skill-upgrade subsidy (四级 1500). The
unemployment fund pays both: one row a year.

- WORKER: 30 months at the unit, contract ended 2018-05-31 (期满终止), 40 months insured
  and paid, a 四级 certificate of 2018-04-01: allowance 0.6 × 1200 × ⌈40/12⌉ = 0.6 × 1200
  × 4 = 2880.00, subsidy 1500.00, row 4380.00;
- EARLIER: the same, but the contract ended 2017-11-30 and the certificate is of
  2017-06-01: paid in 2017's plan, not in 2018's;
- DEAD: as WORKER, died 2017-12-01: nothing (HE-2018-3/3.2.1, docs/readings.md 24).
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

MARCH, JUNE = date(2018, 3, 31), date(2018, 6, 30)
WORKER = (make_id("360102", "19850101", "012"), "孙立")
EARLIER = (make_id("360102", "19860202", "024"), "周平")
DEAD = (make_id("360102", "19870303", "036"), "吴海")
PEOPLE = [WORKER, EARLIER, DEAD]


def load(registry: db.Database, tmp_path: Path) -> None:
    n = len(PEOPLE)
    records = {
        "单位名称": ["南昌某建筑公司"] * n,
        "是否农民合同制工人": ["是"] * n,
        "本单位连续工作月数": ["30"] * n,
        "单位是否缴纳失业保险费": ["是"] * n,
        "劳动合同终止情形": ["期满终止"] * n,
        "劳动合同终止日期": ["2018-05-31", "2017-11-30", "2018-05-31"],
        "累计参保月数": ["40"] * n,
        "累计缴费月数": ["40"] * n,
    }
    path = roster(tmp_path / "ue.csv", PEOPLE, records)
    import_roster(registry, path, "unemployment_records", JUNE)
    certificates = {
        "证书等级": ["四级"] * n,
        "发证日期": ["2018-04-01", "2017-06-01", "2018-04-01"],
        "证书编号": ["C1", "C2", "C3"],
    }
    path = roster(tmp_path / "cert.csv", PEOPLE, certificates)
    import_roster(registry, path, "certificates", JUNE)
    path = roster(tmp_path / "death.csv", [DEAD], {"死亡日期": ["2017-12-01"]})
    import_roster(registry, path, "death", MARCH)


def rows_of(registry: db.Database, version: int) -> dict[tuple[str, str], tuple[Decimal, str]]:
    number = {r["id"]: r["id_number"] for r in registry.read("registry_person").to_pylist()}
    rows = registry.read("registry_contribution", "WHERE plan_version_id = ?", (version,))
    return {
        (number[r["person_id"]], r["payer"]): (r["amount"], r["basis"]) for r in rows.to_pylist()
    }


def unemployment(registry: db.Database, tmp_path: Path, year: int) -> plan.PlanResult:
    return plan.run_plan(
        registry, "360000", year, programme="unemployment", snapshots=tmp_path / "plans"
    )


def test_JX_2017_58_2_3_9_the_fund_pays_the_allowance_and_subsidy_of_the_year(registry, tmp_path):
    load(registry, tmp_path)
    result = unemployment(registry, tmp_path, 2018)
    # 0.6 × 1200 × 4 = 2880.00 allowance + 1500.00 subsidy = 4380.00
    assert rows_of(registry, result.version_id) == {
        (WORKER[0], "unemployment_fund"): (Decimal("4380.00"), "JX-2017-58/2.3.9"),
    }
    assert (result.targets, result.gov_paid, result.self_due) == (
        1,
        Decimal("4380.00"),
        Decimal("0.00"),
    )
    assert result.by_payer == {"unemployment_fund": Decimal("4380.00")}
    scheme = registry.read("registry_contribution").column("scheme").to_pylist()
    assert set(scheme) == {"unemployment"}


def test_JX_2017_58_2_3_9_a_record_is_paid_in_the_year_it_concerns_only(registry, tmp_path):
    """EARLIER's contract ended and certificate was obtained in 2017: 2017's plan pays
    them (0.6 × 1200 × 4 + 1500 = 4380.00), 2018's does not pay them again."""
    load(registry, tmp_path)
    in_2017 = rows_of(registry, unemployment(registry, tmp_path, 2017).version_id)
    assert in_2017 == {(EARLIER[0], "unemployment_fund"): (Decimal("4380.00"), "JX-2017-58/2.3.9")}
    in_2018 = rows_of(registry, unemployment(registry, tmp_path, 2018).version_id)
    assert (EARLIER[0], "unemployment_fund") not in in_2018


def test_HE_2018_3_3_2_1_nothing_is_paid_to_a_worker_dead_before_the_year(registry, tmp_path):
    load(registry, tmp_path)
    rows = rows_of(registry, unemployment(registry, tmp_path, 2018).version_id)
    assert not [key for key in rows if key[0] == DEAD[0]]


def test_JX_2017_58_2_3_9_a_later_list_does_not_take_back_an_earlier_years_payment(
    registry, tmp_path
):
    """WORKER's 2018 allowance (contract ended 2018-05-31) is planned; a 2019 list then
    says their new contract has not ended. Planning 2018 again (a pension correction
    re-runs every programme) keeps 4380.00: the record of the contract that ended in 2018
    is the one that concerns 2018 (reading 36; before, the 2019 record was read and the
    2018 version became 0.00)."""
    load(registry, tmp_path)
    first = unemployment(registry, tmp_path, 2018)
    later = {
        "单位名称": ["赣州某工厂"],
        "是否农民合同制工人": ["是"],
        "本单位连续工作月数": ["6"],
        "单位是否缴纳失业保险费": ["是"],
        "劳动合同终止情形": ["未终止"],
        "累计参保月数": ["46"],
        "累计缴费月数": ["46"],
    }
    path = roster(tmp_path / "ue2019.csv", [WORKER], later)
    import_roster(registry, path, "unemployment_records", date(2019, 3, 31))
    again = unemployment(registry, tmp_path, 2018)
    rows = rows_of(registry, again.version_id)
    assert rows[(WORKER[0], "unemployment_fund")][0] == Decimal("4380.00")
    assert again.version_id == first.version_id


def test_JX_2017_58_2_3_9_no_allowance_when_the_list_does_not_say_the_unit_paid(registry, tmp_path):
    """The allowance requires that the unit paid unemployment insurance (单位缴纳失业保险费
    满一年). A record whose 单位是否缴纳失业保险费 cell is empty does not say so: no allowance,
    as a scenario that does not state it (before, an empty cell read as null and the check
    ``not unit_paid`` never fired: 0.6 × 1200 × 4 = 2880.00 was planned). The skill-upgrade
    subsidy does not depend on the unit's payment: 1500.00 (四级) is still paid."""
    blank = (make_id("360102", "19880404", "048"), "郑芳")
    records = {
        "单位名称": ["南昌某建筑公司"],
        "是否农民合同制工人": ["是"],
        "本单位连续工作月数": ["30"],
        "单位是否缴纳失业保险费": [""],
        "劳动合同终止情形": ["期满终止"],
        "劳动合同终止日期": ["2018-05-31"],
        "累计参保月数": ["40"],
        "累计缴费月数": ["40"],
    }
    import_roster(
        registry, roster(tmp_path / "ue.csv", [blank], records), "unemployment_records", JUNE
    )
    certificates = {"证书等级": ["四级"], "发证日期": ["2018-04-01"], "证书编号": ["C9"]}
    import_roster(registry, roster(tmp_path / "c.csv", [blank], certificates), "certificates", JUNE)
    rows = rows_of(registry, unemployment(registry, tmp_path, 2018).version_id)
    assert rows == {(blank[0], "unemployment_fund"): (Decimal("1500.00"), "JX-2017-58/2.3.9")}


def test_JX_2017_58_2_3_9_a_technicians_certificate_does_not_hide_a_subsidised_one(
    registry, tmp_path
):
    """The subsidy covers 初级（五级）、中级（四级）、高级（三级） certificates only. A worker who
    obtained a 高级（三级） and a 技师（二级） certificate in 2018 gets the 2000.00 of the 三级
    one (before, the higher 二级 one was chosen, which the subsidy does not cover: 0.00)."""
    worker = (make_id("360102", "19890505", "051"), "冯涛")
    records = {
        "单位名称": ["南昌某建筑公司"],
        "是否农民合同制工人": ["是"],
        "本单位连续工作月数": ["30"],
        "单位是否缴纳失业保险费": ["是"],
        "劳动合同终止情形": ["未终止"],
        "累计参保月数": ["40"],
        "累计缴费月数": ["40"],
    }
    import_roster(
        registry, roster(tmp_path / "ue.csv", [worker], records), "unemployment_records", JUNE
    )
    certificates = {
        "证书等级": ["三级", "二级"],
        "发证日期": ["2018-03-01", "2018-09-01"],
        "证书编号": ["C31", "C32"],
    }
    path = roster(tmp_path / "c.csv", [worker, worker], certificates)
    import_roster(registry, path, "certificates", date(2018, 9, 30))
    rows = rows_of(registry, unemployment(registry, tmp_path, 2018).version_id)
    assert rows == {(worker[0], "unemployment_fund"): (Decimal("2000.00"), "JX-2017-58/2.3.9")}
