"""Hospital bills the import crashed on or took wrongly (issue #19 §4, §5), on SQLite and
PostgreSQL: texts longer than registry_bill holds and control characters (PostgreSQL
ended the import with a traceback, SQLite stored or cut them), amounts beyond
DECIMAL(18, 2) (ArrowInvalid, after a dry run that called the file fine) or with a third
decimal (rounded without a word), stays of 1900 or 2100, before the patient's birth or
after their death. Each is a rejected row naming its row, its column as the file's
header writes it and a Chinese reason with ID numbers masked; the other rows are stored,
and a file of only such rows writes nothing."""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.csv as pacsv
import pytest

from conftest import make_id
from doudi.bills import cells
from doudi.bills import importing as bills
from doudi.core import idnumber
from doudi.core.textfile import FileError
from doudi.rosters.importing import import_roster
from doudi.store import db
from support import HEADER, MARCH, OTHER, POOR, stored

DEAD = make_id("360102", "19500101", "015")  # registered poor, died 2018-02-01
GOOD = f"G-1,{POOR},2018-03-01,2018-03-10,二级,是,12000,10000"


def _roster(path: Path, columns: dict[str, list[str]]) -> Path:
    pacsv.write_csv(pa.table(columns), path)
    return path


@pytest.fixture
def patients(registry: db.Database, tmp_path: Path) -> db.Database:
    """Three Jiangxi patients: registered poor, insured without a status, and a
    registered poor person the death list says died on 2018-02-01."""
    poor = {"公民身份号码": [POOR, DEAD], "姓名": ["李梅", "张伯"], "纳入时间": ["2016-06-01"] * 2}
    import_roster(registry, _roster(tmp_path / "poverty.csv", poor), "poverty", MARCH)
    insured = {"公民身份号码": [OTHER], "姓名": ["王强"], "参保时间": ["2015-01-01"]}
    import_roster(registry, _roster(tmp_path / "medical.csv", insured), "resident_medical", MARCH)
    died = {"公民身份号码": [DEAD], "姓名": ["张伯"], "死亡日期": ["2018-02-01"]}
    import_roster(registry, _roster(tmp_path / "death.csv", died), "death", MARCH)
    return registry


def _file(path: Path, lines: list[str], header: str = HEADER) -> Path:
    path.write_bytes((header + "".join(f"{line}\n" for line in lines)).encode("utf-8"))
    return path


def _rejected(report: bills.BillImport) -> list[tuple[int, str, str]]:
    return [(r.row_number, r.column, r.code) for r in report.rejected]


def _stored_rejections(registry: db.Database, batch: int | None) -> list[dict]:
    return registry.read("registry_rejected_row", f"WHERE batch_id = {batch}").to_pylist()


# --- texts the registry cannot hold -------------------------------------------------------


def test_a_bill_number_longer_than_the_model_holds_is_rejected_on_both_databases(
    patients: db.Database, tmp_path: Path
) -> None:
    """PostgreSQL ended the import with "value too long", SQLite stored 65 characters; the
    limit is registry_bill.bill_id's max_length, read from the model."""
    limit = cells.text_limits("Bill")["bill_id"]
    assert limit == 64
    longest, too_long = "Z" * limit, "Z" * (limit + 1)
    path = _file(
        tmp_path / "long.csv",
        [
            GOOD,
            f"{longest},{POOR},2018-04-01,2018-04-03,一级,是,800,600",
            f"{too_long},{POOR},2018-05-01,2018-05-03,一级,是,800,600",
        ],
    )
    report = bills.import_bills(patients, path, "360000")
    assert _rejected(report) == [(4, "单据号", "too_long")]
    assert report.rejected[0].reason == "长度为 65 个字符，超过登记库允许的 64 个"
    assert sorted(b["bill_id"] for b in stored(patients)) == ["G-1", longest]
    (kept,) = _stored_rejections(patients, report.batch_id)
    assert (kept["column"], kept["value"]) == ("单据号", too_long)


