"""An ID-number error never quotes the number in full (issue #19 §5): its message
reaches import pages, job results and logs, so the number it quotes is masked as on
every page (first four, last four), also a malformed one — 17 digits of a real number
are nearly all of it."""

from __future__ import annotations

import re

import pytest

from doudi.core.idnumber import IdNumberError, check_character, parse, upgrade_15

REAL = "360102198005120025"


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        (REAL[:17], "'3601*********2002'"),  # 17 digits: the check character lost
        (REAL + "1", "'3601***********0251'"),  # 19: a digit typed twice
        ("36010219800512002Y", "'3601**********002Y'"),
        ("３６０１０２１９８００５１２００２Ａ", "'3601**********002Ａ'"),  # full-width
    ],
)
def test_a_quoted_number_is_masked(raw: str, shown: str) -> None:
    with pytest.raises(IdNumberError) as refused:
        parse(raw)
    message = str(refused.value)
    assert shown in message
    assert not re.search(r"[0-9]{9}", message)


def test_the_helpers_mask_what_they_quote() -> None:
    with pytest.raises(IdNumberError, match=r"'3601\*{9}200X'$"):
        check_character(REAL[:16] + "X")
    with pytest.raises(IdNumberError, match=r"'3601\*{7}200X'$"):
        upgrade_15("36010280051200X")
