"""Read one department file (花名册) into Arrow: accepted rows, and rejected rows with reasons.

A county receives its lists as whatever the department's system or clerk produced: CSV
in GBK or UTF-8 (with or without a BOM), or an Excel workbook, often with a title row or
two above the header, headers spelled a dozen ways, ID numbers with spaces, full-width
digits or the old 15 digits, and dates written every way a person writes a date. This
module turns such a file into two Arrow tables:

- ``accepted``: one row per valid data row, typed and normalized, with the row number
  the caseworker sees in Excel, ready to be bulk-inserted as ``RosterEntry`` rows;
- ``rejected``: one record per problem (a row can have several), naming the row, the
  column as written in the file, a machine-readable code and a specific Chinese reason,
  ready to become ``RejectedRow`` rows and to be handed back to the department.

A problem with the whole file (unreadable encoding, no ID-number column, no data) is a
:class:`FileError` instead: there is nothing row-by-row to report.

Files run to a million rows (a province's resident-medical extract), so every cell is
parsed and validated column-wise: pyarrow for reading and Unicode normalization, one
DuckDB query for parsing, ID-number arithmetic (check character, birth date, province)
and duplicates. Python touches single rows only for the rare malformed CSV record.

Readings (how an ambiguous cell is read) are stated where they are implemented and
collected in :func:`read_roster`'s docstring.
"""

from __future__ import annotations

import csv
import hashlib
import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import duckdb
import fastexcel
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from doudi.core import regions
from doudi.core.textfile import FileError, to_utf8
from doudi.rosters.sources import SOURCES, Column, Source

#: The header must be within this many rows from the top; rows above it are titles.
HEADER_SEARCH_ROWS = 10

#: Rejection codes (``RejectedRow.code``).
CODES = (
    "missing",  # a required cell is empty
    "id_length",  # ID number not 15 or 18 characters
    "id_chars",  # ID number has a character other than digits (and a final X)
    "id_region",  # the province in the ID number's address code does not exist
    "id_date",  # the birth date inside the ID number does not exist / is out of range
    "id_check",  # the check character is wrong
    "date",  # a date cell is not a date
    "yes_no",  # a yes/no cell is neither
    "grade",  # a disability grade is not 一级 … 四级
    "not_severe",  # disability list: grade 三级/四级 is not severe disability
    "decimal",  # an amount is not a number of yuan with at most two decimals
    "account",  # a bank account number is not 8 to 32 digits
    "duplicate",  # the ID number already appeared in an earlier row
    "columns",  # CSV record with more cells than the header (e.g. an unquoted comma)
)

# Python's ``\s`` (what ``idnumber.normalize`` removes), spelled for RE2 (DuckDB, pyarrow).
_WS_RE2 = r"[\t-\r\x{1C}-\x{1F}\x{85}\p{Z}]"
_FULLWIDTH_FROM = "０１２３４５６７８９Ｘｘ"
_FULLWIDTH_TO = "0123456789XX"
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)

_DATE_RE = (
    r"^([0-9]{4})[-/.年]([0-9]{1,2})[-/.月]([0-9]{1,2})日?"
    r"(?:[ T][0-9]{1,2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]*)?)?)?$"
)
_YES = ("是", "Y", "YES", "1", "TRUE", "已脱贫", "已领取")
_NO = ("否", "N", "NO", "0", "FALSE", "未脱贫", "未领取")
_GRADES = {"1": 1, "2": 2, "3": 3, "4": 4, "一": 1, "二": 2, "三": 3, "四": 4}
_GRADE_NAMES = {1: "一级", 2: "二级", 3: "三级", 4: "四级"}

_EXCEL_HINT = "；请把该列设为文本格式后重新录入"

_ARROW_TYPES: dict[str, pa.DataType] = {
    "id_number": pa.string(),
    "text": pa.string(),
    "region_code": pa.string(),
    "date": pa.date32(),
    "yes_no": pa.bool_(),
    "grade": pa.int8(),
    "decimal": pa.decimal128(18, 2),
    "account": pa.string(),
}
_SQL_TYPES = {
    "id_number": "VARCHAR",
    "text": "VARCHAR",
    "region_code": "VARCHAR",
    "date": "DATE",
    "yes_no": "BOOLEAN",
    "grade": "TINYINT",
    "decimal": "DECIMAL(18,2)",
    "account": "VARCHAR",
}

REJECTED_SCHEMA = pa.schema(
    [
        pa.field("row_number", pa.int32(), nullable=False),
        pa.field("column", pa.string(), nullable=False),
        pa.field("code", pa.string(), nullable=False),
        pa.field("value", pa.string(), nullable=False),
        pa.field("reason", pa.string(), nullable=False),
    ]
)


