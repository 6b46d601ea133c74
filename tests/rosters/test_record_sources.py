"""The record sources issue #20 §1 adds (kind ``record``), end to end on SQLite and
PostgreSQL: unemployment-insurance records, vocational certificates, third-party funding
(PZH-2018-195/1.2), Hebei's 60+ pension applications (HE-2018-3/2.1.1) and Shandong's
early-pension applications (SD-2017-37/2.1). Each is read from a GBK file with header
variants and its rows are kept as records: no period is opened or closed, a later list
does not erase an earlier record, and a reader takes a person's latest row. The two new
cell kinds (a count of months or a year, a choice among written forms) refuse a bad cell
with its row, column and a Chinese reason."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import xlsxwriter
from tests.fuzz.outcome import Outcome, doudi  # noqa: F401 (fixture)

from conftest import make_id
from doudi.comparison.compare import TABLES, compare
from doudi.core import vocab
from doudi.core.textfile import FileError
from doudi.rosters.importing import NothingAccepted, import_roster
from doudi.rosters.sources import IMPORTED, RECORDS, ROSTERS, SERVICE_RECORDS, SOURCES
from doudi.store import db

MARCH, JUNE = date(2018, 3, 31), date(2018, 6, 30)
GOOD = make_id("360102", "19800101", "011")
OTHER = make_id("360102", "19850505", "023")
THIRD = make_id("360102", "19900909", "035")


def write_gbk(path: Path, rows: list[list[str]]) -> Path:
    path.write_bytes("\n".join(",".join(r) for r in rows).encode("gbk") + b"\n")
    return path


def counts(database: db.Database) -> dict[str, int]:
    return {t: database.read(t).num_rows for t in db.registry_tables()}


@dataclass(frozen=True)
class Case:
    """One record source: a header of variants (not the labels synth writes), a good
    row, a bad row (row 3) with its column, code and reason, and what the good row
    stores beyond who and where."""

    source: str
    header: list[str]
    good: list[str]
    bad: list[str]
    column: str
    code: str
    reason: str
    stored: dict[str, Any]


CASES = [
    Case(
        "unemployment_records",
        [
            "身份证号",
            "姓名",
            "用人单位",
            "是否农民工",
            "连续工作月数",
            "单位是否缴费",
            "合同终止情形",
            "合同终止日期",
            "参保月数",
            "缴费月数",
            "是否符合领金条件",
            "医保类型",
            "居民医保个人缴费",
        ],
        # full-width digits (NFKC) and the units 个月 / 月 are read as the number
        [
            *(GOOD, "张三", "某某建筑公司", "是", "２４个月", "是", "期满未续订", "2018-01-31"),
            *("36", "36月", "是", "城乡居民医保", "220"),
        ],
        [
            *(OTHER, "李四", "某某建筑公司", "是", "十二", "是", "期满终止", "2018-01-31"),
            *("36", "36", "是", "居民医保", "220"),
        ],
        "连续工作月数",
        "count",
        "应为不小于 0 的整数（如 12 或 12个月），实为「十二」",
        {
            "unit_name": "某某建筑公司",
            "rural_contract_worker": True,
            "months_at_unit": 24,
            "unit_paid": True,
            "contract_ending": "expired_not_renewed",
            "contract_end_date": date(2018, 1, 31),
            "insured_months": 36,
            "contribution_months": 36,
            "benefit_qualified": True,
            "medical_scheme": "resident",
            "resident_medical_paid": Decimal("220.00"),
        },
    ),
    Case(
        "certificates",
        ["公民身份证号码", "人员姓名", "技能等级", "取证日期", "证书号"],
        [GOOD, "张三", "中级工", "2017-06-01", "1736000000400001"],
        [OTHER, "李四", "特级", "2017-06-01", "1736000000400002"],
        "技能等级",
        "choice",
        "应为“五级”“初级工”“初级”“四级”“中级工”“中级”“三级”“高级工”“高级”“二级”“技师”"
        "“一级”“高级技师”“五级(初级工)”“四级(中级工)”“三级(高级工)”“二级(技师)”"
        "“一级(高级技师)”之一，实为「特级」",
        {
            "certificate_level": 4,  # 中级工 = 四级
            "certificate_date": date(2017, 6, 1),
            "certificate_number": "1736000000400001",
        },
    ),
    Case(
        "third_party_funding",
        ["身份证号码", "姓名", "资助单位", "资助额", "资助年份"],
        [GOOD, "张三", "某某慈善基金会", "100.00", "2018年"],
        [OTHER, "李四", "某某慈善基金会", "100.00", "1999"],
        "资助年份",
        "out_of_range",
        "应在 2000 至 2100 之间，实为「1999」",
        {"funder": "某某慈善基金会", "funding_amount": Decimal("100.00"), "funding_year": 2018},
    ),
    Case(
        "late_pension_applications",
        ["居民身份证号码", "姓名", "申请时间"],
        [GOOD, "张三", "2018年3月5日"],
        [OTHER, "李四", "2018-02-30"],
        "申请时间",
        "date",
        "日期 2018-02-30 不存在",
        {"application_date": date(2018, 3, 5)},
    ),
    Case(
        "early_pension_applications",
        ["证件号", "姓名", "提出申请日期", "审批结果"],
        [GOOD, "张三", "2018/3/5", "同意"],
        [OTHER, "李四", "2018/3/5", ""],
        "审批结果",
        "missing",
        "必填项「审核结果」为空",
        {"application_date": date(2018, 3, 5), "review_result": "approved"},
    ),
]


def test_the_record_sources_are_imported_but_not_lists_of_people() -> None:
    assert [c.source for c in CASES] == list(RECORDS)
    assert all(SOURCES[s].kind == "record" for s in RECORDS)
    assert not set(RECORDS) & set(ROSTERS)  # synth writes the lists of people only
    assert (*ROSTERS, *RECORDS, *SERVICE_RECORDS) == IMPORTED


@pytest.mark.parametrize("case", CASES, ids=[c.source for c in CASES])
def test_a_record_list_imports_from_gbk_with_header_variants_and_refuses_its_bad_row(
    registry: db.Database, tmp_path: Path, case: Case
) -> None:
    path = write_gbk(tmp_path / f"{case.source}.csv", [case.header, case.good, case.bad])
    report = import_roster(registry, path, case.source, MARCH, actor="测试")
    read = report.read
    assert read.encoding == "gb18030"
    assert set(read.header_map) == set(case.header)  # every variant recognised
    [record] = read.rejected.to_pylist()
    assert (record["row_number"], record["column"], record["code"]) == (3, case.column, case.code)
    assert case.reason in record["reason"]
    assert read.accepted.column("id_number").to_pylist() == [GOOD]

    [entry] = registry.read("registry_roster_entry").to_pylist()
    assert {k: entry[k] for k in case.stored} == case.stored
    # a record opens and closes no period
    assert registry.read("registry_status_period").num_rows == 0
    assert registry.read("registry_enrollment").num_rows == 0
    [batch] = registry.read("registry_import_batch").to_pylist()
    assert (batch["source"], batch["periods_opened"], batch["periods_closed"]) == (
        case.source,
        0,
        0,
    )
    assert (report.records_stored, report.periods_opened, report.closing_check) == (1, 0, None)
    assert "新增人员 1 人；记录 1 条（记录类名单不开启、不关闭任何期间" in report.summary_zh()[-1]
    # one audit row per record, one per person added
    audit = registry.read("registry_audit_log").to_pylist()
    assert sorted(a["action"] for a in audit) == ["add_person", "add_record"]
    [added] = [a for a in audit if a["action"] == "add_record"]
    assert (added["table_name"], added["row_id"]) == ("registry_roster_entry", entry["id"])
    assert GOOD in added["detail"] and "第 2 行" in added["detail"]


def test_the_record_sources_name_their_departments_and_codes_in_chinese() -> None:
    assert vocab.DEPARTMENT["unemployment_agency"] == "失业保险经办机构"
    assert vocab.DEPARTMENT["skills_appraisal"] == "职业技能鉴定机构"
    labelled = {
        "contract_ending": vocab.CONTRACT_ENDING,
        "medical_scheme": vocab.BENEFIT_MEDICAL_SCHEME,
        "certificate_level": vocab.CERTIFICATE_LEVEL,
        "review_result": vocab.REVIEW_RESULT,
    }
    for name in RECORDS:
        for column in SOURCES[name].columns:
            if column.kind == "choice":
                assert {code for _, code in column.choices} == set(labelled[column.name])


# -- the new cell kinds ---------------------------------------------------------------

#: Per source, the required columns with a valid cell each: a bad cell replaces one
#: of them or is added beside them.
MINIMAL = {
    "unemployment_records": (
        ["公民身份号码", "姓名", "单位名称", "是否农民合同制工人"],
        [GOOD, "张三", "某某公司", "是"],
    ),
    "certificates": (
        ["公民身份号码", "姓名", "证书等级", "发证日期", "证书编号"],
        [GOOD, "张三", "五级", "2017-06-01", "A001"],
    ),
    "third_party_funding": (
        ["公民身份号码", "姓名", "资助方", "资助金额", "资助年度"],
        [GOOD, "张三", "某某基金会", "100", "2018"],
    ),
    "early_pension_applications": (
        ["公民身份号码", "姓名", "申请日期", "审核结果"],
        [GOOD, "张三", "2018-03-05", "通过"],
    ),
}

BAD_CELLS = [
    # (source, header, cell, code, reason)
    (
        "unemployment_records",
        "累计缴费月数",
        "-3",
        "count",
        "应为不小于 0 的整数（如 12 或 12个月），实为「-3」",
    ),
    ("unemployment_records", "累计参保月数", "12.5", "count", "实为「12.5」"),
    ("unemployment_records", "本单位连续工作月数", "1年", "count", "实为「1年」"),  # not months
    # a century of months at most: 1201 is a typing error
    (
        "unemployment_records",
        "累计参保月数",
        "1201",
        "out_of_range",
        "应在 0 至 1200 之间，实为「1201」",
    ),
    (
        "unemployment_records",
        "劳动合同终止情形",
        "协商",
        "choice",
        "“未终止”“在职”“期满终止(未续订)”之一，实为「协商」",
    ),
    (
        "unemployment_records",
        "领取期间参加的医疗保险",
        "商业保险",
        "choice",
        "应为“职工医保”“职工基本医疗保险”“居民医保”“城乡居民医保”之一，实为「商业保险」",
    ),
    ("unemployment_records", "居民医保个人实缴金额", "-220", "decimal", "实为「-220」"),
    (
        "unemployment_records",
        "是否农民合同制工人",
        "",
        "missing",
        "必填项「是否农民合同制工人」为空",
    ),
    ("certificates", "证书等级", "6级", "choice", "实为「6级」"),
    ("certificates", "证书编号", "", "missing", "必填项「证书编号」为空"),
    (
        "third_party_funding",
        "资助年度",
        "明年",
        "count",
        "应为不小于 0 的整数（如 2018 或 2018年），实为「明年」",
    ),
    (
        "third_party_funding",
        "资助年度",
        "2101年",
        "out_of_range",
        "应在 2000 至 2100 之间，实为「2101年」",
    ),
    ("third_party_funding", "资助年度", "18个月", "count", "实为「18个月」"),  # a year, not months
    (
        "early_pension_applications",
        "审核结果",
        "再议",
        "choice",
        "应为“通过”“同意”“批准”“不通过”“不同意”“驳回”“审核中”“待审核”“审核通过”“审核不通过”"
        "之一，实为「再议」",
    ),
]


@pytest.mark.parametrize(("source", "header", "cell", "code", "reason"), BAD_CELLS)
def test_a_bad_cell_of_a_record_list_is_refused_and_nothing_is_written(
    registry: db.Database,
    tmp_path: Path,
    source: str,
    header: str,
    cell: str,
    code: str,
    reason: str,
) -> None:
    headers, cells = (list(x) for x in MINIMAL[source])
    if header in headers:
        cells[headers.index(header)] = cell
    else:
        headers.append(header)
        cells.append(cell)
    path = write_gbk(tmp_path / "bad.csv", [headers, cells])
    before = counts(registry)
    with pytest.raises(NothingAccepted) as refused:
        import_roster(registry, path, source, MARCH)
    [record] = refused.value.read.rejected.to_pylist()
    assert (record["row_number"], record["column"], record["code"], record["value"]) == (
        2,
        header,
        code,
        cell,
    )
    assert reason in record["reason"]
    assert "没有可导入的行，未写入任何数据" in str(refused.value)
    assert counts(registry) == before


@pytest.mark.parametrize(
    ("cell", "months"),
    [
        ("12", 12),
        ("１２", 12),
        ("12个月", 12),
        ("12 月", 12),
        ("12.0", 12),
        ("0", 0),
        ("1200", 1200),
    ],
)
def test_a_count_of_months_is_read_as_people_write_it(
    tmp_path: Path, cell: str, months: int
) -> None:
    from doudi.rosters.reading import read_roster

    headers, cells = MINIMAL["unemployment_records"]
    path = write_gbk(tmp_path / "m.csv", [[*headers, "累计缴费月数"], [*cells, cell]])
    read = read_roster(path, "unemployment_records")
    assert read.rejected.num_rows == 0
    assert read.accepted.column("contribution_months").to_pylist() == [months]


@pytest.mark.parametrize(
    ("written", "code"),
    [("审核通过", "approved"), ("审核不通过", "rejected"), ("审核 通过", "approved")],
)
def test_doudi_s_own_labels_are_accepted_as_choices(tmp_path: Path, written: str, code: str):
    """A list typed from Doudi's own workbooks writes the labels Doudi shows (审核通过,
    core.vocab.REVIEW_RESULT): accepted as the code they name (before: refused as off the
    list)."""
    from doudi.rosters.reading import read_roster

    person = make_id("370102", "19600101", "012")
    rows = [
        ["公民身份号码", "姓名", "申请日期", "审核结果"],
        [person, "张三", "2018-05-01", written],
    ]
    read = read_roster(write_gbk(tmp_path / "e.csv", rows), "early_pension_applications")
    assert read.rejected.num_rows == 0
    assert read.accepted.column("review_result").to_pylist() == [code]


def test_a_certificate_level_written_as_doudi_labels_it_is_read(tmp_path: Path):
    from doudi.rosters.reading import read_roster

    person = make_id("360102", "19850101", "012")
    rows = [
        ["公民身份号码", "姓名", "证书等级", "发证日期", "证书编号"],
        [person, "李四", "五级（初级工）", "2018-04-01", "C-1"],
    ]
    read = read_roster(write_gbk(tmp_path / "c.csv", rows), "certificates")
    assert read.rejected.num_rows == 0
    assert read.accepted.column("certificate_level").to_pylist() == ["5"]  # stored as 5


def test_a_workbook_s_numbers_are_read_as_counts_and_amounts(registry, tmp_path):
    """Excel keeps 2018 and 100 as numbers: the year and the amount are read from them."""
    path = tmp_path / "资助.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("名单")
    sheet.write_row(0, 0, ["公民身份号码", "姓名", "资助方", "资助金额", "资助年度"])
    sheet.write_row(1, 0, [GOOD, "张三", "某某基金会"])
    sheet.write_number(1, 3, 100)
    sheet.write_number(1, 4, 2018)
    book.close()
    import_roster(registry, path, "third_party_funding", MARCH)
    [entry] = registry.read("registry_roster_entry").to_pylist()
    assert (entry["funding_amount"], entry["funding_year"]) == (Decimal("100.00"), 2018)


# -- records are kept: the latest row of a person is theirs ---------------------------

#: What a reader of the records runs (docs/registry.md, "Record sources"): per person,
#: the latest row of the source — the batch's as-of date, then the batch, then the row.
LATEST = """
SELECT id_number, review_result, application_date FROM (
    SELECT e.id_number, e.review_result, e.application_date,
           row_number() OVER (PARTITION BY e.person_id
                              ORDER BY b.as_of DESC, b.id DESC, e.row_number DESC) AS rn
    FROM registry_roster_entry e
    JOIN registry_import_batch b ON b.id = e.batch_id
    WHERE b.source = 'early_pension_applications'
) latest WHERE rn = 1 ORDER BY id_number
"""

EARLY = ["公民身份号码", "姓名", "申请日期", "审核结果"]


def latest(database: db.Database) -> list[tuple[Any, ...]]:
    with database.transaction() as con, con.cursor() as cur:
        cur.execute(LATEST)
        return [(n, r, str(d)) for n, r, d in cur.fetchall()]


def test_a_later_snapshot_that_omits_a_person_keeps_their_earlier_record(registry, tmp_path):
    """March: GOOD approved, OTHER pending. June's snapshot lists OTHER only, now
    approved: GOOD's application stays made (nothing is closed, no safeguard asks for a
    confirmation), and each person's latest row is read. An addendum is a record list
    too: THIRD's row is added."""
    march = [EARLY, [GOOD, "张三", "2018-01-10", "通过"], [OTHER, "李四", "2018-02-20", "审核中"]]
    import_roster(
        registry, write_gbk(tmp_path / "m.csv", march), "early_pension_applications", MARCH
    )
    june = [EARLY, [OTHER, "李四", "2018-02-20", "批准"]]
    report = import_roster(
        registry, write_gbk(tmp_path / "j.csv", june), "early_pension_applications", JUNE
    )
    assert (report.periods_closed, report.needs_confirmation, report.records_stored) == (
        0,
        False,
        1,
    )
    assert latest(registry) == [
        (GOOD, "approved", "2018-01-10"),
        (OTHER, "approved", "2018-02-20"),
    ]
    addendum = [EARLY, [THIRD, "王五", "2018-05-05", "驳回"]]
    report = import_roster(
        registry,
        write_gbk(tmp_path / "a.csv", addendum),
        "early_pension_applications",
        JUNE,
        mode="addendum",
    )
    assert report.closing is not None and report.closing.mode == "addendum"
    assert [b["mode"] for b in registry.read("registry_import_batch").to_pylist()] == [
        "snapshot",
        "snapshot",
        "addendum",
    ]
    assert [r[0] for r in latest(registry)] == sorted([GOOD, OTHER, THIRD])
    assert registry.read("registry_roster_entry").num_rows == 4
    assert registry.read("registry_status_period").num_rows == 0


