"""The header row of a department file: how headers are compared, and which column each
one names.

Headers are spelled a dozen ways (身份证号 / 公民身份号码 / 证件号码 …, with full-width
brackets, spaces or a "(必填)" marker); :mod:`doudi.rosters.sources` lists the variants
of each canonical column, and this module matches the file's headers against them. The
header is the first row near the top holding an ID-number header
(:data:`HEADER_SEARCH_ROWS`); :mod:`doudi.rosters.files` searches for it.
"""

from __future__ import annotations

import re
import unicodedata

from doudi.core.textfile import FileError
from doudi.rosters.sources import SOURCES, Column, Source

#: The header must be within this many rows from the top; rows above it are titles.
HEADER_SEARCH_ROWS = 10


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


def id_headers(key: Column | None = None) -> set[str]:
    """The normalized headers that name the ID-number column (or ``key``, for a list
    of places: its village column): what marks the header row."""
    column = key or SOURCES["poverty"].column("id_number")
    return {normalize_header(h) for h in (column.label, *column.aliases)}


def missing_id_error(where: str, key: Column | None = None) -> FileError:
    """No header row: no ID-number (or ``key``) header in the top rows of the file (or
    of any sheet)."""
    column = key or SOURCES["poverty"].column("id_number")
    return FileError(
        f"缺少必填列「{column.label}」（可用列名：{'、'.join(column.aliases)}；"
        f"应在{where}的前 {HEADER_SEARCH_ROWS} 行内）",
        f"missing required column {column.name} ({column.label}) in the first "
        f"{HEADER_SEARCH_ROWS} rows",
    )


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def map_headers(
    headers: list[str], spec: Source, header_row: int
) -> tuple[dict[str, str], dict[str, int]]:
    """Header as written -> canonical name, and canonical name -> cell position.

    Candidates for one column are ranked: the label, then the aliases in the order
    ``sources.py`` lists them. The same header written twice is an error, since
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
