"""Department files end their lines as their programs do: LF, CR LF (Windows Excel), or a
lone CR (classic Mac Excel and some exports). Issue #19 §4: a CR-only file was read as one
line and refused as "missing the ID column"; every line end now gives the same rows."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import make_id
from doudi.rosters.reading import read_roster

LI, WANG = make_id("360102", "19800512", "002"), make_id("360102", "19700101", "005")
ROWS = ["公民身份号码,姓名,纳入时间", f"{LI},李梅,2017-06-01", f"{WANG},王强,2017-06-01"]


@pytest.mark.parametrize("end", ["\n", "\r\n", "\r"], ids=["LF", "CRLF", "CR"])
def test_every_line_end_gives_the_same_rows(tmp_path: Path, end: str) -> None:
    path = tmp_path / "poverty.csv"
    path.write_bytes((end.join(ROWS) + end).encode("gb18030"))
    read = read_roster(path, "poverty")
    assert read.rejected.num_rows == 0
    assert read.accepted.column("id_number").to_pylist() == [LI, WANG]
    assert read.accepted.column("name").to_pylist() == ["李梅", "王强"]
