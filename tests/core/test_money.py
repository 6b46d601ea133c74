from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from doudi.core import money
from doudi.core.money import MoneyError, fmt, split, yuan


def test_yuan_rounds_half_up_to_the_fen():
    assert yuan("0.005") == Decimal("0.01")
    assert yuan("33.335") == Decimal("33.34")
    assert yuan(100) == Decimal("100.00")
    assert fmt(Decimal("70")) == "70.00"


def test_yuan_refuses_floats_and_garbage():
    with pytest.raises(MoneyError, match="浮点数"):
        yuan(0.1)
    with pytest.raises(MoneyError, match="无法识别"):
        yuan("一百元")


def test_split_hebei_thirds_of_100_add_up():
    # HE-2018-3/2.1.1: 1:1:1 → 100.00 = 33.34 + 33.33 + 33.33 (odd fen to the first payer)
    parts = split(Decimal("100.00"), {"province": 1, "city": 1, "county": 1})
    assert parts == {
        "province": Decimal("33.34"),
        "city": Decimal("33.33"),
        "county": Decimal("33.33"),
    }


def test_split_province_direct_county_two_to_one():
    # 100.00 × 2/3 = 66.666… → 66.67; × 1/3 = 33.33; city 0
    parts = split(Decimal("100.00"), {"province": 2, "city": 0, "county": 1})
    assert parts == {
        "province": Decimal("66.67"),
        "city": Decimal("0.00"),
        "county": Decimal("33.33"),
    }


def test_split_rejects_empty_or_zero_weights():
    with pytest.raises(MoneyError):
        split(Decimal("1"), {})
    with pytest.raises(MoneyError):
        split(Decimal("1"), {"a": 0})


@given(
    total=st.decimals(min_value=0, max_value=10**9, places=2),
    weights=st.lists(st.integers(min_value=0, max_value=50), min_size=1, max_size=6).filter(
        lambda w: sum(w) > 0
    ),
)
def test_split_always_adds_up_exactly(total, weights):
    parts = split(total, {f"p{i}": w for i, w in enumerate(weights)})
    assert sum(parts.values()) == yuan(total)
    for i, w in enumerate(weights):
        exact = yuan(total) * w / sum(weights)
        assert abs(parts[f"p{i}"] - exact) < Decimal("0.01")


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("12.345", "最多两位小数"),  # never rounded silently: 12.345 is a mistake
        ("10000000000000000", "超出上限"),  # 17 digits: beyond DECIMAL(18, 2)
        ("七十", "应为数字"),
        (70.5, "浮点数"),
        ("Infinity", "有限数"),
    ],
)
def test_a_given_amount_is_exact_or_refused_in_chinese(value, reason):
    with pytest.raises(MoneyError, match=reason):
        money.given(value, "缴费档次")


def test_a_given_amount_within_the_limits_is_kept_to_the_fen():
    assert money.given("70") == Decimal("70.00")
    assert money.given(" 9999999999999999.99 ") == money.LIMIT
    assert money.given(Decimal("-3.1")) == Decimal("-3.10")
