"""``doudi work-injury import`` refuses a file it cannot open, a county code that names
none and an unknown mode before it opens the registry: the refusal says 数据库未改动, so
not even the registry file may be created (issue #20's rule for every command that
reads a named file). A real process, as a caseworker runs it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

# each runs the command line in a fresh process
pytestmark = pytest.mark.slow

PROJECTS = "项目编号,项目名称,行业,所在县区,施工单位,开工日期,工伤保险起保日期\n"


def work_injury_import(tmp_path: Path, *options: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DOUDI_DATABASE_URL": f"sqlite:///{tmp_path / 'registry.sqlite3'}"}
    return subprocess.run(
        [
            *(sys.executable, "-m", "doudi.cli", "work-injury", "import"),
            *("--source", "projects", "--as-of", "2018-03-31", *options),
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        check=False,
    )


def refused_untouched(out: subprocess.CompletedProcess[str], tmp_path: Path, said: str) -> None:
    assert out.returncode == 2, out.stderr
    assert said in out.stderr
    assert "Traceback" not in out.stderr
    assert not (tmp_path / "registry.sqlite3").exists()  # nothing opened, nothing written


def test_a_missing_work_injury_list_leaves_no_registry_behind(tmp_path: Path) -> None:
    missing = tmp_path / "工程项目名单.csv"
    out = work_injury_import(tmp_path, "--file", str(missing), "--region", "360102")
    refused_untouched(out, tmp_path, f"找不到文件：{missing}")


def test_a_region_that_is_no_county_leaves_no_registry_behind(tmp_path: Path) -> None:
    listed = tmp_path / "工程项目名单.csv"
    listed.write_text(PROJECTS, encoding="utf-8")
    out = work_injury_import(tmp_path, "--file", str(listed), "--region", "999999")
    refused_untouched(out, tmp_path, "导入区县「999999」不是现行的区县级行政区划代码")


def test_an_unknown_mode_leaves_no_registry_behind(tmp_path: Path) -> None:
    listed = tmp_path / "工程项目名单.csv"
    listed.write_text(PROJECTS, encoding="utf-8")
    out = work_injury_import(
        tmp_path, "--file", str(listed), "--region", "360102", "--mode", "replace"
    )
    refused_untouched(out, tmp_path, "导入方式应为")