@pytest.mark.parametrize(
    ("header", "line", "named"),
    [
        ("单据号", f"Z\x00-1,{POOR},2018-04-01,2018-04-03,一级,是,800,600,县医院", "U+0000"),
        ("总费用", f"Z-1,{POOR},2018-04-01,2018-04-03,一级,是,8\x0700,600,县医院", "U+0007"),
        ("医院等级", f"Z-1,{POOR},2018-04-01,2018-04-03,一\u200b级,是,800,600,县医院", "U+200B"),
        ("医院名称", f"Z-1,{POOR},2018-04-01,2018-04-03,一级,是,800,600,县\x1b医院", "U+001B"),
    ],
)
def test_a_control_character_in_any_cell_rejects_the_row_on_both_databases(
    patients: db.Database, tmp_path: Path, header: str, line: str, named: str
) -> None:
    """A NUL ended the import on PostgreSQL and cut the text on SQLite; a column the
    import does not store (医院名称) is checked too. The rejected row keeps the cell with
    the character written out, which every database stores."""
    head = HEADER.rstrip("\n") + ",医院名称\n"
    path = _file(tmp_path / "control.csv", [GOOD + ",县医院", line], head)
    report = bills.import_bills(patients, path, "360000")
    assert _rejected(report) == [(3, header, "control")]
    assert report.rejected[0].reason == f"含有不可见的控制字符（{named}），请删除后重新导出"
    assert [b["bill_id"] for b in stored(patients)] == ["G-1"]
    (kept,) = _stored_rejections(patients, report.batch_id)
    assert f"[{named}]" in kept["value"] and kept["value"].isprintable()


def test_a_quote_left_open_rejects_the_row_that_swallowed_the_rest(
    patients: db.Database, tmp_path: Path
) -> None:
    """The rows after an unpaired quote are read into one cell: that row is rejected for
    the line break inside it, with the likely cause, and nothing of it is stored."""
    path = _file(
        tmp_path / "quote.csv",
        [GOOD, f'"Z-1,{POOR},2018-04-01,2018-04-03,一级,是,800,600', f"Z-2,{POOR},2018-05-01"],
    )
    report = bills.import_bills(patients, path, "360000")
    assert {row for row, _, _ in _rejected(report)} == {3}
    assert (3, "单据号", "control") in _rejected(report)
    assert any("未配对的引号" in r.reason for r in report.rejected)
    assert [b["bill_id"] for b in stored(patients)] == ["G-1"]


def test_a_row_of_another_width_than_the_header_is_rejected(
    patients: db.Database, tmp_path: Path
) -> None:
    """An unquoted comma (1,000.00) moves every later cell one column on: the row would
    be read with its amounts under the wrong headers."""
    path = _file(
        tmp_path / "width.csv",
        [
            GOOD,
            f"Z-1,{POOR},2018-04-01,2018-04-03,一级,是,1,000.00,600",
            f"Z-2,{POOR},2018-04-01,2018-04-03,一级,是,800",
            f"Z-3,{POOR},2018-05-01,2018-05-03,一级,是,800,600,,",  # empty cells: kept
        ],
    )
    report = bills.import_bills(patients, path, "360000")
    assert _rejected(report) == [(3, "整行", "shape"), (4, "整行", "shape")]
    assert report.rejected[0].reason.startswith("本行有 9 个单元格，表头有 8 列")
    assert sorted(b["bill_id"] for b in stored(patients)) == ["G-1", "Z-3"]


@pytest.mark.parametrize(
    ("header", "refusal"),
    [
        (HEADER.replace("总费用", "总\x00费用"), "表头第 7 列含有不可见的控制字符（U+0000）"),
        (HEADER.replace("总费用", "总" * 65), "表头第 7 列长度为 65 个字符"),
        (
            HEADER.replace("单据号,", "单据号,结算编号,"),
            "表头第 2 列「结算编号」与「单据号」是同一字段",
        ),
    ],
)
def test_a_header_no_rejection_could_name_refuses_the_file(
    patients: db.Database, tmp_path: Path, header: str, refusal: str
) -> None:
    """A rejected row names its column by the header, which registry_rejected_row keeps
    in 64 characters; two columns of one field would let the second win silently."""
    path = _file(tmp_path / "header.csv", [GOOD], header)
    with pytest.raises(FileError, match=re.escape(refusal)):
        bills.import_bills(patients, path, "360000")
    assert stored(patients) == []


