"""A reform as the 政策测算 page and the API take it (docs/costing.md, issue #22 §3): the
YAML an officer types or an example loads, checked whole before any job is queued.

The page and ``POST /api/costing`` refuse the same things with the same Chinese words
(``Refused``): a region outside the user's scope (403), a reform ``costing.reform``
refuses (400, every problem with its field, as ``doudi cost`` says them), a region
outside the baseline's jurisdiction (400). Only a reform that passes becomes a job, so a
bad one never reaches the worker.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from doudi.costing import reform as reforms
from doudi.costing import run
from doudi.web.roles import Scope

#: The example reforms ``make run`` costs (examples/reforms/ of the source tree); a
#: server installed without them offers none, and the text box still takes a reform.
EXAMPLES = Path(__file__).resolve().parents[3] / "examples" / "reforms"
#: The longest reform text the page takes, in characters (the examples are a few hundred).
TEXT_LIMIT = 20_000


class Refused(Exception):
    """A reform or region the costing refuses: ``status`` (400, 403), the Chinese
    message, and the reform's problems one per field."""

    def __init__(self, status: int, message: str, problems: list[str] | None = None):
        super().__init__(message)
        self.status = status
        self.problems = problems or []


def examples() -> list[tuple[str, str]]:
    """The example reforms as (file name without .yaml, the reform's name)."""
    found = []
    for path in sorted(EXAMPLES.glob("*.yaml")):
        try:
            name = yaml.safe_load(path.read_text("utf-8")).get("name") or path.stem
        except (OSError, yaml.YAMLError, AttributeError):
            continue  # not a reform: not offered
        found.append((path.stem, str(name)))
    return found


def example_text(stem: str) -> str:
    """The YAML of the example ``stem`` as its file has it (comments kept: they say
    what the reform asks), "" for no such example."""
    if stem not in dict(examples()):
        return ""
    return (EXAMPLES / f"{stem}.yaml").read_text("utf-8")


def from_text(text: str) -> Any:
    """The mapping of a reform's YAML text; :class:`Refused` (400) with the line and
    column where it is no YAML, as ``costing.reform.load`` says it of a file. A reform
    is a few lines: a longer text, or one with aliases (``*a``: a few lines of them
    make a structure of billions of items, what a server must not build), is refused."""
    if len(text) > TEXT_LIMIT:
        said = f"测算方案过长（{len(text)} 个字符，上限 {TEXT_LIMIT}）"
        raise Refused(400, said, [said])
    try:
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            if isinstance(event, yaml.AliasEvent):
                line = event.start_mark.line + 1 if event.start_mark else "某"
                said = f"测算方案第 {line} 行使用了 YAML 别名（*），请直接写出取值"
                raise Refused(400, said, [said])
        return yaml.safe_load(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"第 {mark.line + 1} 行第 {mark.column + 1} 列" if mark else "某处"
        said = f"测算方案不是有效的 YAML：{where}有误（{exc.problem or exc}）"
        raise Refused(400, said, [said]) from None
    except yaml.YAMLError as exc:
        said = f"测算方案不是有效的 YAML：{exc}"
        raise Refused(400, said, [said]) from None


def job_params(scope: Scope, data: Any, region: str | None, year: int | None) -> dict[str, Any]:
    """The ``cost`` job's parameters for the reform ``data`` on ``region`` (default the
    user's) in ``year`` (default the reform's), once every check has passed."""
    scope.require("cost")
    region = (region or scope.region).strip()
    if not scope.covers(region):
        raise Refused(403, f"区划 {region} 不在您的管辖范围内 / region outside your scope")
    try:
        found = reforms.parse(data, year)
        run.region_in(found, region)
    except reforms.ReformError as exc:
        said = "测算方案有误：" + "；".join(exc.problems) + " / invalid reform"
        raise Refused(400, said, exc.problems) from None
    except run.CostingError as exc:
        raise Refused(400, str(exc)) from None
    # the workbook is written for who asked: ID numbers masked unless they may see them
    return {
        "reform": data,
        "year": found.year,
        "region": region,
        "masked": not scope.may("unmask"),
    }


def year_of(text: str) -> int | None:
    """The form's year: none for empty (the reform's own), :class:`Refused` unless four
    digits."""
    text = text.strip()
    if not text:
        return None
    if not (text.isdigit() and len(text) == 4):
        said = f"年度“{text[:20]}”无效，应为四位数字的年份，如 2018。"
        raise Refused(400, said, [said])
    return int(text)