@dataclass(frozen=True)
class RosterRead:
    """One department file, read and validated (nothing written anywhere yet)."""

    source: Source
    path: Path
    checksum: str  # sha256 hex of the file bytes: the same file is imported once
    encoding: str  # "utf-8", "utf-8-sig", "gb18030" or "xlsx"
    header_row: int  # 1-based row of the header in the file
    header_map: dict[str, str]  # header as written in the file -> canonical column name
    rows_read: int  # non-blank data rows (accepted rows + rows with a rejected record)
    accepted: pa.Table
    rejected: pa.Table


def accepted_schema(source: Source) -> pa.Schema:
    """The columns of ``RosterRead.accepted`` for a source: row number, the source's
    canonical columns, and what the ID number encodes."""
    fields = [pa.field("row_number", pa.int32(), nullable=False)]
    fields += [pa.field(c.name, _ARROW_TYPES[c.kind]) for c in source.columns]
    fields += [
        pa.field("sex", pa.string()),
        pa.field("birth_date", pa.date32()),
        pa.field("upgraded_from_15", pa.bool_()),
    ]
    return pa.schema(fields)


def normalize_header(text: str) -> str:
    """The form in which headers are compared: NFKC (full-width brackets and letters
    become half-width), no whitespace, without a required-marker ("(必填)", "*")."""
    value = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or ""))
    previous = None
    while previous != value:
        previous = value
        value = value.strip("*")
        value = value.removesuffix("(必填)").removeprefix("(必填)")
    return value


def read_roster(path: Path, source: str) -> RosterRead:
    """Read and validate one department file for ``source`` (a key of ``SOURCES``).

    Readings chosen where a file can be read two ways:

    - Header row: the first of the top 10 rows holding an ID-number header; rows above
      it are titles. In a workbook, the first sheet that has such a row is read.
    - When two headers name the same column (户主姓名 and 姓名), the canonical label
      wins, then the alias listed first in ``rosters.py``; the other is ignored.
    - Blank rows (every cell empty) are skipped without a record: Excel leaves them
      between blocks and at the end. They are not counted in ``rows_read``.
    - An exit date given as a bare year ("2017", "2017年") is read as 31 December of
      that year: a person marked out of poverty "in 2017" is read as having exited at
      the end of that year. They were still registered poor on the earlier days of
      2017 and so still count for 2017 (docs/readings.md items 1 and 2), and not for
      2018; reading 1 January would take 2017 from them on no evidence.
    - Dates may carry a time ("2018-03-31 00:00:00", as Excel cells arrive); the time
      is dropped. A five-digit number in a date column of a workbook is an Excel date
      serial (1900 date system). Dates before 1900 or after 2099 are typing errors.
    - A duplicate ID (15- and 18-digit forms of one number included) is rejected in
      every row after the first row holding that valid number, even if that first row
      is itself rejected for another reason: which of the two is right is for the
      department to say.
    - A CSV record with more cells than the header is rejected (code ``columns``) if
      the extra cells are not empty (an unquoted comma in a name shifts every field
      after it); one with fewer cells is padded with empty cells.
    """
    spec = SOURCES.get(source)
    if spec is None:
        raise FileError(
            f"未知的名单来源「{source}」（可选：{'、'.join(SOURCES)}）",
            f"unknown source {source!r}; expected one of {', '.join(SOURCES)}",
        )
    data = path.read_bytes()
    checksum = hashlib.sha256(data).hexdigest()
    if not data[:4096].strip() and not data.strip():
        raise FileError("文件为空", f"the file {path.name} is empty")
    if data[:4] == b"\xd0\xcf\x11\xe0":
        raise FileError(
            "不支持旧版 Excel（.xls）文件，请用 Excel 或 WPS 另存为 .xlsx 或 CSV 后再导入",
            "legacy .xls workbooks are not supported; save as .xlsx or CSV",
        )
    if data[:4] == b"PK\x03\x04":
        raw = _read_xlsx(path)
    elif path.suffix.lower() in (".xlsx", ".xlsm"):
        raise FileError(
            f"文件 {path.name} 不是有效的 Excel（.xlsx）文件",
            f"{path.name} is not a valid .xlsx workbook",
        )
    else:
        raw = _read_csv(data)

    header_map, positions = _map_headers(raw.headers, spec, raw.header_row)
    cells, row_numbers = _drop_blank_rows(raw, positions["id_number"])
    extra = raw.extra
    rows_read = cells.num_rows + extra.num_rows
    if rows_read == 0:
        raise FileError(
            f"表头（第 {raw.header_row} 行）之后没有数据行",
            f"no data rows after the header in row {raw.header_row}",
        )
    accepted, rejected = _validate(
        spec, cells, row_numbers, raw.headers, positions, excel=raw.encoding == "xlsx"
    )
    if extra.num_rows:
        rejected = pa.concat_tables([rejected, extra]).sort_by([("row_number", "ascending")])
    return RosterRead(
        source=spec,
        path=path,
        checksum=checksum,
        encoding=raw.encoding,
        header_row=raw.header_row,
        header_map=header_map,
        rows_read=rows_read,
        accepted=accepted,
        rejected=rejected,
    )


