"""The comparison (信息比对) as a job of the worker: comparison.compare over the registry for
the user's region; the findings are kept as Parquet beside the job, so the result page
filters them by township and village without running the comparison again."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import pyarrow.parquet as pq

from doudi.comparison.compare import FINDINGS, TABLES, compare
from doudi.comparison.masking import masked
from doudi.comparison.workbook import comparison_workbook
from doudi.store import db
from doudi.web.models import Job
from doudi.web.stored_rows import Linked, ParquetRows

WORKBOOK = "比对结果.xlsx"


def run(job: Job, directory: Path, progress: Callable[[str, int], None]) -> dict[str, Any]:
    database = db.Database()
    progress("读取登记库 / reading the registry", 10)
    tables = {t: database.read(t) for t in TABLES}
    progress("比对 / comparing", 40)
    as_of = date.fromisoformat(job.params["as_of"])
    result = compare(tables, job.region, as_of)
    progress("写出结果 / writing", 80)
    for name, _ in FINDINGS:
        pq.write_table(result.finding(name), directory / f"{name}.parquet")
    pq.write_table(result.summary, directory / "summary.parquet")
    comparison_workbook(result, directory / WORKBOOK)
    return {
        "region": result.region,
        "region_name": result.region_name,
        "as_of": as_of.isoformat(),
        "counts": {name: result.finding(name).num_rows for name, _ in FINDINGS},
    }


def finding(
    directory: Path, name: str, township: str = "", village: str = "", link: Linked | None = None
) -> ParquetRows:
    """A finding's rows of a township and village (when the finding has places), read a
    page at a time, ID numbers masked (the Parquet beside the job keeps them whole, for
    ``link`` and the filters)."""
    if name not in dict(FINDINGS):
        raise KeyError(name)
    where = {"township": township, "village": village}
    return ParquetRows(directory / f"{name}.parquet", where, masked, link)


def places(directory: Path, name: str) -> list[tuple[str, str]]:
    """The (township, village) pairs of a finding, for the filters."""
    table = pq.read_table(directory / f"{name}.parquet")
    if "township" not in table.column_names:
        return []
    lake = duckdb.connect()
    lake.register("f", table)
    return [
        (str(t), str(v))
        for t, v in lake.sql("SELECT DISTINCT township, village FROM f ORDER BY 1, 2").fetchall()
    ]


def villages(places: list[tuple[str, str]], township: str) -> list[str]:
    """The villages of ``township`` (none before a township is chosen: a village's name
    says nothing without its township, and two townships may have one of a name)."""
    return [v for t, v in places if township and t == township]
