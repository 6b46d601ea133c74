"""An enrollment whose tier is off the tier list is planned as naming no tier (issue #19
§4: a tier of 50 imported before imports refused it was planned as a contribution of
50), on SQLite and PostgreSQL.

Jiangxi 2018, 东湖区 (360102), enrolled since 2015 and stored with a tier of 50 (as an
import before the fix stored it): 甲, registered poor since 2016, born 1980; 乙, born
1975, with no status. GF-2014-8/5.1: Jiangxi's tiers are 100 … 2000 yuan, the minimum
100. With no tier the rules read an enrolled person's contribution as the minimum tier
(rules.resident_pension.contribution).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from conftest import make_id
from doudi.plan import versions as plan
from doudi.rosters.importing import import_roster
from doudi.store import db

MARCH = date(2018, 3, 31)
POOR = make_id("360102", "19800101", "001")  # 甲
OTHER = make_id("360102", "19750101", "003")  # 乙


def write(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def load(registry: db.Database, tmp_path: Path) -> None:
    """Both enrolled at 100 as of 31 March, then their stored tier set to 50."""
    poor = write(tmp_path / "poverty.csv", ["公民身份号码,姓名,纳入时间", f"{POOR},甲,2016-06-01"])
    import_roster(registry, poor, "poverty", MARCH)
    pension = write(
        tmp_path / "pension.csv",
        [
            "公民身份号码,姓名,行政区划代码,参保时间,缴费档次",
            f"{POOR},甲,360102,2015-01-01,100",
            f"{OTHER},乙,360102,2015-01-01,100",
        ],
    )
    import_roster(registry, pension, "resident_pension", MARCH)
    with registry.transaction() as con:
        # a literal: the database drivers bind no decimal
        db.execute(con, "UPDATE registry_enrollment SET contribution_tier = 50")


def enroll_from(con: Any, person: int, batch: int, start: date, tier: int) -> None:
    """An open resident-pension enrollment of 乙 from ``start`` at ``tier`` (a literal:
    the drivers bind no decimal), as an import before the tier check stored it."""
    db.execute(
        con,
        "INSERT INTO registry_enrollment (person_id, scheme, region_code, valid_from,"
        " valid_to, contribution_tier, receiving, batch_id)"
        f" VALUES (?, 'resident_pension', '360102', ?, NULL, {int(tier)}, ?, ?)",
        (person, start, False, batch),
    )


def planned(registry: db.Database, version: int) -> dict[str, dict[str, Decimal]]:
    ids = {p["id"]: p["id_number"] for p in registry.read("registry_person").to_pylist()}
    rows = registry.read("registry_contribution", "WHERE plan_version_id = ?", (version,))
    out: dict[str, dict[str, Decimal]] = {}
    for r in rows.to_pylist():
        out.setdefault(ids[r["person_id"]], {})[r["payer"]] = r["amount"]
    return out


def test_GF_2014_8_5_1_a_stored_tier_of_50_is_planned_as_no_tier_JX_2017_58_2_1_1(
    registry, tmp_path
):
    load(registry, tmp_path)
    result = plan.run_plan(registry, "360000", 2018, snapshots=tmp_path / "plans")
    by_person = planned(registry, result.version_id)
    # 甲, JX-2017-58/2.1.1: the county pays 100 a year (按100元为基数), never more than her
    # contribution: no tier → the minimum tier 100; min(100, 100) = 100.00 paid,
    # 100 − 100 = 0.00 her own part (at 50 it was min(100, 50) = 50.00 paid)
    assert by_person[POOR] == {"county": Decimal("100.00"), "self": Decimal("0.00")}
    # 乙, no status: nothing paid for him; his own part is the minimum tier, 100.00
    # (at 50 it was 50.00)
    assert by_person[OTHER] == {"self": Decimal("100.00")}
    assert "缴费档次不在本年度档次表内、已忽略该档次：2 人" in "".join(
        result.summary_zh("360000", 2018)
    )


def test_the_latest_allowed_tier_counts_when_a_later_one_is_off_the_list(registry, tmp_path):
    """乙 also has an enrollment from 2018-07-01 stored at 50: his 2015 one at 200 is
    the latest that names an allowed tier, so he owes 200.00 (not 50.00, and not the
    minimum tier)."""
    load(registry, tmp_path)
    with registry.transaction() as con:
        person = db.scalar(con, "SELECT id FROM registry_person WHERE id_number = ?", (OTHER,))
        batch = db.scalar(con, "SELECT max(id) FROM registry_import_batch")
        db.execute(
            con,
            "UPDATE registry_enrollment SET contribution_tier = 200 WHERE person_id = ?",
            (person,),
        )
        enroll_from(con, person, batch, date(2018, 7, 1), 50)
    result = plan.run_plan(registry, "360000", 2018, snapshots=tmp_path / "plans")
    assert planned(registry, result.version_id)[OTHER] == {"self": Decimal("200.00")}
    assert result.tiers_ignored == 2  # 甲's 50 and 乙's later 50


def test_the_ledger_shows_the_tier_the_plan_read_not_the_stored_50(registry, tmp_path):
    """Review finding: the ledger showed 缴费档次 50.00 beside amounts planned at the
    minimum tier; it shows the plan's reading (no tier) instead."""
    from doudi.plan.ledger import ledger

    load(registry, tmp_path)
    result = plan.run_plan(registry, "360000", 2018, snapshots=tmp_path / "plans")
    people = ledger(registry, result.version_id).people
    tiers = dict(
        zip(
            people.column("id_number").to_pylist(),
            people.column("rp_tier").to_pylist(),
            strict=True,
        )
    )
    assert tiers == {POOR: None, OTHER: None}


def test_an_off_list_tier_since_replaced_by_an_allowed_one_is_not_counted(registry, tmp_path):
    """乙's 50 held until 31 March 2018, then 200 from 1 April: the plan reads 200 as it
    would have anyway, so only 甲's 50 is reported as ignored (review finding: both were)."""
    load(registry, tmp_path)
    with registry.transaction() as con:
        person = db.scalar(con, "SELECT id FROM registry_person WHERE id_number = ?", (OTHER,))
        batch = db.scalar(con, "SELECT max(id) FROM registry_import_batch")
        db.execute(
            con,
            "UPDATE registry_enrollment SET valid_to = ? WHERE person_id = ?",
            (date(2018, 4, 1), person),
        )
        enroll_from(con, person, batch, date(2018, 4, 1), 200)
    result = plan.run_plan(registry, "360000", 2018, snapshots=tmp_path / "plans")
    assert planned(registry, result.version_id)[OTHER] == {"self": Decimal("200.00")}
    assert result.tiers_ignored == 1  # 甲's only
