"""The plan snapshot's checksum (plan/snapshot.py) is a plan version's identity: the
same inputs must give the same SHA-256 in every process and on every machine, or a
re-run would write a duplicate version instead of finding the existing one.

The checksum depends on the rows, on ``SNAPSHOT_CHUNK_ROWS`` (one Parquet row group per
chunk) and on the pinned pyarrow (Parquet's ``created_by``). A change of either changes
every version's identity: this test then fails, and the change must be deliberate.
"""

from __future__ import annotations

from datetime import date, timedelta

import pyarrow as pa

from doudi.plan import inputs, snapshot
from doudi.policy.schema import PEOPLE, STATUSES

N = 300_000  # three chunks of SNAPSHOT_CHUNK_ROWS
BORN = date(1950, 1, 1)


def fixed_inputs() -> tuple[pa.Table, pa.Table]:
    """Engine inputs of N made-up people (every fifth with a status), as plan/inputs
    builds them: chunked for the snapshot, absent facts as nulls."""
    ids = pa.array(range(1, N + 1), pa.int64())
    people = pa.table(
        {
            "row_no": ids,
            "id_number": pa.array([f"36010219800101{i % 10000:04d}" for i in range(N)]),
            "name": pa.array([f"人{i}" for i in range(N)]),
            "birth_date": pa.array(
                [date(1950, 1, 1) + timedelta(days=i % 20000) for i in range(N)]
            ),
            "hukou_region": pa.array(["360102"] * N),
            "rp_enrolled": pa.array([i % 3 != 0 for i in range(N)]),
        }
    )
    statuses = pa.table(
        {
            "row_no": pa.array(range(1, N + 1, 5), pa.int64()),
            "status": pa.array(["registered_poor"] * len(range(1, N + 1, 5))),
            "valid_from": pa.array([date(2017, 6, 1)] * len(range(1, N + 1, 5))),
        }
    )
    people = snapshot.rechunked(inputs._conform(people, PEOPLE.to_pyarrow()))
    statuses = snapshot.rechunked(inputs._conform(statuses, STATUSES.to_pyarrow()))
    return people, statuses


def test_the_snapshot_checksum_of_a_fixed_input_is_pinned() -> None:
    people, statuses = fixed_inputs()
    assert snapshot.SNAPSHOT_CHUNK_ROWS == 122_880  # DuckDB's row group, as before
    assert people.num_rows == N and people.column(0).num_chunks == 3
    _, checksum = snapshot.snapshot(people, statuses)
    assert checksum == PINNED


def test_the_chunking_decides_the_checksum() -> None:
    """Why the chunk size is one constant: the same rows in other chunks are other
    bytes, so another chunk size anywhere would make every plan a new version."""
    people, statuses = fixed_inputs()
    _, checksum = snapshot.snapshot(people, statuses)
    one_chunk = people.combine_chunks()
    assert snapshot.snapshot(one_chunk, statuses)[1] != checksum
    assert snapshot.snapshot(snapshot.rechunked(one_chunk), statuses)[1] == checksum


PINNED = "b7a392e9e99a180074a24ba45a403fe5011333b41f6d589ff8ff9652c5987135"
