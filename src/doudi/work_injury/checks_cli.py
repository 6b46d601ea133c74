"""``doudi work-injury findings``: the work-injury checks of a region on a day, counted in
Chinese and written to a workbook.

The group ``work-injury`` is ``work_injury.cli``'s.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from doudi.console import open_registry, parse_day


def findings(
    region: Annotated[str, typer.Option(help="核查范围：省/市/县区划代码，如 360102")],
    as_of: Annotated[str | None, typer.Option("--as-of", help="核查日期，默认今天")] = None,
    out: Annotated[Path | None, typer.Option(help="写出 Excel 工作簿（每类名单一张表）")] = None,
) -> None:
    """工伤保险扶贫核查：先开工后参保、无工伤保险的贫困劳动力、先行支付…… / work-injury checks."""
    from doudi.console import write_file
    from doudi.core import regions
    from doudi.policy import jurisdictions, parameters
    from doudi.work_injury.checks import FINDINGS
    from doudi.work_injury.findings import findings as found_in
    from doudi.work_injury.workbook import findings_workbook

    day = parse_day(as_of, "--as-of") if as_of else date.today()
    if not re.fullmatch(r"\d{6}", region):
        typer.echo(f"输入有误 / invalid input: 区划代码应为6位数字：{region!r}", err=True)
        raise typer.Exit(code=2)
    try:
        found = found_in(open_registry(), region, day)
    except jurisdictions.UnknownJurisdiction as exc:
        typer.echo(f"输入有误 / invalid input: {exc}", err=True)
        raise typer.Exit(code=2) from None
    jurisdiction = found.jurisdiction

    region_name = regions.region_name(region) or region
    typer.echo(f"{region_name}工伤保险扶贫核查（截至 {day}，适用{jurisdiction.name}文件）：")
    for name, title in FINDINGS:
        if name in found.not_ordered:
            typer.echo(f"  {title}：不适用（{jurisdiction.name}文件未规定）")
        else:
            typer.echo(f"  {title}：{found.finding(name).num_rows} 条")
    for path in found.local_config:  # the path too: whoever runs this may configure it
        name = parameters.name_zh(path, jurisdiction)
        typer.echo(f"注意：{name}（{path}）为示例参数，需按本地政策配置")
    if out is not None:
        write_file(lambda target: findings_workbook(found, region_name, target), out)
        typer.echo(f"已写出 {out}")
