"""Who each line counts as poor (decision 0015): the people its government payment
targets in the jurisdiction and year, read with the rules' own status windows and
categories (policy.counted)."""

from __future__ import annotations

from datetime import date

import pyarrow as pa
import pytest

from conftest import make_id
from doudi.comparison.compare import ComparisonError, compare

D = date
DAY = D(2018, 6, 30)


def _tables(county: str, people: list[tuple[str, date, str, bool, date | None]]) -> dict:
    """One person per row: (name, birth, status, exit_marked, exit_date); nobody insured."""
    ids = [
        make_id(county, b.strftime("%Y%m%d"), f"{i:03d}") for i, (_, b, *_r) in enumerate(people)
    ]
    n = len(people)
    empty = lambda **c: pa.table({k: pa.array([], v) for k, v in c.items()})  # noqa: E731
    return {
        "registry_person": pa.table(
            {
                "id": list(range(1, n + 1)),
                "id_number": ids,
                "name": [p[0] for p in people],
                "hukou_region": [county] * n,
                "township": ["一镇"] * n,
                "village": ["一村"] * n,
                "birth_date": [p[1] for p in people],
                "death_date": pa.array([None] * n, pa.date32()),
            }
        ),
        "registry_status_period": pa.table(
            {
                "person_id": list(range(1, n + 1)),
                "status": [p[2] for p in people],
                "department": ["civil_affairs"] * n,
                "valid_from": [D(2016, 1, 1)] * n,
                "valid_to": pa.array([None] * n, pa.date32()),
                "exit_marked": [p[3] for p in people],
                "exit_date": pa.array([p[4] for p in people], pa.date32()),
            }
        ),
        "registry_enrollment": empty(
            person_id=pa.int64(),
            scheme=pa.string(),
            region_code=pa.string(),
            valid_from=pa.date32(),
            valid_to=pa.date32(),
            receiving=pa.bool_(),
        ),
        "registry_roster_entry": empty(person_id=pa.int64(), batch_id=pa.int64(), name=pa.string()),
        "registry_import_batch": empty(
            id=pa.int64(), source=pa.string(), file_name=pa.string(), as_of=pa.date32()
        ),
        "registry_import_scope": empty(batch_id=pa.int64(), county=pa.string()),
        "registry_rejected_row": empty(
            batch_id=pa.int64(),
            row_number=pa.int64(),
            column=pa.string(),
            code=pa.string(),
            value=pa.string(),
            reason=pa.string(),
        ),
    }


def _found(table: pa.Table) -> list[tuple[str, str]]:
    return list(
        zip(table.column("name").to_pylist(), table.column("statuses").to_pylist(), strict=True)
    )


def test_JX_2017_58_2_1_2_a_low_income_minor_without_medical_insurance_is_found() -> None:
    # 城镇低收入家庭的未成年人和60周岁以上的老年人: the minor (8) and the 68-year-old are
    # subsidy groups, the 38-year-old of the same kind of household is not; none is a
    # pension target (JX-2017-58/2.1.1 names the poor, dibao and tekun only).
    c = compare(
        _tables(
            "360102",
            [
                ("小明", D(2010, 5, 12), "low_income_family", False, None),
                ("王大", D(1980, 5, 12), "low_income_family", False, None),
                ("刘奶奶", D(1950, 5, 12), "low_income_family", False, None),
            ],
        ),
        "360102",
        DAY,
    )
    assert _found(c.uninsured_medical) == [
        ("刘奶奶", "城镇低收入家庭60周岁以上老年人"),
        ("小明", "城镇低收入家庭的未成年人"),
    ]
    assert c.uninsured_pension.num_rows == 0
    [top] = c.summary.slice(0, 1).to_pylist()
    # medical: 2 counted, 0 insured → 0.00%; pension: nobody counted → no rate
    assert (top["poor"], top["medical_poor"], top["pension_poor"]) == (2, 2, 0)
    assert (top["medical_rate"], top["pension_rate"]) == (0, None)


def test_HE_2018_3_1_exit_marked_registered_poor_stay_pension_targets() -> None:
    # Hebei: 建档立卡贫困人口(包括已脱贫人口和未脱贫人口); Jiangxi: 未标注脱贫 only
    # (JX-2017-58/2.1.1). Both exited on 2017-12-31, before the comparison's year.
    exited = [("李四", D(1980, 1, 1), "registered_poor", True, D(2017, 12, 31))]
    hebei = compare(_tables("130203", exited), "130203", DAY)
    jiangxi = compare(_tables("360102", exited), "360102", DAY)
    assert _found(hebei.uninsured_pension) == [("李四", "建档立卡贫困人口")]
    assert jiangxi.uninsured_pension.num_rows == 0
    # medical: Hebei subsidises those exited after 2016-08-01 (HE-2018-3/2.2.1); Jiangxi's
    # 建档立卡贫困人口 is not limited to the not exit-marked (JX-2017-58/2.1.2)
    assert hebei.uninsured_medical.num_rows == 1
    assert jiangxi.uninsured_medical.num_rows == 1
    # the day's statuses say the exit mark
    assert jiangxi.summary.column("poor").to_pylist()[0] == 1


def test_CQ_2018_82_2_1_1_the_pension_counts_those_recognised_last_year() -> None:
    # recognised in 2018 (from 2018-03-01): a target from 2019, not counted in 2018
    tables = _tables("500102", [("王五", D(1980, 1, 1), "dibao", False, None)])
    periods = tables["registry_status_period"]
    tables["registry_status_period"] = periods.set_column(
        periods.column_names.index("valid_from"), "valid_from", pa.array([D(2018, 3, 1)])
    )
    c = compare(tables, "500102", DAY)
    assert c.uninsured_pension.num_rows == 0
    assert _found(c.uninsured_medical) == [("王五", "低保对象")]


def test_before_the_documents_no_line_has_targets_and_the_comparison_says_so() -> None:
    # Hebei's document is in force from 2018-01-01: in 2017 no government payment
    # targets anyone, so the comparison refuses in Chinese rather than guess
    people = [("李四", D(1980, 1, 1), "dibao", False, None)]
    with pytest.raises(
        ComparisonError, match="唐山市2017年尚无社会保险扶贫的政府代缴或参保资助政策"
    ):
        compare(_tables("130203", people), "130203", D(2017, 6, 30))