def test_a_user_name_longer_than_the_batch_holds_refuses_the_import(
    patients: db.Database, tmp_path: Path
) -> None:
    path = _file(tmp_path / "user.csv", [GOOD])
    with pytest.raises(FileError, match="经办人"):
        bills.import_bills(patients, path, "360000", actor="王" * 65)
    assert stored(patients) == []


# --- amounts -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "reason"),
    [
        ("12345678901234567890", "金额超出上限（最多16位整数）"),  # ArrowInvalid before
        ("99999999999999999999.99", "金额超出上限（最多16位整数）"),
        ("10000000000.00", "单张单据金额不能超过 9999999999.99 元"),  # DuckDB's overflow
        ("12000.005", "金额最多两位小数"),  # rounded to 12000.01 before
        ("-12000", "金额不能为负数"),
        ("1,2000", None),  # an unquoted comma: the row's width
    ],
)
def test_an_amount_beyond_decimal_18_2_or_the_fen_is_rejected_also_in_the_dry_run(
    patients: db.Database, tmp_path: Path, amount: str, reason: str | None
) -> None:
    path = _file(
        tmp_path / "amount.csv", [GOOD, f"Z-1,{POOR},2018-04-01,2018-04-03,一级,是,{amount},600"]
    )
    dry = bills.import_bills(patients, path, "360000", dry_run=True)
    assert {r.row_number for r in dry.rejected} == {3}
    if reason is not None:
        assert dry.rejected[0].column == "总费用"
        assert dry.rejected[0].reason.startswith(reason)
    report = bills.import_bills(patients, path, "360000")
    assert [b["bill_id"] for b in stored(patients)] == ["G-1"]
    assert {r.row_number for r in report.rejected} == {3}


def test_the_largest_amount_the_settlement_computes_is_stored_and_settled(
    patients: db.Database, tmp_path: Path
) -> None:
    from support import settled

    path = _file(
        tmp_path / "max.csv",
        [f"M-1,{POOR},2018-04-01,2018-04-03,三级,是,9999999999.99,9999999999.99"],
    )
    report = bills.import_bills(patients, path, "360000")
    assert report.rejected == []
    (result,) = settled(patients, POOR)
    assert result["total_cost"] == "9999999999.99"


# --- dates ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("admitted", "discharged", "column", "reason"),
    [
        ("1900-01-01", "2018-04-03", "入院日期", "日期 1900-01-01 应在 1950-01-01 至今天"),
        ("2018-04-01", "2100-01-01", "出院日期", "日期 2100-01-01 应在 1950-01-01 至今天"),
        ("2018-04-01", "tomorrow", "出院日期", "日期 {tomorrow} 应在"),
        (
            "1979-03-01",
            "1979-03-05",
            "入院日期",
            "入院日期 1979-03-01 早于患者的出生日期 1980-05-12",
        ),
        ("2018-04-03", "2018-04-01", "出院日期", "出院日期 2018-04-01 早于入院日期 2018-04-03"),
        ("2016-04-01", "2016-04-03", "出院日期", "出院年度 2016 无法结算"),  # no parameters
    ],
)
def test_a_stay_out_of_range_before_birth_or_unsettleable_is_rejected(
    patients: db.Database,
    tmp_path: Path,
    admitted: str,
    discharged: str,
    column: str,
    reason: str,
) -> None:
    """A bill of 1900, 2100 or the future, of a stay before the patient was born, or of a
    year Jiangxi has no settlement parameters for (the person page then ended in a
    MissingParameter traceback) is rejected before anything is written."""
    tomorrow = (date.today() + timedelta(days=1)).isoformat()
    discharged, reason = discharged.replace("tomorrow", tomorrow), reason.format(tomorrow=tomorrow)
    line = f"Z-1,{POOR},{admitted},{discharged},一级,是,800,600"
    report = bills.import_bills(patients, _file(tmp_path / "dates.csv", [GOOD, line]), "360000")
    assert [(r.row_number, r.column) for r in report.rejected] == [(3, column)]
    assert report.rejected[0].reason.startswith(reason)
    assert [b["bill_id"] for b in stored(patients)] == ["G-1"]


