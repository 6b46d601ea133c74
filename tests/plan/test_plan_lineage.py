"""One plan per person-year (issue #19 §1, decision 0010), on SQLite and PostgreSQL.

A plan of a region nested in another plan's region of the same year is refused (a
Hebei plan and a Tangshan plan both paid the same people); versions are numbered per
region and year (a county's first plan is 第 1 版 whatever its neighbours did); a
person whose hukou moved between two counties' plans is planned by one of them.

The registry: registered-poor people on Jiangxi's list since 2016, enrolled on the
100-yuan tier — JX-2017-58/2.1.1 pays their 100 yuan in full (county 100, self 0) —
and Hebei's in Tangshan 路南区 130202, whose minimum tier (100) HE-2018-3/2.1.1 splits
province : city : county = 1 : 1 : 1 (33.34 + 33.33 + 33.33).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import make_id
from doudi.plan import versions as plan
from doudi.rosters.importing import import_roster
from doudi.store import db
from support import roster

MARCH = date(2018, 3, 31)
DONGHU = [make_id("360102", "19800101", "001"), make_id("360102", "19810101", "003")]
QINGYUNPU = [make_id("360103", "19820101", "005")]
LUNAN = [make_id("130202", "19800101", "001"), make_id("130202", "19810101", "003")]


def load(registry: db.Database, tmp_path: Path, ids: list[str]) -> None:
    """The people on the poverty list since 2016 and enrolled on the 100-yuan tier."""
    people = [(i, f"人{n}") for n, i in enumerate(ids)]
    since = {"纳入时间": ["2016-06-01"] * len(ids)}
    import_roster(registry, roster(tmp_path / "poverty.csv", people, since), "poverty", MARCH)
    tiers = {"缴费档次": ["100"] * len(ids), "参保时间": ["2015-01-01"] * len(ids)}
    pension = roster(tmp_path / "pension.csv", people, tiers)
    import_roster(registry, pension, "resident_pension", MARCH)


def run(registry: db.Database, tmp_path: Path, jurisdiction: str, region: str):
    return plan.run_plan(registry, jurisdiction, 2018, region=region, snapshots=tmp_path / "plans")


def counts(registry: db.Database) -> tuple[int, int]:
    return (
        registry.read("registry_plan_version").num_rows,
        registry.read("registry_contribution").num_rows,
    )


def government_parts(registry: db.Database) -> dict[str, Decimal]:
    """Per ID number, the government's part in the current versions (the highest
    number of each jurisdiction, region and year)."""
    versions = registry.read("registry_plan_version").to_pylist()
    top: dict[tuple[str, str], int] = {}
    for v in versions:
        key = (v["jurisdiction"], v["region"])
        top[key] = max(top.get(key, 0), v["number"])
    current = {v["id"] for v in versions if v["number"] == top[(v["jurisdiction"], v["region"])]}
    ids = {p["id"]: p["id_number"] for p in registry.read("registry_person").to_pylist()}
    out: dict[str, Decimal] = {}
    for r in registry.read("registry_contribution").to_pylist():
        if r["plan_version_id"] in current and r["payer"] != "self":
            out[ids[r["person_id"]]] = out.get(ids[r["person_id"]], Decimal(0)) + r["amount"]
    return out


def test_HE_2018_3_2_1_1_a_city_plan_under_a_province_plan_of_the_year_is_refused(
    registry, tmp_path
):
    """Hebei's plan (130000) pays 路南区's people; Tangshan's (130200) would pay them
    again. Refused in Chinese, naming the existing plan and what to do; nothing
    written."""
    load(registry, tmp_path, LUNAN)
    province = run(registry, tmp_path, "130000", "130000")
    # 100 = 33.34 + 33.33 + 33.33 per person (HE-2018-3/2.1.1, 1 : 1 : 1)
    assert (province.number, province.gov_paid) == (1, Decimal("200.00"))
    before = counts(registry)
    with pytest.raises(plan.PlanError) as refused:
        run(registry, tmp_path, "130200", "130200")
    message = str(refused.value)
    assert "已有统筹地区 130000 的缴费计划 130000 河北省 第 1 版" in message
    assert "同一人同一年同一项目只能由一个计划承担" in message
    assert "请重新生成 130000 河北省 的计划（将生成新版本）" in message
    assert counts(registry) == before
    # the same region under another jurisdiction overlaps as much
    with pytest.raises(plan.PlanError, match="130000 河北省 第 1 版"):
        run(registry, tmp_path, "130200", "130202")
    assert counts(registry) == before
    # re-running the province's plan is the way: the same inputs, the same version
    assert not run(registry, tmp_path, "130000", "130000").created


def test_a_county_plan_inside_a_jurisdiction_wide_plan_is_refused_and_the_cli_says_so(
    registry, tmp_path, monkeypatch
):
    """The other way round, within one jurisdiction: Jiangxi's plan of the whole
    province exists; 东湖区's own would pay its people twice. The command exits 2 with
    the reason and writes nothing. Run for every programme, it writes the programmes
    the province has not planned (decision 0012), says why not the pension and exits 1."""
    from doudi.plan import cli

    load(registry, tmp_path, DONGHU)
    run(registry, tmp_path, "360000", "360000")
    before = counts(registry)
    monkeypatch.setattr(cli, "open_registry", lambda: registry)
    command = ["plan", "--jurisdiction", "360000", "--year", "2018", "--region", "360102"]
    out = CliRunner().invoke(cli.app, [*command, "--programme", "resident_pension"])
    assert out.exit_code == 2, out.output
    assert "无法生成计划，未写入任何数据" in out.output
    assert "360000 江西省 第 1 版" in out.output and "Traceback" not in out.output
    assert counts(registry) == before
    out = CliRunner().invoke(cli.app, command)
    assert out.exit_code == 1, out.output
    assert "未生成城乡居民养老保险代缴计划：2018年已有统筹地区 360000 的缴费计划" in out.output
    assert "已生成医保缴费资助计划第 1 版" in out.output and "Traceback" not in out.output
    pension = registry.read("registry_plan_version", "WHERE programme = 'resident_pension'")
    assert pension.num_rows == 1  # the province's


def test_versions_are_numbered_per_region_and_year(registry, tmp_path):
    """Two counties of Jiangxi planned apart: each one's first plan is 第 1 版 (before,
    the second county got 第 2 版, numbered per jurisdiction); a county's second run
    on changed inputs is its 第 2 版."""
    load(registry, tmp_path, DONGHU + QINGYUNPU)
    qingyunpu = run(registry, tmp_path, "360000", "360103")
    donghu = run(registry, tmp_path, "360000", "360102")
    assert (qingyunpu.number, donghu.number) == (1, 1)
    assert (qingyunpu.people, donghu.people) == (1, 2)
    # JX-2017-58/2.1.1: 100 yuan each, paid by the county
    assert (qingyunpu.gov_paid, donghu.gov_paid) == (Decimal("100.00"), Decimal("200.00"))
    # June's pension extract: 东湖区's second person moved up to the 200-yuan tier (the
    # county still pays 100, they owe 100 themselves): 东湖区's inputs changed
    people = [(i, f"人{n}") for n, i in enumerate(DONGHU + QINGYUNPU)]
    tiers = {"缴费档次": ["100", "200", "100"], "参保时间": ["2015-01-01"] * 3}
    june = roster(tmp_path / "pension-june.csv", people, tiers)
    import_roster(registry, june, "resident_pension", date(2018, 6, 30))
    again = run(registry, tmp_path, "360000", "360102")
    assert again.created and again.number == 2
    assert run(registry, tmp_path, "360000", "360103").number == 1  # unchanged: reused


def test_a_person_moved_between_two_county_plans_is_planned_once(registry, tmp_path):
    """人0 of 东湖区 is planned there (第 1 版); their hukou then moves to 青云谱区. 青云谱区's
    plan leaves them out, says so, and 东湖区's version still pays them: 100 yuan once.
    Once 东湖区 plans again (第 2 版, without them), 青云谱区's next run plans them."""
    load(registry, tmp_path, DONGHU + QINGYUNPU)
    donghu = run(registry, tmp_path, "360000", "360102")
    assert donghu.people == 2
    moved = DONGHU[0]
    with registry.transaction() as con:
        db.execute(
            con,
            "UPDATE registry_person SET hukou_region = ? WHERE id_number = ?",
            ("360103", moved),
        )
    qingyunpu = run(registry, tmp_path, "360000", "360103")
    assert qingyunpu.number == 1 and qingyunpu.people == 1  # QINGYUNPU[0] only
    assert [p.id_number for p in qingyunpu.left_out] == [moved]
    assert "已由 360102 东湖区 第 1 版计划代缴，本计划不再代缴：1 人" in qingyunpu.summary_zh(
        "360103", 2018
    )
    # 100 yuan each, the moved person once (by 东湖区's current version)
    assert government_parts(registry) == {
        DONGHU[0]: Decimal("100.00"),
        DONGHU[1]: Decimal("100.00"),
        QINGYUNPU[0]: Decimal("100.00"),
    }
    # 东湖区 plans again: its people changed (人0 moved away), so 第 2 版 without them
    second = run(registry, tmp_path, "360000", "360102")
    assert second.created and second.number == 2 and second.people == 1
    # 青云谱区 runs again: nobody else pays 人0 now; a new version plans them
    third = run(registry, tmp_path, "360000", "360103")
    assert third.created and third.number == 2 and third.people == 2 and not third.left_out
    assert government_parts(registry) == {
        DONGHU[0]: Decimal("100.00"),
        DONGHU[1]: Decimal("100.00"),
        QINGYUNPU[0]: Decimal("100.00"),
    }


