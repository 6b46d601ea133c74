"""Every programme in the yearly plan (issue #20 §2, decision 0012), on SQLite and
PostgreSQL: `run_plans` writes a version of the resident pension's government part and
one of the resident-medical contribution subsidy, each its own lineage.

Tangshan (130200) 2018, 路北区 (130203). HE-2018-3/2.2.1: 建档立卡贫困人口……个人缴费部分由
财政给予全额资助，其他困难保障救助对象个人缴费部分，财政按个人缴费标准的 60% 予以资助. The
personal contribution standard is local config (example 220 yuan for 2018):
- POOR, registered poor: 100% × 220 = 220.00 by finance, 0.00 their own;
- OTHER, other assistance target: 60% × 220 = 132.00 by finance, 220 − 132 = 88.00 own;
- WORKER, registered poor in the employee medical insurance: no subsidy;
- NOBODY, no status: no rows.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from conftest import make_id
from doudi.plan import version_diff
from doudi.plan import versions as plan
from doudi.rosters.importing import import_roster
from doudi.store import db
from support import roster

MARCH, JUNE = date(2018, 3, 31), date(2018, 6, 30)
POOR = (make_id("130203", "19800101", "012"), "王军")
OTHER = (make_id("130203", "19750101", "024"), "李梅")
WORKER = (make_id("130203", "19850101", "036"), "赵强")
NOBODY = (make_id("130203", "19900101", "048"), "钱进")
EVERYONE = [POOR, OTHER, WORKER, NOBODY]


def load(registry: db.Database, tmp_path: Path) -> None:
    def since(rows: list[tuple[str, str]]) -> dict[str, list[str]]:
        return {"纳入时间": ["2016-06-01"] * len(rows)}

    poor = [POOR, WORKER]
    import_roster(registry, roster(tmp_path / "poor.csv", poor, since(poor)), "poverty", MARCH)
    path = roster(tmp_path / "other.csv", [OTHER], since([OTHER]))
    import_roster(registry, path, "other_assistance", MARCH)
    pension = {"缴费档次": ["100"] * 4, "参保时间": ["2017-01-01"] * 4}
    import_roster(
        registry, roster(tmp_path / "pension.csv", EVERYONE, pension), "resident_pension", MARCH
    )
    path = roster(tmp_path / "em.csv", [WORKER], {"参保时间": ["2012-07-01"]})
    import_roster(registry, path, "employee_medical", MARCH)


def rows_of(registry: db.Database, version: int) -> dict[tuple[str, str], tuple[Decimal, str]]:
    number = {r["id"]: r["id_number"] for r in registry.read("registry_person").to_pylist()}
    rows = registry.read("registry_contribution", "WHERE plan_version_id = ?", (version,))
    return {
        (number[r["person_id"]], r["payer"]): (r["amount"], r["basis"]) for r in rows.to_pylist()
    }


def run(registry: db.Database, tmp_path: Path, **kw) -> plan.PlanRun:
    return plan.run_plans(registry, "130200", 2018, snapshots=tmp_path / "plans", **kw)


def test_HE_2018_3_2_2_1_the_plan_writes_the_medical_subsidy_beside_the_pension(registry, tmp_path):
    load(registry, tmp_path)
    pension, medical, unemployment = run(registry, tmp_path).results
    assert (pension.programme, medical.programme) == ("resident_pension", "resident_medical")
    assert (pension.number, medical.number) == (1, 1)  # each lineage numbers its own
    got = rows_of(registry, medical.version_id)
    clause = "HE-2018-3/2.2.1"
    assert got == {
        (POOR[0], "finance"): (Decimal("220.00"), clause),  # 100% × 220
        (POOR[0], "self"): (Decimal("0.00"), clause),
        (OTHER[0], "finance"): (Decimal("132.00"), clause),  # 60% × 220
        (OTHER[0], "self"): (Decimal("88.00"), clause),  # 220 − 132
    }
    # 220 + 132 = 352.00 subsidised, 0 + 88 = 88.00 owed, two people
    assert (medical.targets, medical.gov_paid, medical.self_due) == (
        2,
        Decimal("352.00"),
        Decimal("88.00"),
    )
    assert medical.by_payer == {"finance": Decimal("352.00")}
    rows = registry.read(
        "registry_contribution", "WHERE plan_version_id = ?", (medical.version_id,)
    )
    assert set(rows.column("scheme").to_pylist()) == {"resident_medical"}
    # the pension's rows are the pension's: OTHER is no pension target (HE-2018-3/2.1.1)
    pension_rows = rows_of(registry, pension.version_id)
    assert (OTHER[0], "province") not in pension_rows and (POOR[0], "province") in pension_rows
    # no unemployment records: Hebei's unemployment version pays nobody (HE-2018-3/2.4)
    assert unemployment.programme == "unemployment" and unemployment.targets == 0


def test_decision_0012_an_unchanged_programme_keeps_its_version(registry, tmp_path):
    """June: OTHER joins the employee medical insurance. The inputs change, so both
    programmes are computed again; the medical rows change (OTHER is no longer
    subsidised: 第 2 版), the pension's do not (OTHER was never its target): 第 1 版
    stands."""
    load(registry, tmp_path)
    first_pension, first_medical, _ = run(registry, tmp_path).results
    path = roster(tmp_path / "em6.csv", [WORKER, OTHER], {"参保时间": ["2012-07-01", "2018-06-01"]})
    import_roster(registry, path, "employee_medical", JUNE)
    again = run(registry, tmp_path)
    pension, medical, _ = again.results
    assert medical.created and medical.number == 2
    assert (OTHER[0], "finance") not in rows_of(registry, medical.version_id)
    assert not pension.created and pension.same_rows
    assert pension.version_id == first_pension.version_id and pension.number == 1
    assert again.summary_zh("130200", 2018)[0].startswith("金额未变，沿用缴费计划第 1 版")
    # the same inputs once more: both reuse their versions
    third = run(registry, tmp_path).results
    assert [r.version_id for r in third[:2]] == [pension.version_id, medical.version_id]
    assert first_medical.version_id != medical.version_id


def test_decision_0012_one_programme_can_be_run_alone(registry, tmp_path):
    load(registry, tmp_path)
    only = run(registry, tmp_path, programmes=("resident_medical",)).results
    assert [r.programme for r in only] == ["resident_medical"]
    versions = registry.read("registry_plan_version").to_pylist()
    assert [v["programme"] for v in versions] == ["resident_medical"]


def test_an_unknown_programme_is_a_chinese_error_and_writes_nothing(registry, tmp_path):
    from doudi.plan.programmes import UnknownProgramme

    load(registry, tmp_path)
    with pytest.raises(UnknownProgramme, match="未知的计划项目 'dental'"):
        run(registry, tmp_path, programmes=("dental",))
    assert registry.read("registry_plan_version").num_rows == 0


def test_a_programme_the_jurisdictions_rules_lack_is_refused_in_chinese(registry, tmp_path):
    """Chongqing's document (CQ-2018-82) has no unemployment benefits of its own."""
    load(registry, tmp_path)
    with pytest.raises(plan.PlanError, match="没有农民工失业保险待遇的规定"):
        plan.run_plans(
            registry, "500000", 2018, programmes=("unemployment",), snapshots=tmp_path / "p"
        )


