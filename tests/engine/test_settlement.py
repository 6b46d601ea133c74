"""Hospital-bill settlement (RULES.md §3.2), hand-computed bills with the arithmetic.

Base deductibles, rates and caps are the local-config examples of
parameters/00-national/medical_settlement (basic deductible 200/500/800, rates
85/75/55%, cap 80,000; critical-illness deductible 10,000, 50% from the first
segment; assistance 70%), unless a test overrides them.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from doudi.engine.settlement import BillError, parse_bills, settle

POOR_ID = "360102198005120025"


def bill(
    bill_id,
    level,
    total,
    in_policy,
    day="2018-03-10",
    who=POOR_ID,
    statuses=("registered_poor",),
    **more,
):
    return {
        "bill_id": bill_id,
        "id_number": who,
        "admission_date": "2018-01-01",
        "discharge_date": day,
        "hospital_level": level,
        "total_cost": total,
        "in_policy_cost": in_policy,
        "statuses": list(statuses),
        **more,
    }


def paid(result):
    return {
        layer["payer"]: layer["amount"] for layer in result["layers"] if layer["amount"] != "0.00"
    }


def test_JX_2017_58_2_2_4_no_deductible_ci_fund_pays_the_400_standard():
    (r,) = settle("360000", parse_bills([bill("B1", 2, 12000, 10000)]))
    # level 2, poor: standard 400 by critical illness; basic 80% × (10000 − 400) = 7680.00;
    # burden 10000 − 7680 − 400 = 1920 < halved CI deductible 5000 → CI layer 0;
    # assistance 70% × 1920 = 1344.00; patient 576.00 + out of policy 2000.00 = 2576.00
    assert paid(r) == {"basic": "7680.00", "critical_illness": "400.00", "assistance": "1344.00"}
    assert (r["deductible_paid"], r["patient_pays"]) == ("0.00", "2576.00")
    assert r["basis"] == ["JX-2017-58/2.2.4", "JX-2017-58/2.2.5"]


def test_JX_2017_58_2_2_4_standard_capped_at_a_small_bill():
    (r,) = settle("360000", parse_bills([bill("B1", 1, 80, 80)]))
    # level 1 standard 100 > in-policy 80: the fund pays the whole 80.00; nothing left
    assert paid(r) == {"critical_illness": "80.00"} and r["patient_pays"] == "0.00"


def test_JX_2017_58_2_2_5_ci_deductible_halved_and_accumulated_over_the_year():
    bills = [bill("B1", 2, 12000, 10000), bill("B2", 3, 60000, 50000, day="2018-05-20")]
    _, r = settle("360000", parse_bills(bills))
    # B2 level 3: deductible 800; basic 60% × 49200 = 29520.00; burden 50000 − 29520 = 20480;
    # year burden 1920 + 20480 = 22400, above 5000 (10000 halved) this bill: 17400 × 80% = 13920.00
    # assistance 70% × (20480 − 13920 = 6560) = 4592.00; patient 1968.00
    assert paid(r) == {"basic": "29520.00", "critical_illness": "13920.00", "assistance": "4592.00"}
    assert r["patient_in_policy"] == "1968.00"


def test_JX_2017_58_2_2_5_basic_cap_100000_reached_mid_bill():
    bills = [bill("B1", 3, 150000, 150000), bill("B2", 3, 50000, 50000, day="2018-06-01")]
    first, second = settle("360000", parse_bills(bills))
    # B1: 60% × (150000 − 800) = 89520.00; B2 uncapped 60% × 49200 = 29520 but the year's
    # cap is 100000: 100000 − 89520 = 10480.00
    assert paid(first)["basic"] == "89520.00"
    assert paid(second)["basic"] == "10480.00"


def test_SD_2017_37_2_2_registered_poor_half_deductible_plus_5_points():
    poor, other = settle(
        "370000",
        parse_bills(
            [
                bill("P", 2, 40000, 40000, who="370102198802140063"),
                bill("N", 2, 40000, 40000, who="370102197001010088", statuses=()),
            ]
        ),
    )
    # basic: 75% × (40000 − 500) = 29625.00; burden 10375
    # poor: CI deductible 5000, rate 50% + 5 = 55%: 5375 × 0.55 = 2956.25;
    #       assistance 70% × 7418.75 = 5193.125 → 5193.13; patient 2225.62
    assert paid(poor) == {
        "basic": "29625.00",
        "critical_illness": "2956.25",
        "assistance": "5193.13",
    }
    assert poor["patient_pays"] == "2225.62"
    # not poor: deductible 10000, 50%: 375 × 0.5 = 187.50; no assistance; 10187.50
    assert paid(other) == {"basic": "29625.00", "critical_illness": "187.50"}
    assert other["patient_pays"] == "10187.50"


def test_the_example_parameters_are_named_in_words_not_by_their_paths():
    """Issue #23 §1: the note listed ``medical_settlement.assistance_rate = 0.7``."""
    b = bill("B1", 2, 12000, 10000, statuses=("dibao",))
    (r,) = settle("370000", parse_bills([b]), {"medical_settlement.assistance_rate": "0.5"})
    note = r["explanation"].split("本结果使用了文件未规定的参数：")[1]
    assert "基本医保年度累计最高支付限额（元）：80000.00元（示例参数，需按本地政策配置）" in note
    assert "民政医疗救助对困难群体政策范围内个人负担的救助比例：50%（场景覆盖值）" in note
    assert "medical_settlement." not in note


