"""The ledger (管理台账) of a plan version (plan/ledger.py), on SQLite and PostgreSQL:
exact amounts per person, region and payer that add up to the version, and the
workbook with its native charts.
"""

from __future__ import annotations

import zipfile
from datetime import date
from decimal import Decimal
from pathlib import Path

import duckdb
import fastexcel
import pyarrow as pa
import pyarrow.csv as pacsv
import pytest

from conftest import make_id
from doudi.plan import ledger
from doudi.plan import versions as plan
from doudi.plan.ledger_workbook import ledger_workbook
from doudi.rosters.importing import import_roster
from doudi.store import db

MARCH = date(2018, 3, 31)
SINCE = "2017-06-01"  # on the lists on 31 December 2017: Chongqing's 2018 targets
# key: (ID number, name, hukou county, township, village)
PEOPLE = {
    "li": (make_id("500101", "19800512"), "李梅", "500101", "龙都街道", "一村"),
    "wang": (make_id("500101", "19900101", "005"), "王强", "500101", "龙都街道", "二村"),
    "zhao": (make_id("500102", "19650303"), "赵兰", "500102", "敦仁街道", "三村"),
    "liu": (make_id("500102", "19850707", "004"), "刘芳", "500102", "敦仁街道", ""),
    "zhang": (make_id("500101", "19500101", "007"), "张伯", "500101", "", ""),
    "chen": (make_id("500101", "19850101", "009"), "=陈某", "500101", "龙都街道", "一村"),
    "he": (make_id("130102", "19800101", "003"), "何北", "130102", "", ""),  # Hebei
}
TIERS = {"li": "100", "wang": "200", "zhao": "100", "liu": "100", "zhang": "100", "chen": "300"}


def roster(path: Path, keys: list[str], extra: dict[str, list[str]]) -> Path:
    table = {
        "公民身份号码": [PEOPLE[k][0] for k in keys],
        "姓名": [PEOPLE[k][1] for k in keys],
        "行政区划代码": [PEOPLE[k][2] for k in keys],
        "乡镇(街道)": [PEOPLE[k][3] for k in keys],
        "村(社区)": [PEOPLE[k][4] for k in keys],
    }
    table.update(extra)
    pacsv.write_csv(pa.table(table), path)
    return path


def load(registry: db.Database, tmp_path: Path) -> plan.PlanResult:
    """Two Chongqing counties: a registered-poor woman (tier 100), a dibao man (200), a
    tekun woman, a severely disabled woman, a registered-poor man of 68 who died in
    February, an enrolled man without a status (300, named like a formula), and a
    Hebei dibao man who is not Chongqing's."""
    lists = {"poverty": ["li", "zhang"], "dibao": ["wang", "he"], "tekun": ["zhao"]}
    for source, keys in lists.items():
        path = roster(tmp_path / f"{source}.csv", keys, {"纳入时间": [SINCE] * len(keys)})
        import_roster(registry, path, source, MARCH)
    grade = {"纳入时间": [SINCE], "残疾等级": ["一级"]}
    import_roster(registry, roster(tmp_path / "d.csv", ["liu"], grade), "disability", MARCH)
    keys = list(TIERS)
    enrolled = {"参保时间": ["2015-01-01"] * len(keys), "缴费档次": [TIERS[k] for k in keys]}
    pension = roster(tmp_path / "pension.csv", keys, enrolled)
    import_roster(registry, pension, "resident_pension", MARCH)
    death = roster(tmp_path / "death.csv", ["zhang"], {"死亡日期": ["2018-02-01"]})
    import_roster(registry, death, "death", MARCH)
    return plan.run_plan(registry, "500000", 2018, snapshots=tmp_path / "plans")


D = Decimal
# CQ-2018-82/2.1.1, minimum tier 100: tekun 100% of it (civil affairs), the continued
# severe-disability policy 100% (disabled_federation, local config), dibao and
# registered poor 70% (civil affairs / poverty office); the rest is the person's own
# (tier − government part); 68 on 1 January: nothing, self 0.00; no status: all own.
EXPECTED = {
    # name: (civil_affairs, poverty_office, disabled_federation, gov_paid, self_due)
    "李梅": (D("0.00"), D("70.00"), D("0.00"), D("70.00"), D("30.00")),
    "王强": (D("70.00"), D("0.00"), D("0.00"), D("70.00"), D("130.00")),
    "赵兰": (D("100.00"), D("0.00"), D("0.00"), D("100.00"), D("0.00")),
    "刘芳": (D("0.00"), D("0.00"), D("100.00"), D("100.00"), D("0.00")),
    "张伯": (D("0.00"), D("0.00"), D("0.00"), D("0.00"), D("0.00")),
    "=陈某": (D("0.00"), D("0.00"), D("0.00"), D("0.00"), D("300.00")),
}
PAYERS = ("civil_affairs", "poverty_office", "disabled_federation")


