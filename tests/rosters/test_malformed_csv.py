"""A CSV that cannot be split into rows is refused in Chinese, with Arrow's English kept
to the English part (issue #19 §4: "straddling object straddles two block boundaries"
reached the caseworker); a quote that never closes no longer makes the rest of the file
one cell (issue #19 §2): its line alone is rejected."""

from __future__ import annotations

from pathlib import Path

import pyarrow.compute as pc
import pytest

from conftest import make_id
from doudi.core.textfile import FileError
from doudi.rosters.reading import read_roster

LI = make_id("360102", "19800512", "002")


def test_an_unpaired_quote_in_a_long_file_rejects_its_line_only(tmp_path: Path) -> None:
    rows = ["公民身份号码,姓名,纳入时间", *[f"{LI},李梅,2017-06-01"] * 200_000]
    rows[5] = f'{LI},"李梅,2017-06-01'  # the quote never closes
    path = tmp_path / "poverty.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    read = read_roster(path, "poverty")
    assert read.rows_read == 200_000
    quotes = read.rejected.filter(pc.equal(read.rejected["code"], "quotes")).to_pylist()
    assert [(r["row_number"], r["column"]) for r in quotes] == [(6, "整行")]
    assert "引号不成对" in quotes[0]["reason"] and "straddl" not in quotes[0]["reason"]


def test_a_line_longer_than_a_block_is_said_in_chinese(tmp_path: Path) -> None:
    path = tmp_path / "poverty.csv"
    path.write_text(f"公民身份号码,姓名\n{LI},{'李' * 1_200_000}\n", encoding="utf-8")
    with pytest.raises(FileError) as refused:
        read_roster(path, "poverty")
    assert "有一行超过 1 MB" in refused.value.chinese
    assert "straddl" not in refused.value.chinese and "straddl" in refused.value.english