def _note(result):
    return result["explanation"].split("本结果使用了文件未规定的参数：")[1]


def test_the_note_lists_only_the_values_the_bill_used():
    """Issue #23 §1: every bill's note listed every example value the year's rules read,
    the 15-disease quota table under a bill without a disease, the deductibles of every
    hospital level under a level-3 stay."""
    plain, ill = settle(
        "360000",
        parse_bills(
            [
                bill("B1", 3, 12000, 10000, day="2018-02-01", statuses=()),
                bill("B2", 2, 60000, 50000, disease="胃癌"),
            ]
        ),
    )
    note = _note(plain)
    assert "基本医保住院起付线（每次住院，按医院级别，元）：三级医院800.00元（" in note
    assert "基本医保政策范围内住院费用报销比例（按医院级别）：三级医院55%（" in note
    assert "二级医院" not in note and "病种定额" not in note and "门诊特殊慢性病" not in note
    assert "15种重大疾病的病种定额（元，示例）：胃癌40000.00元（示例参数" in _note(ill)
    assert "肺癌" not in _note(ill)


def test_JX_2017_58_2_2_5_a_poor_persons_bill_lists_no_example_their_own_rate_replaced():
    """The poor's 80% at a level-2 hospital, 100,000 cap and critical-illness rates are
    the document's (JX-2017-58/2.2.5): the examples they replace are not in the note."""
    poor, other = settle(
        "360000",
        parse_bills(
            [bill("P1", 2, 12000, 10000), bill("N1", 2, 12000, 10000, "2018-02-01", statuses=())]
        ),
    )
    note = _note(poor)
    assert "住院费用报销比例" not in note and "年度累计最高支付限额" not in note
    assert "大病保险分段报销比例" not in note
    assert "大病保险年度起付标准（元，按年度累计政策范围内个人负担计算）：10000.00元（" in note
    assert "基本医保政策范围内住院费用报销比例（按医院级别）：二级医院75%（" in _note(other)
    assert "大病保险分段报销比例" in _note(other)


def test_a_chronic_claim_lists_its_own_rate_and_cap_not_the_inpatient_ones():
    (r,) = settle(
        "360000",
        parse_bills([bill("C1", 1, 2000, 2000, claim_type="chronic_2", statuses=())]),
    )
    note = _note(r)
    assert "门诊特殊慢性病报销比例（按医院级别）：一级医院80%（" in note
    assert "门诊特殊慢性病年度最高支付限额：I类、II类（元）：门诊慢特病二类3000.00元（" in note
    assert "住院起付线" not in note and "住院费用报销比例" not in note


#: Supplementary insurance, the tilt rate and assistance off: only the basic layer and the
#: 10 % top-up pay.
NO_HELP = {
    "medical_settlement.supplementary_rate": 0,
    "medical_settlement.tilt_rate": 0,
    "medical_settlement.assistance_rate": 0,
}


def test_PZH_2018_195_2_2_personal_share_at_most_10_percent_in_county():
    b = bill("B", 2, 20000, 20000, who="510402197505050019", in_county=True)
    (r,) = settle("510400", parse_bills([b]), NO_HELP)
    # basic 75% × 19500 = 14625.00; left 5375 > 10% × 20000 = 2000: tilt tops up 3375.00
    assert paid(r) == {"basic": "14625.00", "tilt": "3375.00"}
    assert r["patient_in_policy"] == "2000.00"
    outside = dict(b, in_county=False)
    (r,) = settle("510400", parse_bills([outside]), NO_HELP)
    assert r["patient_in_policy"] == "5375.00"  # outside the county the 10% rule does not apply


