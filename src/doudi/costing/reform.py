"""A reform (测算方案): a small YAML file naming a baseline and the changes to cost.

    name: 最低缴费档次提高到200元，困难群体保留100元档次
    baseline: {jurisdiction: 360000, year: 2018}
    changes:
      resident_pension.minimum_tier: 200     # parameter overrides, path: value
      resident_pension.retained_tier: 100
      rules: 500000                          # and/or another jurisdiction's rules
      programmes: [resident_pension]         # optional: the programmes the changes apply to

A reform is checked whole before anything is read from the registry, and every problem
is said in Chinese with the field it is in (as a scenario's are, engine/scenario.py): an
unknown parameter path with the paths near it, a value of the wrong kind, a change that
changes nothing, an unknown jurisdiction or programme, a file that is no YAML with the
line. A change equal to the value it replaces is refused rather than costed: it would
cost nothing and look like a finding. The file is the reform's stored form: kept beside
the reports, it is run again another year with ``--year``.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from doudi.core import textfile
from doudi.plan import programmes
from doudi.plan.programmes import Programme
from doudi.policy import jurisdictions, parameters
from doudi.policy.jurisdictions import Jurisdiction
from doudi.policy.parameters import ParameterError
from doudi.policy.params import Params

#: The fields of a reform file, and of its ``changes`` besides the parameter paths.
FIELDS = ("name", "description", "baseline", "changes")
BASELINE_FIELDS = ("jurisdiction", "year")
RULES = "rules"
PROGRAMMES = "programmes"
YEARS = range(2000, 2101)
#: How a costing's rows and explanations name a value the reform overrides (a scenario
#: names it 场景覆盖值).
ADJUSTED_ZH = "测算：参数调整"


class ReformError(ValueError):
    """An invalid reform; ``problems`` lists every problem in Chinese."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Reform:
    """A validated reform: the baseline's rules (``jurisdiction`` in ``year``), the rules
    the reform applies (``rules``: the baseline's own unless another jurisdiction's is
    named) with the parameter ``overrides`` (as written, checked), and the programmes
    the changes apply to (``scope``; the others are costed at the baseline)."""

    name: str
    description: str
    jurisdiction: Jurisdiction
    year: int
    rules: Jurisdiction
    overrides: Mapping[str, Any]
    scope: tuple[Programme, ...]

    @property
    def other_rules(self) -> bool:
        return self.rules != self.jurisdiction

    @property
    def territory(self) -> str | None:
        """Whose people the reform's rules are applied to, where they are another
        jurisdiction's rules: the baseline's (``Params.territory``)."""
        return self.jurisdiction.code if self.other_rules else None

    def reform_params(self) -> Params:
        """The reform's parameters, as its rules read them (overrides marked so)."""
        return Params(self.rules, self.year, self.overrides, self.territory)

    def changes_zh(self) -> list[str]:
        """The changes as a caseworker reads them, one line each."""
        lines = []
        if self.other_rules:
            lines.append(
                f"适用{self.rules.name}（{self.rules.code}）的规则（{self.rules.document}）"
            )
        for path, value in self.overrides.items():
            found = parameters.describe(path, self.rules)
            label = found.description if found else path
            lines.append(f"参数调整：{label}（{path}）= {shown(value)}")
        names = "、".join(p.label_zh() for p in self.scope)
        lines.append(f"调整适用的项目：{names}")
        return lines


def shown(value: Any) -> str:
    """A parameter value as written in a reform: 200, 0.7, [100, 200] as 100、200."""
    if isinstance(value, Mapping):
        return "、".join(f"{k}：{shown(v)}" for k, v in value.items())
    if isinstance(value, list | tuple):
        return "、".join(shown(v) for v in value)
    if isinstance(value, bool):
        return "是" if value else "否"
    return str(value)


