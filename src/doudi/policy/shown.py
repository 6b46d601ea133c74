"""Parameter values as a caseworker reads them (issue #23 §1).

A parameter file stores what the rules compute with: ``{'1': 200, '2': 500}``, ``0.85``,
``true``, ``[registered_poor, dibao]``. The policy page and every "本结果使用了文件未规定的
参数" note showed those as Python printed them; a caseworker reads 一级医院 200.00元,
85%, 是, 建档立卡贫困人口. This module is the one place that turns a value into those
words, so that the page, the explanations and the ledger's note agree.

What a keyed value's keys and numbers mean is not in the unit (``weights`` holds deductibles
by hospital level, rates by hospital level and payers' weights alike): the parameter's
name says it (``…_rate`` a share, ``…payer_weights`` a split, the rest amounts), and the
keys are read through the vocabulary their programme uses.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from doudi.core import regions, vocab
from doudi.core.money import fmt


def yuan(amount: Any) -> str:
    """An amount with two decimals and its unit: 200 → 200.00元."""
    return f"{fmt(Decimal(str(amount)))}元"


def percent(share: Any) -> str:
    """A share as a percentage: 0.85 → 85%, 0.035 → 3.5%, 1 → 100%."""
    value = (Decimal(str(share)) * 100).normalize()
    return f"{value:f}%"


def day(value: date) -> str:
    """A date in the one style pages, exports and prints use (docs/web.md): 2018-03-10."""
    return value.isoformat()


def _name(path: str) -> str:
    return path.rsplit(".", 1)[-1]


def _number_kind(path: str) -> str:
    """What the numbers of a keyed value are: ``share``, ``weight`` or ``yuan``."""
    name = _name(path)
    if name.endswith("_rate") or name == "ci_segments":
        return "share"
    if name.endswith("payer_weights"):
        return "weight"
    return "yuan"


def _key(path: str, key: Any) -> str:
    """A key of a keyed value in words: a hospital level, a claim type, a payer, a
    certificate level, an amount; a disease's name is already its own."""
    code = str(key)
    program, name = path.split(".", 1) if "." in path else ("", path)
    if name == "ci_segments":
        return f"累计{yuan(code)}以上"
    if name.endswith("payer_weights"):
        return vocab.PAYER.label(code)
    if program == "unemployment" and code in vocab.CERTIFICATE_LEVEL:
        return vocab.CERTIFICATE_LEVEL.label(code)
    if program == "medical_settlement" and code in vocab.HOSPITAL_LEVEL:
        return vocab.HOSPITAL_LEVEL[code] + ("" if code == "referral_out" else "医院")
    if code in vocab.CLAIM_TYPE:
        return vocab.CLAIM_TYPE.label(code)
    if isinstance(key, Decimal | int):
        return f"缴费{yuan(key)}" if name == "subsidy_table" else yuan(key)
    return code


def _number(path: str, value: Any) -> str:
    if _name(path) == "subsidy_table":  # 缴费100.00元 → 补贴30.00元
        return f"补贴{yuan(value)}"
    kind = _number_kind(path)
    if kind == "share":
        return percent(value)
    if kind == "weight":
        return f"{Decimal(str(value)).normalize():f}"
    return yuan(value)


def entries(path: str, value: Any) -> list[tuple[str, str]] | None:
    """A keyed value (unit ``weights`` or ``table``) as rows of (key, value) in words,
    for a table on the policy page; ``None`` for any other value, and for a payers'
    split, which reads better as the documents word it (:func:`text`)."""
    if not isinstance(value, dict) or _number_kind(path) == "weight":
        return None
    return [(_key(path, k), _number(path, v)) for k, v in value.items()]


def _item(path: str, code: Any) -> str:
    """An item of a list or a text value: a status, a payer, a region in words."""
    text = str(code)
    for words in (vocab.STATUS, vocab.PAYER):
        if text in words:
            return words.label(text)
    name = regions.region_name(text) if text.isdigit() and len(text) == 6 else None
    return f"{name}（{text}）" if name else text


def text(path: str, value: Any, unit: str | None) -> str:
    """The whole value on one line, as a note quotes it: 一级医院200.00元、二级医院500.00元;
    a payers' split as 省级财政、设区市财政按1:1:1分担. ``unit``: the parameter's
    (parameters.UNITS), ``None`` where no file describes it (then read from the value)."""
    if value is None:
        return "无"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, date):
        return day(value)
    if isinstance(value, dict):
        if _number_kind(path) == "weight":
            return _split(value)
        return "、".join(f"{k}{v}" for k, v in entries(path, value) or [])
    if isinstance(value, tuple | list):
        each = yuan if unit == "amounts" else lambda x: _item(path, x)
        return "、".join(each(x) for x in value)
    if unit == "yuan":
        return yuan(value)
    if unit == "share":
        return percent(value)
    if unit == "months":
        return f"{value}个月"
    if unit == "years":  # an age (年满16周岁) or a span (提前5年)
        return f"{value}周岁" if "age" in _name(path).split("_") else f"{value}年"
    return _item(path, value)


def _split(weights: dict[str, Any]) -> str:
    """Payers' weights as the documents word a split: 财政全额承担, or 省级财政、设区市
    财政、县（市、区）财政按1:1:1分担 (a payer of weight 0 pays nothing and is left out)."""
    paying = {k: Decimal(str(v)) for k, v in weights.items() if Decimal(str(v))}
    names = [vocab.PAYER.label(k) for k in paying]
    if len(names) == 1:
        return f"{names[0]}全额承担"
    ratio = ":".join(f"{w.normalize():f}" for w in paying.values())
    return f"{'、'.join(names)}按{ratio}分担"
