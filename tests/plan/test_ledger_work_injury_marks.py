"""Person marks from the work-injury lists in a plan's ledger (plan/ledger.py, issue #21
§3), on SQLite and PostgreSQL: 项目务工人员 for a stint on a project's roster on some day
of the plan year, 工伤职工 for a case recognised by 31 December whatever the injury's
year, 工伤职工（尘肺病） for such a case flagged 尘肺病 — read from the lists of the
counties under the version's region as they stood on 31 December (docs/readings.md 49).
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
from doudi.work_injury.importing import import_lists

MARCH = date(2018, 3, 31)
YEAR_END = date(2018, 12, 31)
SINCE = "2017-06-01"  # on the dibao list on 31 December 2017: Chongqing's 2018 targets
WANZHOU, FULING = "500101", "500102"
# key: (ID number, name); everyone's hukou is in 万州区 (500101), everyone holds dibao
PEOPLE = {
    "on_site": (make_id(WANZHOU, "19800512", "011"), "王进"),
    "left": (make_id(WANZHOU, "19810303", "013"), "赵退"),
    "new_year": (make_id(WANZHOU, "19820404", "015"), "钱跨"),
    "injured_long_ago": (make_id(WANZHOU, "19750606", "017"), "孙伤"),
    "refused": (make_id(WANZHOU, "19760707", "019"), "李驳"),
    "lungs": (make_id(WANZHOU, "19700808", "021"), "周尘"),
    "late_news": (make_id(WANZHOU, "19710909", "023"), "吴后"),
    "both": (make_id(WANZHOU, "19580101", "025"), "冯双"),  # 60 on 1 January 2018
    "elsewhere": (make_id(WANZHOU, "19850101", "027"), "郑外"),  # on 涪陵区's lists only
}
CASE_HEADER = (
    "案件编号,身份证号码,姓名,受伤日期,用人单位,工伤认定结论,认定日期,"
    "用人单位是否参加工伤保险,用人单位是否支付工伤保险待遇,申请待遇金额,尘肺病\n"
)


def person(key: str) -> str:
    """``ID number,name`` of a person, as the lists write them."""
    return ",".join(PEOPLE[key])


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def project(county: str) -> str:
    return (
        "项目编号,项目名称,行业,所在县区,施工单位,开工日期,工伤保险起保日期,工伤保险终止日期\n"
        f"P001,江边大桥,建筑,{county},中建三局,2016-03-01,2016-03-01,\n"
    )


def wanzhou_lists(folder: Path) -> dict[str, Path]:
    """万州区's lists as of 31 December 2018."""
    workers = (
        "身份证号码,姓名,项目编号,进场日期,退场日期\n"
        f"{person('on_site')},P001,2018-03-01,\n"
        # 退场 31 December 2017 is his last day on the site: not on it in 2018
        f"{person('left')},P001,2017-03-01,2017-12-31\n"
        # 退场 1 January 2018: on the site on the plan year's first day
        f"{person('new_year')},P001,2017-05-01,2018-01-01\n"
        f"{person('both')},P001,2018-02-01,2018-10-31\n"
    )
    cases = CASE_HEADER + (
        # injured and recognised in 2016: a 工伤职工 remains one
        f"GS001,{person('injured_long_ago')},2016-04-01,中建三局,认定为工伤,2016-06-30,是,是,,否\n"
        f"GS002,{person('refused')},2018-04-01,中建三局,不予认定,2018-05-01,是,否,,否\n"
        f"GS003,{person('lungs')},2017-01-01,某矿业,认定为工伤,2018-07-01,否,否,,是\n"
        f"GS004,{person('late_news')},2018-11-01,中建三局,认定中,,是,否,,否\n"
        f"GS005,{person('both')},2018-06-01,中建三局,认定为工伤,2018-08-01,是,是,,否\n"
    )
    return {
        "projects": write(folder / "wz_p.csv", project(WANZHOU)),
        "project-workers": write(folder / "wz_w.csv", workers),
        "cases": write(folder / "wz_c.csv", cases),
    }


def fuling_lists(folder: Path) -> dict[str, Path]:
    """涪陵区's lists, numbering its project P001 as 万州区 does: 郑外 works and was
    injured there."""
    workers = "身份证号码,姓名,项目编号,进场日期,退场日期\n" + (
        f"{person('elsewhere')},P001,2018-04-01,\n"
    )
    cases = CASE_HEADER + (
        f"GS001,{person('elsewhere')},2018-05-01,中建三局,认定为工伤,2018-06-01,是,是,,否\n"
    )
    return {
        "projects": write(folder / "fl_p.csv", project(FULING)),
        "project-workers": write(folder / "fl_w.csv", workers),
        "cases": write(folder / "fl_c.csv", cases),
    }