def test_a_jurisdiction_without_another_plan_leaves_nobody_out(registry, tmp_path):
    """The usual case costs no read of other plans' rows and changes nothing."""
    load(registry, tmp_path, DONGHU)
    result = run(registry, tmp_path, "360000", "360000")
    assert result.left_out == () and result.people == 2
    assert not any("不再代缴" in line for line in result.summary_zh("360000", 2018))


def test_the_current_version_is_the_highest_number_of_its_lineage(registry, tmp_path):
    """What the dashboard sums (``lineage.CURRENT_VERSION_IDS``), on both databases:
    东湖区's 第 2 版 and 青云谱区's 第 1 版, not 东湖区's 第 1 版."""
    from doudi.plan import lineage

    load(registry, tmp_path, DONGHU + QINGYUNPU)
    old = run(registry, tmp_path, "360000", "360102")
    qingyunpu = run(registry, tmp_path, "360000", "360103")
    people = [(i, f"人{n}") for n, i in enumerate(DONGHU + QINGYUNPU)]
    tiers = {"缴费档次": ["200", "100", "100"], "参保时间": ["2015-01-01"] * 3}
    june = roster(tmp_path / "pension-june.csv", people, tiers)
    import_roster(registry, june, "resident_pension", date(2018, 6, 30))
    new = run(registry, tmp_path, "360000", "360102")
    assert new.number == 2
    with registry.transaction() as con, con.cursor() as cur:
        cur.execute(lineage.CURRENT_VERSION_IDS)
        current = {int(r[0]) for r in cur.fetchall()}
    assert current == {new.version_id, qingyunpu.version_id}
    assert old.version_id not in current


