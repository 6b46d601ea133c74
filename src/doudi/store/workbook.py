"""Excel workbooks for caseworkers: typed, formula-safe sheets, and an import's rejected rows.

Caseworkers work in Excel (or WPS), so the reports are .xlsx files written with
XlsxWriter in ``constant_memory`` mode: a province's findings run to hundreds of
thousands of rows, and that mode keeps one row in memory at a time (so rows are
written strictly in order). Every cell keeps its type: ID numbers are text (never a
number that Excel would round to 15 digits), counts are numbers, dates are dates
(``yyyy-mm-dd``), ``Decimal`` values are numbers shown with 2 decimals (an Excel cell
is a binary double whatever we do; the exact value stays in the registry). A rate
(a coverage rate, a payer's share) is the fraction as a number shown as ``0.00%``:
a caseworker's sums, sorts and charts read the rate, not a text or a count of percent
shown as a plain number (93.01, stored as ``93.01000000000001``) (:attr:`Sheet.percent`).

Names come from department files, so any text could be a formula: a roster name
``=HYPERLINK("http://x","点我")`` must not become a link in a caseworker's workbook.
:func:`looks_like_formula` finds such text (the OWASP CSV-injection rule:
text beginning with ``=``, ``+``, ``-``, ``@``, also after leading whitespace, or
with a tab or carriage return), and it is written with Excel's quote prefix: text
that stays text when edited, the name shown as the department wrote it (no visible
apostrophe, as a ``'`` prepended to the value would leave).
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Callable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any, NamedTuple

import pyarrow as pa
import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from doudi.core import vocab

REJECTED_TITLE = "未导入的行"
REJECTED_COLUMNS = ("row_number", "column", "value", "reason")

#: Excel's limit on a sheet name, in characters (a Chinese character counts one).
SHEET_NAME_MAX = 31
#: Characters Excel refuses in sheet names, replaced by their full-width forms so a
#: Chinese title stays readable (乡镇/村 → 乡镇／村).
_SHEET_NAME_FIX = str.maketrans("[]:*?/\\", "［］：＊？／＼")
_FORMULA_START = ("=", "+", "-", "@")
_WIDTH_SAMPLE = 500  # rows looked at to size a column
_MIN_WIDTH, _MAX_WIDTH = 6, 60


class Sheet(NamedTuple):
    """One worksheet: its Chinese title, the rows, a Chinese header per column, and
    the columns that hold percentages (``Decimal`` hundredths, 66.67 for 66.67 %).

    A percentage column is written as the fraction (0.6667) with Excel's ``0.00%``
    format: the tables keep the exact rounded percentage the readings define, and
    Excel gets a rate it can compute with.
    """

    title: str
    table: pa.Table
    headers: Sequence[str]
    percent: frozenset[str] = frozenset()


def looks_like_formula(text: str) -> bool:
    """Whether Excel, WPS or LibreOffice could read the text as a formula: it begins
    with a tab or carriage return, or with ``=``, ``+``, ``-`` or ``@`` after any
    leading whitespace (the OWASP CSV-injection rule)."""
    return text[:1] in ("\t", "\r") or text.lstrip()[:1] in _FORMULA_START


def sheet_name(title: str, used: set[str] | None = None) -> str:
    """A valid, unique sheet name for ``title``: forbidden characters replaced by
    their full-width forms, no leading or trailing ``'``, at most 31 characters;
    ``(2)``, ``(3)`` … appended when taken (Excel compares names case-insensitively).
    """
    name = title.translate(_SHEET_NAME_FIX).strip().strip("'")[:SHEET_NAME_MAX] or "Sheet"
    if name.lower() == "history":  # reserved by Excel
        name = "History_"
    taken = {u.lower() for u in used or ()}
    candidate, n = name, 1
    while candidate.lower() in taken:
        n += 1
        suffix = f"({n})"
        candidate = name[: SHEET_NAME_MAX - len(suffix)] + suffix
    if used is not None:
        used.add(candidate)
    return candidate


def display_width(text: str) -> int:
    """Columns a text takes in Excel: a Chinese (wide) character takes two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