def check_id_numbers(values: pa.Array | Sequence[str | None]) -> pa.Table:
    """Validate ID numbers column-wise, as :func:`read_roster` does.

    Returns one row per value: ``id_number`` (the normalized 18 characters, or null),
    ``code`` and ``reason`` (null when valid), ``sex``, ``birth_date`` and
    ``upgraded_from_15``. Agrees with :func:`doudi.core.idnumber.parse` (tested), which
    stays the reference for single numbers.
    """
    array = values if isinstance(values, pa.Array) else pa.array(values, pa.string())
    array = pc.fill_null(array.cast(pa.string()), "")
    sql = _id_sql(SOURCES["poverty"].column("id_number"), "c0")
    con = _connect()
    try:
        con.register("raw", pa.table({"row_number": _arange(1, len(array)), "c0": array}))
        result = con.sql(
            f"""{_with_stages([sql])}
            SELECT c0__value AS id_number, c0__code AS code, c0__reason AS reason,
                c0__sex AS sex, CASE WHEN c0__code IS NULL THEN c0__birth END AS birth_date,
                CASE WHEN c0__code IS NULL THEN c0__len = 15 END AS upgraded_from_15
            FROM s{_STAGES - 1} ORDER BY row_number"""
        ).to_arrow_table()
    finally:
        con.close()
    return result


# --- reading the file -----------------------------------------------------------------


@dataclass(frozen=True)
class _Raw:
    """The file's cells below the header, all strings, before any validation."""

    encoding: str
    header_row: int
    headers: list[str]
    cells: pa.Table  # columns c0 … c{n-1}, one per header cell
    row_numbers: pa.Array  # int32, the file row of each cell row
    extra: pa.Table  # rejected records found while reading (REJECTED_SCHEMA)


def _arange(start: int, count: int) -> pa.Array:
    """``start, start+1, …`` as int32, without a Python object per element."""
    if count <= 0:
        return pa.array([], pa.int32())
    ones = pa.repeat(pa.scalar(1, pa.int32()), count)
    return pc.add(pc.cumulative_sum(ones), pa.scalar(start - 1, pa.int32()))


def _no_rejects() -> pa.Table:
    return REJECTED_SCHEMA.empty_table()


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def _id_headers() -> set[str]:
    column = SOURCES["poverty"].column("id_number")
    return {normalize_header(h) for h in (column.label, *column.aliases)}


def _missing_id_error(where: str) -> FileError:
    column = SOURCES["poverty"].column("id_number")
    return FileError(
        f"缺少必填列「{column.label}」（可用列名：{'、'.join(column.aliases)}；"
        f"应在{where}的前 {HEADER_SEARCH_ROWS} 行内）",
        f"missing required column {column.name} ({column.label}) in the first "
        f"{HEADER_SEARCH_ROWS} rows",
    )


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


def _read_csv(data: bytes) -> _Raw:
    encoding, body = to_utf8(data)
    # The header is near the top: parse a prefix cut at a line end (0x0A never occurs
    # inside a multi-byte UTF-8 character).
    limit = 1 << 20
    cut = len(body) if len(body) <= limit else body.rfind(b"\n", 0, limit) + 1
    head = body[:cut].decode("utf-8")
    ids = _id_headers()
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
        raise _missing_id_error("文件")
    index, headers, end, delimiter = found
    offset = len(head[:end].encode("utf-8"))
    buffer = pa.py_buffer(body)[offset:]
    names = [f"c{i}" for i in range(len(headers))]
    bad: list[tuple[int | None, str]] = []
    quoted = body.find(b'"', offset) >= 0

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
                # A line break inside a cell needs quotes; without any quote in the
                # file the (slower) quote-aware splitting is not needed.
                newlines_in_values=quoted,
                ignore_empty_lines=False,
                invalid_row_handler=on_invalid,
            ),
            convert_options=pacsv.ConvertOptions(
                column_types=dict.fromkeys(names, pa.string()),
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )

    header_row = index + 1
    if offset >= len(body):  # nothing after the header (pyarrow calls that an error)
        cells = pa.table({n: pa.array([], pa.string()) for n in names})
        return _Raw(encoding, header_row, headers, cells, _arange(0, 0), _no_rejects())
    try:
        cells = read(threads=True)
        if bad and any(number is None for number, _ in bad):
            # Record numbers of malformed rows are only known to a single-threaded read.
            cells = read(threads=False)
    except pa.ArrowInvalid as exc:
        raise FileError(
            f"CSV 文件格式错误：{exc}", f"malformed CSV after the header: {exc}"
        ) from exc
    if not bad:
        return _Raw(
            encoding,
            header_row,
            headers,
            cells,
            _arange(header_row + 1, cells.num_rows),
            _no_rejects(),
        )
    return _splice_malformed(encoding, header_row, headers, cells, bad, delimiter)


