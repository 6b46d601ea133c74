"""The national medical-insurance platform's interface (engine/nhsa.py, issue #19 §6):
its hospital grades read as the documents' levels, the deductible level where it
differs, the deductible standard and what the patient bore of it apart, and a detail
row per fund with the clauses that shaped it.

Amounts by hand with the local-config examples of parameters/00-national/
medical_settlement (basic deductible 200/500/800 by level, rates 85/75/55%; critical-
illness deductible 10,000 at 50%; assistance 70%) and the documents' own terms.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from doudi.engine import nhsa
from doudi.engine.settlement import screen_bills, settle

NOT_POOR = "360102197001010051"
POOR = "360102198005120025"


def platform_bill(bill_id: str, grade: str | None, total: int, in_policy: int, **more):
    bill = {
        "setl_id": bill_id,
        "certno": more.pop("certno", NOT_POOR),
        "begndate": "2018-03-01",
        "enddate": "2018-03-10",
        "medfee_sumamt": total,
        "inscp_scp_amt": in_policy,
        **more,
    }
    if grade is not None:
        bill["hosp_lv"] = grade
    return bill


def settled(jurisdiction: str, *bills: dict) -> list[dict]:
    rows, problems = screen_bills(list(bills))
    assert problems == []
    return [nhsa.write_result(r) for r in settle(jurisdiction, rows)]


@pytest.mark.parametrize(
    ("grade", "level"),
    [
        ("01", "3"),  # 三级特等
        ("02", "3"),  # 三级甲等
        ("03", "3"),  # 三级乙等
        ("04", "3"),  # 三级丙等
        ("05", "2"),  # 二级甲等
        ("06", "2"),  # 二级乙等
        ("07", "2"),  # 二级丙等
        ("08", "1"),  # 一级甲等
        ("09", "1"),  # 一级乙等
        ("10", "1"),  # 一级丙等
    ],
)
def test_hosp_lv_is_the_platforms_grade_read_as_its_level(grade: str, level: str) -> None:
    bill = nhsa.read_bill(platform_bill("X", grade, 100, 100))
    assert bill["hospital_level"] == level and "hosp_lv" not in bill


def test_a_grade_02_hospital_settles_as_level_3_not_level_2() -> None:
    """02 三级甲等 was read as 二级: the level-3 deductible 800 and 55%, not 500 and 75%."""
    (result,) = settled("360000", platform_bill("ZY-1", "02", 12000, 10000))
    info = result["setlinfo"]
    # 55% × (10000 − 800) = 5060.00; burden 4940 < CI deductible 10000; not poor
    assert (info["dedc_std"], info["act_pay_dedc"], info["hifp_pay"]) == (
        "800.00",
        "800.00",
        "5060.00",
    )
    # 二级甲等 (05): 75% × (10000 − 500) = 7125.00
    (level_2,) = settled("360000", platform_bill("ZY-2", "05", 12000, 10000))
    assert level_2["setlinfo"]["hifp_pay"] == "7125.00"


def test_ungraded_hospital_is_refused_unless_the_deductible_level_says_one() -> None:
    with pytest.raises(nhsa.PlatformCodeError) as refused:
        nhsa.read_bill(platform_bill("ZY-3", "11", 100, 100))
    assert (refused.value.bill_id, refused.value.field) == ("ZY-3", "hosp_lv")
    assert "11 无等级" in refused.value.reason and "dedc_hosp_lv" in refused.value.reason
    # settled in a batch, it is a bill problem naming the field
    rows, problems = screen_bills([platform_bill("ZY-3", "11", 100, 100)])
    assert rows == [] and problems[0].startswith("单据 ZY-3，字段 hosp_lv：医院等级为 11 无等级")
    # the insurance office settles it as level 1: 85% × (1000 − 200) = 680.00
    (result,) = settled("360000", platform_bill("ZY-3", "11", 1000, 1000, dedc_hosp_lv="1"))
    assert (result["setlinfo"]["dedc_std"], result["setlinfo"]["hifp_pay"]) == ("200.00", "680.00")


@pytest.mark.parametrize(
    ("grade", "deductible", "level"),
    [
        ("02", "2", "2"),  # a 三级甲等 hospital settled at level 2
        ("08", "3", "3"),
        (None, "05", "2"),  # the deductible level in the grade's dictionary
        ("", "10", "1"),
        ("05", "", "2"),  # empty: the grade's level
    ],
)
def test_the_deductible_level_wins_over_the_grade(
    grade: str | None, deductible: str, level: str
) -> None:
    bill = platform_bill("X", grade, 100, 100, dedc_hosp_lv=deductible)
    assert nhsa.read_bill(bill)["hospital_level"] == level


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("hosp_lv", "1"),  # 01 三级特等 without its zero, or 一级? refused, not guessed
        ("hosp_lv", 5),
        ("hosp_lv", "12"),
        ("hosp_lv", "二级"),
        ("dedc_hosp_lv", "4"),
        ("dedc_hosp_lv", "11"),
    ],
)
def test_a_code_outside_the_dictionaries_is_refused_in_chinese(field: str, value: object) -> None:
    bill = {**platform_bill("ZY-4", "05", 100, 100), field: value}
    rows, problems = screen_bills([bill])
    assert rows == [] and len(problems) == 1
    assert problems[0].field == field and problems[0].startswith(f"单据 ZY-4，字段 {field}：应为")


def test_doudis_own_level_passes_through() -> None:
    bill = {"bill_id": "B", "hospital_level": "referral_out"}
    assert nhsa.read_bill(bill) == bill


def test_the_deductible_standard_and_what_the_patient_bore_are_apart() -> None:
    """A level-3 bill of 300 under the 800 deductible: standard 800.00, borne 300.00."""
    (result,) = settled("360000", platform_bill("ZY-5", "03", 300, 300))
    info = result["setlinfo"]
    assert (info["dedc_std"], info["act_pay_dedc"], info["hifp_pay"]) == (
        "800.00",
        "300.00",
        "0.00",
    )
    assert info["psn_part_amt"] == "300.00"
    assert result["setldetail"] == []  # no fund paid


def test_fund_detail_rows_of_a_jiangxi_poor_patient_JX_2017_58_2_2_4() -> None:
    """Level 2 (二级甲等), registered poor: no deductible, the critical-illness fund pays
    the 400 standard; basic 80% × (10000 − 400) = 7680.00; assistance 70% × 1920 =
    1344.00."""
    bill = platform_bill("JX-1", "05", 12000, 10000, certno=POOR, statuses=["registered_poor"])
    (result,) = settled("360000", bill)
    info, detail = result["setlinfo"], result["setldetail"]
    assert (info["dedc_std"], info["act_pay_dedc"]) == ("0.00", "0.00")
    assert [(d["fund_pay_type"], d["fund_payamt"]) for d in detail] == [
        ("390100", "7680.00"),
        ("390200", "400.00"),
        ("610100", "1344.00"),
    ]
    assert [d["fund_pay_type_name"] for d in detail] == [
        "城乡居民基本医疗保险基金",
        "城乡居民大病医疗保险基金",
        "医疗救助基金",
    ]
    assert all(d["inscp_scp_amt"] == "10000.00" and d["crt_payb_lmt_amt"] is None for d in detail)
    basic, critical, assistance = (d["setl_proc_info"] for d in detail)
    assert basic == (
        "政策范围内费用10000.00元，起付标准0.00元，个人负担起付线0.00元，"
        "城乡居民基本医疗保险基金支付7680.00元。依据【JX-2017-58/2.2.4】【JX-2017-58/2.2.5】。"
    )
    assert critical == (
        "经基本医疗保险报销后政策范围内个人负担的部分及不设起付线、按400.00元标准纳入报销的部分，"
        "城乡居民大病医疗保险基金支付400.00元。依据【JX-2017-58/2.2.4】【JX-2017-58/2.2.5】。"
    )
    # the assistance rate is local config: no document clause shaped it
    assert assistance == (
        "经基本医疗保险、大病保险报销后政策范围内个人负担的部分，医疗救助基金支付1344.00元。"
    )
    assert info["fund_pay_sumamt"] == "9424.00"


def test_panzhihuas_local_funds_stay_in_setlinfo_PZH_2018_195_2_2() -> None:
    """Level 2, registered poor in the county: basic 75% × 19500 = 14625.00; burden 5375
    under the CI deductible; supplementary 50% × 5375 = 2687.50, tilt 30% × 2687.50 =
    806.25, assistance 70% × 1881.25 = 1316.88 (local-config examples). The local funds
    have no national code: no detail row, their amounts in setlinfo."""
    bill = platform_bill(
        "PZH-1",
        "05",
        22000,
        20000,
        certno="510402197505050019",
        non_compliant_cost=1000,
        statuses=["registered_poor"],
    )
    (result,) = settled("510400", bill)
    info, detail = result["setlinfo"], result["setldetail"]
    assert [(d["fund_pay_type"], d["fund_payamt"]) for d in detail] == [
        ("390100", "14625.00"),
        ("610100", "1316.88"),
    ]
    assert (info["hifes_pay"], info["othfund_pay"]) == ("2687.50", "806.25")
    in_detail = sum(Decimal(d["fund_payamt"]) for d in detail)
    local = Decimal(info["hifes_pay"]) + Decimal(info["othfund_pay"])
    assert in_detail + local == Decimal(info["fund_pay_sumamt"]) == Decimal("19435.63")
    assert all(d["setl_proc_info"].endswith("依据【PZH-2018-195/2.2】。") for d in detail)
    assert detail[1]["setl_proc_info"].startswith("经基本医疗保险、补充医疗保险、倾斜支付报销后")
