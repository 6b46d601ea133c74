"""CSV lines that would run into the next ones: a quote that does not pair up, or a line
break inside a cell.

A CSV reader that honours quotes reads from an opening quote to its closing one, line
breaks included. One stray quote in a name made the rows after it part of that name: 3
rows in, "1 accepted", two people gone, and their periods closed by the next snapshot
(issue #19). A roster cell never legitimately holds a line break, so here every line of
the file is one row: a line whose quotes do not pair up — an odd number of them, or a
quoted cell still open at the line's end — is rejected with its row number, and the
lines after it are read as rows of their own. Column-wise (pyarrow): a file runs to a
million lines, and this runs only on files holding a quote.
"""

from __future__ import annotations

import re

import pyarrow as pa
import pyarrow.compute as pc

from doudi.rosters.rejections import REJECTED_SCHEMA, no_rejects

#: What a line ends with, as pyarrow's CSV reader sees it.
LINE_END = r"\r\n|\r|\n"


def broken(lines: pa.Array, delimiter: str) -> pa.Array:
    """Which ``lines`` a quote-honouring reader would run into the next line: an odd
    number of quotes, or not a row of cells each either plain (no quote at its start)
    or quoted and closed (a doubled quote inside standing for one)."""
    d = re.escape(delimiter)
    cell = f'(?:"(?:[^"]|"")*"[^"{d}]*|[^"{d}][^{d}]*|)'
    whole = pc.match_substring_regex(lines, f"^{cell}(?:{d}{cell})*$")
    odd = pc.equal(pc.bit_wise_and(pc.count_substring(lines, '"'), 1), 1)
    return pc.or_(pc.invert(whole), odd)


def drop_broken(
    data: pa.Buffer, delimiter: str, width: int, first_row: int
) -> tuple[pa.Buffer, pa.Table]:
    """``data`` (the UTF-8 lines below the header, the first being row ``first_row``)
    with each broken line emptied (its cells blank, so the rows keep their numbers and
    the blank one is dropped later), and one rejected record per broken line."""
    text = pa.array([data.to_pybytes()], pa.large_binary()).cast(pa.large_string())
    lines = pc.split_pattern_regex(text, LINE_END).flatten()
    bad = broken(lines, delimiter)
    if not pc.any(bad).as_py():
        return data, no_rejects()
    where = pc.indices_nonzero(bad)
    rows = pc.add(where.cast(pa.int32()), pa.scalar(first_row, pa.int32()))
    rejected = pa.table(
        {
            "row_number": rows,
            "column": pa.repeat(pa.scalar("整行"), len(where)),
            "code": pa.repeat(pa.scalar("quotes"), len(where)),
            "value": lines.take(where).cast(pa.string()),
            "reason": pc.binary_join_element_wise(
                "第 ",
                rows.cast(pa.string()),
                ' 行引号不成对或字段内含换行，已拒绝：请删去多余的英文双引号（"），'
                "或去掉单元格内的换行后重新导出",
                "",
            ),
        },
        schema=REJECTED_SCHEMA,
    )
    blank = pc.if_else(bad, pa.scalar(delimiter * (width - 1), pa.large_string()), lines)
    offsets = pa.array([0, len(blank)], pa.int64())
    joined = pc.binary_join(
        pa.LargeListArray.from_arrays(offsets, blank), pa.scalar("\n", pa.large_string())
    )
    return pa.py_buffer(joined[0].as_py().encode("utf-8")), rejected