def test_versions_of_two_programmes_are_not_diffed(registry, tmp_path):
    load(registry, tmp_path)
    pension, medical, _ = run(registry, tmp_path).results
    with pytest.raises(plan.PlanError, match="属于不同项目"):
        version_diff.diff(registry, pension.version_id, medical.version_id)


def test_decision_0012_a_version_made_before_the_rows_checksum_is_kept_too(registry, tmp_path):
    """A version written before versions stored their rows' checksum (migration 0012
    leaves it empty) is matched by its stored rows: June's list changes the inputs, not
    the pension's rows, and 第 1 版 stands (before, an identical 第 2 版 was written)."""
    load(registry, tmp_path)
    pension = run(registry, tmp_path).results[0]
    with registry.transaction() as con:
        db.execute(con, "UPDATE registry_plan_version SET rows_checksum = ''")
    path = roster(tmp_path / "em6.csv", [WORKER, OTHER], {"参保时间": ["2012-07-01", "2018-06-01"]})
    import_roster(registry, path, "employee_medical", JUNE)
    again = run(registry, tmp_path).results[0]
    assert again.same_rows and again.version_id == pension.version_id


def test_decision_0012_another_programmes_overlap_refuses_that_programme_only(registry, tmp_path):
    """Hebei's province planned the medical subsidy alone; Tangshan's run of every
    programme then writes its pension and unemployment versions and says, naming the
    medical plan, why it wrote no medical version (before, the whole run was refused and
    the message named a 缴费计划 that did not exist)."""
    load(registry, tmp_path)
    plan.run_plans(
        registry, "130000", 2018, programmes=("resident_medical",), snapshots=tmp_path / "p"
    )
    done = run(registry, tmp_path)
    assert [r.programme for r in done.results] == ["resident_pension", "unemployment"]
    (line,) = done.refused
    assert line.startswith(
        "未生成城乡居民医保缴费资助计划：2018年已有统筹地区 130000 的医保缴费资助计划"
    )
    assert line in done.summary_zh("130200", 2018)
    with pytest.raises(plan.PlanError, match="的医保缴费资助计划 130000 河北省 第 1 版"):
        run(registry, tmp_path, programmes=("resident_medical",))