# -- the guarantees of every roster ----------------------------------------------------

CERTIFICATES = ["公民身份号码", "姓名", "证书等级", "发证日期", "证书编号"]


def test_two_rows_of_one_certificate_number_are_duplicates_and_one_person_may_hold_two(
    registry, tmp_path
):
    rows = [
        CERTIFICATES,
        [GOOD, "张三", "五级", "2017-03-01", "A001"],
        [GOOD, "张三", "四级", "2018-03-01", "A002"],  # a second certificate of GOOD
        [GOOD, "张三", "五级", "2017-03-01", "A001"],  # a copy of row 2
        [OTHER, "李四", "三级", "2017-05-01", "B001"],
        [OTHER, "李四", "二级", "2017-05-01", "B001"],  # B001 again, another level
    ]
    report = import_roster(registry, write_gbk(tmp_path / "c.csv", rows), "certificates", MARCH)
    got = [
        (r["row_number"], r["column"], r["code"], r["reason"])
        for r in report.read.rejected.to_pylist()
    ]
    assert got == [
        (4, "证书编号", "duplicate", "与第 2 行证书编号重复"),
        (5, "证书编号", "duplicate", "与第 6 行证书编号相同但内容不同，两行均未导入"),
        (6, "证书编号", "duplicate", "与第 5 行证书编号相同但内容不同，两行均未导入"),
    ]
    entries = registry.read("registry_roster_entry").to_pylist()
    assert [(e["id_number"], e["certificate_number"], e["certificate_level"]) for e in entries] == [
        (GOOD, "A001", 5),
        (GOOD, "A002", 4),
    ]
    assert report.records_stored == 2 and report.people_added == 1


