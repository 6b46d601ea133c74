"""The distributed path: the year's plan of a synthetic county on local Spark is the
DuckDB plan, row by row and to the fen (the same Ibis expressions on both engines).
Needs Java (Debian's openjdk-17-jre-headless, which make test installs when missing).
"""

from __future__ import annotations

from datetime import date

import pytest

from doudi.plan import inputs
from doudi.plan import versions as plan
from doudi.rosters.importing import import_roster
from doudi.synth.departments import synthesize


# one database is enough: the engines, not the databases, are compared
@pytest.mark.spark
@pytest.mark.parametrize("registry", ["sqlite"], indirect=True)
def test_the_plan_on_spark_equals_the_plan_on_duckdb(registry, tmp_path):
    manifest = synthesize("500102", 1500, tmp_path, as_of=date(2018, 3, 31), seed=3)
    for f in manifest.files:
        import_roster(registry, tmp_path / f.path, f.source, date(2018, 3, 31))
    people, statuses = inputs.engine_inputs(registry, "500000", 2018)
    duck = plan.compute("500000", 2018, people, statuses, engine="duckdb")
    spark = plan.compute("500000", 2018, people, statuses, engine="spark")
    assert duck.num_rows > 100
    key = [("person_id", "ascending"), ("payer", "ascending")]
    assert spark.sort_by(key).to_pylist() == duck.sort_by(key).to_pylist()
