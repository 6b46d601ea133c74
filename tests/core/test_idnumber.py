from datetime import date

import pytest

from doudi.core.idnumber import IdNumberError, check_character, parse, upgrade_15


def test_valid_number_gives_birth_date_sex_region():
    n = parse("500102196503150128")
    assert n.birth_date == date(1965, 3, 15)
    assert n.sex == "female"  # 17th digit 2 is even
    assert n.region_code == "500102"


def test_check_character_iso_7064_mod_11_2():
    # GB 11643-1999's own example: 11010519491231002X
    assert check_character("11010519491231002") == "X"
    assert parse("11010519491231002x").value == "11010519491231002X"


def test_wrong_check_character_says_which_is_expected():
    with pytest.raises(IdNumberError, match="应为X"):
        parse("110105194912310021")


def test_fifteen_digits_are_upgraded():
    # 15-digit 110105491231002 → insert 19 → 11010519491231002 + X
    assert upgrade_15("110105491231002") == "11010519491231002X"
    assert parse("110105491231002").value == "11010519491231002X"


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("12345", "长度应为18位"),
        ("99010519491231002X", "地址码"),
        ("110105194913310021", "出生日期"),
        ("11010519491231A02X", "前17位应为数字"),
    ],
)
def test_errors_are_chinese_and_specific(raw, message):
    with pytest.raises(IdNumberError, match=message):
        parse(raw)


def test_full_width_digits_and_spaces_are_normalised():
    assert parse(" ５００１０２１９６５０３１５０１２８ ").value == "500102196503150128"


def test_only_ascii_digits_make_an_id_number():
    # Python's \d also matches Arabic-Indic digits (٩); an ID number has 0-9 only
    with pytest.raises(IdNumberError):
        parse("1101051٩4٩1231002X")


def test_a_mistyped_id_number_of_16_or_17_digits_in_a_text_is_masked_too():
    """Issue #19 §5: a reason quoting a cell with a digit missing showed the number whole."""
    from doudi.core.idnumber import mask_in_text

    assert (
        mask_in_text("第 3 行：36010219800101123（17 位）") == "第 3 行：3601*********1123（17 位）"
    )
    assert mask_in_text("3601021980010112") == "3601********0112"
    # a 19-digit bank account and a 14-digit reference are not ID numbers
    assert mask_in_text("账号 6217000000000000011") == "账号 6217000000000000011"
    assert mask_in_text("流水号 20180101000001") == "流水号 20180101000001"