def _splice_malformed(
    encoding: str,
    header_row: int,
    headers: list[str],
    cells: pa.Table,
    bad: list[tuple[int | None, str]],
    delimiter: str,
) -> _Raw:
    """Put back the records pyarrow skipped for having a different number of cells:
    padded when short, rejected (code ``columns``) when long with content. Runs in
    Python, once per malformed record, which a well-formed file does not have."""
    width = len(headers)
    skipped = sorted((number or 0, text) for number, text in bad)
    # Row numbers of the well-formed records: the record numbers not skipped.
    pieces: list[pa.Array] = []
    previous = 0
    for number, _ in skipped:
        pieces.append(_arange(header_row + previous + 1, number - previous - 1))
        previous = number
    taken = sum(len(p) for p in pieces)
    pieces.append(_arange(header_row + previous + 1, cells.num_rows - taken))
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
                    "reason": f"本行有 {len(record)} 列，表头只有 {width} 列，多出内容"
                    f"「{delimiter.join(overflow)}」：可能是某个单元格中含有未加引号的"
                    f"分隔符「{delimiter}」，请核对本行",
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
    return _Raw(
        encoding,
        header_row,
        headers,
        cells,
        row_numbers,
        pa.Table.from_pylist(rejected, schema=REJECTED_SCHEMA),
    )


def _read_xlsx(path: Path) -> _Raw:
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
    ids = _id_headers()
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
                return _Raw(
                    "xlsx",
                    header_row,
                    headers,
                    cells,
                    _arange(header_row + 1, cells.num_rows),
                    _no_rejects(),
                )
    raise _missing_id_error("工作表")


# --- headers -----------------------------------------------------------------------------


def _map_headers(
    headers: list[str], spec: Source, header_row: int
) -> tuple[dict[str, str], dict[str, int]]:
    """Header as written -> canonical name, and canonical name -> cell position.

    Candidates for one column are ranked: the label, then the aliases in the order
    ``rosters.py`` lists them. The same header written twice is an error, since
    either column could be the one meant.
    """
    best: dict[str, tuple[int, int]] = {}  # canonical -> (rank, position)
    for position, header in enumerate(headers):
        key = normalize_header(header)
        if not key:
            continue
        for column in spec.columns:
            names = [normalize_header(n) for n in (column.label, *column.aliases)]
            if key not in names:
                continue
            rank = names.index(key)
            current = best.get(column.name)
            if current is not None and current[0] == rank:
                first = _column_letter(current[1])
                raise FileError(
                    f"第 {header_row} 行的表头「{header.strip()}」出现了两次"
                    f"（{first} 列和 {_column_letter(position)} 列），无法判断使用哪一列",
                    f"header {header.strip()!r} appears twice in row {header_row}",
                )
            if current is None or rank < current[0]:
                best[column.name] = (rank, position)
    for column in spec.columns:
        if column.required and column.name not in best:
            raise FileError(
                f"缺少必填列「{column.label}」"
                + (f"（可用列名：{'、'.join(column.aliases)}）" if column.aliases else ""),
                f"missing required column {column.name} ({column.label})",
            )
    positions = {name: position for name, (_, position) in best.items()}
    header_map = {headers[p]: name for name, p in sorted(positions.items(), key=lambda i: i[1])}
    return header_map, positions


def _drop_blank_rows(raw: _Raw, id_position: int) -> tuple[pa.Table, pa.Array]:
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
    keep = pc.invert(pc.is_in(_arange(0, cells.num_rows), value_set=drop.cast(pa.int32())))
    return cells.filter(keep), pc.filter(raw.row_numbers, keep)


# --- validation ---------------------------------------------------------------------------

#: The validation query's stages: each may use the columns the earlier ones computed.
_STAGES = 6
_MATERIALIZED = {2, 3, 4}


def _connect() -> duckdb.DuckDBPyConnection:
    """A private in-memory database; no progress bar on the caseworker's terminal."""
    con = duckdb.connect()
    con.execute("SET enable_progress_bar = false")
    return con


def _lit(text: str) -> str:
    """A SQL string literal."""
    return "'" + text.replace("'", "''") + "'"


def _in_list(values: Sequence[str]) -> str:
    return "(" + ", ".join(_lit(v) for v in values) + ")"


def _provinces() -> list[str]:
    """Two-digit province prefixes, exactly those ``regions.province_of`` accepts."""
    return [f"{p:02d}" for p in range(100) if regions.get(f"{p:02d}0000") is not None]