def test_PZH_2018_195_2_2_explanation_names_the_tilt_payment_once():
    """The layer is called 倾斜支付: "倾斜支付支付3375.00元" doubled the verb."""
    b = bill("B", 2, 20000, 20000, who="510402197505050019", in_county=True)
    (r,) = settle("510400", parse_bills([b]), NO_HELP)
    # as above: basic 75% × 19500 = 14625.00, tilt tops up 5375 − 2000 = 3375.00
    assert "基本医疗保险支付14625.00元；倾斜支付3375.00元；" in r["explanation"]
    assert "支付支付" not in r["explanation"]


@pytest.mark.parametrize("cell", ["false", "否", "0", "县域外"])
def test_PZH_2018_195_2_2_a_csv_cell_saying_no_is_outside_the_county(cell):
    """A CSV gives text: "false" or 否 must not read as true (bool("false") is)."""
    b = bill("B", 2, 20000, 20000, who="510402197505050019", in_county=cell)
    (r,) = settle("510400", parse_bills([b]), NO_HELP)
    # no 10% top-up outside the county: the patient keeps 20000 − 14625 = 5375.00
    assert r["patient_in_policy"] == "5375.00"
    with pytest.raises(BillError, match="in_county"):
        parse_bills([dict(b, in_county="也许")])


def test_PZH_2018_195_2_4_non_compliant_costs_borne_by_the_hospital():
    b = bill("B", 2, 22000, 20000, who="510402197505050019", non_compliant_cost=1000)
    (r,) = settle("510400", parse_bills([b]))
    assert r["hospital_bears"] == "1000.00"
    assert r["out_of_policy"] == "1000.00"  # 22000 − 20000 − 1000
    assert "PZH-2018-195/2.4" in r["basis"]


def test_bad_bills_are_named_with_field_and_reason():
    bad = [
        bill("X1", 2, 100, 200),
        dict(bill("X2", 7, 100, 50), discharge_date="2017-12-01"),
        bill("X3", 2, -5, 0),
    ]
    with pytest.raises(BillError) as err:
        parse_bills(bad)
    text = "\n".join(err.value.problems)
    assert (
        "单据 X1，字段 政策范围内费用（in_policy_cost）："
        "政策范围内费用200.00加不合规费用0.00超过总费用100.00" in text
    )
    assert (
        "单据 X2，字段 出院日期（discharge_date）：出院日期 2017-12-01 早于入院日期 2018-01-01"
        in text
    )
    assert "单据 X2，字段 医院等级（hospital_level）" in text
    assert "单据 X3，字段 总费用（total_cost）：金额不能为负数" in text


PEOPLE = ["360102198005120025", "360102200503010048", "360102199001010077"]


@st.composite
def a_year_of_bills(draw):
    out = []
    # a person's statuses are facts of the person, the same on every bill
    held = {who: draw(st.sampled_from([[], ["registered_poor"], ["dibao"]])) for who in PEOPLE}
    claims = st.sampled_from(["inpatient", "inpatient", "chronic_1", "chronic_2", "childbirth"])
    for i in range(draw(st.integers(1, 6))):
        total = draw(st.integers(0, 300000))
        in_policy = draw(st.integers(0, total))
        non_compliant = draw(st.integers(0, total - in_policy))
        day = date(2018, 1, 1) + timedelta(days=draw(st.integers(0, 364)))
        who = draw(st.sampled_from(PEOPLE))
        out.append(
            {
                "bill_id": f"B{i}",
                "id_number": who,
                "admission_date": day,
                "discharge_date": day,
                "hospital_level": draw(st.sampled_from(["1", "2", "3", "referral_out"])),
                "in_county": draw(st.booleans()),
                "total_cost": total,
                "in_policy_cost": in_policy,
                "non_compliant_cost": non_compliant,
                "statuses": held[who],
                "claim_type": draw(claims),
                "disease": draw(st.sampled_from([None, None, "胃癌", "肺癌"])),
                "special_drug_cost": draw(st.integers(0, in_policy)),
            }
        )
    return draw(st.sampled_from(["360000", "370000", "510400", "130000"])), out


