"""The ledger (管理台账) of a resident-medical plan version (issue #20 §3, decision 0012),
on SQLite and PostgreSQL: the programme's words and columns, each person's subsidy per
payer, totals that are the rows' sums, and nothing of the pension (its tier, its
withholding cycle's payments and bookings, 政府代缴) — the workbook as Excel reads it.

The personal contribution standard of 2018 is local config (example: 220 yuan).
- Jiangxi (JX-2017-58/2.1.2): the listed groups in full, split between the levels of
  finance by weights that are local config (赣财社〔2017〕29号 is not available; example
  1:1:1): 220.00 → 73.34 + 73.33 + 73.33 (the cent left over goes to the first payer).
- Hebei (HE-2018-3/2.2.1): registered poor in full (220.00 by finance, 0.00 own);
  other assistance targets 60%: 0.6 × 220 = 132.00 by finance, 220 − 132 = 88.00 own.
"""

from __future__ import annotations

import zipfile
from datetime import date
from decimal import Decimal
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv

from conftest import make_id
from doudi.plan import ledger
from doudi.plan import versions as plan
from doudi.plan.ledger_workbook import ledger_workbook
from doudi.rosters.importing import import_roster
from doudi.store import db
from support import cells, read_typed

D = Decimal
MARCH = date(2018, 3, 31)
SINCE = {"纳入时间": "2016-06-01", "参保时间": "2017-01-01", "缴费档次": "100"}
MEDICAL = "resident_medical"

# Jiangxi, 东湖区 (360102); key: (ID number, name, township, village)
JX = {
    "poor": (make_id("360102", "19800512", "011"), "李梅", "豫章街道", "一村"),
    "minor": (make_id("360102", "20050303", "013"), "孙小", "豫章街道", "二村"),
    "adult": (make_id("360102", "19780101", "015"), "周成", "豫章街道", "二村"),
    "worker": (make_id("360102", "19850707", "017"), "赵工", "公园街道", "三村"),
    "nobody": (make_id("360102", "19900101", "019"), "钱无", "公园街道", "三村"),
}
# Hebei, Tangshan's 路北区 (130203)
HE = {
    "poor": (make_id("130203", "19800101", "012"), "王军", "乔屯街道", "一村"),
    "other": (make_id("130203", "19750101", "024"), "李芳", "乔屯街道", "一村"),
    "worker": (make_id("130203", "19850101", "036"), "赵强", "文化路街道", ""),
}
#: The pension's words and columns, none of which a medical ledger may show.
PENSION_HEADERS = {"参加城乡居民养老保险", "缴费档次", "个人已缴", "政府代缴入账", "入账日期"}
PENSION_WORDS = ("养老", "代缴", "缴费档次", "视同实收", "事后补助")


def roster(path: Path, people: dict, keys: list[str], columns: tuple[str, ...]) -> Path:
    table = {
        "公民身份号码": [people[k][0] for k in keys],
        "姓名": [people[k][1] for k in keys],
        "行政区划代码": [people[k][0][:6] for k in keys],
        "乡镇(街道)": [people[k][2] for k in keys],
        "村(社区)": [people[k][3] for k in keys],
        **{c: [SINCE[c]] * len(keys) for c in columns},
    }
    pacsv.write_csv(pa.table(table), path)
    return path


def load(registry: db.Database, tmp_path: Path, people: dict, lists: dict) -> None:
    for source, keys in lists.items():
        columns = {
            "resident_pension": ("参保时间", "缴费档次"),
            "resident_medical": ("参保时间",),
            "employee_medical": ("参保时间",),
        }.get(source, ("纳入时间",))
        path = roster(tmp_path / f"{source}.csv", people, keys, columns)
        import_roster(registry, path, source, MARCH)


def medical_of(run: plan.PlanRun) -> plan.PlanResult:
    return next(r for r in run.results if r.programme == MEDICAL)


def rows_by_name(path: Path, sheet: str) -> dict[str, dict]:
    return {r["姓名"]: r for r in read_typed(path, sheet).to_pylist()}


def money(value: float | None) -> Decimal | None:
    """A number as Excel stores it, back to exact yuan (73.34 is stored as 73.34)."""
    return None if value is None else D(str(value)).quantize(D("0.01"))


def notes_of(path: Path) -> dict[str, str]:
    return {r["项目"]: r["内容"] for r in read_typed(path, "说明").to_pylist()}


def every_text(path: Path) -> str:
    """Every cell, the file's title and the charts' titles: all a reader can see."""
    with zipfile.ZipFile(path) as z:
        return "".join(
            z.read(n).decode("utf-8")
            for n in z.namelist()
            if n.startswith(("xl/worksheets/", "xl/charts/"))
            or n in ("docProps/core.xml", "xl/sharedStrings.xml")
        )