@dataclass
class _Sql:
    """What one column adds to the validation query.

    ``stages[i]`` are expressions of stage i (normalize, split, parse, …, code, reason);
    an expression may use any column an earlier stage made. Every column ends with
    ``{c}__code`` and ``{c}__reason`` (null when the cell is valid) and ``value``, the
    SQL of its typed value.
    """

    value: str
    stages: list[list[str]] = field(default_factory=lambda: [[] for _ in range(_STAGES)])

    def at(self, stage: int, *expressions: str) -> _Sql:
        self.stages[stage].extend(expressions)
        return self


def _with_stages(sqls: list[_Sql]) -> str:
    """``WITH s0 AS (…), s1 AS (…) …`` over the registered table ``raw``; the last
    stage is ``s{_STAGES - 1}``."""
    parts = []
    previous = "raw"
    for i in range(_STAGES):
        columns = ", ".join(["*", *(e for sql in sqls for e in sql.stages[i])])
        # DuckDB inlines one stage into the next, and an expression used in several
        # CASE branches is then computed once per use: materializing the parsed
        # values (and the codes the reasons refer to) keeps each computed once.
        materialized = " MATERIALIZED" if i in _MATERIALIZED else ""
        parts.append(f"s{i} AS{materialized} (SELECT {columns} FROM {previous})")
        previous = f"s{i}"
    return "WITH " + ",\n".join(parts)


def _column_sql(column: Column, c: str, source: str, excel: bool) -> _Sql:
    """The validation of one present column: cells as written in ``c``, the text they
    are parsed from in ``{c}__n`` (see :func:`_normalized`)."""
    if column.kind == "id_number":
        return _id_sql(column, c)
    if column.kind == "date":
        return _date_sql(column, c, excel)
    empty_code = "'missing'" if column.required else "NULL"
    empty_reason = _lit(f"必填项「{column.label}」为空") if column.required else "NULL"

    def decide(sql: _Sql, parsed: str, code: str, reason: str) -> _Sql:
        return sql.at(
            4,
            f"CASE WHEN {c}__n = '' THEN {empty_code} WHEN {parsed} IS NULL THEN '{code}' "
            f"END AS {c}__code",
        ).at(
            5,
            f"CASE WHEN {c}__n = '' THEN {empty_reason} WHEN {parsed} IS NULL THEN {reason} "
            f"END AS {c}__reason",
        )

    if column.kind in ("text", "region_code"):
        return decide(_Sql(f"NULLIF({c}__n, '')"), "''", "", "NULL")
    if column.kind == "yes_no":
        upper = f"upper({c}__n)"
        sql = _Sql(f"{c}__bool").at(
            2,
            f"CASE WHEN {upper} IN {_in_list(_YES)} THEN true "
            f"WHEN {upper} IN {_in_list(_NO)} THEN false END AS {c}__bool",
        )
        hint = "应填“是”或“否”（也可写 Y/N、1/0、已脱贫/未脱贫），实为「"
        return decide(sql, f"{c}__bool", "yes_no", f"{_lit(hint)} || {c}__n || '」'")
    if column.kind == "grade":
        mapping = " ".join(f"WHEN {_lit(k)} THEN {v}" for k, v in _GRADES.items())
        names = " ".join(f"WHEN {k} THEN {_lit(v)}" for k, v in _GRADE_NAMES.items())
        # Only the severe-disability list limits the grade (重度 = 一级、二级).
        not_severe = f"{c}__grade > 2" if source == "disability" else "false"
        return (
            _Sql(f"{c}__grade")
            .at(1, f"regexp_extract({c}__n, '^([1-4一二三四])(?:\\.0+)?级?$', 1) AS {c}__g")
            .at(2, f"CAST(CASE {c}__g {mapping} END AS TINYINT) AS {c}__grade")
            .at(
                4,
                f"CASE WHEN {c}__n = '' THEN {empty_code} WHEN {c}__grade IS NULL THEN 'grade' "
                f"WHEN {not_severe} THEN 'not_severe' END AS {c}__code",
            )
            .at(
                5,
                f"CASE WHEN {c}__n = '' THEN {empty_reason} WHEN {c}__grade IS NULL THEN "
                f"'残疾等级应为一级至四级（或 1–4），实为「' || {c}__n || '」' "
                f"WHEN {not_severe} THEN '残疾等级' || (CASE {c}__grade {names} END) "
                f"|| '，不属于重度残疾（一、二级）' END AS {c}__reason",
            )
        )
    if column.kind == "decimal":
        sql = (
            _Sql(f"{c}__dec")
            .at(1, f"regexp_replace(replace({c}__n, ',', ''), '元$', '') AS {c}__d")
            .at(
                2,
                f"CASE WHEN regexp_full_match({c}__d, '[0-9]{{1,16}}(\\.[0-9]{{1,2}}0*)?') "
                f"THEN TRY_CAST({c}__d AS DECIMAL(18,2)) END AS {c}__dec",
            )
        )
        hint = "应为金额（元，最多两位小数，如 100 或 100.00），实为「"
        return decide(sql, f"{c}__dec", "decimal", f"{_lit(hint)} || {c}__n || '」'")
    if column.kind == "account":
        # Spaces and hyphens group the digits on cards and in hand-typed lists; a
        # number Excel stored as a float (6.22848E+18) has lost its last digits.
        sql = _Sql(f"{c}__acct").at(
            1,
            f"CASE WHEN regexp_full_match(regexp_replace({c}__n, '[ -]', '', 'g'), "
            f"'[0-9]{{8,32}}') THEN regexp_replace({c}__n, '[ -]', '', 'g') END AS {c}__acct",
        )
        hint = "银行账号应为 8 至 32 位数字，实为「"
        reason = (
            f"{_lit(hint)} || {c}__n || '」' || CASE WHEN regexp_matches({c}__n, '[eE]\\+') "
            f"THEN '；疑似被 Excel 存成了科学计数法，后几位已丢失{_EXCEL_HINT}' ELSE '' END"
        )
        return decide(sql, f"{c}__acct", "account", reason)
    raise ValueError(f"unknown column kind {column.kind!r}")  # pragma: no cover


