"""GB 11643-1999 citizen identity numbers (公民身份号码).

Structure: 6-digit address code (GB/T 2260), 8-digit birth date, 3-digit
sequence (odd for men, even for women), 1 check character computed by
ISO 7064 MOD 11-2. Fifteen-digit numbers (issued before 1999) have a 2-digit
year and no check character; :func:`upgrade_15` turns them into 18 digits.

Every error is an :class:`IdNumberError` whose message tells a caseworker in
Chinese what is wrong, e.g. which check character was expected; a number it quotes
is masked (:func:`mask`), since the message reaches pages, job results and logs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from doudi.core.regions import province_of, region_name

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"
_FULLWIDTH = str.maketrans("０１２３４５６７８９Ｘｘ", "0123456789XX")


class IdNumberError(ValueError):
    """An invalid identity number; the message is in Chinese."""


@dataclass(frozen=True)
class IdNumber:
    """A validated 18-character identity number and what it encodes."""

    value: str
    birth_date: date
    sex: str  # "male" | "female"
    region_code: str

    def __str__(self) -> str:
        return self.value


def check_character(first17: str) -> str:
    """The ISO 7064 MOD 11-2 check character for the first 17 digits."""
    if not re.fullmatch(r"[0-9]{17}", first17):
        raise IdNumberError(f"本体码应为17位数字：{mask(first17)!r}")
    total = sum(int(d) * w for d, w in zip(first17, _WEIGHTS, strict=True))
    return _CHECK[total % 11]


def normalize(raw: str) -> str:
    """Strip spaces, turn full-width digits and a lower-case x into ASCII."""
    return re.sub(r"\s+", "", str(raw)).translate(_FULLWIDTH).upper()


def upgrade_15(number15: str) -> str:
    """Upgrade a 15-digit number (19yymmdd assumed, as GB 11643 prescribes)."""
    digits = normalize(number15)
    if not re.fullmatch(r"[0-9]{15}", digits):
        raise IdNumberError(f"15位身份证号应全部为数字：{mask(number15)!r}")
    first17 = digits[:6] + "19" + digits[6:]
    return first17 + check_character(first17)


def parse(raw: str) -> IdNumber:
    """Validate ``raw`` (15 or 18 characters) and return the 18-digit number.

    Checks, in order: length, characters, address code (province must exist
    in GB/T 2260), birth date (a real calendar date, not in the future and not
    before 1900), check character.
    """
    value = normalize(raw)
    if len(value) == 15:
        value = upgrade_15(value)
    if len(value) != 18:
        raise IdNumberError(
            f"身份证号长度应为18位（或旧版15位），实际为{len(value)}位：{mask(value)!r}"
        )
    if not re.fullmatch(r"[0-9]{17}[0-9X]", value):
        raise IdNumberError(f"身份证号前17位应为数字、末位为数字或X：{mask(value)!r}")
    region = value[:6]
    if province_of(region) is None:
        raise IdNumberError(
            f"身份证号地址码{region}不是有效的行政区划代码（省级代码{region[:2]}不存在）"
        )
    try:
        born = date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError as exc:
        raise IdNumberError(f"身份证号中的出生日期{value[6:14]}不是有效日期") from exc
    if born.year < 1900 or born > date.today():
        raise IdNumberError(f"身份证号中的出生日期{born.isoformat()}不在合理范围内")
    expected = check_character(value[:17])
    if value[17] != expected:
        raise IdNumberError(f"身份证号校验码错误：末位为{value[17]}，按GB 11643-1999应为{expected}")
    sex = "male" if int(value[16]) % 2 == 1 else "female"
    return IdNumber(value=value, birth_date=born, sex=sex, region_code=region)


def mask(id_number: str) -> str:
    """3601**********1234: the first four and last four characters, the rest starred
    (what every page shows; the full number only on the person page, audited)."""
    if len(id_number) <= 8:
        return "*" * len(id_number)
    return id_number[:4] + "*" * (len(id_number) - 8) + id_number[-4:]


#: An ID number inside a text: 15 to 18 characters, digits with a last digit or X, not
#: part of a longer run of letters and digits (a bank account of 19 digits is not one).
#: 16 and 17 are no valid length, but a number typed with a digit missing or doubled is
#: still the person's, and a reason quoting the mistyped cell would show it whole.
_IN_TEXT = re.compile(r"(?<![0-9A-Za-z])([0-9]{14,17}[0-9Xx])(?![0-9A-Za-z])")


def mask_in_text(text: str) -> str:
    """``text`` with every ID number in it masked (:func:`mask`): a rejection reason
    that quotes a cell, an audit row's detail, a job's summary."""
    return _IN_TEXT.sub(lambda m: mask(m.group(1)), text)


def describe(number: IdNumber) -> str:
    """A short Chinese description, e.g. for an explanation header."""
    sex = "男" if number.sex == "male" else "女"
    place = region_name(number.region_code) or number.region_code
    return f"{sex}，{number.birth_date.isoformat()}出生，发证地{place}"
