"""Any cell a department can write (issue #19 §4): hypothesis draws poverty lists whose
cells hold control characters, texts too long for the registry, region codes real and
made up, and dates before birth or exits before the entry. Whatever the cells, reading
raises nothing, and every row is either accepted with values the registry can hold
and that can be true, or rejected with a Chinese reason naming a column of the file.

Line breaks inside a cell and unpaired quotes are the file reader's (test_malformed_csv):
the cells drawn here hold neither, so every row stays one row."""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from datetime import date
from pathlib import Path
from tempfile import TemporaryDirectory

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import make_id
from doudi.core import regions
from doudi.rosters.limits import text_limit
from doudi.rosters.reading import read_roster
from doudi.rosters.rejections import CODES
from doudi.rosters.sources import SOURCES

SOURCE = SOURCES["poverty"]
HEADER = ["公民身份号码", "姓名", "行政区划代码", "乡镇(街道)", "村(社区)", "纳入时间", "脱贫时间"]
TEXTS = ("name", "township", "village")
COUNTIES = regions.county_codes()
CONTROLS = [chr(c) for c in (*range(0x00, 0x0A), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F)]
CONTROLS += ["\x85", "\x9f", "\u00ad", "\u200b", "\u200e", "\u202e", "\u2028", "\u2029", "\ufeff"]
SPACES = [" ", "\u3000", "\xa0"]
CHINESE = "张王李赵刘陈杨黄周吴伟芳娜敏静丽强磊军洋村镇街道社区组"

text_cells = st.one_of(
    st.text(st.sampled_from([*CHINESE, *SPACES, *CONTROLS, "·", "A", "1", ","]), max_size=12),
    st.integers(60, 70).map(lambda n: "名" * n),
    st.builds(lambda s, n: s * n, st.sampled_from(["镇", "㈱", "Ａ"]), st.integers(30, 66)),
)
region_cells = st.one_of(
    st.sampled_from(COUNTIES),
    st.builds(
        lambda c, rest: c + rest,
        st.sampled_from(COUNTIES),
        st.sampled_from(["001", "001001", "0", "0010010"]),
    ),
    st.sampled_from(["", "999999", "ABCDEF", "5001", "360100", "360000", "500221", "３６０１０２"]),
    st.text("0123456789", min_size=4, max_size=13),
    st.builds(lambda c, x: c[:3] + x + c[3:], st.sampled_from(COUNTIES), st.sampled_from(CONTROLS)),
)
dates = st.dates(date(1890, 1, 1), date(2110, 12, 31))
date_cells = st.one_of(
    st.just(""),
    dates.map(date.isoformat),
    dates.map(lambda d: f"{d.year}年{d.month}月{d.day}日"),
    st.integers(1890, 2110).map(str),  # a bare year: an exit date may be one
    st.builds(lambda d, x: d.isoformat() + x, dates, st.sampled_from(CONTROLS)),
)


@st.composite
def rows(draw: st.DrawFn) -> list[list[str]]:
    """One to six rows of distinct, valid ID numbers (born 1930–2018) and drawn cells."""
    out = []
    for i in range(draw(st.integers(1, 6))):
        born = draw(st.dates(date(1930, 1, 1), date(2018, 12, 31)))
        id_number = make_id(draw(st.sampled_from(COUNTIES)), born.strftime("%Y%m%d"), f"{i:03d}")
        cells = [draw(text_cells) for _ in TEXTS]
        since, exit_date = draw(date_cells), draw(date_cells)
        out.append([id_number, cells[0], draw(region_cells), cells[1], cells[2], since, exit_date])
    return out


def invisible(text: str) -> bool:
    """A character the import must refuse: a control or format character, U+2028/2029."""
    return any(unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp") for c in text)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows())
def test_every_row_is_accepted_within_the_limits_or_rejected_naming_a_column(
    drawn: list[list[str]],
) -> None:
    with TemporaryDirectory() as folder:
        path = Path(folder) / "poverty.csv"
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\n").writerows([HEADER, *drawn])
        path.write_bytes(buffer.getvalue().encode("utf-8"))
        read = read_roster(path, "poverty")

    accepted = read.accepted.to_pylist()
    rejected = read.rejected.to_pylist()
    taken = {r["row_number"] for r in accepted}
    refused = {r["row_number"] for r in rejected}
    assert taken | refused == set(range(2, len(drawn) + 2))
    assert not taken & refused

    for record in rejected:
        assert record["column"] in HEADER, record
        assert record["code"] in CODES, record
        assert re.search(r"[\u4e00-\u9fff]", record["reason"]), record
        assert not invisible(record["reason"]), record  # storable on PostgreSQL, readable

    for row in accepted:
        for name in TEXTS:
            value = row[name] or ""
            assert not invisible(value), row
            assert len(value) <= text_limit(SOURCE.column(name)), row
        code = row["region_code"]
        if code is not None:
            assert re.fullmatch(r"[0-9]{6}(?:[0-9]{3}){0,2}", code), row
            assert code[:6] in COUNTIES, row
        born = row["birth_date"]
        for name in ("since", "exit_date"):
            assert row[name] is None or row[name] >= born, row
        if row["since"] is not None and row["exit_date"] is not None:
            assert row["exit_date"] >= row["since"], row
