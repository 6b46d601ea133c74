"""Synthetic data's commands: department files, and the simulated bank's return file."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from doudi.console import parse_day, readable_file

app = typer.Typer()


@app.command()
def synth(
    region: Annotated[str, typer.Option(help="区划代码（省、市或县）")],
    people: Annotated[int, typer.Option(help="人数")],
    out: Annotated[Path, typer.Option(help="输出目录")],
    seed: Annotated[int, typer.Option(help="随机种子")] = 0,
    error_rate: Annotated[float, typer.Option("--error-rate", help="错误行比例")] = 0.02,
    file_format: Annotated[str, typer.Option("--format", help="csv、xlsx 或 mixed")] = "mixed",
) -> None:
    """生成模拟的部门名单（用于演示、测试、基准） / write synthetic department files."""
    from doudi.synth.departments import synthesize

    manifest = synthesize(
        region, people, out, seed=seed, error_rate=error_rate, file_format=file_format
    )
    for f in manifest.files:
        typer.echo(f"{f.path}  {f.source}  {f.encoding}  {f.rows} 行")


@app.command("bank-simulate")
def bank_simulate(
    request: Annotated[Path, typer.Argument(help="代扣文件")],
    out: Annotated[Path, typer.Option(help="回盘文件路径")],
    processed_on: Annotated[str, typer.Option("--processed-on", help="银行处理日期")],
    seed: Annotated[int, typer.Option(help="随机种子")] = 0,
) -> None:
    """模拟银行回盘（演示、测试用） / simulate the bank's return file (demo, tests)."""
    from doudi.synth.bank import simulate_return

    simulate_return(
        readable_file(request),
        out,
        seed=seed,
        processed_on=parse_day(processed_on, "--processed-on"),
    )
    typer.echo(f"已写出模拟回盘文件 {out}")
