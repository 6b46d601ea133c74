"""Hospital bills in the registry (bills/importing.py), on SQLite and PostgreSQL: checked
before anything is written, stored once, and settled through every payer with the
statuses the registry holds — the amounts of JX-2017-58/2.2.4–2.2.5 as in
tests/engine/test_settlement.py, now read from the registry instead of the bill."""

from __future__ import annotations

from datetime import date

import pytest

from conftest import kill_during, make_id
from doudi.bills import importing as bills
from doudi.core.textfile import FileError
from support import OTHER, OUTSIDE, POOR, paid, settled, stored, write
from support import load_bills_people as load

MARCH = date(2018, 3, 31)


def test_stored_bills_settle_with_the_registry_status_JX_2017_58_2_2_4(registry, tmp_path):
    """The bills name no status: the registry's registered-poor period waives the
    deductible, and the year's burden carries from the first bill to the second."""
    load(registry, tmp_path)
    # listed in discharge order reversed: the settlement orders them itself
    path = write(
        tmp_path / "bills.csv",
        [
            f"JX-002,{POOR},2018-05-01,2018-05-20,三级,是,60000,50000",
            f"JX-001,{POOR},2018-03-01,2018-03-10,二级,是,12000,10000",
        ],
    )
    report = bills.import_bills(registry, path, "360000")
    assert (len(report.accepted), report.rejected, report.encoding) == (2, [], "gb18030")
    first, second = settled(registry, POOR)
    assert first["bill_id"] == "JX-001"
    # level 2, poor: no deductible, critical illness pays the 400 standard;
    # basic 80% × (10000 − 400) = 7680.00; assistance 70% × 1920 = 1344.00
    assert paid(first) == {
        "basic": "7680.00",
        "critical_illness": "400.00",
        "assistance": "1344.00",
    }
    # level 3: deductible 800 (local-config example); basic 60% × 49200 = 29520.00; burden
    # 20480; year burden 1920 + 20480 = 22400 above the halved CI deductible 5000:
    # 17400 × 80% = 13920.00; assistance 70% × (20480 − 13920) = 4592.00
    assert paid(second) == {
        "basic": "29520.00",
        "critical_illness": "13920.00",
        "assistance": "4592.00",
    }
    assert "JX-2017-58/2.2.4" in first["basis"]
    # opened again: the same answer, from memory
    hits = bills._settled.cache_info().hits
    assert settled(registry, POOR) == [first, second]
    assert bills._settled.cache_info().hits == hits + 1


def test_a_bill_without_a_status_pays_the_deductible(registry, tmp_path):
    load(registry, tmp_path)
    path = write(tmp_path / "b.csv", [f"ZY-9,{OTHER},2018-03-01,2018-03-10,二级,是,12000,10000"])
    bills.import_bills(registry, path, "360000")
    (result,) = settled(registry, OTHER)
    # not poor: the level-2 deductible 500 (local-config example) is the patient's;
    # basic 75% (local-config example) × (10000 − 500) = 7125.00; no assistance
    assert result["deductible_paid"] == "500.00"
    assert paid(result) == {"basic": "7125.00"}


def test_bad_rows_are_rejected_with_row_and_column_and_the_rest_stored(registry, tmp_path):
    load(registry, tmp_path)
    unknown = make_id("360102", "19900101", "009")
    path = write(
        tmp_path / "mixed.csv",
        [
            f"A-1,{POOR},2018-03-01,2018-03-10,二级,是,12000,10000",
            f"A-2,{POOR},2018-03-10,2018-03-01,二级,是,12000,10000",  # discharged before
            f"A-3,{unknown},2018-03-01,2018-03-10,二级,是,12000,10000",  # not in the registry
            f"A-4,{OUTSIDE},2018-03-01,2018-03-10,二级,是,12000,10000",  # Chongqing's
            f"A-1,{POOR},2018-04-01,2018-04-10,二级,是,100,100",  # the same bill number
            f"A-6,{POOR},2018-04-01,2018-04-10,二级,也许,100,100",
            f"A-7,{POOR},2018-04-01,2018-04-10,二级,是,100,200",  # in-policy above total
        ],
    )
    dry = bills.import_bills(registry, path, "360000", dry_run=True)
    assert stored(registry) == []  # a dry run writes nothing
    got = {(r.row_number, r.column, r.code) for r in dry.rejected}
    assert got == {  # the columns as the file's header names them (issue #19 §4)
        (3, "出院日期", "invalid"),
        (4, "公民身份号码", "unknown_person"),
        (5, "公民身份号码", "outside"),
        (6, "单据号", "invalid"),
        (7, "县域内", "invalid"),
        (8, "政策范围内费用", "invalid"),
    }
    assert "早于入院日期" in next(r.reason for r in dry.rejected if r.row_number == 3)
    report = bills.import_bills(registry, path, "360000")
    assert [b["bill_id"] for b in stored(registry)] == ["A-1"]
    rejected = registry.read("registry_rejected_row", f"WHERE batch_id = {report.batch_id}")
    assert sorted(rejected.column("row_number").to_pylist()) == [3, 4, 5, 6, 7, 8]


