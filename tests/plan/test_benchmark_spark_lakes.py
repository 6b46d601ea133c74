"""The lakes ``bench_spark.py`` measures Spark on (benchmarks/spark_plan.py,
spark_settlement.py, spark_comparison.py) are written as ``doudi lake export`` writes
them: each programme's ``write_lake`` at a few thousand insured gives a manifest whose
rows are the tables' it was built of, every county's files named by their SHA-256.
Nothing here starts Spark; a benchmark whose lake could not be written failed only
after minutes of building a province at 10^7."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

from support import benchmark

INSURED = 3_000


@pytest.fixture(scope="module")
def programmes() -> Iterator[dict[str, ModuleType]]:
    names = ("spark_plan", "spark_settlement", "spark_comparison")
    with benchmark(*names) as found:
        yield dict(zip(names, found, strict=True))


@pytest.mark.parametrize("name", ["spark_plan", "spark_settlement", "spark_comparison"])
def test_a_benchmark_lake_is_written_as_the_export_writes_one(
    programmes: dict[str, ModuleType], name: str, tmp_path: Path, _django: None
) -> None:
    folder = tmp_path / "lake"
    folder.mkdir()
    figures = programmes[name].write_lake(folder, INSURED)
    manifest = json.loads((folder / "manifest.json").read_text("utf-8"))
    assert len(manifest["partitions"]) > 1
    written = 0
    for table, found in manifest["tables"].items():
        for part in found["partitions"].values():
            data = (folder / part["file"]).read_bytes()
            assert hashlib.sha256(data).hexdigest() == part["sha256"]
            written += part["rows"]
        if name == "spark_comparison":
            assert found["rows"] == figures["rows"][table]
    assert written > INSURED
