"""A person whose hukou is a township's (9-digit) or a village's (12-digit) code and
whose insured region is not stated is insured at home in every jurisdiction (issue #20;
GF-2014-8/4: 在户籍地参加; docs/readings.md 38). The registry gives such codes, and the
plan then takes the hukou code whole as the insured region (plan/inputs.py
``_insured_regions``), while the documents' county lists are of 6-digit counties: the
rules must read both at county level, Hebei's province-direct split included."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest
import yaml

from doudi.engine import backend, scenario
from doudi.policy import schema

EXAMPLES = sorted((Path(__file__).resolve().parents[2] / "examples").glob("*.yaml"))
#: Columns that hold the codes themselves.
CODES = ("hukou_region", "insured_region")


def results(example: Path, digits: str, given: bool = True) -> list[dict[str, Any]]:
    """The example's people evaluated with ``digits`` appended to each hukou county
    code, and the insured region left at its default: the hukou code whole, or (not
    ``given``) null, as a registry person without an enrollment naming a county."""
    sc = yaml.safe_load(example.read_text(encoding="utf-8"))
    params, rows, statuses = scenario.parse(sc)
    for row in rows:
        if row["hukou_region"] is not None:
            row["hukou_region"] += digits
            row["insured_region"] = row["hukou_region"] if given else None
    plan = backend.plan(params.jurisdiction, params.year, sc.get("parameters") or {})
    out = plan.run(
        people=pa.Table.from_pylist(rows, schema=schema.PEOPLE.to_pyarrow()),
        statuses=pa.Table.from_pylist(statuses, schema=schema.STATUSES.to_pyarrow()),
    )
    found = sorted(out.to_pylist(), key=lambda r: r["row_no"])
    return [{k: v for k, v in r.items() if k not in CODES} for r in found]


@pytest.mark.parametrize("example", EXAMPLES, ids=[e.stem for e in EXAMPLES])
@pytest.mark.parametrize("digits", ["001", "001001"], ids=["township", "village"])
@pytest.mark.parametrize("given", [True, False], ids=["hukou", "null"])
def test_GF_2014_8_4_a_village_hukou_code_is_insured_at_home(
    example: Path, digits: str, given: bool
) -> None:
    assert results(example, digits, given) == results(example, "")


def test_HE_2018_3_2_1_1_a_village_of_a_province_direct_county_is_split_as_its_county() -> None:
    """Hebei's example insures a person of 定州市 (130682, province-direct): with the
    village code 130682001001 the province still pays the city's third (1 : 1 : 1 made
    2 : 0 : 1), as with the county code."""
    hebei = next(e for e in EXAMPLES if e.stem == "hebei-2018")
    direct = [r["rp_province_direct"] for r in results(hebei, "001001")]
    assert direct == [r["rp_province_direct"] for r in results(hebei, "")]
    assert direct == [r["rp_province_direct"] for r in results(hebei, "001001", given=False)]
    assert any(direct)
