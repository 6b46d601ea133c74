"""A costing over a lake export (``doudi cost REFORM.yaml --lake URL``, issue #24): the
baseline's and the reform's rules run over the export's files — here on DuckDB in this
process, the operator's check of a Spark run (tests/costing/test_costing_spark.py runs
Spark) — give the costing of the registry: the same rows, persons and tables, to the
fen and the clause, and the same explanation of a person; the run's results folder is
gone afterwards. A reform that reads the registry otherwise than the export's inputs, an
export of another year, and one the registry has moved on from are refused in Chinese,
nothing left in the lake. The synthetic city's import takes a few seconds: ``slow``."""

from __future__ import annotations

from pathlib import Path

import pytest
from lake_province import REGION, Exported, exported, reforms, shorter_tier_list
from synthetic_province import results
from typer.testing import CliRunner

from doudi.costing import lake, run
from doudi.costing.reform import load
from doudi.rosters.importing import import_roster
from support import MARCH

pytestmark = pytest.mark.slow

DUCKDB = run.Engine("duckdb")
CHONGQING = Path(__file__).resolve().parents[2] / "examples/reforms/chongqing-rules-on-jiangxi.yaml"


@pytest.fixture(scope="module")
def city(tmp_path_factory: pytest.TempPathFactory, _django: None) -> Exported:
    return exported(tmp_path_factory.mktemp("costing-lake"))


def leftovers(city: Exported) -> list[Path]:
    """What a costing left in the lake beside the export."""
    return sorted((city.lake / "results").glob("*")) if (city.lake / "results").exists() else []


@pytest.mark.parametrize("name", list(reforms()))
def test_a_costing_over_the_lake_is_the_costing_of_the_registry(city: Exported, name: str):
    change = reforms()[name]
    on_registry = run.cost(city.registry, change, REGION)
    on_lake = lake.cost_on_lake(city.registry, change, str(city.lake), REGION, engine=DUCKDB)
    assert results(on_lake) == results(on_registry)
    assert on_lake.amounts.num_rows == on_registry.amounts.num_rows > 0
    assert on_lake.people == on_registry.people == city.registry.read("registry_person").num_rows
    assert leftovers(city) == []


@pytest.mark.postgres
@pytest.mark.parametrize("registry", ["postgresql"], indirect=True)
def test_a_costing_over_the_lake_of_a_postgresql_registry_is_the_registrys(registry, tmp_path):
    """The export reads a PostgreSQL registry (real dates and booleans, its own ids) through
    the same reader as SQLite's: the lake's costing is still the registry's."""
    city = exported(tmp_path, registry)
    change = reforms()["Chongqing's rules"]
    on_registry = run.cost(registry, change, REGION)
    on_lake = lake.cost_on_lake(registry, change, str(city.lake), REGION, engine=DUCKDB)
    assert results(on_lake) == results(on_registry)
    assert on_lake.amounts.num_rows == on_registry.amounts.num_rows > 0
    assert on_lake.people == on_registry.people == registry.read("registry_person").num_rows
    assert leftovers(city) == []


def test_a_person_is_explained_over_the_lake_as_over_the_registry(city: Exported):
    change = reforms()["Chongqing's rules"]
    someone = city.registry.read("registry_person").column("id_number")[7].as_py()
    on_registry = run.cost(city.registry, change, REGION, id_number=someone)
    on_lake = lake.cost_on_lake(
        city.registry, change, str(city.lake), REGION, id_number=someone, engine=DUCKDB
    )
    assert on_lake.person is not None and on_lake.person == on_registry.person
    assert on_lake.person.explanations() == on_registry.person.explanations()


def test_a_reform_of_the_tier_list_is_refused_over_the_lake_in_chinese(city: Exported):
    with pytest.raises(run.CostingError, match=r"测算方案改变了可选的缴费档次.*请不带 --lake 测算"):
        lake.cost_on_lake(city.registry, shorter_tier_list(), str(city.lake), engine=DUCKDB)
    assert leftovers(city) == []


def test_an_export_of_another_year_is_refused_in_chinese(city: Exported):
    change = load(CHONGQING, 2019)
    with pytest.raises(run.CostingError, match="2018年的导出，不能用于统筹地区 360000 2019年"):
        lake.cost_on_lake(city.registry, change, str(city.lake), REGION, engine=DUCKDB)
    assert leftovers(city) == []


def test_the_command_costs_over_the_lake_as_over_the_registry(
    city: Exported, monkeypatch: pytest.MonkeyPatch
):
    from doudi.cli import app

    monkeypatch.setattr("doudi.costing.cli.open_registry", lambda: city.registry)
    common = ["cost", str(CHONGQING), "--region", REGION]
    on_registry = CliRunner().invoke(app, common)
    on_lake = CliRunner().invoke(app, [*common, "--lake", str(city.lake), "--engine", "duckdb"])
    assert on_registry.exit_code == on_lake.exit_code == 0, on_lake.output
    assert on_lake.stdout == on_registry.stdout
    refused = CliRunner().invoke(
        app, ["cost", str(CHONGQING), "--lake", str(city.lake / "无"), "--engine", "duckdb"]
    )
    assert refused.exit_code == 2 and "未测算 / nothing costed" in refused.output
    assert "Traceback" not in refused.output


def test_an_export_the_registry_moved_on_from_is_refused_in_chinese(city: Exported, tmp_path: Path):
    """Last in the module: it imports another list into the city's registry."""
    death = tmp_path / "death.csv"
    person = city.registry.read("registry_person").to_pylist()[0]
    death.write_text(
        f"公民身份号码,姓名,死亡日期\n{person['id_number']},{person['name']},2018-02-01\n",
        "utf-8",
    )
    import_roster(city.registry, death, "death", MARCH)
    with pytest.raises(run.CostingError, match=r"之后登记库已有新的导入.*请先重新导出"):
        lake.cost_on_lake(
            city.registry, reforms()["Chongqing's rules"], str(city.lake), REGION, engine=DUCKDB
        )
    assert leftovers(city) == []