@pytest.mark.slow
@settings(max_examples=25, deadline=None)
@given(a_year_of_bills())
def test_layers_add_up_caps_hold_and_one_at_a_time_equals_the_year(case):
    code, bills = case
    rows = parse_bills(bills)
    year = settle(code, rows)
    for r in year:
        layers = sum((Decimal(x["amount"]) for x in r["layers"]), Decimal(0))
        assert layers + Decimal(r["patient_in_policy"]) == Decimal(r["in_policy_cost"])
        assert min(Decimal(x["amount"]) for x in r["layers"]) >= 0
        total = layers + Decimal(r["patient_pays"]) + Decimal(r["hospital_bears"])
        assert total == Decimal(r["total_cost"])
    # the basic layer's yearly cap per person and cap group (inpatient; chronic I; chronic II),
    # special-drug top-ups aside (they are the class-B subsidy, not the capped layer)
    basic_by_person: dict[tuple[str, str], Decimal] = {}
    for row, r in zip(rows, year, strict=True):
        if row["special_drug_cost"]:
            continue
        group = row["claim_type"] if row["claim_type"].startswith("chronic") else "inpatient"
        key = (r["id_number"], group)
        basic_by_person[key] = basic_by_person.get(key, Decimal(0)) + Decimal(
            r["layers"][0]["amount"]
        )
    assert all(v <= 100000 for v in basic_by_person.values())
    if code == "510400":  # PZH-2018-195/2.2: at most 10% for registered poor in the county
        for row, r in zip(rows, year, strict=True):
            if row["in_county"] and "registered_poor" in row["held"]:
                bound = (Decimal(r["in_policy_cost"]) * Decimal("0.1")).quantize(Decimal("0.01"))
                assert Decimal(r["patient_in_policy"]) <= bound
    # settling in discharge order, each bill with only the bills before it
    order = sorted(range(len(rows)), key=lambda i: (rows[i]["discharge_date"], i))
    for k, i in enumerate(order):
        prefix = [rows[j] for j in order[: k + 1]]
        alone = settle(code, prefix)[-1]
        assert alone == year[i]


def test_scenario_bills_use_the_peoples_statuses_on_the_discharge_date():
    import doudi

    scenario = {
        "jurisdiction": "360000",
        "year": 2018,
        "people": [
            {
                "id_number": POOR_ID,
                "statuses": [{"status": "dibao", "from": "2018-04-01"}],
                "resident_pension": {"enrolled": True},
            }
        ],
        "bills": [
            {k: v for k, v in bill("before", 2, 10000, 10000).items() if k != "statuses"},
            {
                k: v
                for k, v in bill("after", 2, 10000, 10000, day="2018-06-01").items()
                if k != "statuses"
            },
        ],
    }
    before, after = doudi.evaluate(scenario)["bills"]
    # 10 March: not yet dibao → base rules: deductible 500, 75% × 9500 = 7125.00
    assert paid(before) == {"basic": "7125.00"} and before["deductible_paid"] == "500.00"
    # 1 June: dibao → no deductible, 400 standard, 80% × 9600 = 7680.00
    assert paid(after)["basic"] == "7680.00" and paid(after)["critical_illness"] == "400.00"


def test_scenario_bill_for_someone_not_in_the_scenario_is_an_error():
    import doudi
    from doudi.engine.scenario import ScenarioError

    scenario = {
        "jurisdiction": "360000",
        "year": 2018,
        "people": [{"id_number": POOR_ID}],
        "bills": [bill("X", 2, 100, 100, who="360102199001010077")],
    }
    with pytest.raises(ScenarioError, match="people 中没有此人"):
        doudi.evaluate(scenario)


def test_JX_2017_58_2_2_5_chronic_class_II_cap_5000_separate_from_inpatient():
    bills = [
        bill("C1", 1, 3000, 3000, claim_type="chronic_2", day="2018-02-01"),
        bill("H", 3, 10000, 10000, day="2018-03-01"),
        bill("C2", 1, 3000, 3000, claim_type="chronic_2", day="2018-04-01"),
    ]
    c1, _, c2 = settle("360000", parse_bills(bills))
    # 90% × 3000 = 2700.00; the second reaches the class-II cap: 5000 − 2700 = 2300.00
    assert paid(c1)["basic"] == "2700.00" and c1["deductible_paid"] == "0.00"
    assert paid(c2)["basic"] == "2300.00"


