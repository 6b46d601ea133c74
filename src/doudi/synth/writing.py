"""How a department writes its file: encoding (GBK or UTF-8 CSV, Excel), title row,
its own header words, date format, 是/否 cells; and the CSV and XLSX writers.

Why: the importer must read what county offices really receive, so each synthetic file
gets a style drawn per source and seed. The writers stream (CSV in batches, XLSX in
``constant_memory``) so that a province's files fit in memory, and fix everything that
could vary between runs.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import xlsxwriter

from doudi.rosters.sources import RECORDS, ROSTERS, SOURCES, Source
from doudi.synth.lists import FIRST_SOURCES
from doudi.synth.randomness import Bools, Days, stream

#: Encodings a file can have; "xlsx" means an Excel workbook.
ENCODINGS = ("gb18030", "utf-8-sig", "utf-8", "xlsx")
FILE_FORMATS = ("csv", "xlsx", "mixed")
#: Rows of an Excel sheet, header (and title) included.
XLSX_MAX_ROWS = 1_048_576
#: Date formats department files use; all parse unambiguously.
DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y%m%d")


@dataclass
class Style:
    """How a department writes its file: format, title row, header words, date format."""

    encoding: str
    title: str | None
    headers: list[str]
    date_format: str


def choose_style(seed: int, source: Source, encoding: str, place: str) -> Style:
    rng = stream(seed, "style", source.name)
    title = f"{place}{source.label}" if rng.random() < 0.4 else None
    headers = [c.label for c in source.columns]
    if rng.random() < 0.5:  # this department uses its own words for the headers
        for i, c in enumerate(source.columns):
            word = str(rng.choice([c.label, *c.aliases]))
            if word not in headers:
                headers[i] = word
    date_format = str(rng.choice(DATE_FORMATS))
    return Style(encoding, title, headers, date_format)


def choose_encodings(seed: int, file_format: str) -> dict[str, str]:
    """Encodings per source. "mixed": the big enrollment extracts are CSV (the systems
    export them so), the smaller lists a mix of Excel, GBK and UTF-8 CSV.

    The first lists draw as they did before issue #20 added more, so a seed's files of
    them keep their encodings; the added lists, and then the record lists, draw from
    streams of their own."""
    first = _encodings(stream(seed, "formats"), list(FIRST_SOURCES), file_format)
    added = [n for n in ROSTERS if n not in FIRST_SOURCES]
    records = _encodings(stream(seed, "formats", "records"), list(RECORDS), file_format)
    return first | _encodings(stream(seed, "formats", "added"), added, file_format) | records


def _encodings(rng: np.random.Generator, names: list[str], file_format: str) -> dict[str, str]:
    if file_format == "xlsx":
        return dict.fromkeys(names, "xlsx")
    if file_format == "csv":
        return {n: str(rng.choice(["gb18030", "utf-8-sig", "utf-8"])) for n in names}
    small = [n for n in names if SOURCES[n].kind != "enrollment"]
    kinds = ["xlsx", "gb18030", "utf-8-sig"]
    picks = kinds + [str(k) for k in rng.choice(kinds, len(small) - len(kinds))]
    chosen = dict(zip(small, (str(k) for k in rng.permutation(picks)), strict=True))
    for n in names:
        chosen.setdefault(n, str(rng.choice(["gb18030", "utf-8-sig"])))
    return chosen


def yes_no(flag: Bools) -> pa.Array:
    return pa.array(["否", "是"], pa.string()).take(pa.array(flag.astype(np.int8)))


def day_array(days: Days, present: Bools | None = None) -> pa.Array:
    mask = None if present is None else ~present
    return pa.array(days.astype("datetime64[D]"), pa.date32(), mask=mask)


def format_dates(values: pa.Array, fmt: str) -> pa.Array:
    iso = values.cast(pa.string())  # YYYY-MM-DD; nulls stay null (an empty cell)
    separator = {"%Y-%m-%d": "-", "%Y/%m/%d": "/", "%Y%m%d": ""}[fmt]
    return iso if separator == "-" else pc.replace_substring(iso, "-", separator)


def write_csv(path: Path, table: pa.Table, style: Style) -> None:
    """CSV as Excel or a department system exports it. pyarrow writes UTF-8 in batches;
    GB18030 files are transcoded batch by batch, so memory stays bounded."""
    eol = "\n" if style.encoding == "utf-8" else "\r\n"
    codec = "gb18030" if style.encoding == "gb18030" else "utf-8"
    head = ""
    if style.title:
        head += style.title + "," * (len(style.headers) - 1) + eol
    head += ",".join(style.headers) + eol
    options = pacsv.WriteOptions(include_header=False, quoting_style="none", eol=eol)
    with path.open("wb") as f:
        if style.encoding == "utf-8-sig":
            f.write(b"\xef\xbb\xbf")
        f.write(head.encode(codec))
        for batch in table.combine_chunks().to_batches(max_chunksize=200_000):
            sink = pa.BufferOutputStream()
            pacsv.write_csv(pa.Table.from_batches([batch]), sink, options)
            data = sink.getvalue().to_pybytes()
            f.write(data if codec == "utf-8" else data.decode("utf-8").encode(codec))


def write_xlsx(path: Path, table: pa.Table, style: Style, sheet: str, as_of: date) -> None:
    """One sheet, every cell text (as department exports are: an ID number stored as a
    number would lose its last digits). ``constant_memory`` streams rows to disk; the
    creation time is fixed so the same seed gives the same bytes."""
    workbook = xlsxwriter.Workbook(
        str(path),
        {
            "constant_memory": True,
            "strings_to_numbers": False,
            "strings_to_formulas": False,
            "strings_to_urls": False,
        },
    )
    workbook.set_properties({"created": datetime(as_of.year, as_of.month, as_of.day)})
    sheet_ = workbook.add_worksheet(sheet[:31])
    bold = workbook.add_format({"bold": True})
    row = 0
    if style.title:
        sheet_.write_string(0, 0, style.title, bold)
        row = 1
    sheet_.write_row(row, 0, style.headers, bold)
    write = sheet_.write_row
    columns = [c.to_pylist() for c in table.columns]
    for i, values in enumerate(zip(*columns, strict=True), start=row + 1):
        write(i, 0, values)
    workbook.close()
