import datetime as dt
from decimal import Decimal

import pytest

from tests.factories import id_number, uscc
from unionaid.core.identifiers import (
    is_valid_phone,
    is_valid_uscc,
    mask_id_number,
    parse_id_number,
)
from unionaid.core.money import parse_money, to_fen


def test_published_examples():
    parsed = parse_id_number("11010519491231002X")
    assert parsed is not None
    assert parsed.birth_date == dt.date(1949, 12, 31)
    assert parsed.gender == "female"
    assert is_valid_uscc("91350100M000100Y43")
    assert not is_valid_uscc("91350100M000100Y44")


@pytest.mark.parametrize(
    "bad",
    [
        "11010519491231002",  # 17 characters
        "110105194912310021",  # wrong check digit
        "11010519491231002x",  # lowercase x
        "１１０１０５１９４９１２３１００２Ｘ",  # full-width digits
        "320206197502300012",  # 30 February
        " 11010519491231002X",
        "",
    ],
)
def test_invalid_id_numbers(bad):
    assert parse_id_number(bad) is None


def test_impossible_date_with_valid_check_digit_is_refused():
    # Build a number whose check digit is right but whose date (Feb 30) is not.
    first17 = "32020619750230001"
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    check = "10X98765432"[sum(int(c) * w for c, w in zip(first17, weights, strict=True)) % 11]
    assert parse_id_number(first17 + check) is None


def test_generated_ids_and_masking():
    number = id_number(dt.date(1980, 1, 2), male=False)
    parsed = parse_id_number(number)
    assert parsed and parsed.gender == "female" and parsed.birth_date == dt.date(1980, 1, 2)
    assert mask_id_number(number) == number[:3] + "*" * 11 + number[-4:]


@pytest.mark.parametrize("letter", "IOZSV")
def test_uscc_refuses_letters_outside_the_alphabet(letter):
    code = uscc()
    assert is_valid_uscc(code)
    assert not is_valid_uscc(code[:10] + letter + code[11:])


def test_phone():
    assert is_valid_phone("13912345678")
    assert not is_valid_phone("12912345678")
    assert not is_valid_phone("1391234567")
    assert not is_valid_phone("１３９１２３４５６７８")


def test_money_parsing_and_half_up_rounding():
    assert parse_money("3500") == Decimal("3500.00")
    assert parse_money("0.5") == Decimal("0.50")
    for bad in ("-1", "NaN", "Infinity", "1e3", "1.234", "1_000", " 1", "１２", "01", "", 12):
        assert parse_money(bad) is None, bad
    assert to_fen(Decimal("2.345")) == Decimal("2.35")
    assert to_fen(Decimal("2.344")) == Decimal("2.34")


PROVINCES = {11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45}
PROVINCES |= {46, 50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82}


@pytest.mark.parametrize("province", range(10, 100))
def test_an_id_number_names_a_real_province(province):
    # GB/T 2260: a number whose first two digits name no province is refused, check digit or not.
    number = id_number(dt.date(1980, 1, 2), area=f"{province}0101")
    assert (parse_id_number(number) is not None) == (province in PROVINCES)


def test_parsing_leaves_the_birth_date_floor_to_the_setting():
    # 1899 is a real date: whether it is plausible is Plausibility's call (a setting).
    assert parse_id_number(id_number(dt.date(1899, 12, 31))) is not None


# GB 32100-2015 table 1: registration authority -> kinds of organisation it registers.
USCC_TABLE = {
    "1": "1239",
    "2": "19",
    "3": "123459",
    "4": "19",
    "5": "1239",
    "6": "129",
    "7": "129",
    "8": "19",
    "9": "123",
    "A": "19",
    "N": "1239",
    "Y": "1",
}


@pytest.mark.parametrize("authority", "0123456789ABCDEFGHJKLMNPQRTUWXY")
def test_a_credit_codes_authority_and_kind_come_from_the_standards_table(authority):
    for kind in "0123456789ABCDEFGHJKLMNPQRTUWXY":
        code = uscc(kind=authority + kind)
        expected = kind in USCC_TABLE.get(authority, "")
        assert is_valid_uscc(code) == expected, code
