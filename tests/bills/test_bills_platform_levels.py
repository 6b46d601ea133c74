"""A hospital's bills under the national platform's names (issue #19 §6), on SQLite and
PostgreSQL: ``hosp_lv`` is the platform's grade, stored as the documents' level; an
ungraded hospital (11 无等级) is rejected naming the column unless ``dedc_hosp_lv``
gives the level the insurance office settles it at."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv

from doudi.bills import importing as bills
from doudi.rosters.importing import import_roster
from support import MARCH, OTHER, paid, settled, stored

HEADER = "setl_id,certno,begndate,enddate,hosp_lv,dedc_hosp_lv,medfee_sumamt,inscp_scp_amt\n"


def load(registry, tmp_path: Path) -> None:
    """One insured patient of 360102 without a status: the national deductibles and rates."""
    medical = tmp_path / "medical.csv"
    table = pa.table({"公民身份号码": [OTHER], "姓名": ["王强"], "参保时间": ["2015-01-01"]})
    pacsv.write_csv(table, medical)
    import_roster(registry, medical, "resident_medical", MARCH)


def test_platform_grades_are_stored_as_levels_and_ungraded_is_refused(registry, tmp_path):
    load(registry, tmp_path)
    path = tmp_path / "bills.csv"
    path.write_text(
        HEADER
        + f"ZY-1,{OTHER},2018-03-01,2018-03-10,02,,12000,10000\n"  # 三级甲等
        + f"ZY-2,{OTHER},2018-04-01,2018-04-10,11,,1000,1000\n"  # 无等级
        + f"ZY-3,{OTHER},2018-05-01,2018-05-10,11,1,1000,1000\n",  # settled as level 1
        encoding="utf-8",
    )
    report = bills.import_bills(registry, path, "360000")
    assert [b["bill_id"] for b in report.accepted] == ["ZY-1", "ZY-3"]
    ((row, column, value, reason),) = [
        (r.row_number, r.column, r.value, r.reason) for r in report.rejected
    ]
    assert (row, column, value) == (3, "hosp_lv", "11")
    assert reason.startswith("医院等级为 11 无等级") and "dedc_hosp_lv" in reason
    assert {b["bill_id"]: b["hospital_level"] for b in stored(registry)} == {
        "ZY-1": "3",
        "ZY-3": "1",
    }
    first, third = settled(registry, OTHER)
    # level 3: 55% × (10000 − 800) = 5060.00 (as 二级 it was 75% × 9500 = 7125.00)
    assert paid(first) == {"basic": "5060.00"}
    # level 1: 85% × (1000 − 200) = 680.00
    assert paid(third) == {"basic": "680.00"}


def test_a_file_of_only_ungraded_bills_writes_nothing(registry, tmp_path: Path):
    import pytest

    from doudi.core.textfile import FileError

    load(registry, tmp_path)
    path = tmp_path / "bills.csv"
    path.write_text(HEADER + f"ZY-2,{OTHER},2018-04-01,2018-04-10,11,,1000,1000\n")
    with pytest.raises(FileError, match="hosp_lv：医院等级为 11 无等级"):
        bills.import_bills(registry, path, "360000")
    assert stored(registry) == []
