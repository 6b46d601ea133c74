"""Parameter values as a caseworker reads them (issue #23 §1): the policy page and the
notes showed ``{'1': '200', '2': '500'}``, ``0.85`` and ``True``."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from doudi.policy import parameters, shown


def _text(path: str, jurisdiction: str = "000000") -> str:
    value = parameters.lookup(path, jurisdiction, date(2018, 12, 31))
    described = parameters.describe(path, jurisdiction)
    assert value is not None and described is not None
    return shown.text(path, value.value, described.unit)


def test_a_value_by_hospital_level_reads_as_levels_with_yuan():
    assert _text("medical_settlement.basic_deductible") == (
        "一级医院200.00元、二级医院500.00元、三级医院800.00元、转外诊1500.00元"
    )
    rows = shown.entries("medical_settlement.basic_rate", {"1": Decimal("0.85")})
    assert rows == [("一级医院", "85%")]


def test_shares_are_percentages_and_amounts_have_two_decimals():
    assert _text("medical_settlement.assistance_rate") == "70%"
    assert _text("medical_settlement.basic_annual_cap") == "80000.00元"
    assert shown.percent(Decimal("0.035")) == "3.5%"


def test_true_and_false_are_yes_and_no():
    assert _text("resident_pension.requires_enrollment") == "是"
    assert _text("resident_pension.requires_enrollment", "370000") == "否"


def test_lists_name_statuses_and_regions_in_words():
    assert _text("work_injury.poor_worker_statuses") == (
        "建档立卡贫困人口、低保对象、特困人员、重度残疾人"
    )
    assert _text("resident_pension.province_direct_counties", "130000") == (
        "辛集市（130181）、定州市（130682）"
    )


def test_a_payers_split_reads_as_the_documents_word_it():
    """HE-2018-3/2.1.1: 省、设区市、县（市、区）按1:1:1分担."""
    assert _text("resident_pension.payer_weights", "130000") == (
        "省级财政、设区市财政、县（市、区）财政按1:1:1分担"
    )
    assert _text("resident_medical.payer_weights") == "财政全额承担"


def test_ages_are_years_of_age_and_certificates_their_level():
    assert _text("resident_pension.pension_age") == "60周岁"
    assert _text("unemployment.skill_upgrade_amounts", "360000").startswith(
        "三级（高级工）2000.00元"
    )


def test_the_note_cuts_a_table_to_the_entry_the_result_read():
    """PZH-2018-195/1.3: a 300-yuan contribution reads one row of the subsidy table."""
    from doudi.policy import explain

    value = parameters.lookup("resident_pension.subsidy_table", "510400", date(2018, 12, 31))
    assert value is not None
    note = explain.local_config_note(explain.entry_only([value], value.path, Decimal("300.00")))
    assert "：缴费300.00元补贴40.00元（示例参数" in note and "缴费100.00元" not in note
