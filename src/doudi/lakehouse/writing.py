"""Writing an export into a lake, incrementally: only the files whose content changed.

Each partition's tables are encoded as Parquet in memory, a few partitions at a time on
threads (:data:`ENCODERS`), and their SHA-256 compared with the manifest of the previous
export: a file the lake already holds with that checksum is not written again (a county
nobody in it changed costs its encoding, not its upload). New files are written beside
the old ones under their own names (``layout.file_name``), then the new manifest
replaces the old one, and only then are the files it no longer names removed. A reader
following the old manifest until then still finds all of its files; a crash before the
manifest leaves the previous export whole (and its stray new files are removed by the
next export).

Parquet's bytes depend on how a table is chunked and grouped, so both are fixed here
(one chunk, ``ROW_GROUP_ROWS`` rows per row group): the same rows give the same bytes,
and so the same checksum, from one export to the next.
"""

from __future__ import annotations

import hashlib
import io
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime

import pyarrow as pa
import pyarrow.parquet as pq

from doudi.lakehouse import layout
from doudi.lakehouse import manifest as manifests
from doudi.lakehouse.location import LakeError, Location
from doudi.lakehouse.manifest import Manifest, Part

#: Rows per Parquet row group: the unit a Spark task or a DuckDB thread reads.
ROW_GROUP_ROWS = 122_880


@dataclass(frozen=True)
class Header:
    """What an export is of."""

    region: str
    jurisdiction: str
    year: int
    registry_batch: int


@dataclass(frozen=True)
class Written:
    """An export done: its manifest, and which partitions were (re)written, which kept
    as they were, and which removed (no longer in the region's registry)."""

    location: Location
    manifest: Manifest
    rewritten: tuple[str, ...]
    kept: tuple[str, ...]
    removed: tuple[str, ...]


def parquet_bytes(table: pa.Table) -> bytes:
    """``table`` as Parquet, the same bytes for the same rows however it is chunked."""
    buffer = io.BytesIO()
    pq.write_table(table.combine_chunks(), buffer, row_group_size=ROW_GROUP_ROWS)
    return buffer.getvalue()


def write(
    location: Location,
    header: Header,
    partitions: Iterable[tuple[str, Mapping[str, pa.Table]]],
    progress: Callable[[str], None] = lambda stage: None,
) -> Written:
    """Write the ``partitions`` (key, tables by name) as the lake's export of ``header``.

    The lake must hold nothing, or an export of the same region, jurisdiction and year
    (a Chinese :class:`LakeError` otherwise: a second region goes to a lake of its own).
    """
    old = manifests.load(location)
    if old is not None and (old.region, old.jurisdiction, old.year) != (
        header.region,
        header.jurisdiction,
        header.year,
    ):
        raise LakeError(
            f"{location.url} 已存有区划 {old.region}（统筹地区 {old.jurisdiction}）"
            f"{old.year}年的导出，不能再导出区划 {header.region}（统筹地区 "
            f"{header.jurisdiction}）{header.year}年：请另选位置 / the lake holds another "
            "region's or year's export"
        )
    before = {} if old is None else old.parts
    parts: dict[str, dict[str, Part]] = {}
    rewritten = []
    for key, encoded in _encoded(partitions):
        parts[key] = {}
        changed = False
        for name, (rows, data, sha) in encoded.items():
            part = Part(layout.file_name(name, key, sha), rows, len(data), sha)
            if before.get(key, {}).get(name) != part or location.size(part.file) != len(data):
                location.write_bytes(part.file, data)
                changed = True
            parts[key][name] = part
        if changed:
            rewritten.append(key)
            progress(f"已写入 {key} / written")
    exported_at = datetime.now(UTC).isoformat(timespec="seconds")
    new = Manifest(
        header.region, header.jurisdiction, header.year, exported_at, header.registry_batch, parts
    )
    location.write_bytes(manifests.MANIFEST, new.to_json())
    _remove_unlisted(location, new, old)
    return Written(
        location,
        new,
        tuple(rewritten),
        tuple(k for k in parts if k not in rewritten),
        tuple(sorted(set(before) - set(parts))),
    )


#: Partitions encoded at once, on as many threads (Parquet's encoder and SHA-256 let go
#: of the GIL): at 10^6 people the export spent 8 s encoding and writing on one core.
ENCODERS = 2


def _encoded(
    partitions: Iterable[tuple[str, Mapping[str, pa.Table]]],
) -> Iterator[tuple[str, dict[str, tuple[int, bytes, str]]]]:
    """Each partition's tables as (rows, Parquet bytes, SHA-256), in the partitions'
    order, :data:`ENCODERS` at a time; no more than twice that many are held
    encoded, so a province's lake is never in memory whole."""

    def encode(tables: Mapping[str, pa.Table]) -> dict[str, tuple[int, bytes, str]]:
        found = {}
        for name, table in tables.items():
            data = parquet_bytes(table)
            found[name] = (table.num_rows, data, hashlib.sha256(data).hexdigest())
        return found

    with ThreadPoolExecutor(ENCODERS) as pool:
        waiting: deque[tuple[str, Future[dict[str, tuple[int, bytes, str]]]]] = deque()
        for key, tables in partitions:
            waiting.append((key, pool.submit(encode, tables)))
            if len(waiting) >= 2 * ENCODERS:
                first, job = waiting.popleft()
                yield first, job.result()
        while waiting:
            first, job = waiting.popleft()
            yield first, job.result()


def _remove_unlisted(location: Location, new: Manifest, old: Manifest | None) -> None:
    """Remove the tables' files the new manifest does not name (replaced files, counties
    gone, strays of an export that died before its manifest) and folders left empty."""
    named = {part.file for parts in new.parts.values() for part in parts.values()}
    for table in sorted({*new.tables(), *(old.tables() if old else ())}):
        for rel in location.files(table):
            if rel not in named:
                location.delete(rel)
        location.remove_empty_dirs(table)