class Formats:
    def __init__(self, wb: xlsxwriter.Workbook):
        self.header = wb.add_format(
            {"bold": True, "bg_color": "#DDEBF7", "border": 1, "align": "center"}
        )
        self.text = wb.add_format({"num_format": "@"})
        # Excel's quote prefix: the cell is text whatever it starts with, and stays text
        # when edited, with no apostrophe shown in it
        self.quoted = wb.add_format({"num_format": "@", "quote_prefix": True})
        self.quoted_header = wb.add_format(
            {
                "bold": True,
                "bg_color": "#DDEBF7",
                "border": 1,
                "align": "center",
                "quote_prefix": True,
            }
        )
        self.date = wb.add_format({"num_format": "yyyy-mm-dd"})
        self.datetime = wb.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"})
        self.integer = wb.add_format({"num_format": "0"})
        self.percent = wb.add_format({"num_format": "0.00%"})
        self._decimals: dict[int, Format] = {}
        self._wb = wb

    def decimal(self, scale: int) -> Format:
        """``0.00`` for money; more places if the column has them."""
        places = max(scale, 2)
        if places not in self._decimals:
            self._decimals[places] = self._wb.add_format({"num_format": "0." + "0" * places})
        return self._decimals[places]


Writer = Callable[[Worksheet, int, int, Any], None]


def _writer(kind: pa.DataType, fmt: Formats) -> tuple[Writer, Callable[[Any], str]]:
    """How to write one column's values, and how wide a value shows (for sizing)."""
    if pa.types.is_boolean(kind):

        def write_bool(ws: Worksheet, r: int, c: int, v: Any) -> None:
            ws.write_string(r, c, "是" if v else "否")

        return write_bool, lambda v: "是"
    if pa.types.is_integer(kind):

        def write_int(ws: Worksheet, r: int, c: int, v: Any) -> None:
            ws.write_number(r, c, v, fmt.integer)

        return write_int, str
    if pa.types.is_decimal(kind):
        number = fmt.decimal(kind.scale)

        def write_decimal(ws: Worksheet, r: int, c: int, v: Any) -> None:
            # An Excel number is a double; the shown value is the Decimal's.
            ws.write_number(r, c, float(v), number)

        return write_decimal, lambda v: f"{v:.2f}"
    if pa.types.is_floating(kind):

        def write_float(ws: Worksheet, r: int, c: int, v: Any) -> None:
            ws.write_number(r, c, v)

        return write_float, str
    if pa.types.is_date(kind):

        def write_date(ws: Worksheet, r: int, c: int, v: Any) -> None:
            ws.write_datetime(r, c, v, fmt.date)

        return write_date, lambda v: "yyyy-mm-dd"
    if pa.types.is_timestamp(kind):

        def write_timestamp(ws: Worksheet, r: int, c: int, v: Any) -> None:
            if isinstance(v, dt.datetime) and v.tzinfo is not None:
                v = v.astimezone(dt.UTC).replace(tzinfo=None)
            ws.write_datetime(r, c, v, fmt.datetime)

        return write_timestamp, lambda v: "yyyy-mm-dd hh:mm:ss"

    def write_text(ws: Worksheet, r: int, c: int, v: Any) -> None:
        text = _text(v)
        ws.write_string(r, c, text, fmt.quoted if looks_like_formula(text) else fmt.text)

    return write_text, _text


def _percent_writer(kind: pa.DataType, fmt: Formats) -> tuple[Writer, Callable[[Any], str]]:
    """A percentage column (``Decimal`` hundredths) written as its fraction, shown as
    ``0.00%``. The division is exact in ``Decimal``, so the number is the double
    nearest to the fraction; dividing the double of the percentage misses it for one
    value in four (0.07 / 100 is 0.0007000000000000001)."""
    if not pa.types.is_decimal(kind):
        raise ValueError(f"百分比列应为 Decimal 类型，实为 {kind}")

    def write_percent(ws: Worksheet, r: int, c: int, v: Any) -> None:
        ws.write_number(r, c, float(v / 100), fmt.percent)

    return write_percent, lambda v: f"{v:.2f}%"