def test_JX_2017_58_2_1_2_a_medical_ledger_splits_the_subsidy_between_the_levels_of_finance(
    registry, tmp_path
):
    """李梅 (registered poor) and 孙小 (a minor of a low-income family, 12 on 1 January)
    are subsidised in full; 周成 (low-income, 40) and 赵工 (registered poor in the
    employee medical insurance) hold a status but get nothing; 钱无 (no status, on the
    pension roster only) is no one's concern in the medical ledger."""
    load(
        registry,
        tmp_path,
        JX,
        {
            "poverty": ["poor", "worker"],
            "low_income": ["minor", "adult"],
            "resident_medical": ["poor", "minor", "adult"],
            "resident_pension": ["poor", "adult", "nobody"],
            "employee_medical": ["worker"],
        },
    )
    run = plan.run_plans(registry, "360000", 2018, region="360102", snapshots=tmp_path / "plans")
    medical = medical_of(run)
    path = tmp_path / "医保资助台账.xlsx"
    ledger_workbook(registry, medical.version_id, path)

    notes = notes_of(path)
    title = "东湖区2018年城乡居民医保缴费资助计划第1版管理台账"
    assert notes["台账"] == title and notes["计划项目"] == "城乡居民医保缴费资助"
    with zipfile.ZipFile(path) as z:
        assert f"<dc:title>{title}</dc:title>" in z.read("docProps/core.xml").decode()
    assert notes["依据条款"].startswith("JX-2017-58/2.1.2（赣人社发〔2017〕58号 二、（一）2")
    # the split and the standard rest on examples, and the ledger says so
    assert "赣财社〔2017〕29号" in notes["示例参数"]
    assert "省级财政、设区市财政、县（市、区）财政按1:1:1分担" in notes["示例参数"]
    assert "resident_medical.personal_contribution" in notes["示例参数"]

    people = rows_by_name(path, "台账")
    assert set(people) == {"李梅", "孙小", "周成", "赵工"}  # not 钱无
    payers = ("省级财政", "设区市财政", "县（市、区）财政")
    expected = {
        # name: (province, city, county, total, own part, share)
        "李梅": (D("73.34"), D("73.33"), D("73.33"), D("220.00"), D("0.00"), 1.0),  # 220 / 3
        "孙小": (D("73.34"), D("73.33"), D("73.33"), D("220.00"), D("0.00"), 1.0),
        "周成": (D("0.00"), D("0.00"), D("0.00"), D("0.00"), None, None),  # an adult
        "赵工": (D("0.00"), D("0.00"), D("0.00"), D("0.00"), None, None),  # employee medical
    }
    for name, want in expected.items():
        row = people[name]
        got = (
            *(money(row[p]) for p in payers),
            money(row["财政资助合计"]),
            money(row["个人应缴"]),
            row["资助比例"],
        )
        assert got == want, name
    assert people["孙小"]["年度内身份"] == "城镇低收入家庭成员"  # a status the pension omits
    assert people["孙小"]["参加城乡居民基本医疗保险"] == "是"
    assert people["赵工"]["参加城乡居民基本医疗保险"] == "否"
    assert people["李梅"]["依据条款"] == "JX-2017-58/2.1.2"

    # totals: 73.34 × 2 = 146.68 province, 73.33 × 2 = 146.66 city and county; 440.00
    by_payer = {r["付款方"]: money(r["金额"]) for r in read_typed(path, "付款方").to_pylist()}
    assert by_payer == dict(zip(payers, (D("146.68"), D("146.66"), D("146.66")), strict=True))
    for payer, amount in by_payer.items():
        assert amount == sum((money(r[payer]) for r in people.values()), D(0))
    top = read_typed(path, "分区统计").to_pylist()[0]
    assert (top["层级"], top["有身份人数"], top["资助对象"]) == ("统筹地区", 4, 2)
    assert money(top["财政资助合计"]) == D("440.00") == medical.gov_paid
    assert money(top["个人应缴"]) == D("0.00") == medical.self_due
    # 100 % is stored as the rate 1, shown as a percentage
    stored = cells(path, 1)
    share_column = read_typed(path, "台账").column_names.index("资助比例")
    shares = {v for k, v in stored.items() if k.startswith(chr(ord("A") + share_column))}
    assert ("1", "0.00%") in shares

    # nothing of the pension: its columns, its words, its charts' titles
    headers = set(read_typed(path, "台账").column_names)
    assert not headers & PENSION_HEADERS
    text = every_text(path)
    assert not [w for w in PENSION_WORDS if w in text]
    assert "财政资助资金付款方构成" in text and "各乡镇(街道)财政资助金额（按付款方）" in text


