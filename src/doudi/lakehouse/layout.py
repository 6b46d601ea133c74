"""What lies where in a lake: Hive-style partitions by province and county, and files
named by their content.

``people/province=36/county=360102/part-<sha>.parquet``: Spark, DuckDB, Trino and
pyarrow all read the partition columns from such paths, and a reader of one county
opens one folder. A file's name carries the first 16 hex digits of its SHA-256, so a
changed county is written beside the old file and the manifest (``lakehouse.manifest``)
says which one is current: a reader that follows the manifest never reads half an
export, and an unchanged file keeps its name from one export to the next.
"""

from __future__ import annotations

#: The partition columns, outermost first (the results are written by the same).
PARTITION_COLUMNS = ("province", "county")


def partition(county: str) -> str:
    """The partition of a county (six digits): ``province=36/county=360102``."""
    return f"province={county[:2]}/county={county}"


def county_of(key: str) -> str:
    """The county of a partition named by :func:`partition`."""
    return key.rsplit("county=", 1)[1]


def file_name(table: str, key: str, sha256: str) -> str:
    """Where a table's file of partition ``key`` with this content lies in the lake."""
    return f"{table}/{key}/part-{sha256[:16]}.parquet"