def test_the_ledger_has_the_versions_exact_amounts_per_person_region_and_payer(registry, tmp_path):
    result = load(registry, tmp_path)
    book = ledger.ledger(registry, result.version_id)
    assert book.payers == PAYERS and book.inputs_current
    people = {r["name"]: r for r in book.people.to_pylist()}
    assert set(people) == set(EXPECTED)  # not the Hebei man
    for name, amounts in EXPECTED.items():
        row = people[name]
        got = (*(row[f"paid_by_{p}"] for p in PAYERS), row["gov_paid"], row["self_due"])
        assert got == amounts, name
        assert row["basis"] == "CQ-2018-82/2.1.1"
    assert book.people.schema.field("gov_paid").type == db.MONEY
    li, zhang, chen = people["李梅"], people["张伯"], people["=陈某"]
    assert (li["county"], li["township"], li["village"]) == ("万州区", "龙都街道", "一村")
    assert li["statuses"] == "建档立卡贫困人口" and li["rp_enrolled"]
    assert li["rp_tier"] == D("100.00") and li["death_date"] is None
    assert zhang["death_date"] == date(2018, 2, 1) and people["刘芳"]["statuses"] == "重度残疾人"
    assert chen["statuses"] is None and chen["rp_tier"] == D("300.00")

    by_payer = {r["payer"]: r for r in book.by_payer.to_pylist()}
    assert [r["payer"] for r in book.by_payer.to_pylist()] == list(PAYERS)
    assert {p: r["amount"] for p, r in by_payer.items()} == {
        "civil_affairs": D("170.00"),
        "poverty_office": D("70.00"),
        "disabled_federation": D("100.00"),
    }
    # of 340.00: 50.00 %, 20.588… → 20.59 %, 29.411… → 29.41 %
    assert [by_payer[p]["share"] for p in PAYERS] == [D("50.00"), D("20.59"), D("29.41")]
    version = registry.read("registry_plan_version").to_pylist()[0]
    total = sum((r["amount"] for r in by_payer.values()), D(0))
    assert total == version["gov_paid"] == result.gov_paid == D("340.00")

    regions = {(r["level"], r["region_name"]): r for r in book.by_region.to_pylist()}
    top = book.by_region.to_pylist()[0]
    assert (top["level"], top["region_code"], top["region_name"]) == (
        "统筹地区",
        "500000",
        "重庆市",
    )
    assert (top["people"], top["targets"], top["gov_paid"], top["self_due"]) == (
        5,
        4,
        D("340.00"),
        D("460.00"),
    )
    wanzhou, fuling = regions[("县(区)", "万州区")], regions[("县(区)", "涪陵区")]
    assert (wanzhou["people"], wanzhou["targets"], wanzhou["gov_paid"]) == (3, 2, D("140.00"))
    assert (fuling["paid_by_civil_affairs"], fuling["paid_by_disabled_federation"]) == (
        D("100.00"),
        D("100.00"),
    )
    village = regions[("村(社区)", "一村")]  # 李梅 and 陈某 (no status, owes 300)
    assert (village["people"], village["gov_paid"], village["self_due"]) == (
        1,
        D("70.00"),
        D("330.00"),
    )
    assert regions[("乡镇(街道)", "（未填写）")]["county"] == "万州区"  # 张伯
    assert [r["level"] for r in book.by_region.to_pylist()].count("县(区)") == 2
    for r in book.by_region.to_pylist():
        assert sum((r[f"paid_by_{p}"] for p in PAYERS), D(0)) == r["gov_paid"]


