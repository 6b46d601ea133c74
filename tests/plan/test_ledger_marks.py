"""Person marks (人员标识) in a plan's ledger (plan/ledger.py), on SQLite and PostgreSQL:
each status held in the year, the exit-marked registered poor kept on policy as a mark
of its own (PZH-2018-195/6.2), 60周岁以上, 异地参保 and 已死亡 with its date — the
exact text of the cell, in the Arrow table and in the workbook as Excel reads it.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import fastexcel
import pyarrow as pa
import pyarrow.csv as pacsv

from conftest import make_id
from doudi.plan import ledger
from doudi.plan import versions as plan
from doudi.plan.ledger_workbook import ledger_workbook
from doudi.rosters.importing import import_roster
from doudi.store import db

MARCH = date(2018, 3, 31)
SINCE = "2017-06-01"  # on the lists on 31 December 2017: Chongqing's 2018 targets
WANZHOU, FULING = "500101", "500102"
# key: (ID number, name); everyone's hukou is in 万州区 (500101)
PEOPLE = {
    "kept": (make_id(WANZHOU, "19800512", "011"), "陈保"),
    "exited": (make_id(WANZHOU, "19810303", "013"), "林退"),
    "aged": (make_id(WANZHOU, "19580101", "015"), "周老"),  # 60 on 1 January 2018
    "almost": (make_id(WANZHOU, "19580102", "017"), "吴少"),  # 59 on 1 January 2018
    "others": (make_id(WANZHOU, "19750606", "019"), "郑多"),
    "student": (make_id(WANZHOU, "20010909", "021"), "钱学"),
    "away": (make_id(WANZHOU, "19700707", "023"), "孙外"),
    "none": (make_id(WANZHOU, "19850101", "025"), "冯无"),
}


def roster(path: Path, keys: list[str], extra: dict[str, list[str]], region: str = WANZHOU) -> Path:
    table = {
        "公民身份号码": [PEOPLE[k][0] for k in keys],
        "姓名": [PEOPLE[k][1] for k in keys],
        "行政区划代码": [region] * len(keys),
    }
    table.update(extra)
    pacsv.write_csv(pa.table(table), path)
    return path


def since(keys: list[str]) -> dict[str, list[str]]:
    return {"纳入时间": [SINCE] * len(keys)}


def load(registry: db.Database, tmp_path: Path) -> plan.PlanResult:
    """Chongqing 2018, one person per combination of marks (see MARKS)."""
    poverty = ["kept", "exited", "student", "away"]
    exits = {"kept": "2018-06-01", "exited": "2017-09-01"}  # during 2018 / before it
    marked = {
        "是否标注脱贫": ["是" if k in exits else "否" for k in poverty],
        "脱贫时间": [exits.get(k, "") for k in poverty],
    }
    lists: dict[str, tuple[list[str], dict[str, list[str]]]] = {
        "poverty": (poverty, {**since(poverty), **marked}),
        "disability": (["kept"], {**since(["kept"]), "残疾等级": ["一级"]}),
        "dibao": (["aged", "almost"], since(["aged", "almost"])),
        "tekun": (["aged"], since(["aged"])),
        "low_income": (["others"], since(["others"])),
        "veterans": (
            ["others"],
            {
                **since(["others"]),
                "退役士兵类别": ["伤残军人"],
                "是否失业": ["是"],
                "是否参加职工医保": ["否"],
            },
        ),
        "other_assistance": (["others"], since(["others"])),
        "unable_to_work": (["others"], {"认定时间": [SINCE]}),
        "students": (["student"], {"入学时间": [SINCE]}),
    }
    for source, (keys, extra) in lists.items():
        import_roster(registry, roster(tmp_path / f"{source}.csv", keys, extra), source, MARCH)
    home = ["kept", "others", "none"]
    enrolled = {"参保时间": ["2015-01-01"] * 3, "缴费档次": ["100"] * 3}
    pension = roster(tmp_path / "pension.csv", home, enrolled)
    import_roster(registry, pension, "resident_pension", MARCH)
    # 孙外 is insured in 涪陵区, another county than his hukou's
    medical = roster(tmp_path / "medical.csv", ["away"], {"参保时间": ["2016-01-01"]}, FULING)
    import_roster(registry, medical, "resident_medical", MARCH)
    death = roster(tmp_path / "death.csv", ["away"], {"死亡日期": ["2018-02-01"]})
    import_roster(registry, death, "death", MARCH)
    return plan.run_plan(registry, "500000", 2018, snapshots=tmp_path / "plans")


MARKS = {
    # exit-marked on 1 June 2018, a target of 2018 (on the list on 31 December 2017,
    # CQ-2018-82/2.1.1): the plan pays for her (disabled, 100 × 100% = 100.00)
    "陈保": "建档立卡贫困人口（标注脱贫，仍享受政策）、重度残疾人",
    # exit-marked on 1 September 2017: no target of 2018, nothing paid for her
    "林退": "建档立卡贫困人口（标注脱贫）",
    # born 1958-01-01: 2018 − 1958 = 60 on 1 January 2018
    "周老": "低保对象、特困人员、60周岁以上",
    # born 1958-01-02: 59 on 1 January 2018 (60 only on 2 January)
    "吴少": "低保对象",
    "郑多": "城镇低收入家庭成员、14类退役士兵、其他困难保障救助对象、丧失劳动能力",
    "钱学": "建档立卡贫困人口、在校学生",
    # hukou 500101, resident medical in 500102; died 1 February 2018
    "孙外": "建档立卡贫困人口、异地参保、已死亡（2018-02-01）",
    "冯无": None,  # enrolled, no status: on the ledger for his own 100.00, no mark
}


def test_person_marks_pzh_2018_195_6_2_name_each_status_and_fact_of_the_year(registry, tmp_path):
    result = load(registry, tmp_path)
    book = ledger.ledger(registry, result.version_id)
    people = {r["name"]: r for r in book.people.to_pylist()}
    assert {name: row["marks"] for name, row in people.items()} == MARKS
    # the plan's amounts the 仍享受政策 mark reads: 100.00 for 陈保, nothing for 林退
    assert (people["陈保"]["gov_paid"], people["林退"]["gov_paid"]) == (100, 0)
    # the statuses column stays as it was: the four statuses, exit marks not shown
    assert people["陈保"]["statuses"] == "建档立卡贫困人口、重度残疾人"
    assert people["郑多"]["statuses"] is None


def test_the_workbook_has_the_person_marks_column_after_the_statuses(registry, tmp_path):
    result = load(registry, tmp_path)
    path = tmp_path / "台账.xlsx"
    ledger_workbook(registry, result.version_id, path)
    sheet = fastexcel.read_excel(path).load_sheet("台账", eager=True)
    header = sheet.schema.names
    assert header.index("人员标识") == header.index("年度内身份") + 1
    assert {"公民身份号码", "政府代缴合计", "个人应缴", "依据条款"} <= set(header)
    cells = {r["姓名"]: r["人员标识"] for r in sheet.to_pylist()}
    assert cells == MARKS
