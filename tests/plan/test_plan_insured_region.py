"""Which enrollment gives a registry person's insured region (参保地) for the year
(plan/inputs.py ``_insured_regions``; docs/readings.md 38): the county of the
latest-starting resident-pension enrollment holding in the year that names one; of two
starting the same day, the hukou county's; else the lower code; without one, none (null),
which the rules read as the hukou region, a scenario's default."""

from __future__ import annotations

from datetime import date

import numpy as np
import pyarrow as pa

from doudi.plan import inputs

HOME = "360102"


def enrollment(person: int, scheme: str, region: str | None, start: str, end: str | None):
    return {
        "person_id": person,
        "scheme": scheme,
        "region_code": region,
        "valid_from": date.fromisoformat(start),
        "valid_to": date.fromisoformat(end) if end else None,
        "contribution_tier": None,
    }


def insured(rows: list[dict], people: int, year: int = 2018) -> list[str | None]:
    table = pa.Table.from_pylist(
        rows,
        schema=pa.schema(
            [
                ("person_id", pa.int64()),
                ("scheme", pa.string()),
                ("region_code", pa.string()),
                ("valid_from", pa.date32()),
                ("valid_to", pa.date32()),
                ("contribution_tier", pa.decimal128(18, 2)),
            ]
        ),
    )
    ids = np.arange(1, people + 1, dtype=np.int64)
    hukou = pa.chunked_array([pa.array([HOME + "001001"] * people)])
    facts = inputs._enrollment_facts(table, ids, year, None, hukou)
    return facts["insured_region"].to_pylist()


def test_the_latest_starting_enrollment_of_the_year_gives_the_insured_region():
    """Person 1 moved: insured in 广州市荔湾区 from 2015 (still open), then at home from
    June 2018: the June one starts later, so 360102. Person 2 the other way round."""
    rows = [
        enrollment(1, "resident_pension", "440103", "2015-01-01", None),
        enrollment(1, "resident_pension", "360102001", "2018-06-01", None),
        enrollment(2, "resident_pension", "360102", "2015-01-01", "2018-06-01"),
        enrollment(2, "resident_pension", "440103001002", "2018-06-01", None),
    ]
    assert insured(rows, 2) == ["360102", "440103"]


def test_of_two_starting_the_same_day_the_hukou_county_wins_else_the_lower_code():
    rows = [
        enrollment(1, "resident_pension", "440103", "2017-01-01", None),
        enrollment(1, "resident_pension", HOME, "2017-01-01", None),
        enrollment(2, "resident_pension", "440104", "2017-01-01", None),
        enrollment(2, "resident_pension", "440103", "2017-01-01", None),
    ]
    assert insured(rows, 2) == [HOME, "440103"]


def test_without_a_resident_pension_enrollment_naming_a_county_in_the_year_none():
    """Person 1: an enrollment ended in 2017; person 2: one with no region code; person
    3: employee pension elsewhere (not the resident pension's 参保地); person 4: none.
    None of them has an insured region: the rules read their hukou region
    (``policy.rules.insured_region.county``)."""
    rows = [
        enrollment(1, "resident_pension", "440103", "2015-01-01", "2017-06-01"),
        enrollment(2, "resident_pension", "", "2015-01-01", None),
        enrollment(3, "employee_pension", "440103", "2015-01-01", None),
    ]
    assert insured(rows, 4) == [None] * 4
