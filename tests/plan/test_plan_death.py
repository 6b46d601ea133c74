"""The plan and the death roster (issue #19 §1; HE-2018-3/3.2.1 严厉打击死亡冒领; the
reading: docs/readings.md 24), on SQLite and PostgreSQL, the rosters imported as a
county's files would be.

Three registered-poor Chongqing people on the list since 2017-06-01 (上年经认定 for
2018), enrolled at the minimum tier 100: 100 × 70% = 70.00 by the poverty office and
100 − 70 = 30.00 their own, unless dead before 2018.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

from doudi.plan import inputs
from doudi.plan import versions as plan
from doudi.plan.explanation import explain
from doudi.rosters.importing import import_roster
from doudi.store import db
from support import id17, roster

MARCH = date(2018, 3, 31)
ALIVE = (id17("500102198005120028"), "李梅")
DIED_2017 = (id17("500102198106060022"), "王芳")  # died 2017-10-01
DIED_2018 = (id17("500102198207070025"), "赵兰")  # died 2018-05-10


def load(registry: db.Database, tmp_path: Path) -> None:
    people = [ALIVE, DIED_2017, DIED_2018]
    since = {"纳入时间": ["2017-06-01"] * 3}
    import_roster(registry, roster(tmp_path / "poverty.csv", people, since), "poverty", MARCH)
    pension = {"缴费档次": ["100"] * 3, "参保时间": ["2015-01-01"] * 3}
    path = roster(tmp_path / "pension.csv", people, pension)
    import_roster(registry, path, "resident_pension", MARCH)
    deaths = {"死亡日期": ["2017-10-01", "2018-05-10"]}
    path = roster(tmp_path / "death.csv", [DIED_2017, DIED_2018], deaths)
    import_roster(registry, path, "death", date(2018, 6, 30))


def parts(registry: db.Database) -> dict[tuple[str, str], Decimal]:
    number = {r["id"]: r["id_number"] for r in registry.read("registry_person").to_pylist()}
    return {
        (number[r["person_id"]], r["payer"]): r["amount"]
        for r in registry.read("registry_contribution").to_pylist()
    }


def test_HE_2018_3_3_2_1_the_plan_pays_nothing_for_a_person_dead_before_the_year(
    registry, tmp_path
):
    load(registry, tmp_path)
    people, _ = inputs.engine_inputs(registry, "500000", 2018)
    numbers, days = people["id_number"].to_pylist(), people["death_date"].to_pylist()
    deaths = dict(zip(numbers, days, strict=True))
    assert deaths == {
        ALIVE[0]: None,
        DIED_2017[0]: date(2017, 10, 1),
        DIED_2018[0]: date(2018, 5, 10),
    }
    result = plan.run_plan(registry, "500000", 2018, snapshots=tmp_path / "plans")
    planned = parts(registry)
    # issue #19: died 2017-10-01 was planned 70 + 30; now no government part and 0.00 own
    assert (DIED_2017[0], "poverty_office") not in planned
    assert planned.get((DIED_2017[0], "self"), Decimal("0.00")) == Decimal("0.00")
    # the living and one who died during 2018 (docs/readings.md 24): 70.00 + 30.00
    for who in (ALIVE[0], DIED_2018[0]):
        assert planned[(who, "poverty_office")] == Decimal("70.00")
        assert planned[(who, "self")] == Decimal("30.00")
    assert result.gov_paid == Decimal("140.00")  # 2 × 70.00
    assert result.self_due == Decimal("60.00")  # 2 × 30.00


def test_HE_2018_3_3_2_1_the_person_explanation_reads_the_death_roster(registry, tmp_path):
    """The person page's explanation (plan/explanation.py) agrees with the plan."""
    load(registry, tmp_path)
    ids = {r["id_number"]: r["id"] for r in registry.read("registry_person").to_pylist()}
    dead = explain(registry, ids[DIED_2017[0]], "500102", 2018)["resident_pension"]
    assert (dead["gov_paid"], dead["reasons"], dead["basis"]) == (
        "0.00",
        ["deceased"],
        ["HE-2018-3/3.2.1"],
    )
    assert "死亡人员名单记载本人已于2017-10-01死亡（2018年1月1日以前）" in dead["explanation"]
    during = explain(registry, ids[DIED_2018[0]], "500102", 2018)["resident_pension"]
    assert (during["gov_paid"], during["self_due"]) == ("70.00", "30.00")
    assert "本人已于2018-05-10死亡：2018年度的代缴仍按计划列支" in during["explanation"]
