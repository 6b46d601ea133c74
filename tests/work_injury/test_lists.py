"""The work-injury lists (issue #21 §1, RULES.md §5): each imports with the rosters'
guarantees — validated first, refused rows with row, column and Chinese reason, one
transaction, snapshot or addendum for a county, the audit log — and reads back as the
checks' tables (work_injury.reading.current_tables)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from tests.fuzz.checksum import changed_tables, table_checksums
from tests.fuzz.outcome import invoke

from conftest import make_id
from doudi.core.textfile import FileError
from doudi.work_injury import lists_cli
from doudi.work_injury.importing import NothingAccepted, import_lists
from doudi.work_injury.reading import current_tables

COUNTY = "360781"  # 瑞金市
AS_OF = date(2018, 3, 31)
WORKER = make_id(COUNTY, "19800101", "001")
INJURED = make_id(COUNTY, "19850505", "003")

PROJECTS = (
    "项目编号,项目名称,行业,所在县区,施工单位,开工日期,工伤保险起保日期,工伤保险终止日期\n"
    f"P001,瑞金大桥,建筑,{COUNTY},中建三局,2018-05-02,2018-06-01,2019-06-01\n"
    f"P002,瑞兴公路,交通运输,{COUNTY},交工集团,2018-03-01,,\n"
)
WORKERS = (
    "身份证号码,姓名,项目编号,进场日期,退场日期\n"
    f"{WORKER},张三,P001,2018-06-02,\n"
    f"{WORKER},张三,P002,2018-03-05,2018-03-20\n"
)
CASES = (
    "案件编号,身份证号码,姓名,受伤日期,用人单位,工伤认定结论,认定日期,"
    "用人单位是否参加工伤保险,用人单位是否支付工伤保险待遇,申请待遇金额,尘肺病\n"
    f'GS001,{INJURED},李四,2017-09-01,瑞兴建材,认定为工伤,2017-10-15,否,否,"30,000.50",否\n'
    f"GS002,{INJURED},李四,2017-11-01,红都石材,认定中,,是,否,,是\n"
)
PAYMENTS = (
    "案件编号,先行支付金额,支付日期,已追偿金额,追偿日期\n"
    "GS001,20000.00,2017-11-10,5000,2017-12-20\n"
)


def write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def import_all(registry: Any, tmp_path: Path, **options: Any) -> list[Any]:
    files = {
        "projects": write(tmp_path, "p.csv", PROJECTS),
        "project-workers": write(tmp_path, "w.csv", WORKERS),
        "cases": write(tmp_path, "c.csv", CASES),
        "advance-payments": write(tmp_path, "a.csv", PAYMENTS),
    }
    return import_lists(registry, files, COUNTY, AS_OF, **options)


def test_each_list_imports_and_reads_back_as_the_checks_tables(
    registry: Any, tmp_path: Path
) -> None:
    reports = import_all(registry, tmp_path)
    assert [r.read.accepted.num_rows for r in reports] == [2, 2, 2, 1]
    tables = current_tables(registry, COUNTY, AS_OF)
    assert list(tables) == ["projects", "project_workers", "cases", "advance_payments"]
    projects = tables["projects"].to_pylist()
    assert projects[0] == {
        "project_id": "P001",
        "name": "瑞金大桥",
        "sector": "construction",
        "county": COUNTY,
        "contractor": "中建三局",
        "start_date": date(2018, 5, 2),
        "insured_from": date(2018, 6, 1),
        "insured_to": date(2019, 6, 1),
    }
    assert (projects[1]["sector"], projects[1]["insured_from"]) == ("transport", None)
    workers = tables["project_workers"].to_pylist()
    assert [(w["person_id"], w["project_id"], w["to_date"]) for w in workers] == [
        (WORKER, "P001", None),
        (WORKER, "P002", date(2018, 3, 20)),
    ]
    cases = tables["cases"].to_pylist()
    # "30,000.50" is 30000.50 yuan; an empty amount is 0, an empty 尘肺病 cell would be 否
    assert cases[0]["claimed"] == Decimal("30000.50")
    assert (cases[0]["recognition"], cases[0]["employer_insured"]) == ("recognised", False)
    assert (cases[1]["recognition"], cases[1]["recognition_date"]) == ("pending", None)
    assert (cases[1]["claimed"], cases[1]["pneumoconiosis"]) == (Decimal("0.00"), True)
    [payment] = tables["advance_payments"].to_pylist()
    assert (payment["amount"], payment["recovered"]) == (Decimal("20000.00"), Decimal("5000.00"))
    assert str(tables["advance_payments"].schema.field("amount").type) == "decimal128(18, 2)"
    audit = registry.read("registry_audit_log", columns=["action"]).column("action").to_pylist()
    assert sorted(set(audit)) == [
        "add_advance_payment",
        "add_project_worker",
        "add_work_injury_case",
        "add_work_injury_project",
    ]
    assert len(audit) == 2 + 2 + 2 + 1  # one audit row per row written


def test_the_same_file_as_of_the_same_date_is_imported_once(registry: Any, tmp_path: Path) -> None:
    import_all(registry, tmp_path)
    again = import_all(registry, tmp_path)
    assert all(r.already_imported for r in again)
    assert registry.read("registry_work_injury_project").num_rows == 2


def test_bad_rows_come_back_with_row_column_and_reason(registry: Any, tmp_path: Path) -> None:
    projects = PROJECTS + (
        f"P003,倒签工程,水利,{COUNTY},某公司,2018-04-01,2018-04-01,2018-03-01\n"
        f"P004,无起保,能源,{COUNTY},某公司,2018-04-01,,2018-09-01\n"
        f"P001,重复,建筑,{COUNTY},中建三局,2018-05-02,2018-06-01,2019-06-01\n"
        f"P005,坏行业,飞机,{COUNTY},某公司,2018-02-30,,\n"
    )
    workers = WORKERS + (
        f"{WORKER[:17]}0,张三,P001,2018-06-02,\n"  # the check character is X
        f"{WORKER},张三,P001,2018-07-01,2018-06-30\n"
        f"{WORKER},张三,P999,2018-07-01,\n"
    )
    payments = PAYMENTS + "GS001,1000,2018-01-01,1500,2018-01-02\nGS999,800,2018-01-01,,\n"
    files = {
        "projects": write(tmp_path, "p.csv", projects),
        "project-workers": write(tmp_path, "w.csv", workers),
        "advance-payments": write(tmp_path, "a.csv", payments),
        "cases": write(tmp_path, "c.csv", CASES),
    }
    reports = import_lists(registry, files, COUNTY, AS_OF)
    got = {
        r.read.spec.name: [
            (x["row_number"], x["column"], x["code"]) for x in r.read.rejected.to_pylist()
        ]
        for r in reports
    }
    assert got["work_injury_projects"] == [
        (4, "工伤保险终止日期", "before_entry"),
        (5, "工伤保险终止日期", "missing"),
        (6, "项目编号", "duplicate"),
        (7, "行业", "choice"),
        (7, "开工日期", "date"),
    ]
    assert got["work_injury_project_workers"] == [
        (4, "身份证号码", "id_check"),
        (5, "退场日期", "before_entry"),
        (6, "项目编号", "reference"),
    ]
    assert got["work_injury_advance_payments"] == [
        (3, "已追偿金额", "out_of_range"),
        (4, "案件编号", "reference"),
    ]
    reasons = {x["row_number"]: x["reason"] for x in reports[0].read.rejected.to_pylist()}
    assert reasons[4] == "工伤保险终止日期 2018-03-01 早于起保日期 2018-04-01"
    assert reasons[6] == "与第 2 行的项目编号相同，未重复导入"
    paid = reports[3].read.rejected.to_pylist()
    # 1500.00 recovered of 1000.00 paid
    assert paid[0]["reason"] == "已追偿金额 1500.00 元超过先行支付金额 1000.00 元"
    assert "GS999" in paid[1]["reason"] and "先行支付" not in paid[1]["reason"]
    stored = registry.read("registry_rejected_row", columns=["row_number", "column", "reason"])
    assert stored.num_rows == 5 + 3 + 2
    assert registry.read("registry_work_injury_project").num_rows == 2


def test_a_list_with_no_row_accepted_writes_nothing_of_the_set(
    registry: Any, tmp_path: Path
) -> None:
    before = table_checksums(registry)
    files = {
        "projects": write(tmp_path, "p.csv", PROJECTS),
        "project-workers": write(tmp_path, "w.csv", WORKERS.replace("P00", "P99")),
    }
    with pytest.raises(NothingAccepted) as refused:
        import_lists(registry, files, COUNTY, AS_OF)
    assert "没有可导入的行" in str(refused.value)
    assert [r["code"] for r in refused.value.read.rejected.to_pylist()] == ["reference"] * 2
    assert changed_tables(before, table_checksums(registry)) == []


def test_a_dry_run_writes_nothing(registry: Any, tmp_path: Path) -> None:
    before = table_checksums(registry)
    reports = import_all(registry, tmp_path, dry_run=True)
    assert [r.read.accepted.num_rows for r in reports] == [2, 2, 2, 1]
    assert changed_tables(before, table_checksums(registry)) == []


def test_a_snapshot_replaces_the_countys_list_and_an_addendum_adds_to_it(
    registry: Any, tmp_path: Path
) -> None:
    import_all(registry, tmp_path)
    later = date(2018, 6, 30)
    snapshot = (
        PROJECTS.splitlines()[0] + f"\nP003,新项目,铁路,{COUNTY},中铁,2018-06-01,2018-05-20,\n"
    )
    import_lists(registry, {"projects": write(tmp_path, "p2.csv", snapshot)}, COUNTY, later)
    assert current_tables(registry, COUNTY, later)["projects"].column("project_id").to_pylist() == [
        "P003"
    ]
    # the earlier day still reads the earlier snapshot
    assert current_tables(registry, COUNTY, AS_OF)["projects"].num_rows == 2
    addendum = (
        PROJECTS.splitlines()[0] + "\n"
        f"P003,新项目,铁路,{COUNTY},中铁,2018-06-01,2018-05-20,2018-12-31\n"
        f"P004,又一项目,水利,{COUNTY},水电局,2018-07-01,2018-06-20,\n"
    )
    latest = date(2018, 7, 31)
    import_lists(
        registry, {"projects": write(tmp_path, "p3.csv", addendum)}, COUNTY, latest, mode="addendum"
    )
    rows = current_tables(registry, COUNTY, latest)["projects"].to_pylist()
    # P003 written again by the addendum: its later row (cover ending 2018-12-31) counts
    assert [(r["project_id"], r["insured_to"]) for r in rows] == [
        ("P003", date(2018, 12, 31)),
        ("P004", None),
    ]


def test_projects_of_another_county_are_refused_whole(registry: Any, tmp_path: Path) -> None:
    before = table_checksums(registry)
    other = PROJECTS + "P009,外县工程,建筑,360702,某公司,2018-01-01,2017-12-01,\n"
    with pytest.raises(FileError) as refused:
        import_lists(registry, {"projects": write(tmp_path, "p.csv", other)}, COUNTY, AS_OF)
    assert "第 4 行（360702）" in str(refused.value) and "不在导入区县" in str(refused.value)
    with pytest.raises(FileError, match="不是现行的区县级行政区划代码"):
        import_lists(registry, {"projects": write(tmp_path, "q.csv", PROJECTS)}, "360700", AS_OF)
    assert changed_tables(before, table_checksums(registry)) == []


def test_a_gbk_file_with_a_title_row_and_header_variants_imports(
    registry: Any, tmp_path: Path
) -> None:
    text = (
        "瑞金市工伤案件名单,,,,,,,,,,\n"
        "工伤认定编号,身份证号,职工姓名,事故日期,用人单位名称,认定结果,工伤认定日期,"
        "单位是否参保,单位是否支付待遇,申请金额,是否尘肺病\n"
        f"GS001,{INJURED},李四,2017年9月1日,瑞兴建材,认定工伤,2017/10/15,否,否,100元,是\n"
    )
    [report] = import_lists(
        registry, {"cases": write(tmp_path, "c.csv", text, "gbk")}, COUNTY, AS_OF
    )
    assert report.read.encoding == "gb18030"
    [case] = current_tables(registry, COUNTY, AS_OF)["cases"].to_pylist()
    assert (case["case_id"], case["injury_date"], case["claimed"]) == (
        "GS001",
        date(2017, 9, 1),
        Decimal("100.00"),
    )
    assert (case["recognition"], case["pneumoconiosis"]) == ("recognised", True)


@pytest.fixture
def doudi(registry: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setattr(lists_cli, "open_registry", lambda: registry)
    return lambda *args: invoke(args, registry)


def test_the_command_imports_and_refuses_in_chinese(doudi: Any, tmp_path: Path) -> None:
    path = write(tmp_path, "p.csv", PROJECTS)
    common = ["--region", COUNTY, "--as-of", "2018-03-31"]
    done = doudi("work-injury", "import", "--source", "projects", "--file", str(path), *common)
    assert done.exit_code == 0, done.output
    assert "接受 2 行，拒绝 0 行" in done.output and done.changed
    missing = doudi(
        "work-injury", "import", "--source", "projects", "--file", str(tmp_path / "no.csv"), *common
    )
    assert (missing.exit_code, missing.changed, missing.error) == (2, [], "")
    assert "找不到文件" in missing.output
    unknown = doudi("work-injury", "import", "--source", "bridges", "--file", str(path), *common)
    assert unknown.exit_code == 2 and "未知来源" in unknown.output