def load(path: Path, year: int | None = None) -> Reform:
    """The reform in the YAML file at ``path``, checked for ``year`` (by default its
    baseline's); :class:`ReformError` lists what is wrong."""
    try:
        text = textfile.read_bytes(path).decode("utf-8")
    except textfile.FileError as exc:  # no such file, a folder, no permission
        raise ReformError([f"测算方案文件 {path}：{exc.chinese}"]) from None
    except UnicodeDecodeError:
        raise ReformError([f"测算方案文件 {path} 不是 UTF-8 编码"]) from None
    try:
        data = yaml.safe_load(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"第 {mark.line + 1} 行第 {mark.column + 1} 列" if mark else "某处"
        raise ReformError(
            [f"测算方案文件 {path} 不是有效的 YAML：{where}有误（{exc.problem or exc}）"]
        ) from None
    except yaml.YAMLError as exc:
        raise ReformError([f"测算方案文件 {path} 不是有效的 YAML：{exc}"]) from None
    return parse(data, year)


def parse(data: Any, year: int | None = None) -> Reform:
    """A reform from its mapping (a file's YAML, a web form's JSON), checked whole."""
    if not isinstance(data, Mapping):
        raise ReformError(["测算方案应为映射，包含 name、baseline、changes"])
    problems: list[str] = []
    for key in data:
        if key not in FIELDS:
            problems.append(
                f"未知的字段 {key!r}{_near(str(key), FIELDS)}；可用：{'、'.join(FIELDS)}"
            )
    name = data.get("name")
    if not isinstance(name, str) or not name.strip():
        problems.append("字段 name：应为测算方案的名称（非空文字）")
        name = ""
    description = data.get("description") or ""
    if not isinstance(description, str):
        problems.append("字段 description：应为文字")
        description = ""
    baseline, base_year = _baseline(data.get("baseline"), problems)
    if year is not None:
        base_year = year
    if base_year is not None and base_year not in YEARS:
        problems.append(f"年度应为 {YEARS[0]}–{YEARS[-1]} 之间的四位年份，实为 {base_year}")
        base_year = None
    changes = data.get("changes")
    if not isinstance(changes, Mapping) or not changes:
        problems.append(
            "字段 changes：应为调整的映射，如 resident_pension.minimum_tier: 200 或 rules: 500000"
        )
        changes = {}
    rules = _rules(changes, baseline, problems)
    if baseline is None or rules is None or base_year is None:
        raise ReformError(problems)
    overrides = _overrides(changes, rules, base_year, problems)
    scope = _scope(changes.get(PROGRAMMES), baseline, rules, problems)
    if rules == baseline and not overrides and not problems:
        problems.append(
            "字段 changes：该测算方案没有任何调整（既未适用其他统筹地区的规则，也未调整参数）"
        )
    if problems:
        raise ReformError(problems)
    return Reform(name.strip(), description.strip(), baseline, base_year, rules, overrides, scope)


def _baseline(raw: Any, problems: list[str]) -> tuple[Jurisdiction | None, int | None]:
    if not isinstance(raw, Mapping):
        problems.append("字段 baseline：应为 {jurisdiction: 统筹地区代码, year: 年度}")
        return None, None
    for key in raw:
        if key not in BASELINE_FIELDS:
            problems.append(f"字段 baseline：未知的字段 {key!r}；可用：jurisdiction、year")
    place = _jurisdiction(raw.get("jurisdiction"), "baseline.jurisdiction", problems)
    year = raw.get("year")
    if isinstance(year, bool) or not isinstance(year, int):
        problems.append(f"字段 baseline.year：应为四位年份，实为 {year!r}")
        return place, None
    return place, year


def _jurisdiction(raw: Any, field: str, problems: list[str]) -> Jurisdiction | None:
    if raw is None:
        problems.append(f"字段 {field}：缺少统筹地区代码（如 360000）")
        return None
    try:
        return jurisdictions.get(str(raw))
    except jurisdictions.UnknownJurisdiction as exc:
        problems.append(f"字段 {field}：{exc}")
        return None


def _rules(
    changes: Mapping[str, Any], baseline: Jurisdiction | None, problems: list[str]
) -> Jurisdiction | None:
    """The jurisdiction whose rules the reform applies: ``rules`` if given, which must
    be another than the baseline's, else the baseline's."""
    if RULES not in changes:
        return baseline
    found = _jurisdiction(changes[RULES], f"changes.{RULES}", problems)
    if found is not None and found == baseline:
        problems.append(
            f"字段 changes.{RULES}：{found.name}（{found.code}）就是基准的统筹地区，"
            "该调整不改变任何规则"
        )
    return found


def _overrides(
    changes: Mapping[str, Any], rules: Jurisdiction, year: int, problems: list[str]
) -> dict[str, Any]:
    """The parameter overrides of ``changes``, each a parameter of ``rules``, of its
    kind, and another value than the one in force."""
    known = sorted(p for p in parameters.known_paths() if parameters.describe(p, rules))
    in_force = Params(rules, year)
    found: dict[str, Any] = {}
    for key, raw in changes.items():
        path = str(key)
        if path in (RULES, PROGRAMMES):
            continue
        field = f"字段 changes.{path}"
        if "." not in path or parameters.describe(path, rules) is None:
            problems.append(
                f"{field}：{rules.name}的规则没有参数 {path}{_near(path, known)}"
                "（参数见 docs/parameters.md，或 doudi params）"
            )
            continue
        try:
            value = Params(rules, year, {path: raw}).value(path)
        except ParameterError as exc:
            problems.append(f"{field}：{exc}")
            continue
        before = in_force.value(path)
        if value is not None and before is not None and value.value == before.value:
            problems.append(
                f"{field}：该调整不改变任何参数（{rules.name}{year}年的取值已是 "
                f"{shown(before.value)}）"
            )
            continue
        found[path] = raw
    return found


def _scope(
    raw: Any, baseline: Jurisdiction, rules: Jurisdiction, problems: list[str]
) -> tuple[Programme, ...]:
    """The programmes the changes apply to: those named, else every programme of the
    baseline's document and of the reform's rules."""
    documents = (baseline.document, rules.document)
    every = tuple(p for p in programmes.ALL.values() if any(p.applies(d) for d in documents))
    if raw is None:
        return every
    names: Sequence[Any] = raw if isinstance(raw, list) else [raw]
    chosen = []
    for name in names:
        try:
            found = programmes.get(str(name))
        except programmes.UnknownProgramme as exc:
            problems.append(f"字段 changes.{PROGRAMMES}：{exc}")
            continue
        if found not in every:
            problems.append(
                f"字段 changes.{PROGRAMMES}：{found.label_zh()}（{found.code}）不是"
                f"{baseline.name}或{rules.name}的规则中的项目"
            )
        elif rules.document != baseline.document and not found.applies(rules.document):
            problems.append(
                f"字段 changes.{PROGRAMMES}：{rules.name}的规则没有{found.label_zh()}，"
                "不能按其规则测算该项目"
            )
        elif found not in chosen:
            chosen.append(found)
    if not chosen and not problems:
        problems.append(f"字段 changes.{PROGRAMMES}：应列出至少一个项目")
    return tuple(p for p in every if p in chosen)


def _near(name: str, choices: Sequence[str]) -> str:
    """ "；相近的：…" for the choices close to a mistyped ``name``, as a whole or by the
    last part (``minimum_tier`` and ``minimm_tier`` find ``resident_pension.minimum_tier``)."""
    close = difflib.get_close_matches(name, choices, n=3, cutoff=0.6)
    tail = name.rsplit(".", 1)[-1]
    for choice in choices:
        alike = difflib.SequenceMatcher(None, tail, choice.rsplit(".", 1)[-1]).ratio()
        if alike >= 0.8 and choice not in close:
            close.append(choice)
    return f"；相近的：{'、'.join(close[:5])}" if close else ""