def test_a_stay_after_the_registrys_death_date_is_rejected(
    patients: db.Database, tmp_path: Path
) -> None:
    path = _file(
        tmp_path / "dead.csv",
        [
            GOOD,
            f"D-1,{DEAD},2018-01-20,2018-02-01,二级,是,800,600",  # died in hospital
            f"D-2,{DEAD},2018-03-01,2018-03-05,二级,是,800,600",
        ],
    )
    report = bills.import_bills(patients, path, "360000")
    assert _rejected(report) == [(4, "入院日期", "after_death")]
    assert "晚于登记库中此人的死亡日期 2018-02-01" in report.rejected[0].reason
    assert sorted(b["bill_id"] for b in stored(patients)) == ["D-1", "G-1"]


# --- how a rejection names its column and its cell ----------------------------------------


def test_a_rejection_names_the_files_header_never_the_engines_field(
    patients: db.Database, tmp_path: Path
) -> None:
    """Issue #19 §4: rejections named total_cost; they name the column as the hospital's
    file does (医疗总费用 here), and a column the file lacks by its Chinese name."""
    header = "结算编号,身份证号,入院日期,出院日期,医院等级,医疗总费用\n"
    path = _file(
        tmp_path / "aliases.csv",
        [
            f"A-1,{POOR},2018-03-01,2018-03-10,二级,12000",
            f"A-2,{POOR},2018-03-01,2018-03-10,二级,1.001",
        ],
        header,
    )
    with pytest.raises(FileError) as refused:
        bills.import_bills(patients, path, "360000")
    assert "第 2 行，列 政策范围内费用：不能为空" in str(refused.value)
    assert "第 3 行，列 医疗总费用：金额最多两位小数" in str(refused.value)
    assert "total_cost" not in str(refused.value) and "in_policy_cost" not in str(refused.value)


def test_a_rejection_reason_never_quotes_an_id_number_in_full(
    patients: db.Database, tmp_path: Path
) -> None:
    """Issue #19 §5: an ID number typed into the date column reached the report, the
    import page and registry_rejected_row's reason in full; the cell itself stays."""
    path = _file(tmp_path / "shifted.csv", [GOOD, f"Z-1,{POOR},{OTHER},2018-04-03,一级,是,800,600"])
    report = bills.import_bills(patients, path, "360000")
    ((row, column, reason, value),) = [
        (r.row_number, r.column, r.reason, r.value) for r in report.rejected
    ]
    assert (row, column, value) == (3, "入院日期", OTHER)
    assert OTHER not in reason and idnumber.mask(OTHER) in reason
    (kept,) = _stored_rejections(patients, report.batch_id)
    assert OTHER not in kept["reason"] and OTHER not in "\n".join(report.summary_zh())


# --- the command line ----------------------------------------------------------------------


def _doudi_bills(registry: db.Database, monkeypatch: pytest.MonkeyPatch, *args: str) -> Any:
    from typer.testing import CliRunner

    from doudi.bills import cli
    from doudi.cli import app

    monkeypatch.setattr(cli, "open_registry", lambda: registry)
    return CliRunner().invoke(app, ["bills", *args, "--jurisdiction", "360000"])


def test_the_command_prints_each_rejection_by_the_files_header(
    patients: db.Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _file(tmp_path / "b.csv", [GOOD, f"Z-1,{POOR},2018-04-01,2018-04-03,一级,是,1e30,600"])
    result = _doudi_bills(patients, monkeypatch, str(path))
    assert result.exit_code == 0 and result.exception is None
    assert "第 3 行，列 总费用：金额超出上限（最多16位整数）：'1e30'" in result.output


def test_the_command_refuses_a_folder_in_chinese_without_a_traceback(
    patients: db.Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``doudi bills`` of a folder ended in an IsADirectoryError traceback."""
    result = _doudi_bills(patients, monkeypatch, str(tmp_path))
    assert result.exit_code == 2 and not isinstance(result.exception, IsADirectoryError)
    assert f"{tmp_path} 是一个文件夹，不是文件" in result.output
