"""The engine's commands: evaluate a scenario, settle bills, show a clause or the
parameters in force. They read files only; no registry."""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated, Any

import typer
import yaml

app = typer.Typer()


def _fail(messages: Sequence[str]) -> None:
    """Print input errors in Chinese and exit with status 2 (no traceback)."""
    typer.echo("输入有误 / invalid input:", err=True)
    for m in messages:
        typer.echo(f"  - {m}", err=True)
    raise typer.Exit(code=2)


class _TextDates(yaml.SafeLoader):
    """YAML without implicit timestamps: a date like 2016-13-01 must reach the
    scenario validator (which names the person and field), not crash the parser."""


_TextDates.yaml_implicit_resolvers = {
    key: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _read_scenario(file: str) -> Any:
    from doudi.core import textfile

    try:
        text = sys.stdin.read() if file == "-" else textfile.read_bytes(Path(file)).decode("utf-8")
    except textfile.FileError as exc:  # no such file, a folder, no permission
        _fail([exc.chinese])
    except UnicodeDecodeError:
        _fail([f"场景文件 {file} 不是 UTF-8 编码"])
    try:
        if file.endswith(".json"):
            return json.loads(text)
        # YAML is a superset of JSON: stdin may be either.
        return yaml.load(text, Loader=_TextDates)
    except (yaml.YAMLError, json.JSONDecodeError, ValueError) as exc:
        _fail([f"场景文件 {file} 不是有效的 YAML/JSON：{exc}"])


def _read_bills_csv(file: str) -> list[dict[str, Any]]:
    """A CSV of bills (UTF-8, UTF-8 with BOM or GB18030, as Excel writes them)."""
    from doudi.core import textfile

    try:
        raw = sys.stdin.buffer.read() if file == "-" else textfile.read_bytes(Path(file))
    except textfile.FileError as exc:  # no such file, a folder, no permission
        _fail([exc.chinese])
    try:
        _, text = textfile.decode(raw)
    except textfile.FileError as exc:
        _fail([f"单据文件 {file}：{exc}"])
    rows = list(csv.DictReader(io.StringIO(text)))
    return [{k.strip(): (v.strip() or None) for k, v in row.items() if k} for row in rows]


@app.command()
def evaluate(
    file: Annotated[str, typer.Argument(help="场景文件（YAML 或 JSON；- 表示标准输入）")],
    explain: Annotated[
        bool, typer.Option("--explain", help="输出中文说明而不是 JSON / print explanations")
    ] = False,
    totals: Annotated[
        bool,
        typer.Option(
            "--totals",
            help="在每人结果之后按险种和付款方合计金额（JSON 中为 totals 对象，"
            "--explain 时为表格）/ sums by programme and payer after the people",
        ),
    ] = False,
) -> None:
    """按场景计算每个人的待遇、付款方、条款依据 / evaluate a scenario."""
    from doudi.engine import totals as summing
    from doudi.engine.scenario import ScenarioError
    from doudi.engine.scenario import evaluate as run

    scenario = _read_scenario(file)
    try:
        result = run(scenario)
    except ScenarioError as exc:
        _fail(exc.problems)
    if totals:
        result["totals"] = summing.of(result)
    if not explain:
        typer.echo(json.dumps(result, ensure_ascii=False, indent=2))
        return
    typer.echo(f"统筹地区 {result['jurisdiction']}，{result['year']}年")
    for person in result["results"]:
        typer.echo(f"\n■ {person['name']}（{person['id_number']}）")
        for key, title in (
            ("resident_pension", "城乡居民养老保险代缴"),
            ("resident_medical", "城乡居民医保参保资助"),
            ("unemployment", "失业保险"),
            ("income_assessment", "家庭收入认定"),
        ):
            if key in person:
                typer.echo(f"【{title}】{person[key]['explanation']}")
            for part, heading in PENSION_PARTS if key == "resident_pension" else ():
                if part in person.get(key, {}):
                    typer.echo(f"【{heading}】{person[key][part]['explanation']}")
    if totals:
        _print_totals(result["totals"])


def _print_totals(totals: dict[str, Any]) -> None:
    """The totals as a table after the explanations, then the clauses of each programme."""
    from rich.console import Console
    from rich.table import Table

    from doudi.core import vocab
    from doudi.engine.totals import ITEMS, rows

    table = Table()
    table.add_column("险种")
    table.add_column("项目")
    table.add_column("付款方", overflow="fold")  # a long payer wraps, never cut
    table.add_column("金额（元）", justify="right", no_wrap=True)
    for row in rows(totals):
        table.add_row(*row)
    typer.echo(f"\n合计（{totals['people']}人）")
    Console(highlight=False).print(table)
    for programme in ITEMS:
        if programme in totals and totals[programme]["basis"]:
            basis = "、".join(totals[programme]["basis"])
            typer.echo(f"{vocab.SCHEME.label(programme)} 依据 {basis}")


#: The pension sections one document's own rule adds, shown after the contribution.
PENSION_PARTS = (
    ("late_enrollment", "60周岁以上未参保贫困人员领取待遇"),
    ("early_pension", "重度残疾人提前领取养老金"),
)


@app.command()
def settle(
    file: Annotated[str, typer.Argument(help="单据文件（YAML、JSON 或 CSV；- 表示标准输入）")],
    explain: Annotated[
        bool, typer.Option("--explain", help="输出中文说明 / print explanations")
    ] = False,
    output: Annotated[
        str, typer.Option("--format", help="json，或 nhsa（国家医保信息平台结算字段名）")
    ] = "json",
    jurisdiction: Annotated[str | None, typer.Option(help="统筹地区代码（CSV 单据必填）")] = None,
) -> None:
    """住院费用一站式结算：各支付方依次支付 / settle hospital bills through every payer."""
    from doudi.engine import nhsa
    from doudi.engine.settlement import screen_bills
    from doudi.engine.settlement import settle as run
    from doudi.policy import jurisdictions
    from doudi.policy.parameters import ParameterError

    if output not in ("json", "nhsa"):
        _fail([f"--format 应为 json 或 nhsa，实际为 {output!r}"])
    data: Any
    if file.lower().endswith(".csv"):
        data = {"bills": _read_bills_csv(file)}
    else:
        data = _read_scenario(file)
    if isinstance(data, list):
        data = {"bills": data}
    if not isinstance(data, dict) or not isinstance(data.get("bills"), list):
        _fail(["单据文件应包含 jurisdiction 和 bills（单据列表）"])
    try:
        code = jurisdictions.resolve(str(jurisdiction or data.get("jurisdiction") or "")).code
    except jurisdictions.UnknownJurisdiction as exc:
        _fail([f"字段 jurisdiction（或 --jurisdiction）：{exc}"])
    # A batch: bad bills are listed with their reasons, the good ones still settled.
    overrides = data.get("parameters") or {}
    if not isinstance(overrides, dict):
        _fail(["字段 parameters：应为映射（参数路径: 值）"])
    try:
        rows, problems = screen_bills(data["bills"], code, overrides=overrides)
    except ParameterError as exc:  # an override of no parameter, or not of its unit
        _fail([f"字段 parameters：{exc}"])
    if problems and not rows:
        _fail(problems)
    results = run(code, rows, overrides)
    if explain:
        for bill in results:
            typer.echo(bill["explanation"] + "\n")
    elif output == "nhsa":
        typer.echo(
            json.dumps([nhsa.write_result(r) for r in results], ensure_ascii=False, indent=2)
        )
    else:
        out = {"jurisdiction": code, "bills": results, "rejected": problems}
        typer.echo(json.dumps(out, ensure_ascii=False, indent=2))
    if problems:
        typer.echo(f"有{len(problems)}处单据错误，相关单据未结算 / rejected bills:", err=True)
        for m in problems:
            typer.echo(f"  - {m}", err=True)
        raise typer.Exit(code=2)


@app.command()
def clause(clause_id: Annotated[str, typer.Argument(help="条款编号，如 CQ-2018-82/2.1.1")]) -> None:
    """显示条款原文 / show a clause's original text."""
    from doudi.policy import clauses

    try:
        c = clauses.get(clause_id)
    except clauses.UnknownClause as exc:
        _fail([str(exc)])
    typer.echo(f"{c.id}  {c.document.number}《{c.document.title}》{c.section} {c.heading or ''}")
    for topic, text in c.sentences:
        typer.echo(f"  [{topic}] {text}")
    if c.note:
        typer.echo(f"  注：{c.note}")


@app.command()
def params(
    jurisdiction: Annotated[str, typer.Option(help="统筹地区代码，如 500000")],
    year: Annotated[int, typer.Option(help="年度")],
) -> None:
    """列出某地区某年度生效的参数及出处 / list parameters in force with citations."""
    from doudi.engine.results import plain_value
    from doudi.policy import jurisdictions, parameters

    try:
        jurisdictions.get(jurisdiction)
    except jurisdictions.UnknownJurisdiction as exc:
        _fail([str(exc)])
    from datetime import date

    for path in sorted(parameters.known_paths()):
        value = parameters.lookup(path, jurisdiction, date(year, 12, 31))
        if value is None:
            continue
        shown = plain_value(value.value)
        source = value.basis or "local-config（示例参数，需按本地政策配置）"
        typer.echo(f"{path} = {shown}  [{source}; {value.jurisdiction} 自 {value.effective}]")
