"""A command given a file it cannot open says why in Chinese (issue #20): 找不到文件, 是一个
文件夹, 没有读取权限 — exit status 2, no traceback, not Python's English "[Errno 2] No such
file or directory", and nothing opened or written (the registry is not even created).
A real process, as a caseworker runs it."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

# each runs the command line in a fresh process
pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[1]
#: Python's words for a file it cannot open, which must not reach a caseworker
ENGLISH = re.compile(r"Errno|No such file|Is a directory|Permission denied|Traceback")

#: Every command that reads a file the caller names, with its other required options.
COMMANDS = {
    "import": ["--source", "poverty", "--as-of", "2018-06-30"],
    "service-points": ["--as-of", "2018-06-30"],
    "bills": ["--jurisdiction", "360000"],
    "payments": ["--year", "2018"],
    "bank-return": [],
    "bank-simulate": ["--out", "return.txt", "--processed-on", "2018-06-30"],
    "evaluate": [],
    "settle": [],
}


def doudi(tmp_path: Path, command: str, file: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DOUDI_DATABASE_URL": f"sqlite:///{tmp_path / 'registry.sqlite3'}"}
    return subprocess.run(
        [sys.executable, "-m", "doudi.cli", command, str(file), *COMMANDS[command]],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        check=False,
    )


def refused(tmp_path: Path, command: str, file: Path, said: str) -> None:
    out = doudi(tmp_path, command, file)
    assert out.returncode == 2, out.stderr
    assert said in out.stderr
    assert not ENGLISH.search(out.stderr), out.stderr
    assert not (tmp_path / "registry.sqlite3").exists()  # nothing opened, nothing written
    assert not (tmp_path / "return.txt").exists()


@pytest.mark.parametrize("command", COMMANDS)
def test_a_missing_file_is_said_in_chinese_exit_2(tmp_path: Path, command: str) -> None:
    missing = tmp_path / "名单.csv"
    refused(tmp_path, command, missing, f"找不到文件：{missing}")


@pytest.mark.parametrize("command", COMMANDS)
def test_a_folder_is_said_to_be_no_file_exit_2(tmp_path: Path, command: str) -> None:
    folder = tmp_path / "下载.csv"
    folder.mkdir()
    refused(tmp_path, command, folder, f"{folder} 是一个文件夹，不是文件")


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root reads every file")
@pytest.mark.parametrize("command", COMMANDS)
def test_an_unreadable_file_is_said_to_lack_permission_exit_2(tmp_path: Path, command: str) -> None:
    locked = tmp_path / "名单.csv"
    locked.write_text("身份证号\n", encoding="utf-8")
    locked.chmod(0)
    refused(tmp_path, command, locked, f"无法读取文件：{locked}（没有读取权限）")


def test_a_file_without_read_permission_is_said_in_chinese() -> None:
    """The wording the permission case gets (the process test above is skipped as root,
    who reads every file)."""
    from doudi.core.textfile import unreadable

    error = unreadable(Path("名单.csv"), PermissionError(13, "Permission denied", "名单.csv"))
    assert error.chinese == "无法读取文件：名单.csv（没有读取权限）"
    assert not ENGLISH.search(error.chinese)
