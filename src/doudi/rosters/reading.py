"""Read one department file (花名册) into Arrow: accepted rows, and rejected rows with reasons.

A county receives its lists as whatever the department's system or clerk produced: CSV
in GBK or UTF-8 (with or without a BOM), or an Excel workbook, often with a title row or
two above the header, headers spelled a dozen ways, ID numbers with spaces, full-width
digits or the old 15 digits, and dates written every way a person writes a date.
:func:`read_roster` turns such a file into two Arrow tables:

- ``accepted``: one row per valid data row, typed and normalized, with the row number
  the caseworker sees in Excel, ready to be bulk-inserted as ``RosterEntry`` rows;
- ``rejected``: one record per problem (a row can have several), naming the row, the
  column as written in the file, a machine-readable code and a specific Chinese reason,
  ready to become ``RejectedRow`` rows and to be handed back to the department.

A problem with the whole file (unreadable encoding, no ID-number column, no data) is a
:class:`~doudi.core.textfile.FileError` instead: there is nothing row-by-row to report.

This module is the entry point; the work is done by :mod:`doudi.rosters.files` (the
cells below the header, as text), :mod:`doudi.rosters.headers` (which column each
header names) and :mod:`doudi.rosters.validation` (every cell checked, in DuckDB).
Readings (how an ambiguous cell is read) are stated where they are implemented and
collected in :func:`read_roster`'s docstring.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa

from doudi.core.textfile import FileError
from doudi.rosters import held as held_rows
from doudi.rosters.files import drop_blank_rows, read_file
from doudi.rosters.headers import map_headers
from doudi.rosters.sources import SOURCES, Source
from doudi.rosters.validation import validate

#: The Arrow type of each column kind's typed value in ``RosterRead.accepted``.
_ARROW_TYPES: dict[str, pa.DataType] = {
    "id_number": pa.string(),
    "text": pa.string(),
    "region_code": pa.string(),
    "date": pa.date32(),
    "yes_no": pa.bool_(),
    "grade": pa.int8(),
    "decimal": pa.decimal128(18, 2),
    "account": pa.string(),
    "count": pa.int32(),
    "choice": pa.string(),
}


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
    #: who the rejected rows still name (rosters.held): a snapshot does not close them
    held: pa.Table = field(default_factory=held_rows.none)


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


def read_roster(path: Path, source: str) -> RosterRead:
    """Read and validate one department file for ``source`` (a key of ``SOURCES``).

    Readings chosen where a file can be read two ways:

    - Header row: the first of the top 10 rows holding an ID-number header; rows above
      it are titles. In a workbook, the first sheet that has such a row is read.
    - When two headers name the same column (户主姓名 and 姓名), the canonical label
      wins, then the alias listed first in ``sources.py``; the other is ignored.
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
    - A duplicate ID (15- and 18-digit forms of one number included) among the valid
      rows: rows the same in every imported column are one row written twice, and every
      copy after the first is rejected; rows that differ are all rejected, each naming
      the others, since which is right is for the department to say (the first row
      used to win silently). A row rejected for another reason takes no part: a valid
      row of the same number is accepted.
    - A CSV record with more cells than the header is rejected (code ``columns``) if
      the extra cells are not empty (an unquoted comma in a name shifts every field
      after it); one with fewer cells is padded with empty cells.
    - Each line of a CSV is one row, numbered by its line (as Excel numbers it when no
      cell holds a line break): a line whose quotes do not pair up, or a line break in
      a quoted cell, is rejected (code ``quotes``), and the lines after it are rows of
      their own. A roster cell never holds a line break; merging lines let one stray
      quote swallow the rows after it into a name.
    """
    spec = SOURCES.get(source)
    if spec is None:
        raise FileError(
            f"未知的名单来源「{source}」（可选：{'、'.join(SOURCES)}）",
            f"unknown source {source!r}; expected one of {', '.join(SOURCES)}",
        )
    data = path.read_bytes()
    checksum = hashlib.sha256(data).hexdigest()
    raw = read_file(path, data)

    header_map, positions = map_headers(raw.headers, spec, raw.header_row)
    cells, row_numbers = drop_blank_rows(raw, positions["id_number"])
    extra = raw.extra
    rows_read = cells.num_rows + extra.num_rows
    if rows_read == 0:
        raise FileError(
            f"表头（第 {raw.header_row} 行）之后没有数据行",
            f"no data rows after the header in row {raw.header_row}",
        )
    accepted, rejected, names = validate(
        spec, cells, row_numbers, raw.headers, positions, excel=raw.encoding == "xlsx"
    )
    if extra.num_rows:
        rejected = pa.concat_tables([rejected, extra]).sort_by([("row_number", "ascending")])
        names = held_rows.combined(
            names, held_rows.from_lines(extra, raw.delimiter, positions["id_number"])
        )
    return RosterRead(
        source=spec,
        path=path,
        checksum=checksum,
        encoding=raw.encoding,
        header_row=raw.header_row,
        header_map=header_map,
        rows_read=rows_read,
        accepted=accepted.cast(accepted_schema(spec)),
        rejected=rejected,
        held=names,
    )
