"""A registry person asked about a year before their birth (issue #19 §4; the reading:
docs/readings.md 25), on SQLite and PostgreSQL.

A scenario refuses such a person (engine/scenario_checks.py). The registry holds them
for the years they live, and the person page explains any year asked for: born
2020-05-01 and asked about 2018, they get nothing and owe nothing for it — whatever
status period an old import stored from before the birth — and the explanation says so,
with no negative age (before: "未满16周岁（-2周岁）" and a medical subsidy).
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from pathlib import Path

from django.db import connections

from conftest import make_id
from doudi.plan import versions as plan
from doudi.plan.explanation import explain
from doudi.rosters.importing import import_roster
from doudi.store import db
from support import load_plan_people, roster

BABY = (make_id("500102", "20200501", "003"), "小明")  # born 2020-05-01, 涪陵区


def load(registry: db.Database, tmp_path: Path) -> int:
    """The plan's four Chongqing people and the child, with a registered-poor period
    from 2016-06-01 and a pension enrollment from 2015-01-01 stored as an import from
    before the rosters' birth-date check would have stored them; the child's id."""
    load_plan_people(registry, tmp_path)
    since = {"纳入时间": ["2020-06-01"]}
    path = roster(tmp_path / "poverty-2021.csv", [BABY], since)
    import_roster(registry, path, "poverty", date(2021, 3, 31), mode="addendum")
    with connections[registry.alias].cursor() as cursor:
        cursor.execute("SELECT id FROM registry_person WHERE id_number = %s", [BABY[0]])
        pk = int(cursor.fetchone()[0])
        cursor.execute("SELECT max(id) FROM registry_import_batch")
        batch = cursor.fetchone()[0]
        cursor.execute(
            "INSERT INTO registry_status_period (person_id, status, department, valid_from,"
            " valid_to, exit_marked, exit_date, batch_id)"
            " VALUES (%s, 'registered_poor', 'poverty_office', %s, NULL, %s, NULL, %s)",
            [pk, date(2016, 6, 1), False, batch],
        )
        cursor.execute(
            "INSERT INTO registry_enrollment (person_id, scheme, region_code, valid_from,"
            " valid_to, contribution_tier, receiving, batch_id)"
            " VALUES (%s, 'resident_pension', '500102', %s, NULL, %s, %s, %s)",
            [pk, date(2015, 1, 1), Decimal("100.00"), False, batch],
        )
    return pk


def test_a_person_born_after_the_year_is_explained_as_not_yet_born(registry, tmp_path):
    pk = load(registry, tmp_path)
    result = explain(registry, pk, "500102", 2018)
    pension, medical = result["resident_pension"], result["resident_medical"]
    # not born in 2018: no contribution, no government part, nothing owed
    assert (pension["contribution"], pension["gov_paid"], pension["self_due"]) == (
        "0.00",
        "0.00",
        "0.00",
    )
    assert (pension["reasons"], pension["basis"], pension["funding"]) == (
        ["not_born"],
        ["GF-2014-8/4"],
        {},
    )
    assert "出生日期为2020-05-01，2018年该人尚未出生" in pension["explanation"]
    # CQ-2018-82/2.2.1: no subsidy (was 100% of the contribution) and nothing due
    assert medical["eligible"] is False
    assert (medical["contribution"], medical["subsidy"], medical["self_due"]) == (
        "0.00",
        "0.00",
        "0.00",
    )
    assert (medical["reasons"], medical["basis"], medical["funding"]) == (
        ["not_born"],
        ["CQ-2018-82/2.2.1"],
        {},
    )
    assert "2018年该人尚未出生，无须缴费，无缴费资助" in medical["explanation"]
    for section in (pension, medical):  # no age is given, so no "-2周岁"
        assert not re.search(r"-\d+周岁|未满16周岁（", section["explanation"])


def test_a_person_born_during_the_year_is_evaluated_CQ_2018_82_2_2_1(registry, tmp_path):
    """Born 2020-05-01: 2020 is a year of theirs (born_after is after 31 December)."""
    pk = load(registry, tmp_path)
    medical = explain(registry, pk, "500102", 2020)["resident_medical"]
    assert medical["eligible"] is True and medical["reasons"] == []
    assert medical["subsidy"] == medical["contribution"] != "0.00"  # 100% of it
    pension = explain(registry, pk, "500102", 2020)["resident_pension"]
    assert "under_age" in pension["reasons"] and "not_born" not in pension["reasons"]
    assert "2020年12月31日未满16周岁（0周岁）" in pension["explanation"]


def test_the_plan_pays_nothing_for_a_person_born_after_the_year_CQ_2018_82_2_1_1(
    registry, tmp_path
):
    pk = load(registry, tmp_path)
    result = plan.run_plan(registry, "500000", 2018, snapshots=tmp_path / "plans")
    rows = registry.read("registry_contribution").to_pylist()
    # no row at all: no government part, and no own part is stated for one not born in
    # the year (as for the dead: reading 25; before, an own part of 0.00)
    assert [(r["payer"], r["amount"]) for r in rows if r["person_id"] == pk] == []
    # the four others as before: 70 + 70 (registered poor, dibao at 70%) + 100 (tekun,
    # in full) + 0 (张伯, 68 on 1 January 2018) = 240.00
    assert result.gov_paid == Decimal("240.00")
