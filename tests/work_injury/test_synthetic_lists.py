"""`doudi synth` writes the four work-injury lists of a county (issue #21 §1): they
import with exactly the bad rows its manifest lists refused, and the planted
violations are in the rows the checks read."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from doudi.synth.departments import Manifest, synthesize
from doudi.work_injury.importing import import_lists
from doudi.work_injury.reading import current_tables


def test_the_synthetic_lists_import_with_exactly_the_manifests_bad_rows_refused(
    registry: Any, tmp_path: Path
) -> None:
    manifest = synthesize("360781", 400, tmp_path, seed=5)
    wi = Manifest.load(tmp_path).work_injury
    assert wi == manifest.work_injury and wi["county"] == "360781"
    files = {name: tmp_path / file for name, file in wi["files"].items()}
    reports = import_lists(registry, files, wi["county"], manifest.as_of)
    for report, name in zip(reports, wi["files"], strict=True):
        refused = sorted(set(report.read.rejected.column("row_number").to_pylist()))
        listed = sorted(row for rows in wi["error_rows"][name].values() for row in rows)
        assert refused == listed, name
        assert report.read.accepted.num_rows == wi["accepted"][name], name
    tables = current_tables(registry, wi["county"], manifest.as_of)
    projects = {p["project_id"]: p for p in tables["projects"].to_pylist()}
    [late] = wi["planted"]["started_before_cover"]
    assert projects[late]["start_date"] < projects[late]["insured_from"]
    [bare] = wi["planted"]["without_cover"]
    assert projects[bare]["insured_from"] is None
    # only the planted projects break 先参保、再开工
    assert {
        k
        for k, p in projects.items()
        if p["insured_from"] is None or p["insured_from"] > p["start_date"]
    } == {late, bare}
    on_bare = [
        w["person_id"] for w in tables["project_workers"].to_pylist() if w["project_id"] == bare
    ]
    assert on_bare == wi["planted"]["poor_worker_uncovered"]
    cases = {c["case_id"]: c for c in tables["cases"].to_pylist()}
    [due] = wi["planted"]["advance_payment_due"]
    assert not cases[due]["employer_insured"] and cases[due]["recognition"] == "recognised"
    [paid] = tables["advance_payments"].to_pylist()
    assert [paid["case_id"]] == wi["planted"]["partly_recovered"]
    assert 0 < paid["recovered"] < paid["amount"]
    assert [k for k, c in cases.items() if c["pneumoconiosis"]] == wi["planted"]["pneumoconiosis"]
