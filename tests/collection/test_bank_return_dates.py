"""A bank return's own processing date and encoding (issue #19 §7, found by
tests/fuzz/test_fuzz_bank_returns.py), on SQLite and PostgreSQL.

A return processed in 2100, or before the request was made, was booked: its failed
lines were recorded as paid on that day (a line without a deduction date is dated by
the file) and the return kept the date, so money moved into another year. A return
saved as UTF-16 was called "not GBK from byte 0" instead of by its name.
"""

from __future__ import annotations

import codecs
from datetime import date
from pathlib import Path

import pytest
from tests.collection.test_bank import ID, answer, counts, load

from doudi.collection import bankfile
from doudi.collection.returns import import_return
from doudi.collection.withholding import export_withholding
from doudi.store import db

REQUESTED, PROCESSED = date(2018, 6, 1), date(2018, 7, 10)


def a_return(registry: db.Database, tmp_path: Path) -> str:
    """The text of a return of the 1 June request: A paid 30.00 on 10 July, the other
    lines failed (no deduction date)."""
    version = load(registry, tmp_path)
    request = export_withholding(registry, version, "500102", tmp_path, on=REQUESTED)
    results = {ID[k]: ("0.00", "1001") for k in "BDF"}
    results[ID["A"]] = ("30.00", "0000")
    path = answer(request.path, tmp_path / "HP.txt", PROCESSED, results)
    return path.read_bytes().decode("gbk")


@pytest.mark.parametrize(
    ("processed", "reason"),
    [
        ("21000710", "第 1 行：银行处理日期 2100-07-10 晚于今天"),
        ("20180531", "第 1 行：银行处理日期 2018-05-31 早于代扣请求日期 2018-06-01"),
    ],
)
def test_cq_2018_82_2_1_1_a_return_processed_outside_request_and_today_is_refused(
    registry, tmp_path, processed, reason
):
    """从到款的当月……作视同实收处理: the bank processes a request after it was made and
    before the file reaches the bureau; a processing date outside books nothing."""
    text = a_return(registry, tmp_path).replace("|20180710|", f"|{processed}|", 1)
    if processed < "20180710":  # A's deduction may not be after the processing either
        text = text.replace("|30.00|30.00|20180710|", f"|30.00|30.00|{processed}|")
    path = tmp_path / "HP-dated.txt"
    path.write_bytes(text.encode("gbk"))
    before = counts(registry)
    with pytest.raises(bankfile.BankFileError) as caught:
        import_return(registry, path)
    assert any(p.startswith(reason) for p in caught.value.problems), caught.value.problems
    assert counts(registry) == before
    assert registry.read("registry_bank_return").num_rows == 0


def test_a_return_processed_on_the_request_day_is_booked(registry, tmp_path):
    """The request's own day is within: the bank may answer the same day."""
    text = a_return(registry, tmp_path).replace("20180710", "20180601")
    path = tmp_path / "HP-same-day.txt"
    path.write_bytes(text.encode("gbk"))
    assert import_return(registry, path).paid == 1
    paid_on = {r["paid_on"] for r in registry.read("registry_payment").to_pylist()}
    assert paid_on == {REQUESTED}


@pytest.mark.parametrize("bom", [codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE])
def test_a_utf16_return_is_named_utf16(registry, tmp_path, bom):
    """Issue #19 §4: a file saved as Excel's "Unicode text" is named as such."""
    text = a_return(registry, tmp_path)
    encoding = "utf-16-le" if bom == codecs.BOM_UTF16_LE else "utf-16-be"
    path = tmp_path / "HP-utf16.txt"
    path.write_bytes(bom + text.encode(encoding))
    with pytest.raises(bankfile.BankFileError) as caught:
        import_return(registry, path)
    assert caught.value.problems == [
        "文件为 UTF-16 编码（Excel「Unicode 文本」），回盘文件应为银行系统导出的 GBK 原文件，"
        "请勿另存后导入"
    ]
