"""A costing (issue #22) gives each registered person what ``doudi evaluate`` gives the
same person under the same rules: the baseline's, a parameter override's, another
jurisdiction's. Six people of 东湖区 (360102, costing_people.jiangxi), 2018.

Jiangxi's baseline (JX-2017-58/2.1.1: the county pays 100 for the poor, dibao and tekun
who are enrolled; JX-2017-58/2.1.2: their medical contribution of 220 in full, in three
equal parts, the odd fen to the province): 李梅 (poor, tier 100), 王强 (dibao, no tier:
the minimum 100), 赵兰 (tekun, tier 100) 100.00 by the county and 0.00 their own; 张伟
(no status, tier 300) owes 300.00, 刘洋 (no status, no tier) 100.00; 陈静 (poor, not
enrolled) has no pension row.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from costing_people import costed, evaluated, jiangxi, load, reform, scenario

import doudi
from doudi.costing import run
from doudi.store import db

YEAR = 2018


@pytest.fixture
def people(registry, tmp_path):
    them = jiangxi()
    load(registry, tmp_path, them)
    return them


def by_id(result: dict) -> dict:
    return {r["id_number"]: r for r in doudi.evaluate(result)["results"]}


def test_the_baseline_is_what_evaluate_gives_under_the_jurisdictions_rules(registry, people):
    found = run.cost(registry, reform({"resident_pension.minimum_tier": 200}), "360102")
    results = by_id(scenario("360000", YEAR, people))
    baseline = costed(found, "baseline")
    for p in people:
        assert baseline.get(p.id_number, {}) == evaluated(results[p.id_number], p), p.name
    # hand-computed: 李梅 100.00 by the county, 0.00 her own (JX-2017-58/2.1.1)
    li = baseline[people[0].id_number]
    assert li[("resident_pension", "county")] == Decimal("100.00")
    assert li[("resident_pension", "self")] == Decimal("0.00")
    # 220 / 3 = 73.33…: 73.34 + 73.33 + 73.33 = 220.00 (JX-2017-58/2.1.2)
    assert li[("resident_medical", "province")] == Decimal("73.34")


def test_NAT_2017_59_2_1_a_higher_minimum_tier_gives_what_evaluate_gives_with_the_override(
    registry, people
):
    """minimum_tier 200, the retained tier 100 (NAT-2017-59/2.1): 王强 and 刘洋, enrolled
    without a tier, now contribute 200; the county still pays 王强's fixed 100
    (JX-2017-58/2.1.1), so each owes 100.00 more: 王强 0.00 → 100.00, 刘洋 100.00 →
    200.00. 李梅 and 赵兰 keep tier 100 (retained), 张伟 his 300."""
    found = run.cost(registry, reform({"resident_pension.minimum_tier": 200}), "360102")
    results = by_id(scenario("360000", YEAR, people, **{"resident_pension.minimum_tier": 200}))
    after = costed(found, "reform")
    for p in people:
        assert after.get(p.id_number, {}) == evaluated(results[p.id_number], p), p.name
    wang, liu = people[1].id_number, people[4].id_number
    assert after[wang][("resident_pension", "self")] == Decimal("100.00")  # 200 − 100
    assert after[liu][("resident_pension", "self")] == Decimal("200.00")
    assert after[wang][("resident_pension", "county")] == Decimal("100.00")
    # nobody is paid more or less for (reading 51); two owe 100.00 more
    persons = found.persons.to_pylist()
    assert {r["change"] for r in persons} == {Decimal("0.00")}
    owed = {r["id_number"]: r["owed_change"] for r in persons}
    assert owed == {p.id_number: Decimal("0.00") for p in people} | {
        wang: Decimal("100.00"),
        liu: Decimal("100.00"),
    }
    assert found.counts() == (0, 0, 6)
    assert found.counts("owed_change") == (2, 0, 4)
    # the pension's own parts: 0 + 0 + 0 + 300 + 100 = 400 → 0 + 100 + 0 + 300 + 200 = 600
    (owed,) = [
        line
        for line in found.by_payer.to_pylist()
        if (line["programme_code"], line["payer_code"]) == ("resident_pension", "self")
    ]
    assert (owed["baseline"], owed["reform"], owed["difference"]) == (
        Decimal("400.00"),
        Decimal("600.00"),
        Decimal("200.00"),
    )


def test_the_reforms_rows_cite_the_adjusted_parameter(registry, people):
    found = run.cost(registry, reform({"resident_pension.minimum_tier": 200}), "360102")
    rows = found.rows.to_pylist()
    pension = [r for r in rows if r["programme"] == "resident_pension"]
    assert pension and all(
        r["reform_basis"].endswith("测算：参数调整（resident_pension.minimum_tier=200）")
        for r in pension
    )
    # the baseline's clauses are the document's alone; the medical subsidy reads no
    # adjusted value, and its rows cite no adjustment
    assert not any("测算" in (r["baseline_basis"] or "") for r in rows)
    assert not any("测算" in (r["reform_basis"] or "") for r in rows if r not in pension)


def test_CQ_2018_82_2_1_1_chongqings_rules_give_what_evaluate_gives_under_chongqing(
    registry, people
):
    """Chongqing's rules on the Jiangxi people: 70% of the minimum tier for the poor and
    dibao (70.00, own part 30.00), 100% for tekun (100.00), paid by the poverty office
    and civil affairs; person by person what evaluate gives them under 500000."""
    found = run.cost(registry, reform({"rules": 500000}), "360102")
    results = by_id(scenario("500000", YEAR, people))
    after = costed(found, "reform")
    for p in people:
        assert after.get(p.id_number, {}) == evaluated(results[p.id_number], p), p.name
    li, wang, zhao = (people[i].id_number for i in range(3))
    # 李梅: 100.00 paid for her → 70.00: she loses 30.00, and owes 30.00 more
    mine = next(r for r in found.persons.to_pylist() if r["id_number"] == li)
    assert (mine["change"], mine["owed_change"]) == (Decimal("-30.00"), Decimal("30.00"))
    assert after[li][("resident_pension", "poverty_office")] == Decimal("70.00")  # 100 × 70%
    assert after[li][("resident_pension", "self")] == Decimal("30.00")
    assert after[wang][("resident_pension", "civil_affairs")] == Decimal("70.00")
    assert after[zhao][("resident_pension", "civil_affairs")] == Decimal("100.00")
    # the baseline stays Jiangxi's
    assert costed(found, "baseline")[li][("resident_pension", "county")] == Decimal("100.00")


def test_a_reform_that_changes_no_amount_costs_zero_for_every_person(registry, people):
    """Jiangxi pays a fixed 100 (JX-2017-58/2.1.1) and never reads the share of the
    minimum tier: a share of 0.5 changes the parameters and no amount."""
    found = run.cost(registry, reform({"resident_pension.gov_paid_share": 0.5}), "360102")
    assert found.rows.num_rows > 0
    assert all(r["difference"] == 0 for r in found.rows.to_pylist())
    assert all(r["baseline"] == r["reform"] for r in found.rows.to_pylist())
    assert set(found.persons.column("change").to_pylist()) == {Decimal("0.00")}
    assert found.counts() == (0, 0, 6)
    unchanged = {line["bin"]: line["people"] for line in found.distribution.to_pylist()}
    assert unchanged["不变"] == 6 and sum(unchanged.values()) == 6
    # nothing read the value: no row cites an adjustment
    assert not any("测算" in (r["reform_basis"] or "") for r in found.rows.to_pylist())


def test_totals_are_the_sums_of_the_rows_to_the_fen(registry, people):
    found = run.cost(registry, reform({"rules": 500000}), "360102")
    rows = found.rows.to_pylist()
    lines = {(x["programme_code"], x["payer_code"]): x for x in found.by_payer.to_pylist()}
    for (programme, payer), line in lines.items():
        if programme == "*" or payer == "*":
            continue
        mine = [r for r in rows if (r["programme"], r["payer"]) == (programme, payer)]
        assert line["baseline"] == sum((r["baseline"] for r in mine), Decimal(0))
        assert line["reform"] == sum((r["reform"] for r in mine), Decimal(0))
    paid = [r for r in rows if r["payer"] != "self"]
    every = lines[("*", "*")]
    assert every["baseline"] == sum((r["baseline"] for r in paid), Decimal(0))
    assert every["reform"] == sum((r["reform"] for r in paid), Decimal(0))
    assert every["difference"] == sum((r["difference"] for r in paid), Decimal(0))
    region = next(x for x in found.by_region.to_pylist() if x["programme_code"] == "*")
    assert (region["baseline"], region["reform"]) == (every["baseline"], every["reform"])
    assert region["people"] == found.people == 6
    groups = [x for x in found.by_group.to_pylist() if x["programme_code"] == "*"]
    assert sum(x["reform"] for x in groups) == every["reform"]
    assert sum(x["people"] for x in groups) == 6
    spread = found.distribution.to_pylist()
    assert sum(x["people"] for x in spread) == 6
    assert sum(x["total_change"] for x in spread) == sum(found.persons.column("change").to_pylist())


def row_counts(registry: db.Database) -> dict[str, int]:
    with registry.reading() as con:
        return {t: int(db.scalar(con, f'SELECT count(*) FROM "{t}"')) for t in db.registry_tables()}


def test_a_costing_writes_nothing_to_the_registry(registry, people, tmp_path, monkeypatch):
    """Every registry table has the same rows after both reforms as before (no plan
    version, no contribution row, no audit row), and no plan snapshot is written."""
    monkeypatch.chdir(tmp_path)
    before = row_counts(registry)
    assert before["registry_person"] == 6
    for changes in ({"rules": 500000}, {"resident_pension.minimum_tier": 200}):
        run.cost(registry, reform(changes), "360102", id_number=people[0].id_number)
    assert row_counts(registry) == before
    assert not (tmp_path / "var").exists()
