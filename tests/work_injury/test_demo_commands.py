"""``make run``'s work-injury step (issue #21, "done when": ``make run`` shows a
work-injury list for the demo county): the Makefile imports the four lists ``doudi
synth`` writes for 东湖区 (360102), in an order each can be read in, and its findings
command writes the workbook with the violations the synthetic manifest planted."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import fastexcel
import pytest
from tests.fuzz.outcome import invoke

from doudi.rosters.importing import import_roster
from doudi.synth.departments import synthesize
from doudi.synth.work_injury_lists import FILES
from doudi.work_injury import checks_cli, lists_cli

MAKEFILE = Path(__file__).resolve().parents[2] / "Makefile"
COUNTY = "360102"  # the demo county of make run
STATUS_ROSTERS = ("poverty", "dibao", "tekun", "disability", "death")


def makefile_lists() -> list[tuple[str, str]]:
    """The Makefile's WORK_INJURY pairs (--source, file stem), in its order."""
    found = re.search(r"^WORK_INJURY := ((?:.*\\\n)*.*)$", MAKEFILE.read_text(), re.M)
    assert found, "Makefile: WORK_INJURY is missing"
    pairs = found.group(1).replace("\\\n", " ").split()
    return [(p.split(":")[0], p.split(":")[1]) for p in pairs]


def test_the_makefile_imports_the_four_files_synth_writes_projects_and_cases_first() -> None:
    # workers name projects and payments name cases: each must come after what it names
    assert makefile_lists() == [
        ("projects", "wi_projects"),
        ("project-workers", "wi_project_workers"),
        ("cases", "wi_cases"),
        ("advance-payments", "wi_advance_payments"),
    ]
    assert {source: f"{stem}.csv" for source, stem in makefile_lists()} == {
        source: file for source, (file, _) in FILES.items()
    }


@pytest.fixture
def doudi(registry: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    for module in (lists_cli, checks_cli):
        monkeypatch.setattr(module, "open_registry", lambda: registry)
    return lambda *args: invoke(args, registry)


def test_the_demo_countys_lists_import_and_their_findings_write_the_workbook(
    registry: Any, doudi: Any, tmp_path: Path
) -> None:
    manifest = synthesize(COUNTY, 400, tmp_path, seed=1)
    for source in STATUS_ROSTERS:
        [path] = tmp_path.glob(f"{source}.*")
        import_roster(registry, path, source, manifest.as_of)
    planted = manifest.work_injury["planted"]

    for source, stem in makefile_lists():  # the Makefile's command, argument for argument
        result = doudi(
            "work-injury", "import", "--source", source, "--file", str(tmp_path / f"{stem}.csv"),
            "--region", COUNTY, "--as-of", "2018-03-31", "--user", "演示",
        )  # fmt: skip
        assert (result.exit_code, result.error) == (0, ""), result.output
        assert "已导入" in result.output
    out = tmp_path / "工伤保险核查.xlsx"
    result = doudi(
        "work-injury", "findings", "--region", COUNTY, "--as-of", "2018-03-31", "--out", str(out)
    )

    assert (result.exit_code, result.error) == (0, ""), result.output
    # the planted answers: the late and the bare project break 先参保、再开工 (2), the bare
    # one runs without cover (1) with its one poor worker (1)
    assert "  先开工后参保项目：2 条" in result.output.splitlines()
    assert "  在建无工伤保险项目：1 条" in result.output.splitlines()
    assert "  无工伤保险项目的贫困劳动力：1 条" in result.output.splitlines()
    assert f"已写出 {out}" in result.output
    book = fastexcel.read_excel(out)
    assert {"概况", "在建无工伤保险项目", "无工伤保险项目的贫困劳动力"} <= set(book.sheet_names)
    running = book.load_sheet_by_name("在建无工伤保险项目").to_arrow().to_pylist()
    assert [v for r in running for v in r.values() if v in planted["without_cover"]] == planted[
        "without_cover"
    ]
