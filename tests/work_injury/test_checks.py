"""The work-injury checks (work_injury/checks.py) over hand-built lists, one clause at a
time: each finding, each non-finding at its boundary, the Chinese sentence written out.

The day is 2018-12-31 throughout; ID numbers are valid (``make_id``); amounts in yuan.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import fastexcel
import pyarrow as pa
import pytest

from conftest import make_id
from doudi.policy import clauses, jurisdictions
from doudi.work_injury.basis import BY_DOCUMENT
from doudi.work_injury.checks import FINDINGS, POOR_SCHEMA, WorkInjuryCheckError, check
from doudi.work_injury.workbook import findings_workbook

AS_OF = date(2018, 12, 31)
DAY_BEFORE = AS_OF - timedelta(days=1)
LI = make_id("360102", "19900101", "011")  # 李强, registered poor
WANG = make_id("360102", "19850505", "021")  # 王伟, not poor
ZHAO = make_id("360102", "19800303", "031")  # 赵敏, low-income family only
LOCAL = "（“贫困劳动力”包括的身份为示例参数，需按本地政策配置）"

DAY, MONEY = pa.date32(), pa.decimal128(18, 2)


def project(pid: str = "P1", **over: Any) -> dict[str, Any]:
    row = {
        "project_id": pid,
        "name": "城南安置房",
        "sector": "construction",
        "county": "360102",
        "contractor": "甲建筑公司",
        "start_date": date(2018, 5, 2),
        "insured_from": date(2018, 5, 2),
        "insured_to": None,
    }
    return row | over


def worker(person: str = LI, pid: str = "P1", **over: Any) -> dict[str, Any]:
    row = {
        "person_id": person,
        "name": "李强",
        "project_id": pid,
        "from_date": date(2018, 6, 1),
        "to_date": None,
        "county": "360102",
    }
    return row | over


def case(cid: str = "C1", person: str = LI, **over: Any) -> dict[str, Any]:
    row = {
        "case_id": cid,
        "person_id": person,
        "injury_date": date(2018, 7, 1),
        "employer": "丙劳务公司",
        "recognition": "recognised",
        "recognition_date": date(2018, 8, 1),
        "employer_insured": False,
        "employer_paid": False,
        "claimed": Decimal("12000.00"),
        "pneumoconiosis": False,
        "county": "360102",
    }
    return row | over


def payment(cid: str = "C1", **over: Any) -> dict[str, Any]:
    row = {
        "case_id": cid,
        "amount": Decimal("5000.00"),
        "paid_on": date(2018, 9, 1),
        "recovered": Decimal("0.00"),
        "recovered_on": None,
        "county": "360102",
    }
    return row | over


SCHEMAS = {
    "projects": pa.schema(
        [
            ("project_id", pa.string()),
            ("name", pa.string()),
            ("sector", pa.string()),
            ("county", pa.string()),
            ("contractor", pa.string()),
            ("start_date", DAY),
            ("insured_from", DAY),
            ("insured_to", DAY),
        ]
    ),
    "project_workers": pa.schema(
        [
            ("person_id", pa.string()),
            ("name", pa.string()),
            ("project_id", pa.string()),
            ("from_date", DAY),
            ("to_date", DAY),
            ("county", pa.string()),
        ]
    ),
    "cases": pa.schema(
        [
            ("case_id", pa.string()),
            ("person_id", pa.string()),
            ("injury_date", DAY),
            ("employer", pa.string()),
            ("recognition", pa.string()),
            ("recognition_date", DAY),
            ("employer_insured", pa.bool_()),
            ("employer_paid", pa.bool_()),
            ("claimed", MONEY),
            ("pneumoconiosis", pa.bool_()),
            ("county", pa.string()),
        ]
    ),
    "advance_payments": pa.schema(
        [
            ("case_id", pa.string()),
            ("amount", MONEY),
            ("paid_on", DAY),
            ("recovered", MONEY),
            ("recovered_on", DAY),
            ("county", pa.string()),
        ]
    ),
}

POOR = {
    LI: ("李强", ["registered_poor"]),
    ZHAO: ("赵敏", ["low_income_family"]),
}


def run(
    jurisdiction: str = "360000",
    *,
    projects: Sequence[dict[str, Any]] = (),
    workers: Sequence[dict[str, Any]] = (),
    cases: Sequence[dict[str, Any]] = (),
    payments: Sequence[dict[str, Any]] = (),
    as_of: date = AS_OF,
) -> Any:
    rows = {
        "projects": projects,
        "project_workers": workers,
        "cases": cases,
        "advance_payments": payments,
    }
    lists = {k: pa.Table.from_pylist(list(v), SCHEMAS[k]) for k, v in rows.items()}
    poor = pa.Table.from_pylist(
        [
            {
                "person_id": pid,
                "name": name,
                "statuses": statuses,
                "county_code": "360102",
                "county": "东湖区",
                "township": "彭家桥街道",
                "village": "沿江社区",
            }
            for pid, (name, statuses) in POOR.items()
        ],
        POOR_SCHEMA,
    )
    return check(lists, poor, jurisdictions.get(jurisdiction), as_of)


def explanations(found: Any, name: str) -> list[str]:
    return [str(e) for e in found.finding(name).column("explanation").to_pylist()]


# --- 先参保、再开工 ---------------------------------------------------------------


def test_jx_2017_58_2_1_3_project_started_before_its_cover() -> None:
    found = run(projects=[project(insured_from=date(2018, 6, 1))])
    assert explanations(found, "started_before_cover") == [
        "项目 2018-05-02 开工，工伤保险 2018-06-01 起保，违反“先参保、再开工”（JX-2017-58/2.1.3）"
    ]
    assert found.finding("started_before_cover").column("basis").to_pylist() == [
        ["JX-2017-58/2.1.3"]
    ]


def test_jx_2017_58_2_1_3_start_on_the_cover_day_is_in_order() -> None:
    found = run(projects=[project(start_date=date(2018, 6, 1), insured_from=date(2018, 6, 1))])
    assert found.finding("started_before_cover").num_rows == 0
    assert found.finding("running_uncovered").num_rows == 0


def test_jx_2017_58_2_1_3_project_started_without_any_cover() -> None:
    found = run(projects=[project(insured_from=None)])
    assert explanations(found, "started_before_cover") == [
        "项目 2018-05-02 开工，截至 2018-12-31 未参加工伤保险，"
        "违反“先参保、再开工”（JX-2017-58/2.1.3）"
    ]
    # never covered: running without cover on the day, whoever is on its roster
    assert explanations(found, "running_uncovered") == [
        "项目 2018-05-02 开工，未参加工伤保险，2018-12-31 在建无工伤保险（JX-2017-58/2.1.3）"
    ]


def test_jx_2017_58_2_1_3_project_not_started_by_the_day_is_no_finding() -> None:
    found = run(projects=[project(start_date=date(2019, 1, 1), insured_from=None)])
    assert found.finding("started_before_cover").num_rows == 0
    assert found.finding("running_uncovered").num_rows == 0


def test_he_2018_3_2_3_1_hebei_is_told_in_its_own_words() -> None:
    found = run("130000", projects=[project(county="130281", insured_from=date(2018, 6, 1))])
    assert explanations(found, "started_before_cover") == [
        "项目 2018-05-02 开工，工伤保险 2018-06-01 起保，"
        "未做到“确保新开工项目全部参保”（HE-2018-3/2.3.1）"
    ]


@pytest.mark.parametrize("document", sorted(BY_DOCUMENT))
def test_each_documents_breach_quotes_its_own_clause(document: str) -> None:
    basis = BY_DOCUMENT[document]
    quoted = basis.breach.split("“")[1].split("”")[0]
    assert quoted in clauses.get(basis.projects).sentence()


def test_sd_pzh_cq_2_3_project_clause_per_jurisdiction() -> None:
    """SD-2017-37/2.3, PZH-2018-195/3, CQ-2018-82/2.2.2: each jurisdiction cites its own."""
    cited = {
        j: run(j, projects=[project(insured_from=None)])
        .finding("started_before_cover")
        .column("basis")
        .to_pylist()
        for j in ("370000", "510400", "500000", "510000")
    }
    assert cited == {
        "370000": [["SD-2017-37/2.3"]],
        "510400": [["PZH-2018-195/3"]],
        "500000": [["CQ-2018-82/2.2.2"]],
        "510000": [["NAT-2017-59/2.1"]],  # Sichuan follows the national document
    }


# --- running without cover ---------------------------------------------------------


def test_jx_2017_58_2_1_3_cover_ending_the_day_before_is_no_cover() -> None:
    found = run(projects=[project(insured_to=DAY_BEFORE)], workers=[worker()])
    assert explanations(found, "running_uncovered") == [
        "项目 2018-05-02 开工，工伤保险保至 2018-12-30，名册在岗 1 人，"
        "2018-12-31 在建无工伤保险（JX-2017-58/2.1.3）"
    ]
    assert found.finding("running_uncovered").column("workers_on_day").to_pylist() == [1]


def test_jx_2017_58_2_1_3_cover_ending_on_the_day_still_covers() -> None:
    found = run(projects=[project(insured_to=AS_OF)], workers=[worker()])
    assert found.finding("running_uncovered").num_rows == 0
    assert found.finding("poor_workers_uncovered").num_rows == 0


def test_cover_ended_and_nobody_on_the_roster_reads_as_finished() -> None:
    found = run(projects=[project(insured_to=DAY_BEFORE)], workers=[worker(to_date=DAY_BEFORE)])
    assert found.finding("running_uncovered").num_rows == 0


def test_jx_2017_58_2_1_3_cover_beginning_after_the_day() -> None:
    found = run(projects=[project(insured_from=date(2019, 1, 1))])
    assert explanations(found, "running_uncovered") == [
        "项目 2018-05-02 开工，工伤保险 2019-01-01 才起保，"
        "2018-12-31 在建无工伤保险（JX-2017-58/2.1.3）"
    ]


# --- poor workers -------------------------------------------------------------------


def test_jx_2017_58_2_1_3_poor_worker_on_a_project_without_cover() -> None:
    found = run(
        projects=[project(insured_to=DAY_BEFORE)],
        workers=[worker(), worker(WANG, name="王伟")],
    )
    table = found.finding("poor_workers_uncovered")
    assert table.column("id_number").to_pylist() == [LI]  # 王伟 is not poor: no finding
    assert table.column("statuses").to_pylist() == ["建档立卡贫困人口"]
    assert explanations(found, "poor_workers_uncovered") == [
        "李强（建档立卡贫困人口） 2018-06-01 起在项目“城南安置房”（P1）务工，"
        "该项目工伤保险保至 2018-12-30，2018-12-31 无工伤保险（JX-2017-58/2.1.3）"
    ]


def test_poor_worker_who_left_the_day_before_is_no_finding() -> None:
    found = run(projects=[project(insured_from=None)], workers=[worker(to_date=DAY_BEFORE)])
    assert found.finding("poor_workers_uncovered").num_rows == 0


def test_poor_worker_on_a_covered_project_is_no_finding() -> None:
    found = run(projects=[project()], workers=[worker()])
    assert found.finding("poor_workers_uncovered").num_rows == 0


def test_jx_2017_58_2_1_3_poor_injured_worker_of_a_contractor_on_none_of_its_rosters() -> None:
    found = run(
        projects=[project()],
        cases=[case(employer="甲建筑公司")],
    )
    assert explanations(found, "poor_off_roster") == [
        "李强（建档立卡贫困人口） 2018-07-01 在“甲建筑公司”受伤，该单位承建名单中 1 个项目，"
        "但受伤当日不在其任何项目的实名制名册上，应核实其务工项目并按项目参保（JX-2017-58/2.1.3）"
    ]


def test_injured_worker_on_the_contractors_roster_that_day_is_no_outreach() -> None:
    found = run(
        projects=[project()],
        workers=[worker(from_date=date(2018, 7, 1), to_date=date(2018, 7, 1))],
        cases=[case(employer=" 甲建筑公司 ")],  # as written, trimmed
    )
    assert found.finding("poor_off_roster").num_rows == 0


def test_injured_worker_of_an_employer_with_no_listed_project_is_no_outreach() -> None:
    found = run(projects=[project()], cases=[case(employer="丙劳务公司")])
    assert found.finding("poor_off_roster").num_rows == 0


# --- advance payment (SIL-2010-35/41, SIF-2011-15/6) ------------------------------------

ADVANCE = (
    "李强（建档立卡贫困人口） 2018-07-01 受伤，2018-08-01 认定为工伤；用人单位“丙劳务公司”"
    "未参加工伤保险，也未支付工伤保险待遇，属于工伤保险待遇先行支付情形，"
    "应由工伤保险基金先行支付（SIL-2010-35/41、SIF-2011-15/6、JX-2017-58/2.3.8）。"
)


def test_jx_2017_58_2_3_8_poor_worker_qualifies_for_advance_payment() -> None:
    found = run(cases=[case()])
    assert explanations(found, "advance_payment_qualifying") == [
        ADVANCE + "申请待遇 12000.00 元，截至 2018-12-31 已先行支付 0.00 元。" + LOCAL
    ]
    assert found.finding("advance_payment_qualifying").column("basis").to_pylist() == [
        ["SIL-2010-35/41", "SIF-2011-15/6", "JX-2017-58/2.3.8"]
    ]
    assert found.local_config == ("work_injury.poor_worker_statuses",)


def test_jx_2017_58_2_3_8_advance_payment_due_less_what_was_paid() -> None:
    # 12000.00 claimed − 5000.00 paid on 2018-09-01 = 7000.00 still due
    found = run(cases=[case()], payments=[payment()])
    assert explanations(found, "advance_payment_due") == [
        ADVANCE
        + "申请待遇 12000.00 元，截至 2018-12-31 已先行支付 5000.00 元，尚有 7000.00 元应先行支付。"
        + LOCAL
    ]
    assert found.finding("advance_payment_due").column("shortfall").to_pylist() == [
        Decimal("7000.00")
    ]


def test_jx_2017_58_2_3_8_paid_in_full_is_no_longer_due() -> None:
    found = run(cases=[case()], payments=[payment(amount=Decimal("12000.00"))])
    assert found.finding("advance_payment_qualifying").num_rows == 1
    assert found.finding("advance_payment_due").num_rows == 0


def test_payment_after_the_day_does_not_count_as_paid() -> None:
    found = run(cases=[case()], payments=[payment(paid_on=date(2019, 1, 2))])
    assert found.finding("advance_payment_due").column("shortfall").to_pylist() == [
        Decimal("12000.00")
    ]


@pytest.mark.parametrize(
    ("why", "over"),
    [
        ("employer insured", {"employer_insured": True}),
        ("employer paid the benefits", {"employer_paid": True}),
        ("recognition pending", {"recognition": "pending", "recognition_date": None}),
        ("not recognised", {"recognition": "not_recognised"}),
        ("recognised after the day", {"recognition_date": date(2019, 1, 3)}),
        ("not poor", {"person_id": WANG}),
        ("low-income family is not a listed status", {"person_id": ZHAO}),
    ],
)
def test_sil_2010_35_41_no_advance_payment_when(why: str, over: dict[str, Any]) -> None:
    found = run(cases=[case(**over)])
    assert found.finding("advance_payment_qualifying").num_rows == 0, why
    assert found.finding("advance_payment_due").num_rows == 0, why


def test_he_2018_3_advance_payment_rests_on_the_national_rules_alone() -> None:
    found = run("130000", cases=[case()])
    assert found.finding("advance_payment_qualifying").column("basis").to_pylist() == [
        ["SIL-2010-35/41", "SIF-2011-15/6"]
    ]


# --- recovery (SIL-2010-35/41) ---------------------------------------------------------


def test_sil_2010_35_41_amount_outstanding_to_recover() -> None:
    # 5000.00 paid − 1000.00 recovered on 2018-10-01 = 4000.00 outstanding
    found = run(
        cases=[case()],
        payments=[payment(recovered=Decimal("1000.00"), recovered_on=date(2018, 10, 1))],
    )
    assert explanations(found, "recovery_outstanding") == [
        "截至 2018-12-31 工伤保险基金已先行支付 5000.00 元（最近一次 2018-09-01），"
        "已追回 1000.00 元，尚待用人单位“丙劳务公司”偿还 4000.00 元（SIL-2010-35/41）"
    ]
    assert found.finding("recovery_outstanding").column("outstanding").to_pylist() == [
        Decimal("4000.00")
    ]


def test_sil_2010_35_41_recovered_equal_to_paid_leaves_nothing_outstanding() -> None:
    found = run(
        cases=[case()],
        payments=[payment(recovered=Decimal("5000.00"), recovered_on=date(2018, 10, 1))],
    )
    assert found.finding("recovery_outstanding").num_rows == 0


def test_recovery_after_the_day_is_still_outstanding_on_it() -> None:
    found = run(
        cases=[case()],
        payments=[payment(recovered=Decimal("5000.00"), recovered_on=date(2019, 2, 1))],
    )
    assert found.finding("recovery_outstanding").column("outstanding").to_pylist() == [
        Decimal("5000.00")
    ]


# --- Chongqing: poor workers first (CQ-2018-82/2.2.2) -----------------------------------


def test_cq_2018_82_2_2_2_queue_puts_poor_workers_first_then_by_recognition_date() -> None:
    found = run(
        "500000",
        cases=[
            case("C1", WANG, recognition_date=date(2018, 3, 1)),
            case("C2", LI, recognition_date=date(2018, 5, 1)),
            case("C3", LI, recognition_date=date(2018, 4, 1)),
            case("C4", LI, recognition_date=date(2018, 2, 1), employer_paid=True),
            case("C5", LI, recognition="pending", recognition_date=None),
        ],
        workers=[worker(WANG, name="王伟")],
    )
    queue = found.finding("priority_queue")
    assert queue.column("case_id").to_pylist() == ["C3", "C2", "C1"]
    assert queue.column("position").to_pylist() == [1, 2, 3]
    assert explanations(found, "priority_queue") == [
        "第 1 位：李强（建档立卡贫困人口）为贫困劳动力，2018-04-01 认定为工伤，"
        "优先支付工伤保险待遇（CQ-2018-82/2.2.2）" + LOCAL,
        "第 2 位：李强（建档立卡贫困人口）为贫困劳动力，2018-05-01 认定为工伤，"
        "优先支付工伤保险待遇（CQ-2018-82/2.2.2）" + LOCAL,
        "第 3 位：王伟 2018-03-01 认定为工伤，非贫困劳动力，排在贫困劳动力之后（CQ-2018-82/2.2.2）"
        + LOCAL,
    ]


def test_cq_2018_82_2_2_2_case_advance_paid_in_full_leaves_the_queue() -> None:
    found = run("500000", cases=[case()], payments=[payment(amount=Decimal("12000.00"))])
    assert found.finding("priority_queue").num_rows == 0


def test_cq_2018_82_2_2_2_same_case_number_and_day_in_two_counties_queue_by_county() -> None:
    # two counties number their cases alike: 500101's C1 before 500102's, whatever the order
    # of the list (12000.00 claimed in 500101, 3000.00 in 500102, to tell them apart)
    found = run(
        "500000",
        cases=[
            case(county="500101"),
            case(county="500102", claimed=Decimal("3000.00")),
        ],
    )
    queue = found.finding("priority_queue")
    assert queue.column("position").to_pylist() == [1, 2]
    assert queue.column("claimed").to_pylist() == [Decimal("12000.00"), Decimal("3000.00")]


def test_queue_only_where_the_document_orders_it() -> None:
    found = run("360000", cases=[case()])
    assert found.finding("priority_queue").num_rows == 0
    assert "priority_queue" in found.not_ordered


# --- pneumoconiosis ---------------------------------------------------------------------


def test_jx_2017_58_2_2_6_recognised_pneumoconiosis_for_follow_up() -> None:
    found = run(
        cases=[
            case(pneumoconiosis=True, employer_insured=True),
            case("C2", WANG, pneumoconiosis=True, recognition="pending", recognition_date=None),
        ],
        workers=[worker(WANG, name="王伟")],
    )
    assert explanations(found, "pneumoconiosis") == [
        "李强（建档立卡贫困人口） 2018-08-01 认定为工伤尘肺病患者：疗效可靠的尘肺病治疗药物、"
        "符合医疗诊疗规范的治疗技术和手段按规定纳入工伤保险基金支付范围，"
        "请跟进其用药和治疗的支付（JX-2017-58/2.2.6）"
    ]


@pytest.mark.parametrize(
    ("jurisdiction", "clause"),
    [("130000", "HE-2018-3/2.3.2"), ("370000", "SD-2017-37/2.3"), ("510400", None)],
)
def test_he_2018_3_2_3_2_sd_2017_37_2_3_pneumoconiosis_clause(
    jurisdiction: str, clause: str | None
) -> None:
    found = run(jurisdiction, cases=[case(pneumoconiosis=True)])
    basis = found.finding("pneumoconiosis").column("basis").to_pylist()
    assert basis == ([[clause]] if clause else [])


# --- input and output -------------------------------------------------------------------


def test_a_missing_list_is_refused_in_chinese() -> None:
    poor = pa.Table.from_pylist([], POOR_SCHEMA)
    projects = pa.Table.from_pylist([], SCHEMAS["projects"])
    with pytest.raises(WorkInjuryCheckError, match=r"缺少实名制用工名单（project_workers）"):
        check({"projects": projects}, poor, jurisdictions.get("360000"), AS_OF)
    with pytest.raises(WorkInjuryCheckError, match="工程项目名单缺少列：project_id"):
        check({"projects": pa.table({})}, poor, jurisdictions.get("360000"), AS_OF)


def test_every_finding_keeps_its_columns_when_empty() -> None:
    found = run()
    for name, _ in FINDINGS:
        assert found.finding(name).column_names[-2:] == ["basis", "explanation"]


def test_findings_workbook_has_a_sheet_per_list_with_chinese_headers(tmp_path: Path) -> None:
    found = run(projects=[project(insured_from=date(2018, 6, 1))], cases=[case()])
    path = tmp_path / "工伤核查.xlsx"
    findings_workbook(found, "东湖区", path)
    reader = fastexcel.read_excel(path)
    assert reader.sheet_names == ["概况", *(title for _, title in FINDINGS)]
    sheet = reader.load_sheet_by_name("先开工后参保项目").to_arrow()
    assert sheet.column_names[:4] == ["县(区)代码", "县(区)", "行业", "项目编号"]
    assert sheet.column("行业").to_pylist() == ["建筑"]
    due = reader.load_sheet_by_name("符合先行支付情形").to_arrow()
    assert due.column("公民身份号码").to_pylist() == [LI[:4] + "**********" + LI[-4:]]


def test_two_counties_numbering_alike_keep_their_own_projects_and_cases() -> None:
    """Decision 0016: each list is one county's, and 西湖区 (360103) may number a
    project P1 and a case C1 as 东湖区 (360102) does. 李强 works on 东湖区's P1, which is
    covered; 西湖区's P1 has no cover and nobody on it that day. 东湖区's C1 was paid
    5000.00 and recovered 1000.00; 西湖区's C1 was paid 3000.00, nothing recovered.
    Before: the crew and the poor worker were matched by number alone (李强 on an
    uncovered P1) and the payments summed per number (8000.00 paid)."""
    found = run(
        projects=[
            project(),
            project(insured_from=None, county="360103", name="西湖工地"),
        ],
        workers=[worker()],
        cases=[case(), case(person=ZHAO, county="360103")],
        payments=[
            payment(recovered=Decimal("1000.00"), recovered_on=date(2018, 10, 1)),
            payment(amount=Decimal("3000.00"), county="360103"),
        ],
    )
    assert found.tables["poor_workers_uncovered"].num_rows == 0
    outstanding = {
        (str(r["paid"]), str(r["outstanding"]))
        for r in found.tables["recovery_outstanding"].to_pylist()
    }
    # 5000.00 - 1000.00 = 4000.00 for 东湖区; 3000.00 - 0.00 = 3000.00 for 西湖区
    assert outstanding == {("5000.00", "4000.00"), ("3000.00", "3000.00")}