def test_a_bill_is_stored_once(registry, tmp_path):
    load(registry, tmp_path)
    line = f"B-1,{POOR},2018-03-01,2018-03-10,二级,是,12000,10000"
    first = bills.import_bills(registry, write(tmp_path / "1.csv", [line]), "360000")
    again = bills.import_bills(registry, write(tmp_path / "1.csv", [line]), "360000")
    assert again.already_imported and again.batch_id == first.batch_id
    # the same bill in another file: refused, nothing written
    other = write(tmp_path / "2.csv", [line], encoding="utf-8")
    with pytest.raises(FileError, match="同一单据只结算一次"):
        bills.import_bills(registry, other, "360000")
    assert len(stored(registry)) == 1


def test_a_file_without_the_bill_number_column_is_refused_whole(registry, tmp_path):
    """Issue #19: without 单据号 the bills got made-up numbers (#1) that collided across
    files and refused a real bill later; the column is required, nothing is written."""
    load(registry, tmp_path)
    path = tmp_path / "no-number.csv"
    path.write_bytes(
        (
            "公民身份号码,入院日期,出院日期,医院等级,县域内,总费用,政策范围内费用\n"
            f"{POOR},2018-03-01,2018-03-10,二级,是,12000,10000\n"
        ).encode("gb18030")
    )
    before = registry.read("registry_import_batch").num_rows
    with pytest.raises(FileError, match="缺少单据号列"):
        bills.import_bills(registry, path, "360000")
    assert stored(registry) == []
    assert registry.read("registry_import_batch").num_rows == before


def test_a_row_without_a_bill_number_is_rejected_never_numbered(registry, tmp_path):
    """Issue #19: an empty 单据号 is a rejected row (row, column, reason), not bill #1."""
    load(registry, tmp_path)
    path = write(
        tmp_path / "empty-number.csv",
        [
            f"D-1,{POOR},2018-03-01,2018-03-10,二级,是,12000,10000",
            f",{POOR},2018-04-01,2018-04-10,二级,是,100,100",  # no bill number
        ],
    )
    report = bills.import_bills(registry, path, "360000")
    assert [(r.row_number, r.column, r.code) for r in report.rejected] == [(3, "单据号", "missing")]
    assert "单据号为空" in report.rejected[0].reason
    assert [b["bill_id"] for b in stored(registry)] == ["D-1"]
    # a file of only such rows writes nothing
    alone = write(tmp_path / "only.csv", [f",{POOR},2018-05-01,2018-05-10,二级,是,100,100"])
    with pytest.raises(FileError, match="单据号为空"):
        bills.import_bills(registry, alone, "360000")
    assert [b["bill_id"] for b in stored(registry)] == ["D-1"]


@pytest.mark.kill
def test_a_killed_import_leaves_the_registry_as_it_was(registry, tmp_path):
    """SIGKILL after the bills were written, before the commit: nothing is left of it."""
    load(registry, tmp_path)
    before = registry.read("registry_import_batch").num_rows
    path = write(tmp_path / "f.csv", [f"C-1,{POOR},2018-03-01,2018-03-10,二级,是,12000,10000"])
    kill_during(
        registry,
        "bills",
        "from pathlib import Path\nfrom doudi.bills import importing as bills",
        f"bills.import_bills(database, Path({str(path)!r}), '360000')",
    )
    assert stored(registry) == []
    assert registry.read("registry_import_batch").num_rows == before
