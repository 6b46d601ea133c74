"""信息比对: a small county (360102 东湖区) where every finding has a known answer.

People (as of 2024-06-30), by township / village; who each line counts is decision 0015
(Jiangxi: the pension's targets, JX-2017-58/2.1.1; the medical subsidy's, /2.1.2):

  彭家桥街道 / 东村   P1 李一   registered poor, 40, medical only        → pension outreach
                      P4 李四   tekun, 15, nothing                       → medical only (too young)
                      P7 张峰   registered poor + dibao, employee pension → two departments;
                                张峰 / 张峯 on the rosters: a writing variant only
  彭家桥街道 / 西村   P5 李五   severe disability, unable to work, pension in 360103
                                                                         → insured elsewhere
                      P6 李六   died 2024-01-15, pension still receiving  → 死亡冒领, 5 months
                      P8 王小明 dibao; 王晓明 on the dibao roster          → name conflict 0.67
  扬子洲镇 / 南村     P2 李二   registered poor, exit-marked 2023-12-31   → medical only
                      P3 李三   dibao ended 2024-03-01                    → a 2024 target
                      P10 孙十  dibao + tekun (one department), 70, insured
                      P11 周十一 exit-marked poor + severe disability, medical only
                                                                         → two departments
                      P12 吴十二 died 2024-02-10, pension ended 2024-02-11 → not 死亡冒领
  360103 西湖区       P9 赵九   registered poor, nothing; 赵九 / 赵久      → not in 360102
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pyarrow as pa
import pytest

from doudi.comparison.compare import (
    FINDINGS,
    Comparison,
    ComparisonError,
    compare,
    region_prefix,
)
from doudi.comparison.names import normalize_name, similarity

AS_OF = date(2024, 6, 30)
D = date

PEOPLE = [
    # id, name, birth, hukou, township, village, death
    (1, "李一", D(1984, 1, 1), "360102", "彭家桥街道", "东村", None),
    (2, "李二", D(1980, 1, 1), "360102", "扬子洲镇", "南村", None),
    (3, "李三", D(1980, 1, 1), "360102", "扬子洲镇", "南村", None),
    (4, "李四", D(2008, 7, 1), "360102", "彭家桥街道", "东村", None),  # 15 on 2024-06-30
    (5, "李五", D(1974, 3, 3), "360102", "彭家桥街道", "西村", None),
    (6, "李六", D(1950, 5, 5), "360102", "彭家桥街道", "西村", D(2024, 1, 15)),
    (7, "张峰", D(1994, 2, 2), "360102", "彭家桥街道", "东村", None),
    (8, "王小明", D(1979, 6, 30), "360102", "彭家桥街道", "西村", None),  # 45 today
    (9, "赵九", D(1970, 1, 1), "360103", "某镇", "某村", None),
    (10, "孙十", D(1954, 1, 1), "360102", "扬子洲镇", "南村", None),
    (11, "周十一", D(1969, 1, 1), "360102", "扬子洲镇", "南村", None),
    (12, "吴十二", D(1940, 1, 1), "360102", "扬子洲镇", "南村", D(2024, 2, 10)),
]

PERIODS = [
    # person, status, department, from, to, exit_marked, exit_date
    (1, "registered_poor", "poverty_office", D(2016, 1, 1), None, False, None),
    (2, "registered_poor", "poverty_office", D(2016, 1, 1), None, True, D(2023, 12, 31)),
    (3, "dibao", "civil_affairs", D(2019, 1, 1), D(2024, 3, 1), False, None),
    (4, "tekun", "civil_affairs", D(2020, 1, 1), None, False, None),
    (5, "severe_disability", "disabled_federation", D(2018, 1, 1), None, False, None),
    # on the federation's list of those unable to work: a medical subsidy group in
    # Jiangxi (JX-2017-58/2.1.2 丧失劳动能力的重度残疾成年人), so P5 is counted
    (5, "unable_to_work", "disabled_federation", D(2018, 1, 1), None, False, None),
    (6, "registered_poor", "poverty_office", D(2016, 1, 1), None, False, None),
    (7, "registered_poor", "poverty_office", D(2016, 1, 1), None, False, None),
    (7, "dibao", "civil_affairs", D(2020, 1, 1), None, False, None),
    (8, "dibao", "civil_affairs", D(2020, 1, 1), None, False, None),
    (9, "registered_poor", "poverty_office", D(2016, 1, 1), None, False, None),
    (10, "dibao", "civil_affairs", D(2015, 1, 1), None, False, None),
    (10, "tekun", "civil_affairs", D(2017, 1, 1), None, False, None),
    (11, "registered_poor", "poverty_office", D(2016, 1, 1), None, True, D(2020, 12, 31)),
    (11, "severe_disability", "disabled_federation", D(2019, 1, 1), None, False, None),
]

ENROLLMENTS = [
    # person, scheme, region, from, to, receiving
    (1, "resident_medical", "360102", D(2018, 1, 1), None, False),
    (5, "resident_pension", "360103", D(2018, 1, 1), None, False),
    (5, "resident_medical", "360102", D(2018, 1, 1), None, False),
    (6, "resident_pension", "360102", D(2015, 1, 1), None, True),
    (6, "resident_medical", "360102", D(2015, 1, 1), None, False),
    (7, "employee_pension", "360102", D(2017, 1, 1), None, False),
    (7, "resident_medical", "360102", D(2017, 1, 1), None, False),
    (8, "resident_pension", "360102", D(2017, 1, 1), None, False),
    (8, "resident_medical", "360102", D(2017, 1, 1), None, False),
    (10, "resident_pension", "360102", D(2014, 1, 1), None, True),
    (10, "resident_medical", "360102", D(2014, 1, 1), None, False),
    (11, "resident_medical", "360102", D(2019, 1, 1), None, False),
    (11, "resident_pension", "360102", D(2010, 1, 1), D(2023, 1, 1), False),  # ended
    (12, "resident_pension", "360102", D(2000, 1, 1), D(2024, 2, 11), True),
]

BATCHES = [
    # id, source, as_of
    (1, "poverty", D(2024, 1, 1)),  # older: its 张丰 is not compared
    (2, "poverty", D(2024, 6, 1)),
    (3, "dibao", D(2024, 6, 1)),
    (4, "resident_pension", D(2024, 6, 1)),
    (5, "tekun", D(2024, 6, 1)),
    (6, "resident_medical", D(2024, 6, 1)),
    (7, "resident_medical", D(2024, 6, 1)),  # same day, higher id: the latest
]

#: The counties each import covered (its rows' counties): batches 2 and 3 list P9 of 360103.
SCOPE = [(b, "360102") for b, _, _ in BATCHES] + [(2, "360103"), (3, "360103")]

ENTRIES = [
    # batch, person, name
    (1, 7, "张丰"),
    (2, 1, "李一"),
    (2, 7, "张峰"),
    (2, 9, "赵九"),
    (2, 11, "周十一"),
    (3, 7, "张峯"),
    (3, 8, "王晓明"),
    (3, 9, "赵久"),
    (3, 10, "孙十"),
    (4, 8, "王小明"),
    (4, 10, "孙　十"),  # full-width space: a variant
    (5, 4, "李四"),
    (5, 10, "孙十"),
    (7, 1, "李一"),
]

REJECTED = [
    # batch, row, column, code, value, reason
    (1, 4, "公民身份号码", "id_length", "3601021980", "身份号码应为18位"),
    (2, 5, "公民身份号码", "id_check", "360102199001010010", "校验码错误，应为X"),
    (2, 7, "公民身份号码", "duplicate", "360102198401010011", "与第3行重复"),
    (2, 9, "残疾等级", "grade", "三级", "非重度残疾"),
    (6, 3, "公民身份号码", "duplicate", "360102198401010011", "与第2行重复"),
    (7, 3, "公民身份号码", "id_chars", "36010219X0", "含非法字符"),
]


def id_of(person: int) -> str:
    return f"3601021990{person:08d}"


def build_tables() -> dict[str, pa.Table]:
    def table(rows: list[tuple[Any, ...]], fields: list[tuple[str, pa.DataType]]) -> pa.Table:
        schema = pa.schema(fields)
        return pa.Table.from_pylist([dict(zip(schema.names, r, strict=True)) for r in rows], schema)

    people = [
        (pid, id_of(pid), name, b, hukou, t, v, death)
        for pid, name, b, hukou, t, v, death in PEOPLE
    ]
    return {
        "registry_person": table(
            people,
            [
                ("id", pa.int64()),
                ("id_number", pa.string()),
                ("name", pa.string()),
                ("birth_date", pa.date32()),
                ("hukou_region", pa.string()),
                ("township", pa.string()),
                ("village", pa.string()),
                ("death_date", pa.date32()),
            ],
        ),
        "registry_status_period": table(
            PERIODS,
            [
                ("person_id", pa.int64()),
                ("status", pa.string()),
                ("department", pa.string()),
                ("valid_from", pa.date32()),
                ("valid_to", pa.date32()),
                ("exit_marked", pa.bool_()),
                ("exit_date", pa.date32()),
            ],
        ),
        "registry_enrollment": table(
            ENROLLMENTS,
            [
                ("person_id", pa.int64()),
                ("scheme", pa.string()),
                ("region_code", pa.string()),
                ("valid_from", pa.date32()),
                ("valid_to", pa.date32()),
                ("receiving", pa.bool_()),
            ],
        ),
        "registry_import_batch": table(
            [(i, s, a, f"{s}-{a}.xlsx") for i, s, a in BATCHES],
            [
                ("id", pa.int64()),
                ("source", pa.string()),
                ("as_of", pa.date32()),
                ("file_name", pa.string()),
            ],
        ),
        "registry_import_scope": table(SCOPE, [("batch_id", pa.int64()), ("county", pa.string())]),
        "registry_roster_entry": table(
            [(b, p, id_of(p), n) for b, p, n in ENTRIES],
            [
                ("batch_id", pa.int64()),
                ("person_id", pa.int64()),
                ("id_number", pa.string()),
                ("name", pa.string()),
            ],
        ),
        "registry_rejected_row": table(
            REJECTED,
            [
                ("batch_id", pa.int64()),
                ("row_number", pa.int32()),
                ("column", pa.string()),
                ("code", pa.string()),
                ("value", pa.string()),
                ("reason", pa.string()),
            ],
        ),
    }


@pytest.fixture(scope="module")
def county() -> Comparison:
    return compare(build_tables(), "360102", AS_OF)


def names(t: pa.Table) -> list[str]:
    return list(t.column("name").to_pylist())


def test_pension_outreach_counts_the_targets_of_the_year_JX_2017_58_2_1_1(
    county: Comparison,
) -> None:
    # Decision 0015: the targets of the year's government-paid contribution. P3's
    # dibao held from 1 January to 1 March 2024: a 2024 target (a status held on a day
    # of the year, docs/readings.md 1). P11 (exit-marked poor, severely disabled) is
    # no target in Jiangxi (JX-2017-58/2.1.1: 未标注脱贫的贫困人口，以及低保对象、特困人员).
    # P2 exit-marked before 2024, P4 is 15, P6 died, P9 is in 360103; P5 is insured in
    # 360103 (insured, elsewhere).
    t = county.uninsured_pension
    assert names(t) == ["李一", "李三"]
    assert t.column("statuses").to_pylist() == ["建档立卡贫困人口", "低保对象"]
    assert t.column("county").to_pylist() == ["东湖区", "东湖区"]
    assert t.column("township").to_pylist() == ["彭家桥街道", "扬子洲镇"]
    assert t.column("id_number").to_pylist() == [id_of(1), id_of(3)]


def test_medical_outreach_counts_the_subsidy_groups_JX_2017_58_2_1_2(county: Comparison) -> None:
    # The 15-year-old P4; P2, exit-marked, is still subsidised in Jiangxi (the document
    # says 建档立卡贫困人口 without 未标注脱贫); P3's dibao held in 2024 (decision 0015).
    t = county.uninsured_medical
    assert names(t) == ["李四", "李二", "李三"]
    assert t.column("statuses").to_pylist() == ["特困人员", "建档立卡贫困人口", "低保对象"]
    assert t.column("age").to_pylist() == [15, 44, 44]


def test_insured_elsewhere(county: Comparison) -> None:
    t = county.insured_elsewhere
    assert t.select(
        ["name", "scheme", "enrollment_region_code", "enrollment_region"]
    ).to_pylist() == [
        {
            "name": "李五",
            "scheme": "城乡居民基本养老保险",
            "enrollment_region_code": "360103",
            "enrollment_region": "西湖区",
        }
    ]


def test_paid_after_death(county: Comparison) -> None:
    # P6: 2024-01-15 → 2024-06-30 is 5 whole months; P12's pension stopped the day
    # after death (valid_to exclusive: last day paid = the death date).
    t = county.paid_after_death
    assert t.select(["name", "death_date", "months_since_death"]).to_pylist() == [
        {"name": "李六", "death_date": D(2024, 1, 15), "months_since_death": 5}
    ]


def test_name_conflicts_after_normalization(county: Comparison) -> None:
    # 张峰/张峯 (峯 is a variant) and 孙十/孙　十 (full-width space) are writing
    # variants; the old poverty batch's 张丰 is not compared; 赵久 is in 360103.
    t = county.name_conflicts
    assert t.drop_columns(["county_code", "county", "township", "village"]).to_pylist() == [
        {
            "id_number": id_of(8),
            "name": "王小明",
            "source_a": "最低生活保障对象名单",
            "name_a": "王晓明",
            "source_b": "城乡居民基本养老保险参保人员",
            "name_b": "王小明",
            "similarity": Decimal("0.67"),  # 1 − 1 edit / 3 characters
        }
    ]


def test_rejected_rows_of_the_latest_batch_per_source(county: Comparison) -> None:
    # Batch 1 is an older poverty file, batch 6 an older resident-medical file.
    ids = county.invalid_ids
    assert ids.select(["source", "row_number", "value"]).to_pylist() == [
        {"source": "建档立卡贫困人口名单", "row_number": 5, "value": "360102199001010010"},
        {"source": "城乡居民基本医疗保险参保人员", "row_number": 3, "value": "36010219X0"},
    ]
    assert ids.column("reason").to_pylist()[0] == "校验码错误，应为X"
    dup = county.duplicates
    assert dup.select(["source", "row_number"]).to_pylist() == [
        {"source": "建档立卡贫困人口名单", "row_number": 7}
    ]


def test_multiple_lists(county: Comparison) -> None:
    # P10's dibao and tekun are both civil affairs: one department.
    t = county.multiple_lists
    assert t.select(["name", "statuses", "departments"]).to_pylist() == [
        {"name": "张峰", "statuses": "建档立卡贫困人口、低保对象", "departments": "扶贫办、民政"},
        {
            "name": "周十一",
            "statuses": "建档立卡贫困人口、重度残疾人",
            "departments": "扶贫办、残联",
        },
    ]


def test_summary_of_the_county(county: Comparison) -> None:
    rows = county.summary.to_pylist()
    assert [(r["level"], r["region_name"]) for r in rows] == [
        ("县(区)", "东湖区"),
        ("乡镇(街道)", "彭家桥街道"),
        ("村(社区)", "东村"),
        ("村(社区)", "西村"),
        ("乡镇(街道)", "扬子洲镇"),
        ("村(社区)", "南村"),
    ]
    top = rows[0]
    assert top["region_code"] == "360102"
    # Counted on 2024-06-30 (decision 0015), living: pension targets of 16 or over
    # P1, P3, P7, P8, P10 = 5 (P4 is 15; P5, P11 are no Jiangxi pension targets);
    # insured P7, P8, P10 = 3 → 3 / 5 = 60.00%. Medical groups: P1, P2, P3, P4, P5, P7,
    # P8, P10, P11 = 9; insured all but P2, P3, P4 = 6 → 6 / 9 = 66.666… → 66.67%.
    # Either line: the same 9.
    assert (top["poor"], top["pension_poor"], top["pension_insured"]) == (9, 5, 3)
    assert top["pension_rate"] == Decimal("60.00")
    assert (top["medical_poor"], top["medical_insured"]) == (9, 6)
    assert top["medical_rate"] == Decimal("66.67")
    counts = {k: top[k] for k in (name for name, _ in FINDINGS)}
    assert counts == {
        "uninsured_pension": 2,
        "uninsured_medical": 3,
        "insured_elsewhere": 1,
        "paid_after_death": 1,
        "name_conflicts": 1,
        "invalid_ids": 2,
        "duplicates": 1,
        "multiple_lists": 2,
    }
    # Writing variants, counted in pairs of sources: 张峰/张峯 (poverty, dibao), and
    # 孙十/孙　十 twice (dibao and tekun against resident pension).
    assert top["name_variants"] == 3
    east = rows[2]  # 东村: P1, P4, P7 poor; pension P1, P7; insured P7 → 1 / 2 = 50.00%
    assert (east["township"], east["village"], east["poor"], east["pension_rate"]) == (
        "彭家桥街道",
        "东村",
        3,
        Decimal("50.00"),
    )
    assert east["medical_rate"] == Decimal("66.67")  # P1, P7 of 3
    assert east["invalid_ids"] is None  # rejected rows have no village
    # 南村: P2, P3, P10, P11; pension P3, P10, insured P10 → 1 / 2 = 50.00%; medical
    # all four, insured P10, P11 → 2 / 4 = 50.00%
    south = rows[5]
    assert (south["poor"], south["pension_rate"], south["medical_rate"]) == (
        4,
        Decimal("50.00"),
        Decimal("50.00"),
    )
    for r in rows:  # every person a line counts is insured or on its outreach list
        assert r["pension_insured"] + r["uninsured_pension"] == r["pension_poor"]
        assert r["medical_insured"] + r["uninsured_medical"] == r["medical_poor"]


def test_city_includes_the_other_county() -> None:
    c = compare(build_tables(), "360100", AS_OF)
    assert names(c.uninsured_pension) == ["李一", "李三", "赵九"]
    assert [r["name_a"] + "/" + r["name_b"] for r in c.name_conflicts.to_pylist()] == [
        "王晓明/王小明",
        "赵九/赵久",
    ]
    levels = [(r["level"], r["region_code"]) for r in c.summary.to_pylist()]
    assert levels[:2] == [("市", "360100"), ("县(区)", "360102")]
    assert ("县(区)", "360103") in levels
    assert c.summary.column("poor").to_pylist()[0] == 10  # 东湖区's 9 and P9


def test_province_summary_starts_with_the_province() -> None:
    c = compare(build_tables(), "360000", AS_OF)
    rows = c.summary.to_pylist()
    assert (rows[0]["level"], rows[0]["region_name"]) == ("省", "江西省")
    assert (rows[1]["level"], rows[1]["region_name"]) == ("市", "南昌市")


def test_an_empty_region_still_has_its_summary_row() -> None:
    c = compare(build_tables(), "360104", AS_OF)
    assert c.uninsured_pension.num_rows == 0
    assert c.summary.num_rows == 1
    row = c.summary.to_pylist()[0]
    assert (row["region_name"], row["poor"], row["pension_rate"]) == ("青云谱区", 0, None)


def test_sqlite_text_dates_and_integer_booleans() -> None:
    """The caller may hand over what SQLite returns: ISO text dates, 0/1 booleans."""
    tables = build_tables()
    for name, t in tables.items():
        cols = []
        for field, col in zip(t.schema, t.columns, strict=True):
            if pa.types.is_date(field.type):
                col = col.cast(pa.string())
            elif pa.types.is_boolean(field.type):
                col = col.cast(pa.int64())
            cols.append(col)
        tables[name] = pa.Table.from_arrays(cols, names=t.column_names)
    c = compare(tables, "360102", AS_OF)
    assert names(c.uninsured_pension) == ["李一", "李三"]
    assert names(c.paid_after_death) == ["李六"]


def test_bad_region_and_missing_tables() -> None:
    with pytest.raises(ComparisonError, match="6位数字"):
        compare(build_tables(), "36", AS_OF)
    tables = build_tables()
    del tables["registry_enrollment"]
    with pytest.raises(ComparisonError, match="registry_enrollment"):
        compare(tables, "360102", AS_OF)


def test_region_prefix() -> None:
    assert region_prefix("360000") == ("province", "36")
    assert region_prefix("360100") == ("city", "3601")
    assert region_prefix("360102") == ("county", "360102")
    assert region_prefix("429004") == ("county", "429004")  # 仙桃市, province-direct


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("张峯", "张峰"),
        ("张　峰", "张峰"),  # full-width space
        ("买买提·艾力", "买买提艾力"),
        ("买买提．艾力", "买买提・艾力"),  # full-width full stop vs katakana middle dot
        ("ＬＩ Ｍｉｎｇ", "LIMing"),
        ("衞敎", "卫教"),
    ],
)
def test_normalize_name_equal(a: str, b: str) -> None:
    assert normalize_name(a) == normalize_name(b)


def test_similarity_counts_characters() -> None:
    assert similarity("王小明", "王晓明") == Decimal("0.67")
    assert similarity("王小明", "王小明") == Decimal("1.00")
    assert similarity("李四", "王五六") == Decimal("0.00")
    assert similarity("", "") == Decimal("1.00")
