"""The plan benchmark's floors (benchmarks/plan_hand.py): the registry statements and
the tight statement over the plan's inputs write the plan's rows for the benchmark's
synthetic Jiangxi 2018, so the ratios bench_plan reports compare the same work
(issue #25 §1): every column of the plan's rows (the clause bases included), and the
amounts and payers of the rules run without clause bases (plan_tight).

10^4 insured is the fewest at which the province's generator gives rows of all three
of Jiangxi's programmes (as tests/costing/test_benchmark_costing.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from types import ModuleType

import pyarrow as pa
import pyarrow.compute as pc
import pytest

from doudi.plan import inputs
from support import benchmark

INSURED = 10_000


@pytest.fixture(scope="module")
def modules() -> Iterator[list[ModuleType]]:
    with benchmark("bench_plan", "plan_hand", "plan_tight") as found:
        yield found


@pytest.fixture(scope="module")
def tables(modules: list[ModuleType]) -> dict[str, pa.Table]:
    from bench_registry import STATUS_ROWS_PER_INSURED, province
    from province_sources import add_sources

    made = province(INSURED, round(INSURED * STATUS_ROWS_PER_INSURED))
    add_sources(made)
    return {name: made[name] for name in inputs.INPUT_TABLES}


@pytest.fixture(scope="module")
def planned(modules: list[ModuleType], tables: dict[str, pa.Table]) -> dict[str, pa.Table]:
    bench, _, _ = modules
    rows: dict[str, pa.Table] = bench.plan_rows(tables)
    return rows


@pytest.fixture(scope="module")
def person_inputs(tables: dict[str, pa.Table]) -> tuple[pa.Table, pa.Table]:
    people, statuses = inputs.inputs_from_tables(tables, "360000", 2018)
    return people, statuses


def test_jx_2017_58_2_1_the_tight_statement_writes_the_plans_rows_with_their_bases(
    modules: list[ModuleType],
    planned: dict[str, pa.Table],
    person_inputs: tuple[pa.Table, pa.Table],
) -> None:
    _, hand, _ = modules
    tight = hand.tight_rows(*person_inputs, reasons=True)
    assert set(tight) == set(planned) == {"resident_pension", "resident_medical", "unemployment"}
    for code, rows in planned.items():
        assert rows.num_rows > 0, code
        assert hand.differ(rows, tight[code]) == 0, code


def test_jx_2017_58_2_1_the_tight_statement_writes_the_amounts_and_payers_of_the_bare_rules(
    modules: list[ModuleType],
    planned: dict[str, pa.Table],
    person_inputs: tuple[pa.Table, pa.Table],
) -> None:
    bench, hand, tight_pairs = modules
    bare = tight_pairs.rules_rows(*person_inputs, bench.programmes(), reasons=False)
    tight = hand.tight_rows(*person_inputs, reasons=False)
    for code, rows in planned.items():
        assert bare[code].column_names == list(hand.PAID)
        # the rules without clause bases decide what the plan decides
        assert hand.differ(rows, bare[code], hand.PAID) == 0, code
        assert hand.differ(bare[code], tight[code], hand.PAID) == 0, code


def test_the_registry_statements_write_the_plans_rows(
    modules: list[ModuleType], tables: dict[str, pa.Table], planned: dict[str, pa.Table]
) -> None:
    _, hand, _ = modules
    registry = hand.registry_rows(tables)
    for code, rows in planned.items():
        assert hand.differ(rows, registry[code]) == 0, code


def test_the_province_reaches_the_bases_the_tight_statement_writes_in(
    planned: dict[str, pa.Table],
) -> None:
    """Each clause the tight statement can cite on a pension row is cited by the
    plan on this province: a wrong branch of its basis would show as a difference."""
    bases = set(pc.unique(planned["resident_pension"].column("basis")).to_pylist())
    assert {
        "JX-2017-58/2.1.1",  # paid for, or not a target
        "GF-2014-8/4;JX-2017-58/2.1.1",  # a student or a child enrolled
        "GF-2014-8/8",  # a target of 60 and over
    } <= bases


def test_he_2018_3_3_2_1_one_paid_for_who_dies_in_the_year_is_written_alike(
    modules: list[ModuleType],
    planned: dict[str, pa.Table],
    person_inputs: tuple[pa.Table, pa.Table],
) -> None:
    """The province has nobody paid for who dies in the year: some of those paid
    for are given a death date in it, whose rows cite HE-2018-3/3.2.1."""
    bench, hand, tight_pairs = modules
    people, statuses = person_inputs
    pension = planned["resident_pension"]
    paid = pension.filter(pc.field("payer") == "county").column("person_id")[:50]
    dies = pc.is_in(people.column("row_no"), value_set=paid.combine_chunks())
    death = pc.if_else(dies, pa.scalar(date(2018, 6, 30)), people.column("death_date"))
    people = people.set_column(people.column_names.index("death_date"), "death_date", death)
    rows = tight_pairs.rules_rows(people, statuses, bench.programmes(), reasons=True)
    cited = rows["resident_pension"].filter(pc.field("basis") == "HE-2018-3/3.2.1;JX-2017-58/2.1.1")
    assert cited.num_rows == 2 * len(paid)  # the county's row and their own
    tight = hand.tight_rows(people, statuses, reasons=True)
    for code, planned_rows in rows.items():
        assert hand.differ(planned_rows, tight[code]) == 0, code


def test_a_changed_amount_is_a_difference(
    modules: list[ModuleType], planned: dict[str, pa.Table]
) -> None:
    _, hand, _ = modules
    rows = planned["unemployment"]
    amounts = rows.column("amount").to_pylist()
    changed = rows.set_column(
        rows.column_names.index("amount"),
        "amount",
        pa.array([amounts[0] + 1, *amounts[1:]], rows.schema.field("amount").type),
    )
    # the changed row is missing from each side
    assert hand.differ(rows, changed) == 2
