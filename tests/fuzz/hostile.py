"""Hostile files built from a valid one (hypothesis strategies).

A county's files come from Excel, WPS and departments' own systems, typed or edited by
hand: in any of five encodings, with quotes left open, CR-only line ends, cells pasted
from a web page with control characters, dates of 1900 or 30 February, amounts with a
third decimal or twenty digits, the same person twice, the header renamed or missing.
Each strategy starts from a valid table (header and rows of text) and draws a few such
mistakes, so most examples stay close to a real file and reach the deep checks instead
of failing at the first byte.
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
from dataclasses import dataclass, field, replace
from pathlib import Path

import xlsxwriter
from hypothesis import strategies as st

#: The encodings a file may arrive in. UTF-16 is refused, and must be called UTF-16.
ENCODINGS = ("utf-8", "utf-8-sig", "gbk", "gb18030", "utf-16-le", "utf-16-be")
UTF16 = ("utf-16-le", "utf-16-be")
LINE_ENDS = ("\n", "\r\n", "\r")

LONG = st.sampled_from([17, 33, 64, 65, 101, 129, 256, 1025, 40_000]).map(lambda n: "名" * n)
CONTROL = ["\x00", "\x01", "\x07", "\x08", "\x0b", "\x0c", "\x1b", "\x7f", "\x85"]
INVISIBLE = ["\u2028", "\u200b", "\ufeff", "\u202e", "\t", "\u3000", "\xa0"]
QUOTES = ['"', '""', '"张三"', '张"三', '"张三', '张三"', "'", '"""']
BREAKS = ["\n", "\r\n", "\r", "张\n三", "张\r三", "张\r\n三"]
FORMULAS = ["=1+1", "+8613800000000", "-1", "@SUM(A1)", '=HYPERLINK("http://x")']
ODD = ["😀", "𠀀", "é", "e\u0301", "Ⅻ", "ｘ", "①", "NULL", "None", "nan", "#N/A", " ", ""]
DATES = [
    "1900-01-01",
    "1899-12-31",
    "1901-06-01",
    "2100-01-01",
    "2099-12-31",
    "9999-12-31",
    "2018-02-30",
    "2018-02-29",
    "2016-02-29",
    "2018-13-01",
    "2018-00-10",
    "0000-00-00",
    "20180230",
    "2018/2/30",
    "2018年2月30日",
    "2018.03.01",
    "45000",
    "99999",
    "1",
    "-1",
    "1.5",
    "2018-03-31 25:00:00",
    "2018-03-31T00:00:00+08:00",
    "31/03/2018",
    "未知",
]
AMOUNTS = [
    "30.001",
    "0.005",
    "12345678901234567890",
    "9999999999999999.99",
    "10000000000000000.00",
    "99999999999999999999.99",
    "-30.00",
    "-0.01",
    "0",
    "0.00",
    "abc",
    "1e5",
    "1E-2",
    "NaN",
    "Infinity",
    "-inf",
    "１００",
    "30,00",
    "1,000.00",
    " 30.00 ",
    "30.",
    ".5",
    "+30",
    "¥30",
    "30元",
    "0x1F",
    "1_000",
]
CHINESE_NAMES = ["张三", "李四", "王秀英", "欧阳明", "阿依古丽·买买提"]


#: Numbers the files examples write, so no two share a name.
_SERIAL = itertools.count()


@dataclass(frozen=True)
class Table:
    """A file as text cells: a header and its rows."""

    header: list[str]
    rows: list[list[str]]
    #: label → values that are hostile for that column in particular (dates, money)
    pools: dict[str, list[str]] = field(default_factory=dict)
    #: label → other headers the department's systems write for it
    aliases: dict[str, list[str]] = field(default_factory=dict)