def _id_sql(column: Column, c: str) -> _Sql:
    """GB 11643 checks in the order ``idnumber.parse`` makes them: length, characters,
    province, birth date, check character; a 15-digit number is upgraded first."""
    today = date.today().isoformat()  # idnumber.parse refuses births after today
    # The check character from the 17 digits held as one BIGINT: integer arithmetic
    # vectorises far better than 17 substrings per row.
    weighted = " + ".join(
        f"(({c}__int // {10 ** (16 - i)}) % 10) * {w}" for i, w in enumerate(_ID_WEIGHTS)
    )
    first_bad = f"(length(regexp_extract({c}__v, '^[0-9]*')) + 1)"
    bad_char = f"substr({c}__v, {first_bad}, 1)"
    scientific = (
        f"CASE WHEN regexp_full_match({c}__v, '[0-9](\\.[0-9]+)?E\\+?[0-9]+') THEN "
        f"'；疑似被 Excel 存成了科学计数法，后几位已丢失{_EXCEL_HINT}' ELSE '' END"
    )
    born = (
        f"substr({c}__17, 7, 4) || '-' || substr({c}__17, 11, 2) || '-' || substr({c}__17, 13, 2)"
    )
    reason = f"""CASE {c}__code
        WHEN 'missing' THEN {_lit(f"必填项「{column.label}」为空")}
        WHEN 'id_length' THEN '身份证号应为18位（或旧版15位），实为 ' || {c}__len || ' 位'
            || {scientific}
        WHEN 'id_chars' THEN CASE
            WHEN {c}__len = 15 THEN '第 ' || {first_bad} || ' 位「' || {bad_char}
                || '」不是数字（15位旧号码应全部为数字）'
            WHEN {first_bad} <= 17 THEN '第 ' || {first_bad} || ' 位「' || {bad_char}
                || '」不是数字（前17位应为数字）'
            ELSE '末位「' || substr({c}__v, 18, 1) || '」应为数字或X' END
        WHEN 'id_region' THEN '地址码 ' || substr({c}__17, 1, 6) || ' 无效：省级代码 '
            || substr({c}__17, 1, 2) || ' 不存在'
        WHEN 'id_date' THEN '出生日期 ' || {born} || CASE WHEN {c}__birth IS NULL
            THEN ' 不存在' ELSE ' 不在合理范围内（1900 年至今）' END
        WHEN 'id_check' THEN '校验码应为 ' || {c}__expected || '，实为 ' || substr({c}__v, 18, 1)
            || CASE WHEN regexp_full_match({c}__v, '[0-9]{{15}}000')
                THEN '（末三位为 000，疑似被 Excel 当作数字保存而丢失了末几位{_EXCEL_HINT}）'
                ELSE '' END
        END"""
    return (
        _Sql(f"{c}__value")
        # Most cells are plain digits: only the others pay for removing whitespace and
        # translating full-width characters (idnumber.normalize).
        .at(
            0,
            f"CASE WHEN regexp_full_match({c}, '[0-9Xx]*') THEN upper({c}) "
            f"ELSE upper(translate(regexp_replace({c}, '{_WS_RE2}+', '', 'g'), "
            f"{_lit(_FULLWIDTH_FROM)}, {_lit(_FULLWIDTH_TO)})) END AS {c}__v",
        )
        .at(
            1,
            f"length({c}__v) AS {c}__len",
            f"CASE WHEN length({c}__v) = 15 THEN substr({c}__v, 1, 6) || '19' || "
            f"substr({c}__v, 7) WHEN length({c}__v) = 18 THEN substr({c}__v, 1, 17) "
            f"END AS {c}__17",
        )
        .at(
            2,
            f"CASE WHEN regexp_full_match({c}__17, '[0-9]{{17}}') "
            f"THEN CAST({c}__17 AS BIGINT) END AS {c}__int",
            f"substr({c}__17, 1, 2) IN {_in_list(_provinces())} AS {c}__province_ok",
        )
        .at(
            3,
            f"CASE WHEN {c}__len = 15 THEN {c}__int IS NOT NULL "
            f"WHEN {c}__len = 18 THEN {c}__int IS NOT NULL "
            f"AND substr({c}__v, 18, 1) IN {_in_list([*'0123456789X'])} END AS {c}__chars_ok",
            f"substr('10X98765432', CAST(({weighted}) % 11 AS INTEGER) + 1, 1) AS {c}__expected",
            f"try(make_date(CAST({c}__int // 10000000 % 10000 AS INTEGER), "
            f"CAST({c}__int // 100000 % 100 AS INTEGER), "
            f"CAST({c}__int // 1000 % 100 AS INTEGER))) AS {c}__birth",
        )
        .at(
            4,
            f"CASE WHEN {c}__v = '' THEN 'missing' "
            f"WHEN {c}__len NOT IN (15, 18) THEN 'id_length' "
            f"WHEN NOT {c}__chars_ok THEN 'id_chars' "
            f"WHEN NOT {c}__province_ok THEN 'id_region' "
            f"WHEN {c}__birth IS NULL OR year({c}__birth) < 1900 "
            f"OR {c}__birth > DATE '{today}' THEN 'id_date' "
            f"WHEN {c}__len = 18 AND substr({c}__v, 18, 1) <> {c}__expected THEN 'id_check' "
            f"END AS {c}__code",
        )
        .at(
            5,
            f"{reason} AS {c}__reason",
            f"CASE WHEN {c}__code IS NOT NULL THEN NULL WHEN {c}__len = 15 "
            f"THEN {c}__17 || {c}__expected ELSE {c}__v END AS {c}__value",
            f"CASE WHEN {c}__code IS NOT NULL THEN NULL "
            f"WHEN {c}__int % 2 = 1 THEN 'M' ELSE 'F' END AS {c}__sex",
        )
    )


