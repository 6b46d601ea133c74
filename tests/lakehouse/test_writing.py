"""The lake's incremental writing (lakehouse/writing.py) and its manifest
(lakehouse/manifest.py): every file's SHA-256 and rows in the manifest, a re-export of
the same tables writes nothing, a changed county only its own file, a county gone is
removed, and a manifest that does not add up is refused in Chinese."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from doudi.lakehouse import layout, manifest, writing
from doudi.lakehouse.location import LakeError, locate

HEADER = writing.Header("360000", "360000", 2018, registry_batch=7)


def partitions(people: dict[str, list[int]]) -> list[tuple[str, dict[str, pa.Table]]]:
    """A partition per county: its people's ids, and one status row per person."""
    return [
        (
            layout.partition(county),
            {
                "people": pa.table({"row_no": pa.array(ids, pa.int64())}),
                "statuses": pa.table(
                    {"row_no": pa.array(ids, pa.int64()), "status": ["poor"] * len(ids)}
                ),
            },
        )
        for county, ids in people.items()
    ]


def test_the_manifest_holds_every_files_sha256_and_rows(tmp_path: Path) -> None:
    lake = locate(str(tmp_path))
    written = writing.write(lake, HEADER, partitions({"360102": [1, 2, 3], "360103": [4]}))
    m = written.manifest
    part = m.parts["province=36/county=360102"]["people"]
    data = (tmp_path / part.file).read_bytes()
    assert part.sha256 == hashlib.sha256(data).hexdigest()
    assert part.file == f"people/province=36/county=360102/part-{part.sha256[:16]}.parquet"
    assert pq.read_table(tmp_path / part.file).column("row_no").to_pylist() == [1, 2, 3]
    assert (part.rows, part.bytes) == (3, len(data))
    assert m.rows("people") == 4  # 3 + 1
    document = json.loads((tmp_path / manifest.MANIFEST).read_text("utf-8"))
    assert document["tables"]["people"]["rows"] == 4
    assert document["tables"]["statuses"]["partitions"]["province=36/county=360103"]["rows"] == 1
    assert (document["region"], document["year"], document["registry_batch"]) == ("360000", 2018, 7)
    assert document["checksum"] == m.checksum
    assert written.rewritten == ("province=36/county=360102", "province=36/county=360103")


def test_the_same_tables_again_rewrite_nothing_and_keep_the_checksum(tmp_path: Path) -> None:
    lake = locate(str(tmp_path))
    first = writing.write(lake, HEADER, partitions({"360102": [1, 2], "360103": [3]}))
    files = {p: p.stat().st_mtime_ns for p in tmp_path.rglob("*.parquet")}
    again = writing.write(lake, HEADER, partitions({"360102": [1, 2], "360103": [3]}))
    assert again.rewritten == ()
    assert again.kept == ("province=36/county=360102", "province=36/county=360103")
    assert {p: p.stat().st_mtime_ns for p in tmp_path.rglob("*.parquet")} == files
    assert again.manifest.checksum == first.manifest.checksum


def test_a_changed_county_is_the_only_one_rewritten_and_its_old_file_removed(
    tmp_path: Path,
) -> None:
    lake = locate(str(tmp_path))
    first = writing.write(lake, HEADER, partitions({"360102": [1, 2], "360103": [3]}))
    old = first.manifest.parts["province=36/county=360103"]["people"].file
    kept = first.manifest.parts["province=36/county=360102"]["people"].file
    mtime = (tmp_path / kept).stat().st_mtime_ns
    again = writing.write(lake, HEADER, partitions({"360102": [1, 2], "360103": [3, 4]}))
    assert again.rewritten == ("province=36/county=360103",)
    assert not (tmp_path / old).exists()
    assert (tmp_path / kept).stat().st_mtime_ns == mtime
    assert again.manifest.checksum != first.manifest.checksum


def test_a_county_no_longer_exported_is_removed(tmp_path: Path) -> None:
    lake = locate(str(tmp_path))
    writing.write(lake, HEADER, partitions({"360102": [1], "360103": [2]}))
    again = writing.write(lake, HEADER, partitions({"360102": [1]}))
    assert again.removed == ("province=36/county=360103",)
    assert not (tmp_path / "people/province=36/county=360103").exists()
    assert sorted(p.parent.name for p in tmp_path.rglob("*.parquet")) == ["county=360102"] * 2


def test_another_regions_export_into_the_same_lake_is_refused(tmp_path: Path) -> None:
    lake = locate(str(tmp_path))
    writing.write(lake, HEADER, partitions({"360102": [1]}))
    other = writing.Header("360100", "360000", 2018, registry_batch=7)
    with pytest.raises(LakeError, match=r"已存有区划 360000.*请另选位置"):
        writing.write(lake, other, partitions({"360102": [1]}))


def test_a_manifest_whose_checksum_does_not_add_up_is_refused(tmp_path: Path) -> None:
    lake = locate(str(tmp_path))
    writing.write(lake, HEADER, partitions({"360102": [1, 2]}))
    path = tmp_path / manifest.MANIFEST
    document = json.loads(path.read_text("utf-8"))
    entry = document["tables"]["people"]["partitions"]["province=36/county=360102"]
    entry["sha256"] = "0" * 64  # a file swapped behind the manifest's back
    path.write_text(json.dumps(document), "utf-8")
    with pytest.raises(LakeError, match="校验和与其所列文件不符"):
        manifest.load(lake)


def test_parquet_bytes_do_not_depend_on_chunking() -> None:
    whole = pa.table({"row_no": pa.array(range(1000), pa.int64())})
    chunked = pa.Table.from_batches(whole.to_batches(max_chunksize=7))
    assert writing.parquet_bytes(whole) == writing.parquet_bytes(chunked)
