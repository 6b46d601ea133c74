"""Every total of a costing is the sum of its rows to the fen (issue #22 §2), for any
rows: a property over the rules' output of both sides drawn at random (eligible or not,
any payer's part, any own part, people in two counties and a few townships), through the
plan's own rows (``Evaluation.rows``) and the costing's join and tables."""

from __future__ import annotations

from decimal import Decimal

import pyarrow as pa
from costing_people import reform
from hypothesis import given, settings
from hypothesis import strategies as st

from doudi.costing import rows, tables
from doudi.plan.evaluation import Evaluation
from doudi.plan.programmes import RESIDENT_PENSION

MONEY = pa.decimal128(18, 2)
PAYERS = ("county", "province")
COUNTIES = ("360102", "360121")  # 东湖区, 南昌县: both of 南昌市 (360100)
TOWNSHIPS = ("向阳乡", "新村镇", "")
fen = st.integers(0, 100_000).map(lambda f: Decimal(f) / 100)


@st.composite
def side(draw, ids: list[int]) -> Evaluation:
    """One side's pension columns for ``ids``."""
    n = len(ids)
    columns = {
        "row_no": pa.array(ids, pa.int64()),
        "rp_eligible": draw(st.lists(st.booleans(), min_size=n, max_size=n)),
        "rp_collects": draw(st.lists(st.booleans(), min_size=n, max_size=n)),
        "rp_self_due": pa.array(draw(st.lists(fen, min_size=n, max_size=n)), MONEY),
        "rp_basis": draw(st.lists(st.sampled_from(("A", "A;B", "")), min_size=n, max_size=n)),
        **{
            f"rp_fund_{payer}": pa.array(draw(st.lists(fen, min_size=n, max_size=n)), MONEY)
            for payer in PAYERS
        },
        "rp_category": draw(
            st.lists(st.sampled_from((None, "dibao", "tekun")), min_size=n, max_size=n)
        ),
        "rm_category": pa.nulls(n, pa.string()),
    }
    return Evaluation(pa.table(columns), 2018)


@st.composite
def costings(draw):
    n = draw(st.integers(1, 8))
    ids = list(range(1, n + 1))
    people = pa.table(
        {
            "row_no": pa.array(ids, pa.int64()),
            "id_number": [f"ID{i:03d}" for i in ids],
            "name": [f"人{i}" for i in ids],
            "hukou_region": draw(st.lists(st.sampled_from(COUNTIES), min_size=n, max_size=n)),
        }
    )
    places = pa.table(
        {
            "id": pa.array(ids, pa.int64()),
            "township": draw(st.lists(st.sampled_from(TOWNSHIPS), min_size=n, max_size=n)),
            "village": [""] * n,
        }
    )
    return draw(side(ids)), draw(side(ids)), people, places


def total(values) -> Decimal:
    return sum(values, Decimal("0.00"))


@settings(max_examples=40, deadline=None)
@given(costings())
def test_every_total_is_the_sum_of_its_rows(drawn):
    before, after, people, places = drawn
    programmes = [RESIDENT_PENSION]
    found = rows.combine(
        reform({"rules": 500000}),
        programmes,
        {RESIDENT_PENSION: before.rows(RESIDENT_PENSION, coded=True)},
        before,
        after,
        programmes,
        people,
        places,
        ("rp_category", "rm_category"),
    )
    joined = found.rows.to_pylist()
    assert all(r["difference"] == r["reform"] - r["baseline"] for r in joined)
    lines = {
        (x["programme_code"], x["payer_code"]): x
        for x in tables.by_payer(found.rows, programmes).to_pylist()
    }
    for (programme, payer), line in lines.items():
        mine = [
            r for r in joined if payer in ("*", r["payer"]) and programme in ("*", r["programme"])
        ]
        if payer == "*":
            mine = [r for r in mine if r["payer"] != "self"]
        assert line["baseline"] == total(r["baseline"] for r in mine)
        assert line["reform"] == total(r["reform"] for r in mine)
        assert line["difference"] == line["reform"] - line["baseline"]
    # a person's change: what others pay for them, reform − baseline; what they owe apart
    persons = found.persons.to_pylist()
    change = {r["person_id"]: r["change"] for r in persons}
    for r in persons:
        mine = [x for x in joined if x["person_id"] == r["person_id"]]
        assert r["change"] == total(x["difference"] for x in mine if x["payer"] != "self")
        assert r["owed_change"] == total(x["difference"] for x in mine if x["payer"] == "self")
    regions = tables.by_region(found, "360100", programmes).to_pylist()
    every = [x for x in regions if x["programme_code"] == "*"]
    top = every[0]
    assert (top["level"], top["region_code"]) == ("市", "360100")
    assert (top["baseline"], top["reform"]) == (
        lines[("*", "*")]["baseline"],
        lines[("*", "*")]["reform"],
    )
    assert (top["self_baseline"], top["self_reform"]) == (
        lines[("*", "self")]["baseline"],
        lines[("*", "self")]["reform"],
    )
    counties = [x for x in every if x["region_code"] in COUNTIES and x["township"] is None]
    assert sum(x["people"] for x in counties) == top["people"] == len(change)
    assert total(x["reform"] for x in counties) == top["reform"]
    townships = [x for x in every if x["township"] is not None]
    assert total(x["difference"] for x in townships) == top["difference"]
    assert top["gain"] == sum(1 for c in change.values() if c > 0)
    groups = [
        x for x in tables.by_group(found, programmes).to_pylist() if x["programme_code"] == "*"
    ]
    assert total(x["baseline"] for x in groups) == top["baseline"]
    spread = tables.distribution(found.persons).to_pylist()
    assert sum(x["people"] for x in spread) == len(change)
    assert total(x["total_change"] for x in spread) == total(change.values())
