"""The command line's usage errors are Chinese (issue #19): a value of the wrong type, a
missing required option, an unknown option or command. Click printed them in English
("Invalid value for '--year'", "Missing option", "No such option") in a panel titled
"Error"; now a Chinese line names the option and the value, exit status 2 as before,
no traceback. A real process, as a caseworker runs it."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

# each runs the command line in a fresh process
pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[1]
CLI = "python -m doudi.cli"  # the program name Click shows in the hint
#: English words of Click's usage errors that must not reach a caseworker
ENGLISH = re.compile(r"Error|Invalid value|Missing|No such|Usage:|Try |Traceback")


def doudi(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "doudi.cli", *args],
        capture_output=True,
        text=True,
        cwd=REPO,
        check=False,
    )


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (
            ["plan", "--jurisdiction", "500000", "--year", "abc"],
            "错误：参数 --year 的值 abc 不是整数",
        ),
        (["plan", "--year", "2018"], "错误：缺少必填参数 --jurisdiction"),
        (["plan", "--foo"], "错误：没有选项 --foo"),
        (
            ["plan", "--jurisdicton", "500000"],
            "没有选项 --jurisdicton（是否要用 --jurisdiction？）",
        ),
        (["pln"], "错误：没有命令 pln（是否要用 plan？）"),
        (["nosuchcommand"], "错误：没有命令 nosuchcommand"),
        (["plan-diff", "1"], "错误：缺少必填参数 NEW"),
        (["plan-diff", "x", "2"], "错误：参数 OLD 的值 x 不是整数"),
        (
            ["synth", "--region", "360102", "--people", "many", "--out", "x"],
            "参数 --people 的值 many 不是整数",
        ),
        (["synth", "--error-rate", "abc"], "错误：参数 --error-rate 的值 abc 不是数字"),
        (["plan", "--jurisdiction"], "错误：选项 --jurisdiction 缺少值"),
        (["imports", "--dry-run=x"], "错误：没有选项 --dry-run"),
        (["import", "f.csv", "--dry-run=yes"], "错误：选项 --dry-run 不接受值"),
        (["imports", "extra"], "错误：多余的参数：extra"),
        (["--foo"], "错误：没有选项 --foo"),
    ],
)
def test_a_usage_error_is_chinese_exit_2_no_traceback(args: list[str], said: str) -> None:
    out = doudi(*args)
    assert out.returncode == 2, out.stderr
    assert said in out.stderr
    assert not ENGLISH.search(out.stderr), out.stderr
    assert out.stdout == ""


def test_the_hint_names_the_command_s_help() -> None:
    out = doudi("plan", "--year", "abc")
    assert out.stderr.splitlines()[-1] == f"查看用法：{CLI} plan --help"


def test_help_and_no_arguments_are_unchanged() -> None:
    """``doudi`` alone shows the help (Click raises it as a usage error too, exit 2 as
    before); ``--help`` exits 0."""
    alone = doudi()
    assert alone.returncode == 2 and "plan" in alone.stdout + alone.stderr
    assert "错误" not in alone.stdout + alone.stderr
    helped = doudi("plan", "--help")
    assert helped.returncode == 0 and "--jurisdiction" in helped.stdout