def test_a_dry_run_of_a_record_list_writes_nothing_and_says_what_it_would_store(registry, tmp_path):
    rows = [
        CERTIFICATES,
        [GOOD, "张三", "五级", "2017-03-01", "A001"],
        [OTHER, "李四", "一级", "2017-03-01", "B001"],
    ]
    before = counts(registry)
    report = import_roster(
        registry, write_gbk(tmp_path / "c.csv", rows), "certificates", MARCH, dry_run=True
    )
    assert counts(registry) == before
    summary = report.summary_zh()
    assert summary[0].startswith("试导入（未写入）：职业资格（技能等级）证书，截至 2018-03-31")
    assert summary[-1].startswith("新增人员 2 人；记录 2 条")
    assert report.batch_id is None and report.changes is None


def test_a_record_list_already_imported_changes_nothing(registry, tmp_path):
    path = write_gbk(
        tmp_path / "c.csv", [CERTIFICATES, [GOOD, "张三", "五级", "2017-03-01", "A001"]]
    )
    first = import_roster(registry, path, "certificates", MARCH)
    before = counts(registry)
    again = import_roster(registry, path, "certificates", MARCH)
    assert again.already_imported and again.batch_id == first.batch_id
    assert again.summary_zh() == [f"该文件已导入过（批次 {first.batch_id}），未做任何更改。"]
    assert counts(registry) == before