def load(registry: db.Database, tmp_path: Path) -> None:
    """Everyone on 万州区's dibao list since June 2017, 冯双 dead on 1 November 2018,
    and the two counties' work-injury lists; 吴后's case recognised on 20 December 2018
    only by an addendum as of 31 January 2019."""
    keys = list(PEOPLE)
    dibao = {
        "公民身份号码": [PEOPLE[k][0] for k in keys],
        "姓名": [PEOPLE[k][1] for k in keys],
        "行政区划代码": [WANZHOU] * len(keys),
        "纳入时间": [SINCE] * len(keys),
    }
    pacsv.write_csv(pa.table(dibao), tmp_path / "dibao.csv")
    import_roster(registry, tmp_path / "dibao.csv", "dibao", MARCH)
    death = {
        "公民身份号码": [PEOPLE["both"][0]],
        "姓名": [PEOPLE["both"][1]],
        "行政区划代码": [WANZHOU],
        "死亡日期": ["2018-11-01"],
    }
    pacsv.write_csv(pa.table(death), tmp_path / "death.csv")
    import_roster(registry, tmp_path / "death.csv", "death", YEAR_END)
    import_lists(registry, wanzhou_lists(tmp_path), WANZHOU, YEAR_END)
    import_lists(registry, fuling_lists(tmp_path), FULING, YEAR_END)
    late = CASE_HEADER + (
        f"GS004,{person('late_news')},2018-11-01,中建三局,认定为工伤,2018-12-20,是,否,,否\n"
    )
    addendum = {"cases": write(tmp_path / "wz_c2.csv", late)}
    import_lists(registry, addendum, WANZHOU, date(2019, 1, 31), mode="addendum")


def marks(registry: db.Database, version_id: int) -> dict[str, str | None]:
    book = ledger.ledger(registry, version_id)
    return {r["name"]: r["marks"] for r in book.people.to_pylist()}


#: 万州区's marks, whatever the version's region (万州区 or all of 重庆市).
WANZHOU_MARKS = {
    "王进": "低保对象、项目务工人员",  # on the site from 1 March 2018
    "赵退": "低保对象",  # left on 31 December 2017
    "钱跨": "低保对象、项目务工人员",  # left on 1 January 2018
    "孙伤": "低保对象、工伤职工",  # recognised on 30 June 2016
    "李驳": "低保对象",  # 不予认定
    "周尘": "低保对象、工伤职工（尘肺病）",  # recognised 1 July 2018, 尘肺病 是
    # 认定中 on 31 December 2018: the recognition dated 20 December came with a list of 2019
    "吴后": "低保对象",
    # born 1958-01-01 (60 on 1 January 2018), on site February–October 2018, recognised
    # 1 August 2018, died 1 November 2018: the cell's order is vocab.PERSON_MARK's
    "冯双": "低保对象、60周岁以上、项目务工人员、工伤职工、已死亡（2018-11-01）",
}


def test_a_county_ledger_marks_project_workers_and_recognised_injuries_of_its_own_lists(
    registry, tmp_path
):
    load(registry, tmp_path)
    result = plan.run_plan(registry, "500000", 2018, region=WANZHOU, snapshots=tmp_path / "p")
    # 郑外 works and was injured in 涪陵区: 万州区's lists do not name him
    expected = {**WANZHOU_MARKS, "郑外": "低保对象"}
    assert marks(registry, result.version_id) == expected
    # the workbook shows the same text, and its 说明 says how the marks were read
    path = tmp_path / "台账.xlsx"
    ledger_workbook(registry, result.version_id, path)
    reader = fastexcel.read_excel(path)
    cells = {r["姓名"]: r["人员标识"] for r in reader.load_sheet("台账", eager=True).to_pylist()}
    assert cells == expected
    notes = "".join(r["内容"] for r in reader.load_sheet("说明", eager=True).to_pylist())
    assert "实名制用工名单上的标识项目务工人员" in notes
    assert "12月31日前认定为工伤的标识工伤职工" in notes


def test_the_jurisdiction_ledger_reads_every_county_list_under_it(registry, tmp_path):
    load(registry, tmp_path)
    result = plan.run_plan(registry, "500000", 2018, snapshots=tmp_path / "p")
    # the version of all 重庆市 reads 涪陵区's lists too: 郑外 is marked from them
    assert marks(registry, result.version_id) == {
        **WANZHOU_MARKS,
        "郑外": "低保对象、项目务工人员、工伤职工",
    }
