from datetime import date
from decimal import Decimal

import pytest

from doudi.policy import clauses, parameters
from doudi.policy.parameters import ParameterError, _load_file
from doudi.policy.params import MissingParameter, Params


def test_every_value_is_cited_or_marked_local_config():
    registry = clauses.registry()
    for (_, path), param in parameters.load_all().items():
        for effective, _value, basis in param.values:
            if basis is not None:
                assert basis in registry, f"{path} {effective}: unknown clause {basis}"


def test_loading_fails_on_an_uncited_value():
    text = "description: x\nunit: yuan\nvalues:\n  2018-01-01:\n    value: 100\n"
    with pytest.raises(ParameterError, match="local-config"):
        _load_file("resident_pension.x", "500000", text, "test.yaml")


def test_tangshan_inherits_hebei():
    v = parameters.lookup("resident_pension.payer_weights", "130200", date(2018, 12, 31))
    assert v is not None and v.jurisdiction == "130000" and v.basis == "HE-2018-3/2.1.1"


def test_panzhihua_overrides_sichuan_which_inherits_national():
    pzh = parameters.lookup("resident_pension.minimum_tier", "510400", date(2018, 12, 31))
    assert pzh is not None and pzh.value == Decimal(100) and pzh.basis == "PZH-2018-195/1.1"
    sc = parameters.lookup("resident_pension.minimum_tier", "510000", date(2018, 12, 31))
    assert sc is not None and sc.jurisdiction == "000000" and sc.local_config


def test_a_null_value_ends_a_policy_without_falling_back_to_the_parent():
    # CQ-2018-82/2.1.1: 从2018年到2020年 — nothing in force in 2021
    assert (
        parameters.lookup("resident_pension.gov_paid_in_force", "500000", date(2021, 12, 31))
        is None
    )
    p = Params("500000", 2021)
    with pytest.raises(MissingParameter, match="2021"):
        p.get("resident_pension.gov_paid_in_force")


def test_minimum_tier_path_is_documented_and_overridable():
    p = Params("500000", 2018, {"resident_pension.minimum_tier": 120})
    assert p.get("resident_pension.minimum_tier") == Decimal(120)
    assert p.local_config_used("general")[0].override


def test_unknown_override_path_is_rejected_in_chinese():
    with pytest.raises(ParameterError, match="未知的参数路径"):
        Params("500000", 2018, {"resident_pension.no_such": 1})


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("abc", "无法识别的值 'abc'"),
        ("1e30", "数值超出范围"),
        ("100.005", "最多两位小数"),
        ("NaN", "数值超出范围"),
    ],
)
def test_a_wrong_override_is_a_chinese_error_not_a_traceback(value, reason):
    """Issue #19 §4: a non-numeric, huge or sub-fen override of an amount crashed with
    decimal.InvalidOperation; it is refused naming the parameter."""
    with pytest.raises(ParameterError, match=reason) as caught:
        Params("500000", 2018, {"resident_pension.minimum_tier": value})
    assert "参数覆盖 resident_pension.minimum_tier" in str(caught.value)


def test_docs_parameters_md_lists_every_parameter():
    from conftest import REPO

    doc = (REPO / "docs" / "parameters.md").read_text("utf-8")
    for code, path in parameters.load_all():
        assert f"| `{path}` |" in doc and code in doc, (
            f"{path} ({code}) missing: run scripts/gen_parameters_doc.py"
        )
