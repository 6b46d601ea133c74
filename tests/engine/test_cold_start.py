"""A cold ``doudi evaluate`` whose compiled rules come from the disk (issue #25 §2,
decision 0019) imports neither Ibis nor Arrow, and reads its tables' columns from the
one definition the rules' schemas are made of; a few people or bills, handed to DuckDB
as Python rows and evaluated without its optimiser, give what Arrow tables give."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import typer
import yaml
from tests.conftest import REPO

from doudi import cli
from doudi.engine import arrow_tables, backend, scenario, settlement
from doudi.engine import cli as engine_cli
from doudi.policy import schema, tables
from doudi.policy.settlement import schema as settlement_schema

#: What a cache hit must not import: the compiler (Ibis, sqlglot, and rich, which Ibis
#: imports), and Arrow, which a few people's rows need not pass through (pyarrow, the
#: numpy it imports, and the pandas its conversion of a Python list imports).
NOT_ON_A_HIT = ("ibis", "sqlglot", "rich", "pyarrow", "numpy", "pandas")

_EVALUATE = """
import json, sys
from doudi.cli import app
try:
    app(["evaluate", sys.argv[1]])
except SystemExit as exit:
    assert not exit.code, exit.code
print(json.dumps(sorted(m for m in sys.argv[2:] if m in sys.modules)), file=sys.stderr)
"""


def test_the_engines_arrow_schemas_are_those_of_the_rules_schemas() -> None:
    pairs = (
        (tables.PEOPLE, schema.PEOPLE),
        (tables.STATUSES, schema.STATUSES),
        (tables.BILLS, settlement_schema.BILLS),
        (tables.BILL_STATUSES, settlement_schema.BILL_STATUSES),
    )
    for columns, rules in pairs:
        assert arrow_tables.schema(columns) == rules.to_pyarrow()
        assert list(columns) == list(rules.names)


def test_a_cache_hit_evaluate_imports_neither_ibis_nor_arrow(tmp_path: Path) -> None:
    """The first process compiles (and may import anything); the second, reading the
    entry, evaluates the same scenario to the same output without importing any of
    ``NOT_ON_A_HIT``."""
    env = {**os.environ, "DOUDI_RULE_CACHE": str(tmp_path / "rules")}
    example = str(REPO / "examples" / "chongqing-2018.yaml")
    command = [sys.executable, "-c", _EVALUATE, example, *NOT_ON_A_HIT]
    runs = [subprocess.run(command, env=env, capture_output=True, text=True) for _ in "12"]
    assert [run.returncode for run in runs] == [0, 0], [run.stderr for run in runs]
    assert "ibis" in json.loads(runs[0].stderr.splitlines()[-1])  # the miss compiled
    assert json.loads(runs[1].stderr.splitlines()[-1]) == []
    assert runs[1].stdout == runs[0].stdout
    assert json.loads(runs[1].stdout)["results"]


@pytest.mark.parametrize(
    "example",
    sorted((REPO / "examples").glob("*-2018.yaml")),
    ids=lambda path: path.stem,
)
def test_a_few_rows_give_without_the_optimiser_what_they_give_with_it(
    example: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every example (its people, and its bills where it has some) evaluated as a
    scenario is (few rows: no optimiser), and again as a large input is (``FEW_ROWS``
    below every table: the optimiser on): the same results, byte for byte."""
    given = yaml.safe_load(example.read_text("utf-8"))
    few = json.dumps(scenario.evaluate(given), ensure_ascii=False)
    monkeypatch.setattr(backend, "FEW_ROWS", -1)
    assert json.dumps(scenario.evaluate(given), ensure_ascii=False) == few


@pytest.mark.parametrize(
    "example", sorted((REPO / "examples" / "bills").glob("*.yaml")), ids=lambda path: path.stem
)
def test_a_few_bills_settle_without_the_optimiser_as_with_it(
    example: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    given = yaml.safe_load(example.read_text("utf-8"))
    code = str(given["jurisdiction"])
    bills = settlement.parse_bills(given["bills"], code)
    few = settlement.settle(code, bills)
    monkeypatch.setattr(backend, "FEW_ROWS", -1)
    assert settlement.settle(code, bills) == few


def test_the_rules_prepared_once_read_each_calls_own_rows() -> None:
    """``Plan.rows`` binds the rules once per plan and executes them again for each
    call (decision 0021): each call must see the rows it was given, not the rows of
    the call before, nor those of another plan's call in between. Each person of the
    Jiangxi example is evaluated alone, the Chongqing example's people between them,
    then each again: every person's results are those of the whole example."""
    jiangxi = yaml.safe_load((REPO / "examples" / "jiangxi-2018.yaml").read_text("utf-8"))
    chongqing = yaml.safe_load((REPO / "examples" / "chongqing-2018.yaml").read_text("utf-8"))
    whole = scenario.evaluate(jiangxi)["results"]
    assert len(whole) > 1
    for _ in "12":
        for person, expected in zip(jiangxi["people"], whole, strict=True):
            alone = scenario.evaluate({**jiangxi, "people": [person]})["results"]
            assert alone == [expected]
            assert scenario.evaluate(chongqing)["results"][0]["name"] == "王秀英"


def test_a_domains_own_command_builds_that_domain_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    """``doudi evaluate`` builds the engine's commands only (decision 0021: typer builds
    every command it is given before parsing); ``doudi --help``, a group, an unknown
    command, and a caller handing the arguments in build them all."""
    built: list[tuple[object, ...]] = []
    monkeypatch.setattr(typer.Typer, "__call__", lambda app, *a, **k: built.append(app.domains))
    for argv, domains in (
        (["doudi", "evaluate", "one.yaml"], (engine_cli,)),
        (["doudi", "--help"], cli.app.domains),
        (["doudi", "lake", "compare"], cli.app.domains),
        (["doudi", "evaluat"], cli.app.domains),
    ):
        monkeypatch.setattr(sys, "argv", argv)
        cli.app()
        assert built.pop() == domains
    cli.app(["evaluate", "one.yaml"])
    assert built == [cli.app.domains]


def test_a_plan_dropped_from_the_cache_takes_its_few_rows_schema_with_it() -> None:
    """``_plan`` keeps 64 plans; one it drops must not leave its schema of input tables
    in the process's few-row database (a server evaluating many what-ifs would gather
    them for good)."""
    import gc

    from doudi.policy import jurisdictions

    def schemas() -> set[str]:
        con = backend._few_rows_database().cursor()
        try:
            found = con.execute("SELECT schema_name FROM duckdb_schemas()").fetchall()
            return {name for (name,) in found if name.startswith("few_rows_")}
        finally:
            con.close()

    before = schemas()
    dropped = backend.Plan("people", jurisdictions.get("360000"), 2018, {})
    assert dropped.rows() == []
    (mine,) = schemas() - before
    del dropped
    gc.collect()
    assert mine not in schemas()
