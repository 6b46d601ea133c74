"""Two people at once: a work-injury import started while another writing job (a roster
import) holds the registry waits for it in Chinese and then lands whole; neither job
is corrupted (decision 0011: one writing job at a time)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from tests.store.test_concurrency import WAITING, clean, overlapping, run, write_lists
from tests.work_injury.test_lists import COUNTY, PROJECTS, write

pytestmark = pytest.mark.slow


def test_a_work_injury_import_waits_for_a_roster_import_then_lands(
    registry: Any, tmp_path: Path
) -> None:
    march, _ = write_lists(tmp_path)
    clean(run(registry, tmp_path, ["imports"]))  # the tables made before two processes start
    projects = write(tmp_path, "p.csv", PROJECTS)
    work_injury = [
        "work-injury", "import", "--source", "projects", "--file", str(projects),
        "--region", COUNTY, "--as-of", "2018-03-31",
    ]  # fmt: skip
    first, second = overlapping(registry, tmp_path, "people", march, work_injury)
    clean(first)
    clean(second)
    assert WAITING in second.stderr
    batches = registry.read("registry_import_batch").to_pylist()
    assert sorted(b["source"] for b in batches) == ["poverty", "work_injury_projects"]
    # both of 瑞金市's projects, P001 and P002, once each
    projects_read = registry.read("registry_work_injury_project").column("project_id")
    assert sorted(projects_read.to_pylist()) == ["P001", "P002"]