def test_a_record_list_with_rows_outside_the_user_s_region_is_refused_whole(registry, tmp_path):
    elsewhere = make_id("500102", "19800101", "011")
    rows = [
        CERTIFICATES,
        [GOOD, "张三", "五级", "2017-03-01", "A001"],
        [elsewhere, "李四", "五级", "2017-03-01", "A002"],
    ]
    before = counts(registry)
    with pytest.raises(FileError, match="不在您管辖范围（360102）内的区县：500102"):
        import_roster(
            registry, write_gbk(tmp_path / "c.csv", rows), "certificates", MARCH, within="360102"
        )
    assert counts(registry) == before


def test_records_make_nobody_poor_nor_put_anyone_on_several_lists(registry, tmp_path):
    """The comparison reads statuses and enrollments: a certificate or an application
    makes no one poor, and is not a department's list of a status (多部门名单)."""
    poverty = [["公民身份号码", "姓名"], [GOOD, "张三"]]
    import_roster(registry, write_gbk(tmp_path / "p.csv", poverty), "poverty", MARCH)
    certs = [
        CERTIFICATES,
        [GOOD, "张三", "五级", "2017-03-01", "A001"],
        [OTHER, "李四", "五级", "2017-03-01", "A002"],
    ]
    import_roster(registry, write_gbk(tmp_path / "c.csv", certs), "certificates", MARCH)
    early = [EARLY, [OTHER, "李四", "2018-02-20", "通过"]]
    import_roster(
        registry, write_gbk(tmp_path / "e.csv", early), "early_pension_applications", MARCH
    )
    found = compare({t: registry.read(t) for t in TABLES}, "360102", MARCH)
    assert found.uninsured_pension.column("id_number").to_pylist() == [GOOD]
    assert found.multiple_lists.num_rows == 0


