"""A department file's cells below its header, as text: CSV or Excel in, Arrow out.

A county receives its lists as whatever the department's system or clerk produced: CSV
in GBK or UTF-8 (with or without a BOM), or an Excel workbook, often with a title row or
two above the header. This module finds the header row (:mod:`doudi.rosters.headers`
says what a header is), reads every cell below it as a string column (``c0`` … ``c{n-1}``,
one per header cell) with the row number the caseworker sees in Excel, and drops the
blank rows. Nothing is parsed or validated here (:mod:`doudi.rosters.validation` does
that); the rejections made here are a CSV record with more cells than the header, and a
line whose quotes do not pair up (:mod:`doudi.rosters.csvlines`).

Files run to a million rows, so cells are read column-wise by pyarrow (CSV) and
fastexcel (workbooks). Python touches single rows only for the rare malformed CSV
record. Decoding is :func:`doudi.core.textfile.to_utf8`'s.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import fastexcel
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from doudi.core import idnumber
from doudi.core.textfile import FileError, to_utf8
from doudi.rosters.columns import Column
from doudi.rosters.csvlines import drop_broken
from doudi.rosters.headers import HEADER_SEARCH_ROWS, id_headers, missing_id_error, normalize_header
from doudi.rosters.rejections import REJECTED_SCHEMA, no_rejects


@dataclass(frozen=True)
class RawFile:
    """The file's cells below the header, all strings, before any validation."""

    encoding: str  # "utf-8", "utf-8-sig", "gb18030" or "xlsx"
    header_row: int  # 1-based row of the header in the file
    headers: list[str]
    cells: pa.Table  # columns c0 … c{n-1}, one per header cell
    row_numbers: pa.Array  # int32, the file row of each cell row
    extra: pa.Table  # rejected records found while reading (REJECTED_SCHEMA)
    #: a CSV's cell delimiter ("" for a workbook): a refused line is split again by it to
    #: find its ID-number cell (rosters.held)
    delimiter: str = ""


#: The stream an encrypted Office Open XML file keeps its workbook in, as the OLE
#: directory names it (UTF-16LE) — what tells it from a legacy .xls.
ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")


def read_file(path: Path, data: bytes, key: Column | None = None) -> RawFile:
    """The cells of ``data`` (the bytes of ``path``): a workbook if it is one, else CSV.
    ``key``: the column whose header marks the header row (the ID number unless told)."""
    if not data[:4096].strip() and not data.strip():
        raise FileError("文件为空", f"the file {path.name} is empty")
    if data[:4] == b"\xd0\xcf\x11\xe0":  # an OLE compound file
        if ENCRYPTED_PACKAGE in data:
            # a password-protected .xlsx is stored as an OLE file too, not as a zip
            raise FileError(
                f"文件 {path.name} 设有打开密码（已加密），请在 Excel 或 WPS 中取消密码、"
                "另存为 .xlsx 或 CSV 后再导入",
                f"{path.name} is password-protected (encrypted); remove the password first",
            )
        raise FileError(
            "不支持旧版 Excel（.xls）文件，请用 Excel 或 WPS 另存为 .xlsx 或 CSV 后再导入",
            "legacy .xls workbooks are not supported; save as .xlsx or CSV",
        )
    if data[:4] == b"PK\x03\x04":
        return _read_xlsx(path, key)
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        raise FileError(
            f"文件 {path.name} 不是有效的 Excel（.xlsx）文件",
            f"{path.name} is not a valid .xlsx workbook",
        )
    return _read_csv(data, key)


def _malformed_zh(arrow_message: str) -> str:
    """What a CSV that Arrow cannot split into rows means, in Chinese. Quotes that do
    not pair up no longer get this far (csvlines): a row straddling Arrow's blocks is
    a line longer than a block."""
    if "straddl" in arrow_message:
        return "CSV 文件格式错误：有一行超过 1 MB，无法按行读取；请确认这是部门导出的名单文件"
    return "CSV 文件格式错误：无法按行读取（常见原因：分隔符不一致），请另存为 CSV 后重试"


def arange(start: int, count: int) -> pa.Array:
    """``start, start+1, …`` as int32, without a Python object per element."""
    if count <= 0:
        return pa.array([], pa.int32())
    ones = pa.repeat(pa.scalar(1, pa.int32()), count)
    return pc.add(pc.cumulative_sum(ones), pa.scalar(start - 1, pa.int32()))


