"""The comparison's DuckDB statements as Spark SQL (comparison/spark.py, issue #24),
without a Spark: a finding written by partition is translated without its final ORDER
BY (a global sort Spark would run as a job for nothing; the rows are read back in the
report's order), and nothing else of it changes — the order inside an aggregate
(a person's statuses in label order) stays."""

from __future__ import annotations

import sqlglot

from doudi.comparison import findings, spark, staging


def test_a_written_finding_loses_only_its_final_order_by() -> None:
    sql = dict(findings.STEPS)["multiple_lists"]
    _, ordered = spark.to_spark(sql)
    _, written = spark.to_spark(sql, ordered=False)
    tree = sqlglot.parse_one(ordered, read="spark")
    assert tree.args.get("order") is not None
    tree.set("order", None)
    assert sqlglot.parse_one(written, read="spark") == tree
    assert written.count("WITHIN GROUP (ORDER BY") == 2  # statuses, departments


def test_a_staging_table_is_its_select_as_a_view() -> None:
    name, query = spark.to_spark(staging.STAGE[0], ordered=False)
    assert name == "person"
    assert query.startswith("SELECT") and ":as_of" in query and ":prefix" in query
