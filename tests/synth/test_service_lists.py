"""The synthetic lists of Jiangxi's service targets (JX-2017-58/2.4.10): the mandates
are a record list like the others (tests/synth/test_synth.py reads every IMPORTED file),
and the village service points come with the deliberate mistakes the manifest lists,
which the service-point import refuses row by row."""

from __future__ import annotations

from pathlib import Path

from doudi.rosters.service_points import read_points
from doudi.synth.departments import Manifest, synthesize
from doudi.synth.service_lists import POINT_KINDS

#: the rejection code (rosters.rejections) each refused kind gets
REJECTED_AS = {"bad_date": "date", "missing_village": "missing", "duplicate": "duplicate"}


def test_the_service_point_file_is_refused_exactly_where_the_manifest_says(
    tmp_path: Path,
) -> None:
    synthesize("360102", 800, tmp_path, seed=1)
    manifest = Manifest.load(tmp_path)
    assert set(manifest.service_points_error_rows) == set(POINT_KINDS)
    read = read_points(tmp_path / manifest.service_points_file)
    assert read.encoding == "gb18030"
    refused = {(r["row_number"], r["code"]) for r in read.rejected.to_pylist()}
    assert refused == {
        (row, REJECTED_AS[kind])
        for kind, rows in manifest.service_points_error_rows.items()
        if kind in REJECTED_AS
        for row in rows
    }
    assert read.accepted.num_rows == manifest.service_points_accepted
    [unknown] = manifest.service_points_error_rows["unknown_village"]
    [row] = [r for r in read.accepted.to_pylist() if r["row_number"] == unknown]
    assert row["village"].startswith("新")  # accepted, but in no village the lists name