@dataclass(frozen=True)
class HostileFile:
    """A drawn file: its name, its bytes, and what was done to it (for the report)."""

    name: str
    data: bytes
    how: tuple[str, ...]

    @property
    def utf16(self) -> bool:
        """Whether the bytes start as Excel's "Unicode text" (a UTF-16 byte-order mark)."""
        return self.data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))

    def written_in(self, folder: Path) -> Path:
        """The file written in ``folder`` under a name of its own: hypothesis runs many
        examples in one test's temporary folder."""
        path = folder / f"{next(_SERIAL)}-{self.name}"
        path.write_bytes(self.data)
        return path

    def __repr__(self) -> str:  # hypothesis prints this for a falsifying example
        return f"HostileFile(name={self.name!r}, how={self.how!r}, data={self.data!r})"


def any_cell(pool: list[str]) -> st.SearchStrategy[str]:
    """A hostile value for a cell: the column's own pool first, then the generic ones."""
    generic = st.sampled_from(CONTROL + INVISIBLE + QUOTES + BREAKS + FORMULAS + ODD)
    strategies = [generic, LONG, st.text(max_size=12), st.sampled_from(DATES + AMOUNTS)]
    if pool:
        strategies.insert(0, st.sampled_from(pool))
    return st.one_of(strategies)


@st.composite
def spoiled(draw: st.DrawFn, value: str, pool: list[str]) -> str:
    """``value`` replaced, or with something put before, inside or after it."""
    bad = draw(any_cell(pool))
    where = draw(st.sampled_from(["replace", "before", "after", "inside"]))
    if where == "replace" or not value:
        return bad
    if where == "before":
        return bad + value
    if where == "after":
        return value + bad
    at = draw(st.integers(0, len(value)))
    return value[:at] + bad + value[at:]


@st.composite
def mistakes(draw: st.DrawFn, base: Table) -> tuple[Table, tuple[str, ...]]:
    """``base`` with up to four mistakes a department's file has, and their names."""
    header = list(base.header)
    rows = [list(r) for r in base.rows]
    how: list[str] = []
    for _ in range(draw(st.integers(0, 4))):
        kind = draw(
            st.sampled_from(
                [
                    *("cell", "cell", "cell", "duplicate_row", "duplicate_id", "extra_cell"),
                    *("short_row", "blank_row", "header", "title_row", "no_rows"),
                ]
            )
        )
        if kind in ("cell", "duplicate_row", "duplicate_id", "extra_cell", "short_row") and (
            not rows
        ):
            continue
        i = draw(st.integers(0, len(rows) - 1)) if rows else 0
        j = draw(st.integers(0, len(header) - 1))
        if kind == "cell" and j < len(rows[i]):
            rows[i][j] = draw(spoiled(rows[i][j], base.pools.get(header[j], [])))
            how.append(f"cell({i},{header[j]})")
        elif kind == "duplicate_row":
            copy = list(rows[i])
            if draw(st.booleans()) and len(copy) > 1:  # the same ID, another name
                copy[1] = draw(st.sampled_from(CHINESE_NAMES))
            rows.insert(draw(st.integers(0, len(rows))), copy)
            how.append(f"duplicate_row({i})")
        elif kind == "duplicate_id" and rows[i]:
            k = draw(st.integers(0, len(rows) - 1))
            rows[i][0] = rows[k][0] if rows[k] else ""
            how.append(f"duplicate_id({i}<-{k})")
        elif kind == "extra_cell":
            rows[i].append(draw(st.sampled_from(["", "多余", "1"])))
            how.append(f"extra_cell({i})")
        elif kind == "short_row":
            rows[i] = rows[i][: draw(st.integers(0, max(len(rows[i]) - 1, 0)))]
            how.append(f"short_row({i})")
        elif kind == "blank_row":
            rows.insert(draw(st.integers(0, len(rows))), [""] * len(header))
            how.append("blank_row")
        elif kind == "header":
            header[j] = draw(header_variant(header[j], base.aliases.get(header[j], [])))
            how.append(f"header({j}={header[j]!r})")
        elif kind == "title_row":
            rows.insert(0, header)
            header = ["某某县2018年名单"] + [""] * (len(header) - 1)
            how.append("title_row")
        elif kind == "no_rows":
            rows = []
            how.append("header_only")
    return replace(base, header=header, rows=rows), tuple(how)