def test_the_workbook_has_the_sheets_typed_cells_and_native_charts(registry, tmp_path):
    result = load(registry, tmp_path)
    path = tmp_path / "台账.xlsx"
    ledger_workbook(registry, result.version_id, path)
    reader = fastexcel.read_excel(path)
    assert reader.sheet_names == ["台账", "分区统计", "付款方", "说明"]
    people = reader.load_sheet("台账", eager=True)
    assert people.schema.names[:2] == ["公民身份号码", "姓名"]
    assert "政府代缴合计" in people.schema.names and "个人应缴" in people.schema.names
    rows = people.to_pylist()
    wang = next(r for r in rows if r["姓名"] == "王强")
    assert wang["政府代缴合计"] == 70.0 and wang["个人应缴"] == 130.0  # numbers, not text
    assert wang["年度内身份"] == "低保对象" and wang["参加城乡居民养老保险"] == "是"
    assert "=陈某" in [r["姓名"] for r in rows]  # text, quote-prefixed: never a formula
    with zipfile.ZipFile(path) as z:
        assert 'quotePrefix="1"' in z.read("xl/styles.xml").decode("utf-8")
        sheets = [n for n in z.namelist() if n.startswith("xl/worksheets/")]
        assert not any("<f>" in z.read(n).decode("utf-8") for n in sheets)
    payers = reader.load_sheet("付款方", eager=True).to_pylist()
    assert [r["付款方代码"] for r in payers] == list(PAYERS)
    assert [r["金额"] for r in payers] == [170.0, 70.0, 100.0]
    notes = {r["项目"]: r["内容"] for r in reader.load_sheet("说明", eager=True).to_pylist()}
    version = registry.read("registry_plan_version").to_pylist()[0]
    assert notes["缴费计划版本"] == "第1版" and notes["年度"] == "2018年"
    assert notes["统筹地区"] == "重庆市（500000）"
    assert notes["输入校验和(SHA-256)"] == version["inputs_checksum"]
    assert notes["输入与当前登记信息一致"] == "是" and "口径1" in notes
    with zipfile.ZipFile(path) as z:
        names = set(z.namelist())
        assert {"xl/charts/chart1.xml", "xl/charts/chart2.xml"} <= names
        bar, pie = z.read("xl/charts/chart1.xml").decode(), z.read("xl/charts/chart2.xml").decode()
        styles = z.read("xl/styles.xml").decode()
    assert '<c:barDir val="bar"/>' in bar and '<c:grouping val="clustered"/>' in bar
    assert "分区统计!$C$3:$C$4" in bar  # the two counties' names
    assert "<c:pieChart>" in pie and "付款方!$C$2:$C$4" in pie
    assert 'formatCode="0.00"' in styles


def test_the_ledger_refuses_totals_that_do_not_add_up_and_flags_a_changed_registry(
    registry, tmp_path
):
    result = load(registry, tmp_path)
    with pytest.raises(ledger.LedgerError, match="不存在"):
        ledger.ledger(registry, result.version_id + 1)
    # June: 王强 moved up to tier 300; the version keeps its amounts, the ledger says so
    tiers = [("300" if k == "wang" else t) for k, t in TIERS.items()]
    june = roster(
        tmp_path / "june.csv",
        list(TIERS),
        {"参保时间": ["2015-01-01"] * len(TIERS), "缴费档次": tiers},
    )
    import_roster(registry, june, "resident_pension", date(2018, 6, 30))
    book = ledger.ledger(registry, result.version_id)
    assert not book.inputs_current
    assert {r["name"]: r["rp_tier"] for r in book.people.to_pylist()}["王强"] == D("300.00")
    assert book.by_region.to_pylist()[0]["gov_paid"] == result.gov_paid
    # a contribution row changed behind the version's back
    with registry.transaction() as con:
        db.execute(
            con,
            "UPDATE registry_contribution SET amount = amount + 1 "
            f"WHERE plan_version_id = {result.version_id} AND payer = 'civil_affairs'",
        )
    with pytest.raises(ledger.LedgerError, match="不符"):
        ledger.ledger(registry, result.version_id)


def test_payer_totals_that_miss_the_government_total_are_refused():
    by_region = pa.table(
        {
            "level": ["统筹地区"],
            "region_name": ["重庆市"],
            "gov_paid": pa.array([D("100.00")], db.MONEY),
            "paid_by_civil_affairs": pa.array([D("99.00")], db.MONEY),
            "self_due": pa.array([D("0.00")], db.MONEY),
        }
    )
    version = {"number": 1, "gov_paid": D("100.00"), "self_due": D("0.00")}
    with pytest.raises(ledger.LedgerError, match=r"各付款方合计 99\.00 元不等于政府代缴合计"):
        ledger._check(duckdb.connect(), by_region, ("civil_affairs",), version)
