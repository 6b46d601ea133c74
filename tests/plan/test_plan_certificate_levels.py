"""Which certificate of a year the plan reads for the skill-upgrade subsidy
(plan/records.py; JX-2017-58/2.3.9): the levels the subsidy covers are those its amounts
name (``unemployment.skill_upgrade_amounts``), not levels 3–5 written into the reading."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import pyarrow as pa

import doudi
from conftest import make_id
from doudi.engine import backend
from doudi.engine.results import format_results
from doudi.plan import inputs, records
from doudi.policy.params import Params
from doudi.rosters.importing import import_roster
from doudi.store import db
from support import roster

WORKER = 1
#: A parameter set whose subsidy covers 中级（四级） only, at 1500 yuan.
ONLY_LEVEL_4 = {"unemployment.skill_upgrade_amounts": {4: 1500}}


def certificates(*rows: tuple[str, str]) -> tuple[pa.Table, pa.Table]:
    """One certificates list of 2018-06-30 with WORKER's certificates (level, date)."""
    columns: dict[str, list] = {name: [None] * len(rows) for name in records.ENTRY_COLUMNS}
    columns["batch_id"] = [1] * len(rows)
    columns["row_number"] = list(range(2, len(rows) + 2))
    columns["person_id"] = [WORKER] * len(rows)
    columns["certificate_level"] = [level for level, _ in rows]
    columns["certificate_date"] = [day for _, day in rows]
    types = {"batch_id": pa.int64(), "row_number": pa.int64(), "person_id": pa.int64()}
    entries = pa.table(
        {name: pa.array(values, types.get(name, pa.string())) for name, values in columns.items()}
    )
    batches = pa.table(
        {"id": [1], "source": ["certificates"], "as_of": pa.array([date(2018, 6, 30)])}
    )
    return entries, batches


def read_level(covered: tuple[int, ...]) -> int:
    """The level the plan reads for WORKER in 2018 of a 三级 and a 四级 certificate of 2018."""
    entries, batches = certificates(("3", "2018-03-01"), ("4", "2018-09-01"))
    found = records.facts(entries, batches, np.array([WORKER], np.int64), 2018, covered)
    return found["ue_certificate_level"][0].as_py()


def test_JX_2017_58_2_3_9_the_covered_levels_are_the_amounts_levels() -> None:
    assert records.covered_levels(Params("360000", 2018)) == (3, 4, 5)
    assert records.covered_levels(Params("360000", 2018, ONLY_LEVEL_4)) == (4,)
    assert records.covered_levels(Params("130000", 2018)) == ()  # Hebei: no such subsidy


def test_JX_2017_58_2_3_9_amounts_covering_level_4_only_read_the_level_4_certificate() -> None:
    """Jiangxi's amounts (5, 4, 3): the higher 三级 certificate of the year. Amounts
    covering 四级 only: the 四级 certificate, not the uncovered 三级 one of the same year,
    and the subsidy is 1500.00 (the 四级 amount; the 三级 certificate would pay 0.00)."""
    assert read_level(records.covered_levels(Params("360000", 2018))) == 3
    level = read_level(records.covered_levels(Params("360000", 2018, ONLY_LEVEL_4)))
    assert level == 4
    assert subsidy(level) == "1500.00"  # the 四级 amount
    assert subsidy(3) == "0.00"  # what reading 三级 first paid: a level not covered


def subsidy(level: int) -> str:
    """WORKER's 2018 subsidy under ONLY_LEVEL_4 for a certificate of ``level``: insured
    and paying 40 months (≥ 36), certificate of 2018-09-01 (on or after 2017-01-01)."""
    worker = {
        "id_number": "360102198005120017",
        "hukou_region": "360102",
        "unemployment": {
            "rural_contract_worker": True,
            "contribution_months": 40,
            "insured_months": 40,
            "certificate_level": level,
            "certificate_date": "2018-09-01",
        },
    }
    scenario = {"jurisdiction": "360000", "year": 2018, "parameters": ONLY_LEVEL_4}
    result = doudi.evaluate({**scenario, "people": [worker]})["results"][0]
    return result["unemployment"]["skill_upgrade_subsidy"]["amount"]


def test_JX_2017_58_2_3_9_the_latest_earlier_certificate_of_the_years_level_is_read() -> None:
    """A 四级 certificate of 2018 (the year's), 四级 ones of 2016 and 2017, a 三级 one of
    2017: the same level's latest earlier date, 2017-05-02; the 三级 one is another level."""
    entries, batches = certificates(
        ("4", "2018-09-01"), ("4", "2016-03-01"), ("4", "2017-05-02"), ("3", "2017-08-01")
    )
    found = records.facts(entries, batches, np.array([WORKER], np.int64), 2018, (3, 4, 5))
    assert found["ue_certificate_level"][0].as_py() == 4
    assert found["ue_same_level_certificate_date"][0].as_py() == date(2017, 5, 2)
    only_other = certificates(("4", "2018-09-01"), ("3", "2017-08-01"))
    found = records.facts(*only_other, np.array([WORKER], np.int64), 2018, (3, 4, 5))
    # no record states one: the fact is left out, null for everyone (inputs._conform)
    assert "ue_same_level_certificate_date" not in found


def test_JX_2017_58_2_3_9_the_plans_reading_asks_about_an_earlier_years_same_level(
    registry: db.Database, tmp_path: Path
) -> None:
    """A worker with 四级 certificates of 2017-06-01 and 2018-04-01 (insured and paying 40
    months ≥ 36): the plan's reading of the registry (``inputs.person_inputs``) gives 2018
    the 2018 one, 1500.00, and the 2017 one's date, which the explanation names (paid in
    2017? a level is paid once)."""
    worker = (make_id("360102", "19850101", "012"), "孙立")
    records = {
        "单位名称": ["南昌某建筑公司"],
        "是否农民合同制工人": ["是"],
        "本单位连续工作月数": ["30"],
        "单位是否缴纳失业保险费": ["是"],
        "劳动合同终止情形": ["未终止"],
        "累计参保月数": ["40"],
        "累计缴费月数": ["40"],
    }
    june = date(2018, 6, 30)
    path = roster(tmp_path / "ue.csv", [worker], records)
    import_roster(registry, path, "unemployment_records", june)
    certificates = {
        "证书等级": ["四级", "四级"],
        "发证日期": ["2017-06-01", "2018-04-01"],
        "证书编号": ["C1", "C2"],
    }
    path = roster(tmp_path / "cert.csv", [worker, worker], certificates)
    import_roster(registry, path, "certificates", june)
    person = registry.read("registry_person").to_pylist()[0]["id"]
    people, statuses = inputs.person_inputs(registry, person, "360000", 2018)
    compiled = backend.plan("360000", 2018)
    row = compiled.run(people, statuses).to_pylist()[0]
    assert row["ue_same_level_certificate_date"] == date(2017, 6, 1)
    found = format_results([row], compiled.params, {row["row_no"]})[0]["unemployment"]
    assert found["skill_upgrade_subsidy"]["amount"] == "1500.00"
    assert "注意：本人已于2017-06-01取得同为四级（中级工）的证书" in found["explanation"]
