"""The command line's usage errors in Chinese (issue #19): a wrong option value, a
missing required option, an unknown option or command.

Click (which typer vendors as ``typer._click``) words each of them in English
("Invalid value for '--year'", "Missing option", "No such option", "No such command")
inside a panel titled "Error". It raises them in two places of the root group: parsing
the root's own arguments (``make_context``) and resolving the command and parsing its
arguments (``invoke``, which makes the command's context). :class:`ChineseUsageGroup`
catches them there, says the same in Chinese on standard error and exits with status 2
as Click does, so no command needs to care. The words come from the exception's own
fields (the option, the value typer's pydantic check refused); only Click's few plain
usage errors, which carry nothing but their text, are recognised by it. The help texts
stay as typer formats them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import typer
from typer._click import exceptions as click_errors  # typer 0.29 vendors Click
from typer.core import TyperGroup

#: What typer's pydantic check found wrong with a value, by pydantic's error type (the
#: commands' options are text, paths, integers and numbers; flags take no value).
KINDS = {"int_parsing": "不是整数", "float_parsing": "不是数字"}
#: Click's usage errors that carry only their English text (typer 0.29.2's
#: typer/core.py and typer/_click/core.py word them so).
NO_SUCH_COMMAND = re.compile(r"No such command '(?P<name>.*)'\.(?: Did you mean (?P<close>.*)\?)?$")
EXTRA_ARGUMENTS = re.compile(r"Got unexpected extra argument\(s\) \((?P<extra>.*)\)$", re.S)
TAKES_NO_VALUE = re.compile(r"does not take a value\.$")


class ChineseUsageGroup(TyperGroup):
    """The root ``doudi`` group: every usage error of it or of a command, in Chinese."""

    def make_context(
        self,
        info_name: str | None,
        args: list[str],
        parent: Any = None,
        **extra: Any,
    ) -> Any:
        with in_chinese():
            return super().make_context(info_name, args, parent, **extra)

    def invoke(self, ctx: Any) -> Any:
        with in_chinese():
            return super().invoke(ctx)


@contextmanager
def in_chinese() -> Iterator[None]:
    """A usage error raised in the block: its Chinese message and a hint on standard
    error, then exit status 2 (Click's own for usage errors). ``doudi`` alone still
    shows the help (Click raises that as a usage error too)."""
    try:
        yield
    except click_errors.NoArgsIsHelpError:
        raise
    except click_errors.UsageError as error:
        typer.echo(f"错误：{message(error)}", err=True)
        if error.ctx is not None:
            typer.echo(f"查看用法：{error.ctx.command_path} --help", err=True)
        raise typer.Exit(code=error.exit_code) from None


def message(error: click_errors.UsageError) -> str:
    """The usage error in Chinese, naming the option and the value."""
    if isinstance(error, click_errors.NoSuchOption):
        return f"没有选项 {error.option_name}" + _did_you_mean(error.possibilities or ())
    if isinstance(error, click_errors.MissingParameter):
        return f"缺少必填参数 {_name(error)}"
    if isinstance(error, click_errors.BadParameter):
        return _bad_value(error)
    if isinstance(error, click_errors.BadOptionUsage):
        return _bad_option(error)
    return _plain(error.message)


def _name(error: click_errors.BadParameter) -> str:
    """The parameter as the command line writes it: ``--year``, or an argument's
    ``VERSION`` as the usage line shows it."""
    param = error.param
    if param is None:
        hint = error.param_hint
        return hint if isinstance(hint, str) else " / ".join(hint or ())
    if param.param_type_name == "option":
        return " / ".join(param.opts)
    return (param.metavar or param.name or "").upper()


def _bad_value(error: click_errors.BadParameter) -> str:
    """A value typer could not convert: pydantic's error (the cause) says which value
    and what is wrong with it."""
    errors = getattr(error.__cause__, "errors", None)
    if callable(errors) and errors():
        first = errors()[0]
        value = str(first.get("input", "")) or "（空）"
        kind = KINDS.get(str(first.get("type")), "无效")
        return f"参数 {_name(error)} 的值 {value} {kind}"
    return f"参数 {_name(error)} 的值无效：{error.message}"


def _bad_option(error: click_errors.BadOptionUsage) -> str:
    """An option given without its value, or a flag given one (``--dry-run=x``);
    Click's parser raises it without a context, so its text tells which."""
    if TAKES_NO_VALUE.search(error.message):
        return f"选项 {error.option_name} 不接受值"
    return f"选项 {error.option_name} 缺少值"


def _plain(text: str) -> str:
    """Click's usage errors that are only text, recognised by it."""
    if found := NO_SUCH_COMMAND.match(text):
        close = re.findall(r"'([^']*)'", found.group("close") or "")
        return f"没有命令 {found.group('name')}" + _did_you_mean(close)
    if found := EXTRA_ARGUMENTS.match(text):
        return f"多余的参数：{found.group('extra')}"
    return f"命令行有误：{text}"


def _did_you_mean(close: Sequence[str]) -> str:
    return f"（是否要用 {'、'.join(sorted(close))}？）" if close else ""
