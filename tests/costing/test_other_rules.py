"""Another jurisdiction's rules on this one's registered people (docs/costing.md, decision
0017): the people stand in for the other jurisdiction's own. Where a rule asks whether a
hukou or an insured county is the jurisdiction's (JX-2017-58/2.1.1 具有本省户籍; the
insured county outside the jurisdiction, GF-2014-8/4 and docs/readings.md 38), it asks it
of the baseline's jurisdiction, whose people are costed."""

from __future__ import annotations

from decimal import Decimal

from costing_people import Someone, costed, load, reform, scenario

import doudi
from conftest import make_id
from doudi.costing import run


def test_GF_2014_8_4_one_insured_in_another_county_of_the_baseline_is_chongqings_own(
    registry, tmp_path
):
    """Registered poor of 东湖区 (360102), enrolled at tier 100 in 南昌县 (360121):
    Jiangxi pays its 100 (another county of Jiangxi, reading 38). Under Chongqing's rules
    costed on Jiangxi's people, 南昌县 is inside the population's jurisdiction: 70% of
    100 = 70.00 by the poverty office, 30.00 her own (CQ-2018-82/2.1.1) — where evaluate,
    which places her under Chongqing itself, finds her insured outside it and pays
    nothing."""
    her = Someone(make_id("360102", "19800512", "073"), "王芳", "poverty", "100", "360121")
    load(registry, tmp_path, [her])
    found = run.cost(registry, reform({"rules": 500000}), "360102")
    rows = costed(found, "reform")[her.id_number]
    assert rows[("resident_pension", "poverty_office")] == Decimal("70.00")
    assert rows[("resident_pension", "self")] == Decimal("30.00")  # 100 − 70
    assert costed(found, "baseline")[her.id_number][("resident_pension", "county")] == Decimal(
        "100.00"
    )
    (alone,) = doudi.evaluate(scenario("500000", 2018, [her]))["results"]
    assert alone["resident_pension"]["reasons"] == ["insured_elsewhere"]


def test_JX_2017_58_2_1_1_jiangxis_rules_on_chongqings_people_read_their_own_province(
    registry, tmp_path
):
    """Registered poor of 涪陵区 (500102), enrolled at tier 100: Jiangxi's rules require a
    hukou of the province (具有本省户籍). Costed on Chongqing's people, the province is
    Chongqing: the county pays 100.00 and she owes 0.00 (Chongqing's own rules: 70.00 and
    30.00). Evaluated under Jiangxi itself she has no Jiangxi hukou and nothing is paid."""
    her = Someone(make_id("500102", "19800512", "085"), "李梅", "poverty", "100")
    load(registry, tmp_path, [her])
    found = run.cost(registry, reform({"rules": 360000}, jurisdiction="500000"), "500102")
    after = costed(found, "reform")[her.id_number]
    assert after[("resident_pension", "county")] == Decimal("100.00")
    assert after[("resident_pension", "self")] == Decimal("0.00")
    before = costed(found, "baseline")[her.id_number]
    assert before[("resident_pension", "poverty_office")] == Decimal("70.00")
    (alone,) = doudi.evaluate(scenario("360000", 2018, [her]))["results"]
    assert alone["resident_pension"]["reasons"] == ["hukou"]
    # the person's explanation under the reform reads the rules as applied to her
    found = run.cost(
        registry,
        reform({"rules": 360000}, jurisdiction="500000"),
        "500102",
        id_number=her.id_number,
    )
    assert found.person is not None
    (pension, *_) = found.person.explanations()
    assert "县(市、区)政府按100元为基数" in pension[2]


def test_a_programme_the_other_rules_lack_costs_nothing_under_them(registry, tmp_path):
    """Chongqing's document has no rural workers' unemployment benefit: applied to every
    programme, the reform pays none of Jiangxi's and says so; the example reform names
    only the pension and the medical subsidy, and the benefit stays Jiangxi's."""
    her = Someone(make_id("360102", "19800512", "097"), "赵兰", "poverty", "100")
    load(registry, tmp_path, [her])
    found = run.cost(registry, reform({"rules": 500000}), "360102")
    assert [p.code for p in found.programmes] == [
        "resident_pension",
        "resident_medical",
        "unemployment",
    ]
    assert any("重庆市的规则没有农民工失业保险待遇" in note for note in found.notes)
    only = run.cost(
        registry,
        reform({"rules": 500000, "programmes": ["resident_pension", "resident_medical"]}),
        "360102",
    )
    assert not any("农民工失业保险待遇" in note for note in only.notes)