def _date_sql(column: Column, c: str, excel: bool) -> _Sql:
    """Dates as people write them; see :func:`read_roster` for the readings."""
    year_only = column.name == "exit_date"
    empty_code = "'missing'" if column.required else "NULL"
    empty_reason = _lit(f"必填项「{column.label}」为空") if column.required else "NULL"
    text = f"regexp_replace({c}__n, '^([0-9]{{4}})([0-9]{{2}})([0-9]{{2}})$', '\\1-\\2-\\3')"
    if year_only:
        text = f"regexp_replace({text}, '^([0-9]{{4}})年?$', '\\1-12-31')"
    serial = f"regexp_full_match({c}__n, '[0-9]{{5}}(\\.0+)?')" if excel else "false"
    written = f"{c}__p.y || '-' || lpad({c}__p.m, 2, '0') || '-' || lpad({c}__p.d, 2, '0')"
    examples = "2018-03-31、2018/3/31、2018.3.31、20180331 或 2018年3月31日"
    if year_only:
        examples += "；脱贫时间也可只写年份，如 2017"
    in_range = f"year({c}__parsed) BETWEEN 1900 AND 2099"
    return (
        _Sql(f"{c}__date")
        .at(1, f"regexp_extract({text}, {_lit(_DATE_RE)}, ['y', 'm', 'd']) AS {c}__p")
        .at(
            2,
            f"CASE WHEN {serial} THEN DATE '1899-12-30' + "
            f"CAST(floor(CAST({c}__n AS DOUBLE)) AS INTEGER) "
            f"WHEN {c}__p.y <> '' THEN try(make_date(CAST({c}__p.y AS INTEGER), "
            f"CAST({c}__p.m AS INTEGER), CAST({c}__p.d AS INTEGER))) END AS {c}__parsed",
            f"{serial} OR {c}__p.y <> '' AS {c}__recognized",
        )
        .at(3, f"CASE WHEN {in_range} THEN {c}__parsed END AS {c}__date")
        .at(
            4,
            f"CASE WHEN {c}__n = '' THEN {empty_code} "
            f"WHEN {c}__date IS NULL THEN 'date' END AS {c}__code",
        )
        .at(
            5,
            f"CASE WHEN {c}__n = '' THEN {empty_reason} "
            f"WHEN NOT {c}__recognized THEN '无法识别的日期「' || {c}__n || '」"
            f"（可写作 {examples}）' "
            f"WHEN {c}__parsed IS NULL THEN '日期 ' || {written} || ' 不存在' "
            f"WHEN {c}__date IS NULL THEN '日期 ' || strftime({c}__parsed, '%Y-%m-%d') "
            f"|| ' 超出合理范围（1900 至 2099 年）' END AS {c}__reason",
        )
    )


