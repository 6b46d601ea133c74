"""Exact money: yuan as ``Decimal`` rounded to the fen, and exact splits.

Why: a float loses fen on a province's totals (openfisca-core #1378 lost 8
units on 68 million), and finance reconciles to the fen. Every amount in
Doudi passes through :func:`yuan`; every split between payers passes through
:func:`split`, which always adds up to the whole.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from fractions import Fraction

FEN = Decimal("0.01")
ZERO = Decimal("0.00")


#: The largest amount the registry holds: DECIMAL(18, 2), 16 digits before the point.
LIMIT = Decimal("9999999999999999.99")


class MoneyError(ValueError):
    """An amount that cannot be read as yuan; the message is in Chinese."""


def given(value: object, what: str = "金额") -> Decimal:
    """An amount someone gave (a file's cell, a scenario, a form, a parameter override),
    read exactly: a number with at most two decimals within DECIMAL(18, 2).

    Unlike :func:`yuan`, which rounds what Doudi computes, nothing is rounded here: an
    amount of 0.005 or 1e30 is a mistake in the input, said in Chinese, not a value.
    """
    if isinstance(value, bool | float):
        raise MoneyError(f"{what}不能用浮点数表示：{value!r}（请用字符串或整数）")
    try:
        amount = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise MoneyError(f"{what}应为数字，实为 {str(value)[:40]!r}") from None
    if not amount.is_finite():
        raise MoneyError(f"{what}必须是有限数：{str(value)[:40]!r}")
    if abs(amount) > LIMIT:
        raise MoneyError(f"{what}超出上限（最多16位整数）：{str(value)[:40]!r}")
    if amount != amount.quantize(FEN, rounding=ROUND_HALF_UP):
        raise MoneyError(f"{what}最多两位小数（到分），实为 {str(value)[:40]!r}")
    return amount.quantize(FEN)


def yuan(value: object) -> Decimal:
    """Read ``value`` as yuan rounded half-up to the fen.

    Accepts ``Decimal``, ``int`` and numeric strings. Floats are refused: a
    float has already lost the exact value the caller meant.
    """
    if isinstance(value, bool | float):
        raise MoneyError(f"金额不能用浮点数表示：{value!r}（请用字符串或整数）")
    try:
        amount = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except (InvalidOperation, ValueError) as exc:
        raise MoneyError(f"无法识别的金额：{value!r}") from exc
    if not amount.is_finite():
        raise MoneyError(f"金额必须是有限数：{value!r}")
    return amount.quantize(FEN, rounding=ROUND_HALF_UP)


def fmt(amount: Decimal) -> str:
    """Money as the scenario contract prints it: a string with two decimals."""
    return f"{yuan(amount):.2f}"


def split(total: Decimal, weights: Mapping[str, Decimal | int]) -> dict[str, Decimal]:
    """Split ``total`` between payers by ``weights`` so the parts add up exactly.

    Largest-remainder method on whole fen: each payer first gets the floor of
    its exact share; the fen left over go one each to the payers with the
    largest remainders (ties: the order of ``weights``). Payers with weight 0
    get 0.00. Hebei's 1:1:1 split of 100.00 gives 33.34, 33.33, 33.33.
    """
    total = yuan(total)
    if not weights:
        raise MoneyError("分担比例为空，无法分摊金额")
    # Exact rational arithmetic: a Decimal quotient rounds at 28 digits, which
    # can reorder two equal remainders (1/14 vs 8/14 shares of 48 fen).
    ws = {payer: Fraction(Decimal(w)) for payer, w in weights.items()}
    if any(w < 0 for w in ws.values()):
        raise MoneyError(f"分担比例不能为负数：{dict(weights)}")
    weight_sum = sum(ws.values(), Fraction(0))
    if weight_sum == 0:
        raise MoneyError(f"分担比例之和为零：{dict(weights)}")
    sign = -1 if total < 0 else 1
    total_fen = int(abs(total) / FEN)
    exact = {p: total_fen * w / weight_sum for p, w in ws.items()}
    floors = {p: math.floor(x) for p, x in exact.items()}
    leftover = total_fen - sum(floors.values())
    order = sorted(ws, key=lambda p: (-(exact[p] - floors[p]), list(ws).index(p)))
    for payer in order[:leftover]:
        floors[payer] += 1
    return {p: (Decimal(sign * f) * FEN).quantize(FEN) for p, f in floors.items()}