def load_hebei(registry: db.Database, tmp_path: Path) -> plan.PlanRun:
    load(
        registry,
        tmp_path,
        HE,
        {
            "poverty": ["poor", "worker"],
            "other_assistance": ["other"],
            "resident_medical": ["poor", "other"],
            "resident_pension": ["poor", "other", "worker"],
            "employee_medical": ["worker"],
        },
    )
    return plan.run_plans(registry, "130200", 2018, region="130203", snapshots=tmp_path / "plans")


def test_HE_2018_3_2_2_1_a_medical_ledger_shows_the_60_percent_subsidy_and_the_own_part(
    registry, tmp_path
):
    medical = medical_of(load_hebei(registry, tmp_path))
    book = ledger.ledger(registry, medical.version_id)
    assert book.terms.code == MEDICAL and book.payers == ("finance",)
    assert {"rp_tier", "rp_enrolled", "self_paid", "booking"}.isdisjoint(book.people.column_names)
    shares = {r["name"]: r["subsidy_share"] for r in book.people.to_pylist()}
    # 220 / 220 = 100.00 %; 132 / (132 + 88) = 60.00 %; nothing planned: none
    assert shares == {"王军": D("100.00"), "李芳": D("60.00"), "赵强": None}

    path = tmp_path / "医保资助台账.xlsx"
    ledger_workbook(registry, medical.version_id, path)
    notes = notes_of(path)
    assert notes["台账"] == "路北区2018年城乡居民医保缴费资助计划第1版管理台账"
    assert notes["计划项目"] == "城乡居民医保缴费资助" and notes["计划版本"] == "第1版"
    assert notes["依据条款"].startswith("HE-2018-3/2.2.1（")
    assert notes["输入与当前登记信息一致"] == "是"
    people = rows_by_name(path, "台账")
    got = {
        name: (money(r["财政"]), money(r["财政资助合计"]), money(r["个人应缴"]), r["资助比例"])
        for name, r in people.items()
    }
    assert got == {
        "王军": (D("220.00"), D("220.00"), D("0.00"), 1.0),  # 100 % × 220
        "李芳": (D("132.00"), D("132.00"), D("88.00"), 0.6),  # 60 % × 220; 220 − 132
        "赵强": (D("0.00"), D("0.00"), None, None),  # in the employee medical insurance
    }
    assert people["李芳"]["年度内身份"] == "其他困难保障救助对象"
    # 220 + 132 = 352.00 subsidised by finance, 0 + 88 = 88.00 owed
    top = read_typed(path, "分区统计").to_pylist()[0]
    assert (money(top["财政资助合计"]), money(top["财政"]), money(top["个人应缴"])) == (
        D("352.00"),
        D("352.00"),
        D("88.00"),
    )
    payers = read_typed(path, "付款方").to_pylist()
    assert [(r["付款方"], money(r["金额"]), r["占比"]) for r in payers] == [
        ("财政", D("352.00"), 1.0)
    ]
    assert (medical.gov_paid, medical.self_due) == (D("352.00"), D("88.00"))
    assert not set(read_typed(path, "台账").column_names) & PENSION_HEADERS


def test_decision_0012_a_medical_ledger_shows_none_of_the_pensions_payments_and_bookings(
    registry, tmp_path
):
    """王军 paid his pension part and the pension's government part was booked (视同实收):
    the pension's ledger shows it, the medical ledger of the same person and year does
    not (the withholding cycle and its bookings are the pension's only)."""
    run = load_hebei(registry, tmp_path)
    pension = next(r for r in run.results if r.programme == "resident_pension")
    person_id = next(
        r["id"]
        for r in registry.read("registry_person").to_pylist()
        if r["id_number"] == HE["poor"][0]
    )
    with registry.transaction() as con:
        db.execute(
            con,
            "INSERT INTO registry_payment (person_id, year, scheme, amount, paid_on, channel, "
            "reference, result) VALUES (?, 2018, 'resident_pension', 30, ?, 'bank', 'R1', '')",
            (person_id, date(2018, 7, 10)),
        )
        db.execute(
            con,
            "INSERT INTO registry_booking (plan_version_id, person_id, year, payer, amount, "
            "kind, booked_on, settlement_year, basis) "
            "VALUES (?, ?, 2018, 'province', 70, 'deemed_received', ?, 2018, '')",
            (pension.version_id, person_id, date(2018, 7, 10)),
        )
    pension_book = ledger.ledger(registry, pension.version_id)
    booked = {r["name"]: r["booking"] for r in pension_book.people.to_pylist()}
    assert booked["王军"] == "视同实收"  # the pension's own ledger shows its booking

    path = tmp_path / "医保资助台账.xlsx"
    ledger_workbook(registry, medical_of(run).version_id, path)
    assert not set(read_typed(path, "台账").column_names) & PENSION_HEADERS
    text = every_text(path)
    assert not [w for w in PENSION_WORDS if w in text]