def _normalized(column: Column, cells: pa.ChunkedArray) -> pa.ChunkedArray:
    """The text a cell is parsed from. NFKC turns full-width digits and punctuation
    (２０１８年３月, （必填）) into their ASCII forms; names lose every space ("张 三" is
    张三); township and village names keep their characters as written, trimmed."""
    if column.kind == "text" and column.name != "name":
        return pc.utf8_trim_whitespace(cells)
    text = pc.utf8_normalize(cells, form="NFKC")
    if column.name == "name":
        return pc.replace_substring_regex(text, _WS_RE2, "")
    return pc.utf8_trim_whitespace(text)


def _validate(
    spec: Source,
    cells: pa.Table,
    row_numbers: pa.Array,
    headers: list[str],
    positions: dict[str, int],
    *,
    excel: bool,
) -> tuple[pa.Table, pa.Table]:
    """Accepted and rejected tables from the cells: one DuckDB pass over all columns,
    then the duplicates among the valid ID numbers."""
    present = [c for c in spec.columns if c.name in positions]
    arrays: dict[str, pa.ChunkedArray | pa.Array] = {"row_number": row_numbers}
    for column in present:
        raw = pc.fill_null(cells.column(f"c{positions[column.name]}"), "")
        arrays[column.name] = raw
        if column.kind != "id_number":
            arrays[f"{column.name}__n"] = _normalized(column, raw)
    sqls = {c.name: _column_sql(c, c.name, spec.name, excel) for c in present}

    con = _connect()
    try:
        con.register("raw", pa.table(arrays))
        # Keep only what the two results need: the intermediate columns are many.
        keep = ["row_number", "id_number__sex", "id_number__birth", "id_number__len"]
        for column in present:
            sql_type = _SQL_TYPES[column.kind]
            keep += [
                column.name,
                f"{column.name}__code",
                f"{column.name}__reason",
                f"CAST({sqls[column.name].value} AS {sql_type}) AS {column.name}__typed",
            ]
        last = f"s{_STAGES - 1}"
        con.execute(
            f"CREATE TEMP TABLE v AS {_with_stages(list(sqls.values()))}\n"
            f"SELECT {', '.join(keep)} FROM {last}"
        )
        key = spec.unique
        con.execute(
            f"CREATE TEMP TABLE dup AS SELECT {key}__typed AS id, min(row_number) AS first_row"
            f" FROM v WHERE {key}__typed IS NOT NULL GROUP BY 1 HAVING count(*) > 1"
        )
        valid = " AND ".join(f"{c.name}__code IS NULL" for c in present)
        typed = ", ".join(
            f"{c.name}__typed AS {c.name}"
            if c.name in positions
            else f"CAST(NULL AS {_SQL_TYPES[c.kind]}) AS {c.name}"
            for c in spec.columns
        )
        accepted = con.sql(
            f"""SELECT row_number, {typed}, id_number__sex AS sex,
                id_number__birth AS birth_date, id_number__len = 15 AS upgraded_from_15
            FROM v LEFT JOIN dup ON v.{key}__typed = dup.id
            WHERE {valid} AND (dup.first_row IS NULL OR dup.first_row = v.row_number)
            ORDER BY row_number"""
        ).to_arrow_table()

        problems = [
            f"SELECT row_number, {positions[c.name]} AS position, {c.name}__code AS code, "
            f"{c.name} AS value, {c.name}__reason AS reason "
            f"FROM v WHERE {c.name}__code IS NOT NULL"
            for c in present
        ]
        what = "身份证号" if key == "id_number" else spec.column(key).label
        problems.append(
            f"SELECT row_number, {positions[key]} AS position, 'duplicate' AS code, "
            f"{key} AS value, '与第 ' || first_row || ' 行{what}重复' AS reason "
            f"FROM v JOIN dup ON v.{key}__typed = dup.id WHERE dup.first_row < v.row_number"
        )
        found = con.sql(
            f"SELECT * FROM ({' UNION ALL '.join(problems)}) ORDER BY row_number, position, code"
        ).to_arrow_table()
    finally:
        con.close()
    rejected = pa.table(
        {
            "row_number": found.column("row_number"),
            "column": pc.take(pa.array(headers, pa.string()), found.column("position")),
            "code": found.column("code"),
            "value": found.column("value"),
            "reason": found.column("reason"),
        }
    )
    return accepted.cast(accepted_schema(spec)), rejected.cast(REJECTED_SCHEMA)