def _text(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, list | tuple):
        return "、".join(_text(v) for v in value if v is not None)
    if isinstance(value, Decimal):
        return f"{value:f}"
    return str(value)


def write_sheet(wb: xlsxwriter.Workbook, fmt: Formats, name: str, sheet: Sheet) -> None:
    table = sheet.table
    if len(sheet.headers) != table.num_columns:
        raise ValueError(
            f"工作表“{sheet.title}”有{table.num_columns}列，但给了{len(sheet.headers)}个列名"
        )
    unknown = sheet.percent - set(table.column_names)
    if unknown:
        raise ValueError(f"工作表“{sheet.title}”没有百分比列：{'、'.join(sorted(unknown))}")
    ws = wb.add_worksheet(name)
    writers = [
        _percent_writer(f.type, fmt) if f.name in sheet.percent else _writer(f.type, fmt)
        for f in table.schema
    ]

    # Widths first: constant_memory writes a row out as soon as the next begins.
    sample = table.slice(0, _WIDTH_SAMPLE)
    for c, (header, (_, shown)) in enumerate(zip(sheet.headers, writers, strict=True)):
        width = display_width(header)
        for v in sample.column(c).to_pylist():
            if v is not None:
                width = max(width, display_width(shown(v)))
        ws.set_column(c, c, min(max(width + 2, _MIN_WIDTH), _MAX_WIDTH))

    for c, header in enumerate(sheet.headers):
        quoted = looks_like_formula(header)
        ws.write_string(0, c, header, fmt.quoted_header if quoted else fmt.header)
    ws.freeze_panes(1, 0)
    ws.autofilter(0, 0, max(table.num_rows, 0), max(table.num_columns - 1, 0))

    r = 1
    for batch in table.to_batches():
        columns = [col.to_pylist() for col in batch.columns]
        for values in zip(*columns, strict=True):
            for c, v in enumerate(values):
                if v is not None:
                    writers[c][0](ws, r, c, v)
            r += 1


def new_workbook(path: Path, title: str | None = None) -> xlsxwriter.Workbook:
    """An .xlsx that holds one row in memory at a time and never turns text into a
    formula, URL or number (only write_string is used for text; this is belt and
    braces against a generic write() of a roster value)."""
    wb = xlsxwriter.Workbook(
        str(path),
        {
            "constant_memory": True,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
        },
    )
    if title:
        wb.set_properties({"title": title})
    return wb


def write_workbook(path: Path, sheets: Sequence[Sheet], *, title: str | None = None) -> None:
    """Write ``sheets`` (title, Arrow table, Chinese headers) to an .xlsx at ``path``.

    Each sheet has a bold header row, frozen, with an autofilter; columns are sized
    from the header and the first rows. ``title`` goes to the file's properties.
    """
    wb = new_workbook(path, title)
    try:
        fmt = Formats(wb)
        used: set[str] = set()
        for sheet in sheets:
            write_sheet(wb, fmt, sheet_name(sheet.title, used), sheet)
    finally:
        wb.close()


def headers_for(table: pa.Table) -> list[str]:
    """The Chinese header of each column (the column name if it has none)."""
    return vocab.headers(table.column_names)


def rejected_workbook(rows: pa.Table, path: Path) -> None:
    """An import's rejected rows (registry_rejected_row): 行号, 列, 原值, 原因."""
    missing = [c for c in REJECTED_COLUMNS if c not in rows.column_names]
    if missing:
        raise ValueError("拒绝行缺少列：" + "、".join(missing))
    table = rows.select(list(REJECTED_COLUMNS))
    write_workbook(path, [Sheet(REJECTED_TITLE, table, headers_for(table))])