def _head_records(text: str, delimiter: str) -> Iterator[tuple[list[str], int]]:
    """The first CSV records of ``text`` with the character offset after each."""
    pos = 0

    def lines() -> Iterator[str]:
        nonlocal pos
        while pos < len(text):
            end = text.find("\n", pos)
            end = len(text) if end < 0 else end + 1
            line = text[pos:end]
            pos = end
            yield line

    for record in csv.reader(lines(), delimiter=delimiter):
        yield record, pos


def _read_csv(data: bytes, key: Column | None = None) -> RawFile:
    encoding, body = to_utf8(data)
    if b"\n" not in body and b"\r" in body:
        # Line ends of a lone CR (classic Mac Excel, some exports): one row per line
        # as anywhere else, not one long line without a header.
        body = body.replace(b"\r", b"\n")
    # The header is near the top: parse a prefix cut at a line end (0x0A never occurs
    # inside a multi-byte UTF-8 character).
    limit = 1 << 20
    cut = len(body) if len(body) <= limit else body.rfind(b"\n", 0, limit) + 1
    head = body[:cut].decode("utf-8")
    ids = id_headers(key)
    found: tuple[int, list[str], int, str] | None = None
    for delimiter in (",", "\t", ";"):
        try:
            for index, (record, end) in enumerate(_head_records(head, delimiter)):
                if index >= HEADER_SEARCH_ROWS:
                    break
                if any(normalize_header(cell) in ids for cell in record):
                    found = (index, record, end, delimiter)
                    break
        except csv.Error:
            continue
        if found:
            break
    if found is None:
        raise missing_id_error("文件", key)
    index, headers, end, delimiter = found
    offset = len(head[:end].encode("utf-8"))
    buffer = pa.py_buffer(body)[offset:]
    names = [f"c{i}" for i in range(len(headers))]
    bad: list[tuple[int | None, str]] = []
    header_row = index + 1
    broken = no_rejects()
    if body.find(b'"', offset) >= 0:
        buffer, broken = drop_broken(buffer, delimiter, len(headers), header_row + 1)

    def on_invalid(row: pacsv.InvalidRow) -> str:
        bad.append((row.number, row.text))
        return "skip"

    def read(threads: bool) -> pa.Table:
        bad.clear()
        return pacsv.read_csv(
            pa.BufferReader(buffer),
            read_options=pacsv.ReadOptions(column_names=names, use_threads=threads),
            parse_options=pacsv.ParseOptions(
                delimiter=delimiter,
                # every line is one row: a line break inside a cell is refused (csvlines)
                newlines_in_values=False,
                ignore_empty_lines=False,
                invalid_row_handler=on_invalid,
            ),
            convert_options=pacsv.ConvertOptions(
                column_types=dict.fromkeys(names, pa.string()),
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )

    if offset >= len(body):  # nothing after the header (pyarrow calls that an error)
        cells = pa.table({n: pa.array([], pa.string()) for n in names})
        return RawFile(encoding, header_row, headers, cells, arange(0, 0), no_rejects(), delimiter)
    try:
        cells = read(threads=True)
        if bad and any(number is None for number, _ in bad):
            # Record numbers of malformed rows are only known to a single-threaded read.
            cells = read(threads=False)
    except pa.ArrowInvalid as exc:
        # Arrow's own words stay in the English part: a caseworker reads the Chinese one
        raise FileError(_malformed_zh(str(exc)), f"malformed CSV after the header: {exc}") from exc
    if not bad:
        return RawFile(
            encoding,
            header_row,
            headers,
            cells,
            arange(header_row + 1, cells.num_rows),
            broken,
            delimiter,
        )
    raw = _splice_malformed(encoding, header_row, headers, cells, bad, delimiter)
    extra = pa.concat_tables([raw.extra, broken]).sort_by([("row_number", "ascending")])
    return RawFile(encoding, header_row, headers, raw.cells, raw.row_numbers, extra, delimiter)


def _splice_malformed(
    encoding: str,
    header_row: int,
    headers: list[str],
    cells: pa.Table,
    bad: list[tuple[int | None, str]],
    delimiter: str,
) -> RawFile:
    """Put back the records pyarrow skipped for having a different number of cells:
    padded when short, rejected (code ``columns``) when long with content. Runs in
    Python, once per malformed record, which a well-formed file does not have."""
    width = len(headers)
    skipped = sorted((number or 0, text) for number, text in bad)
    # Row numbers of the well-formed records: the record numbers not skipped.
    pieces: list[pa.Array] = []
    previous = 0
    for number, _ in skipped:
        pieces.append(arange(header_row + previous + 1, number - previous - 1))
        previous = number
    taken = sum(len(p) for p in pieces)
    pieces.append(arange(header_row + previous + 1, cells.num_rows - taken))
    row_numbers = pa.concat_arrays(pieces)

    padded: list[dict[str, object]] = []
    rejected: list[dict[str, object]] = []
    for number, text in skipped:
        row = header_row + number
        record = next(csv.reader([text.rstrip("\r\n")], delimiter=delimiter), [])
        overflow = [cell for cell in record[width:] if cell.strip()]
        if overflow:
            rejected.append(
                {
                    "row_number": row,
                    "column": f"第 {width + 1} 列起",
                    "code": "columns",
                    "value": text.rstrip("\r\n"),
                    # the cells quoted may be an ID number: masked, as in every reason
                    "reason": idnumber.mask_in_text(
                        f"本行有 {len(record)} 列，表头只有 {width} 列，多出内容"
                        f"「{delimiter.join(overflow)}」：可能是某个单元格中含有未加引号的"
                        f"分隔符「{delimiter}」，请核对本行"
                    ),
                }
            )
            continue
        record = (record + [""] * width)[:width]
        padded.append({"row_number": row, **{f"c{i}": v for i, v in enumerate(record)}})
    if padded:
        schema = pa.schema(
            [("row_number", pa.int32())] + [(f"c{i}", pa.string()) for i in range(width)]
        )
        extra_cells = pa.Table.from_pylist(padded, schema=schema)
        merged = pa.concat_tables(
            [cells.add_column(0, "row_number", row_numbers), extra_cells]
        ).sort_by([("row_number", "ascending")])
        row_numbers = merged.column("row_number").combine_chunks()
        cells = merged.drop_columns(["row_number"])
    return RawFile(
        encoding,
        header_row,
        headers,
        cells,
        row_numbers,
        pa.Table.from_pylist(rejected, schema=REJECTED_SCHEMA),
    )


def _read_xlsx(path: Path, key: Column | None = None) -> RawFile:
    """The first sheet that has an ID-number header in its top rows, every cell as
    text (fastexcel hands Arrow over directly; date cells arrive as
    "2018-03-31 00:00:00")."""
    try:
        reader = fastexcel.read_excel(path)
    except Exception as exc:  # fastexcel raises its own hierarchy; all mean "unreadable"
        first_line = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise FileError(
            f"无法读取 Excel 文件 {path.name}：{first_line}",
            f"cannot read workbook: {first_line}",
        ) from exc
    ids = id_headers(key)
    for sheet_name in reader.sheet_names:
        # Loading reads the whole sheet whatever n_rows says, so it is loaded once.
        # header_row=None with skip_rows=0 starts at the sheet's row 1 even when the
        # top rows are empty: positions are Excel row numbers minus one.
        loaded = reader.load_sheet(
            sheet_name, header_row=None, skip_rows=0, dtypes="string"
        ).to_arrow()
        sheet = pa.Table.from_batches([loaded]) if isinstance(loaded, pa.RecordBatch) else loaded
        for index, row in enumerate(sheet.slice(0, HEADER_SEARCH_ROWS).to_pylist()):
            headers = ["" if v is None else str(v) for v in row.values()]
            if any(normalize_header(h) in ids for h in headers):
                names = [f"c{i}" for i in range(sheet.num_columns)]
                cells = sheet.slice(index + 1).rename_columns(names)
                header_row = index + 1
                return RawFile(
                    "xlsx",
                    header_row,
                    headers,
                    cells,
                    arange(header_row + 1, cells.num_rows),
                    no_rejects(),
                )
    raise missing_id_error("工作表", key)


def drop_blank_rows(raw: RawFile, id_position: int) -> tuple[pa.Table, pa.Array]:
    """Cells and row numbers without the rows whose every cell is empty.

    Only rows with an empty ID cell can be blank, so the other columns are looked at
    for those rows alone."""
    cells = raw.cells

    def empty(column: pa.ChunkedArray | pa.Array) -> pa.ChunkedArray | pa.Array:
        return pc.fill_null(pc.equal(pc.utf8_trim_whitespace(column), ""), True)

    candidates = pc.indices_nonzero(empty(cells.column(f"c{id_position}")))
    if len(candidates) == 0:
        return cells, raw.row_numbers
    subset = cells.take(candidates)
    blank = empty(subset.column(0))
    for column in subset.columns[1:]:
        blank = pc.and_(blank, empty(column))
    drop = pc.filter(candidates, blank)
    if len(drop) == 0:
        return cells, raw.row_numbers
    keep = pc.invert(pc.is_in(arange(0, cells.num_rows), value_set=drop.cast(pa.int32())))
    return cells.filter(keep), pc.filter(raw.row_numbers, keep)