def test_JX_2017_58_2_2_6_major_disease_quota_80_percent_at_level_2():
    (r,) = settle("360000", parse_bills([bill("M", 2, 50000, 50000, disease="胃癌")]))
    # quota 40000 (example): 80% × 40000 = 32000.00, critical illness included;
    # burden 50000 − 32000 = 18000; assistance 70% = 12600.00; patient 5400.00
    assert paid(r) == {"basic": "32000.00", "assistance": "12600.00"}
    assert r["patient_pays"] == "5400.00"
    assert "JX-2017-58/2.2.6" in r["basis"]


def test_HE_2018_3_2_2_3_childbirth_fixed_amount():
    b = bill("B", 2, 3000, 3000, who="130281198811110209", statuses=(), claim_type="childbirth")
    (r,) = settle("130000", parse_bills([b]))
    # fixed amount 1500 (example); the rest 1500 stays under the CI deductible
    assert paid(r) == {"basic": "1500.00"} and r["patient_pays"] == "1500.00"
    assert r["basis"] == ["HE-2018-3/2.2.3"]


def test_SD_2017_37_2_2_special_drugs_no_deductible_then_class_b_top_up():
    b = bill("S", 2, 40000, 40000, who="370102198802140063", special_drug_cost=10000)
    (r,) = settle("370000", parse_bills([b]))
    # basic on the 30000 outside the special drugs: 75% × (30000 − 500) = 22125.00
    # burden 40000 − 22125 = 17875; CI on 17875 − 10000 = 7875 above 5000: 2875 × 55% = 1581.25
    # special drugs without deductible: 10000 × 55% = 5500.00 → CI 7081.25
    # class-B top-up by the basic fund: 50% (example) × (10000 − 5500) = 2250.00 → basic 24375.00
    # left 17875 − 1581.25 − 5500 − 2250 = 8543.75; assistance 70% = 5980.63; patient 2563.12
    assert paid(r) == {"basic": "24375.00", "critical_illness": "7081.25", "assistance": "5980.63"}
    assert r["patient_pays"] == "2563.12"


def test_a_cap_that_rises_mid_year_leaves_its_room():
    # Not poor in March: 55% × (160000 − 800) = 87560 uncapped, paid up to the 80000 cap.
    # Tekun from August: Jiangxi's cap is 100000; the September bill's 60% × (50000 − 800)
    # = 29520 is paid up to the room left: 100000 − 80000 = 20000.00
    bills = [
        bill("Mar", 3, 160000, 160000, day="2018-03-10", statuses=()),
        bill("Sep", 3, 50000, 50000, day="2018-09-10", statuses=("tekun",)),
    ]
    first, second = settle("360000", parse_bills(bills))
    assert paid(first)["basic"] == "80000.00"
    assert paid(second)["basic"] == "20000.00"


def test_a_cap_once_granted_is_not_taken_back_and_never_exceeded():
    # Poor in March: 60% × (200000 − 800) = 119520, paid up to 100000. Not poor in May
    # (base cap 80000) and poor again in July: the year has used the 100000 granted,
    # so nothing more is paid, and the year's basic total stays 100000.00
    bills = [
        bill("Mar", 3, 200000, 200000, day="2018-03-10", statuses=("tekun",)),
        bill("May", 3, 10000, 10000, day="2018-05-10", statuses=()),
        bill("Jul", 3, 30000, 30000, day="2018-07-10", statuses=("tekun",)),
    ]
    results = settle("360000", parse_bills(bills))
    assert [paid(r).get("basic", "0.00") for r in results] == ["100000.00", "0.00", "0.00"]


def test_a_screened_out_bill_names_its_field_and_reason():
    """What an import reports per rejected row: the bill, the field (the column), and
    the reason, and the Chinese sentence a user reads, from the same problem."""
    from doudi.engine.settlement import screen_bills

    bill = {
        "bill_id": "ZY-7",
        "id_number": "11010519491231002X",
        "admission_date": "2018-03-01",
        "discharge_date": "2018-02-01",
        "hospital_level": 2,
        "total_cost": "1000",
    }
    rows, problems = screen_bills([bill, "not a bill"])
    assert rows == []
    by_field = {p.field: p for p in problems}
    assert set(by_field) == {"discharge_date", "in_policy_cost", ""}
    assert by_field["in_policy_cost"].reason == "不能为空"
    assert (
        by_field["in_policy_cost"] == "单据 ZY-7，字段 政策范围内费用（in_policy_cost）：不能为空"
    )
    assert by_field["discharge_date"].bill == "ZY-7"
    assert by_field[""] == "第2张单据：应为映射（键: 值）"
