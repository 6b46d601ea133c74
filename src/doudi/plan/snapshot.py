"""A plan version's frozen inputs: one Parquet file named by its SHA-256.

A version can be recomputed and compared with a later one from its snapshot, and
running the plan again on the same inputs finds the existing version by the
checksum. Parquet's bytes depend on how the tables are chunked (one row group per
chunk), so the chunk size is one constant here: changing it changes every
checksum, and ``tests/plan/test_snapshot.py`` pins the checksum of a fixed input.
A plan read from a lake export freezes instead the record of the files it read
(``Frozen``, ``plan.lake_inputs``): they are in the lake, checksummed already.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass

import pyarrow as pa
import pyarrow.parquet as pq

from doudi.plan.outcome import LeftOut


@dataclass(frozen=True)
class Frozen:
    """What a plan version is made of before the rules run: the people it plans, those
    it leaves out (another lineage pays for them), how many had their tier ignored, and
    its frozen inputs — ``blob``, kept as ``<checksum><suffix>``, whose SHA-256 is the
    version's identity: the inputs themselves as Parquet (``snapshot``), or the record
    of a lake export's files (``plan.lake_inputs``)."""

    people: int
    left_out: tuple[LeftOut, ...]
    tiers_ignored: int
    blob: bytes
    checksum: str
    suffix: str


#: Rows per chunk of the people table (DuckDB's row group, in which its sort returned it).
SNAPSHOT_CHUNK_ROWS = 122_880


def rechunked(t: pa.Table) -> pa.Table:
    """``t`` in chunks of ``SNAPSHOT_CHUNK_ROWS`` rows, as the snapshot is written."""
    return pa.Table.from_batches(t.to_batches(max_chunksize=SNAPSHOT_CHUNK_ROWS), t.schema)


def snapshot(people: pa.Table, statuses: pa.Table) -> tuple[bytes, str]:
    """The inputs as one Parquet file and its SHA-256 (the version's identity)."""
    buffer = io.BytesIO()
    with pq.ParquetWriter(buffer, people.schema) as writer:
        writer.write_table(people)
    people_bytes = buffer.getvalue()
    buffer = io.BytesIO()
    with pq.ParquetWriter(buffer, statuses.schema) as writer:
        writer.write_table(statuses)
    statuses_bytes = buffer.getvalue()
    digest = hashlib.sha256()
    for part in (people_bytes, statuses_bytes):
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return people_bytes + statuses_bytes, digest.hexdigest()
