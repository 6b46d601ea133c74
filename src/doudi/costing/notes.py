"""What a costing's reader must know before trusting its amounts, one Chinese line each.

Where the baseline's or the reform's rules read a value no document gives (a
``local-config`` parameter: the example shipped until an office configures its own), the
cost rests on that example: the line names each such value by its Chinese name. Also:
a programme the reform's rules do not have (costed at nothing under them), and the
people whose registered tier either side's tier list does not offer (read as no tier,
docs/readings.md 31).
"""

from __future__ import annotations

from collections.abc import Sequence

import pyarrow as pa

from doudi.costing.reform import Reform, shown
from doudi.costing.rows import section
from doudi.engine import backend
from doudi.plan.programmes import Programme
from doudi.policy import parameters
from doudi.policy.jurisdictions import Jurisdiction
from doudi.policy.params import Params

#: Where the rules read values outside any programme's section (the status windows).
GENERAL = "general"


def warnings(
    reform: Reform,
    reported: Sequence[Programme],
    in_reform: Sequence[Programme],
    base_ignored: pa.Array,
    reform_ignored: pa.Array,
) -> list[str]:
    """Every warning of the costing, the baseline's first."""
    year = reform.year
    base = backend.plan(reform.jurisdiction, year, kind="registry").params
    lines = _local_config(f"基准（{reform.jurisdiction.name}{year}年规则）", base, reported)
    if in_reform:
        after = backend.plan(
            reform.rules, year, reform.overrides, kind="registry", territory=reform.territory
        ).params
        lines += _local_config(f"测算（{reform.rules.name}{year}年规则）", after, in_reform)
    for programme in reform.scope:
        if programme in reported and not programme.applies(reform.rules.document):
            lines.append(
                f"{reform.rules.name}的规则没有{programme.label_zh()}：测算中该项目为 0.00 元，"
                "基准的金额全部计为减少（如只测算其他项目，请在 changes.programmes 中列出）"
            )
    if len(base_ignored):
        lines.append(
            f"基准：{len(base_ignored)} 人登记的缴费档次不是{reform.jurisdiction.name}{year}年"
            "可选的档次，按未选档次计算（docs/readings.md 31）"
        )
    if len(reform_ignored) and not reform_ignored.equals(base_ignored):
        lines.append(
            f"测算：{len(reform_ignored)} 人登记的缴费档次不是测算方案可选的档次，按未选档次"
            "（测算的最低缴费档次）计算（docs/readings.md 31）"
        )
    return lines


def _local_config(side: str, p: Params, programmes: Sequence[Programme]) -> list[str]:
    """The local-config values the rules of ``programmes`` read in ``p``, as one line."""
    sections = dict.fromkeys([GENERAL, *(section(x) for x in programmes)])
    found = {v.path: v for s in sections for v in p.used(s) if v.local_config}
    if not found:
        return []
    named = "；".join(
        f"{_name(path, p.jurisdiction)} = {shown(v.value)}" for path, v in found.items()
    )
    return [f"{side}依赖示例参数（文件未规定，需按本地政策配置）：{named}"]


def _name(path: str, jurisdiction: Jurisdiction) -> str:
    found = parameters.describe(path, jurisdiction)
    return f"{found.description}（{path}）" if found else path
