"""A lake's tables read into this process and results written back by county, as Spark's
executors read and write them: the DuckDB path of a programme on the lake (``doudi lake
settle --engine duckdb``, ``doudi plan --engine duckdb --lake``), an operator's check of
a Spark run on the same files.

Why here, apart from each programme: how a partitioned table is read (its partition
columns from the Hive-style paths, as text: a region code is no number) and how results
replace an earlier run's (every file under the folder removed first, as Spark's
``overwrite``) is the lake's layout, the same for every programme.
"""

from __future__ import annotations

from collections.abc import Sequence

import pyarrow as pa
import pyarrow.dataset as ds

from doudi.lakehouse import layout
from doudi.lakehouse.location import Location

#: The partition columns as read from a path (text: "36" and "360102" are codes).
HIVE = ds.partitioning(
    pa.schema([pa.field(c, pa.string()) for c in layout.PARTITION_COLUMNS]), flavor="hive"
)


def read(
    location: Location,
    table: str,
    files: Sequence[str],
    columns: Sequence[str] | None = None,
    where: ds.Expression | None = None,
) -> pa.Table:
    """The lake's ``files`` of ``table`` (paths inside ``location``, as a manifest names
    them) as one Arrow table, with the partition columns of their paths: the
    ``columns`` asked for (all by default) of the rows ``where`` keeps (all by default;
    Parquet's row-group statistics skip what it cannot match)."""
    return ds.dataset(
        [location.path(f) for f in files],
        filesystem=location.fs,
        format="parquet",
        partitioning=HIVE,
        partition_base_dir=location.path(table),
    ).to_table(columns=None if columns is None else list(columns), filter=where)


def write(location: Location, out: str, rows: pa.Table) -> None:
    """``rows`` (with the partition columns) written under ``out`` by province and
    county, replacing what an earlier run wrote there."""
    for rel in location.files(out):
        location.delete(rel)
    location.remove_empty_dirs(out)
    ds.write_dataset(
        rows,
        location.path(out),
        filesystem=location.fs,
        format="parquet",
        partitioning=list(layout.PARTITION_COLUMNS),
        partitioning_flavor="hive",
        existing_data_behavior="overwrite_or_ignore",
    )


def read_back(location: Location, out: str, schema: pa.Schema) -> pa.Table:
    """The rows written under ``out`` (by either engine), the columns of ``schema``
    (not the partition columns) typed as it says: Spark's Parquet may widen a decimal."""
    written = ds.dataset(location.path(out), filesystem=location.fs, format="parquet")
    return written.to_table(columns=schema.names).cast(schema)
