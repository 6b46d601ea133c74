"""The settlement of a year of bills over a lake export (``doudi lake settle``, issue #24).

The export holds the year's bills of the region and their patients' status periods
(``plan.lake_bills``) by province and county; the settlement rules — the payer
waterfall, whose deductibles and caps run through a person's year as window sums
(decisions 0004, 0005) — are the ones that settle one bill (``engine.settlement``),
compiled by Ibis for Spark or DuckDB. On Spark the executors read the files and write
every settled bill by province and county to ``<lake>/results/settlement-<region>/``;
the driver holds the query only (``SparkPlan.write_parquet``). On DuckDB this process
reads the files and writes the same results: the operator's check of a Spark run, and
the tests' (the same rows, to the fen).

A person's bills all lie in their hukou county's partition, so the window over their
year never crosses a partition: a county's settlement is the province's rows of it.
The payer layers are not stored in the registry (``registry.models.Bill``): the
results in the lake are the settlement's output, read by whoever pays.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import ibis
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as ds

from doudi.core import vocab
from doudi.engine import backend, programs
from doudi.lakehouse import layout, partitioned
from doudi.lakehouse.location import LakeError
from doudi.plan.lake_inputs import RESULTS, FromLake, spark_failure
from doudi.policy.settlement import schema

#: The lake's tables the settlement reads, by the settlement program's names for them.
INPUTS = {"bills": "bills", "statuses": "bill_statuses"}
#: The amounts a run's summary adds up: what each payer layer paid, and the patients.
TOTALS = (*(f"{layer}_paid" for layer in vocab.SETTLEMENT_LAYER), "patient_pays")


@dataclass(frozen=True)
class Settled:
    """A year's bills settled on the lake: how many, what each layer paid (yuan, by
    ``TOTALS``' column), where the settled bills lie (a URL in the lake), and the
    clauses they were settled by (each bill's ``settlement_basis``)."""

    bills: int
    totals: dict[str, Decimal]
    results: str
    basis: tuple[str, ...]  # the clauses the bills were settled by


def results_of(read: FromLake) -> str:
    """Where in the lake a region's settled bills are written."""
    return f"{RESULTS}/settlement-{read.region}"


def settle(read: FromLake, engine: str, spark_master: str = "local[2]") -> Settled:
    """Settle the year's bills of ``read`` (``lake_inputs.open_export``) on ``engine``
    ("spark" or "duckdb"), the results written to :func:`results_of` in the lake. A
    Chinese :class:`LakeError` for an export without bills (written before they were
    exported) or a Spark that fails."""
    if "bills" not in read.manifest.tables():
        raise LakeError(
            f"{read.location.url} 的导出不含住院结算单据（导出早于结算上湖），请重新运行 "
            "doudi lake export / the export has no bills"
        )
    out = results_of(read)
    if engine == "spark":
        _on_spark(read, out, spark_master)
    elif engine == "duckdb":
        _on_duckdb(read, out)
    else:
        raise LakeError(f"未知的计算引擎 {engine!r}（可用 duckdb、spark） / unknown engine")
    return _summary(read, out)


def settled_rows(read: FromLake) -> pa.Table:
    """The settled bills written to the lake (:func:`settle`), as the rules type them,
    without the partition columns."""
    return partitioned.read_back(read.location, results_of(read), _output_schema(read))


def _on_spark(read: FromLake, out: str, master: str) -> None:
    """The executors read the county files and write the settled bills by county."""
    from py4j.protocol import Py4JError
    from pyspark.errors import PySparkException

    from doudi.engine.spark import FILES_DRIVER_MEMORY, SparkPlan

    location = read.location
    try:
        plan = SparkPlan(
            "bills",
            read.manifest.jurisdiction,
            read.manifest.year,
            master=master,
            driver_memory=FILES_DRIVER_MEMORY,
        )
        plan.write_parquet(
            {
                name: [location.spark_uri(f) for f in read.files(table)]
                for name, table in INPUTS.items()
            },
            location.spark_uri(),
            location.spark_uri(out),
            layout.PARTITION_COLUMNS,  # every column: the bill, its layers, its basis
        )
    except (PySparkException, Py4JError, OSError) as exc:
        raise spark_failure(exc, master, location.url) from None


def _on_duckdb(read: FromLake, out: str) -> None:
    """This process reads the county files, settles them with DuckDB in one run, and
    writes the settled bills by county, as Spark does."""
    tables = {
        name: partitioned.read(read.location, table, read.files(table))
        for name, table in INPUTS.items()
    }
    bills = tables["bills"]
    plan = backend.plan(read.manifest.jurisdiction, read.manifest.year, kind="bills")
    settled = plan.run(
        bills=bills.select(schema.BILLS.names),
        statuses=tables["statuses"].select(schema.BILL_STATUSES.names),
    )
    where = bills.select(["bill_no", *layout.PARTITION_COLUMNS])
    partitioned.write(read.location, out, settled.join(where, "bill_no"))


def _summary(read: FromLake, out: str) -> Settled:
    """The count of bills settled, what each layer paid and by which clauses, from the
    written files."""
    written = ds.dataset(read.location.path(out), filesystem=read.location.fs, format="parquet")
    table = written.to_table(columns=[*TOTALS, "settlement_basis"])
    totals = {
        name: Decimal(pc.sum(table.column(name)).as_py() or 0).quantize(Decimal("0.01"))
        for name in TOTALS
    }
    bases = pc.unique(table.column("settlement_basis")).to_pylist()
    basis = sorted({c for b in bases if b for c in b.split(";") if c})
    return Settled(table.num_rows, totals, read.location.url.rstrip("/") + "/" + out, tuple(basis))


def _output_schema(read: FromLake) -> pa.Schema:
    """The settled bills' columns, as the rules type them (Spark's Parquet may widen a
    decimal; the partition columns are not among them)."""
    schemas, program = programs.PROGRAMS["bills"]
    params = backend.plan(read.manifest.jurisdiction, read.manifest.year, kind="bills").params
    tables = {name: ibis.table(columns, name=name) for name, columns in schemas.items()}
    typed: pa.Schema = program(tables, params).schema().to_pyarrow()
    return typed