# -- the command line ------------------------------------------------------------------


def test_the_import_command_takes_a_record_list_and_says_what_it_stored(
    doudi: Callable[..., Outcome],  # noqa: F811
    tmp_path: Path,
) -> None:
    path = write_gbk(
        tmp_path / "证书.csv",
        [
            CERTIFICATES,
            [GOOD, "张三", "五级", "2017-03-01", "A001"],
            [OTHER, "李四", "九级", "2017-03-01", "B001"],
        ],
    )
    done = doudi("import", str(path), "--source", "certificates", "--as-of", "2018-03-31")
    assert done.exit_code == 0 and not done.error and "Traceback" not in done.output
    assert "已导入：职业资格（技能等级）证书，截至 2018-03-31" in done.output
    assert "新增人员 1 人；记录 1 条" in done.output
    assert "第 3 行「证书等级」：应为“五级”" in done.output
    listed = doudi("imports")
    assert "职业资格（技能等级）证书（全量快照）" in listed.output and "记录 1 条" in listed.output
    bad = write_gbk(
        tmp_path / "坏.csv", [CERTIFICATES, [GOOD, "张三", "九级", "2017-03-01", "A009"]]
    )
    refused = doudi("import", str(bad), "--source", "certificates", "--as-of", "2018-06-30")
    assert refused.exit_code == 2 and not refused.error and refused.changed == []
    assert "导入失败，数据库未改动" in refused.output and "Traceback" not in refused.output