def test_a_plan_whose_people_another_plan_all_pays_for_writes_no_version(
    registry, tmp_path, monkeypatch
):
    """东湖区's two people are planned there (第 1 版); both then move to 360103 (西湖区),
    where nobody else lives. Its plan would leave out everyone (decision 0010): it wrote a
    version of 0 people, current in its lineage and paying no one. Now it writes
    nothing and says why; ``doudi plan`` exits 2 with the reason, as for every plan it
    does not write."""
    from doudi.plan import cli

    load(registry, tmp_path, DONGHU)
    run(registry, tmp_path, "360000", "360102")
    with registry.transaction() as con:
        db.execute(con, "UPDATE registry_person SET hukou_region = ?", ("360103",))
    before = counts(registry)
    assert before[0] == 1  # 东湖区 第 1 版
    with pytest.raises(plan.PlanError) as refused:
        run(registry, tmp_path, "360000", "360103")
    assert str(refused.value).startswith(
        "本次计划没有需要计划的人员：区划 360103 西湖区 的 2 人"
        "已由其他计划（360102 东湖区 第 1 版 2 人）代缴，未生成新版本"
    )
    assert counts(registry) == before
    monkeypatch.setattr(cli, "open_registry", lambda: registry)
    out = CliRunner().invoke(
        cli.app,
        [
            *("plan", "--jurisdiction", "360000", "--year", "2018", "--region", "360103"),
            *("--programme", "resident_pension"),
        ],
    )
    assert out.exit_code == 2, out.output
    assert "无法生成计划，未写入任何数据" in out.output
    assert "本次计划没有需要计划的人员" in out.output and "Traceback" not in out.output
    assert counts(registry) == before
