"""A CSV that cannot be split into rows is refused in Chinese, with Arrow's English kept
to the English part (issue #19 §4: "straddling object straddles two block boundaries"
reached the caseworker)."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import make_id
from doudi.core.textfile import FileError
from doudi.rosters.reading import read_roster

LI = make_id("360102", "19800512", "002")


def test_an_unpaired_quote_in_a_long_file_is_said_in_chinese(tmp_path: Path) -> None:
    rows = ["公民身份号码,姓名,纳入时间", *[f"{LI},李梅,2017-06-01"] * 200_000]
    rows[5] = f'{LI},"李梅,2017-06-01'  # the quote never closes: the rest is one cell
    path = tmp_path / "poverty.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    with pytest.raises(FileError) as refused:
        read_roster(path, "poverty")
    assert "未成对的英文双引号" in refused.value.chinese
    assert "straddl" not in refused.value.chinese and "straddl" in refused.value.english