def header_variant(label: str, aliases: list[str]) -> st.SearchStrategy[str]:
    """Another way a department writes a header, or a header gone wrong."""
    return st.sampled_from(
        [
            *aliases,
            f" {label} ",
            f"{label}(必填)",
            f"{label}（必填）",
            f"【{label}】",
            label.replace("(", "（").replace(")", "）"),
            label + label,
            "",
            "ID",
            "Unnamed: 0",
        ]
    )


# --- bytes ---------------------------------------------------------------------------------


def encode(text: str, encoding: str) -> tuple[bytes, str]:
    """``text`` in ``encoding`` as a file would hold it (a BOM for UTF-16, as Excel writes
    it); GBK cannot hold every character, and a file that needs more is GB18030."""
    if encoding in UTF16:
        bom = codecs.BOM_UTF16_LE if encoding == "utf-16-le" else codecs.BOM_UTF16_BE
        return bom + text.encode(encoding, "surrogatepass"), encoding
    try:
        return text.encode(encoding), encoding
    except UnicodeEncodeError:
        return text.encode("gb18030"), "gb18030"


def csv_text(table: Table, quoting: str, eol: str) -> str:
    """The table as CSV text: quoted as the csv module does ("balanced"), every cell
    quoted, or joined by hand so that a quote or a line break in a cell stays raw
    ("raw", as some systems export)."""
    lines = [table.header, *table.rows]
    if quoting == "raw":
        return "".join(",".join(r) + eol for r in lines)
    sink = io.StringIO()
    mode = csv.QUOTE_ALL if quoting == "all" else csv.QUOTE_MINIMAL
    csv.writer(sink, lineterminator=eol, quoting=mode).writerows(lines)
    return sink.getvalue()


@st.composite
def csv_files(draw: st.DrawFn, base: Table, stem: str) -> HostileFile:
    """``base`` with mistakes, as CSV bytes in a drawn encoding, quoting and line end;
    sometimes cut short or empty."""
    table, how = draw(mistakes(base))
    quoting = draw(st.sampled_from(["balanced", "all", "raw"]))
    eol = draw(st.sampled_from(LINE_ENDS))
    text = csv_text(table, quoting, eol)
    if draw(st.booleans()):
        text = text.rstrip("\r\n")  # no line end after the last row
    data, encoding = encode(text, draw(st.sampled_from(ENCODINGS)))
    cut = draw(st.sampled_from(["whole", "whole", "whole", "truncated", "empty", "blank"]))
    if cut == "truncated" and data:
        data = data[: draw(st.integers(0, len(data) - 1))]
    elif cut == "empty":
        data = b""
    elif cut == "blank":
        data = b" \r\n\n"
    parts = (*how, f"encoding={encoding}", f"quoting={quoting}", f"eol={eol!r}", cut)
    return HostileFile(f"{stem}.csv", data, parts)


@st.composite
def xlsx_files(draw: st.DrawFn, base: Table, stem: str) -> HostileFile:
    """``base`` with mistakes, as an Excel workbook (XlsxWriter): every cell a string, or
    a number where it reads as one; sometimes behind an empty first sheet."""
    table, how = draw(mistakes(base))
    numbers = draw(st.sampled_from([False, False, False, True]))  # IDs lose digits as numbers
    sink = io.BytesIO()
    book = xlsxwriter.Workbook(sink, {"in_memory": True, "strings_to_numbers": numbers})
    if draw(st.booleans()):
        book.add_worksheet("说明")
        how = (*how, "empty_first_sheet")
    sheet = book.add_worksheet("名单")
    for r, row in enumerate([table.header, *table.rows]):
        for c, value in enumerate(row):
            if numbers:
                sheet.write(r, c, value)  # "=1+1" becomes a formula, "30.00" a number
            else:
                sheet.write_string(r, c, value)
    book.close()
    return HostileFile(f"{stem}.xlsx", sink.getvalue(), (*how, f"numbers={numbers}"))


def files(base: Table, stem: str) -> st.SearchStrategy[HostileFile]:
    """CSV (more often: more ways to go wrong) or XLSX."""
    return st.one_of(csv_files(base, stem), csv_files(base, stem), xlsx_files(base, stem))
