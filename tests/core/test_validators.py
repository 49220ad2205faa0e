"""Check characters of ID numbers (GB 11643) and credit codes (GB 32100)."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from commandcenter.errors import ValidationError
from commandcenter.services import masking
from commandcenter.services.pinyin import name_initials
from commandcenter.services.validators import (
    USCC_ALPHABET,
    clean_id_number,
    clean_mobile,
    clean_office_phone,
    clean_uscc,
    id_check_char,
    org_code_check_char,
    uscc_check_char,
)


def test_known_id_number() -> None:
    # The worked example of GB 11643-1999.
    assert id_check_char("11010519491231002") == "X"
    assert clean_id_number("11010519491231002x") == "11010519491231002X"


def test_full_width_input_is_normalised() -> None:
    assert clean_id_number("１１０１０５１９４９１２３１００２Ｘ") == "11010519491231002X"
    assert clean_mobile("１３８ ００１３ ８０００") == "13800138000"


def test_known_credit_code() -> None:
    # A published code (a well-known company's), check character included.
    assert clean_uscc("91350100M000100Y43") == "91350100M000100Y43"
    assert org_code_check_char("M000100Y") == "4"


@given(
    st.text(alphabet="0123456789", min_size=6, max_size=6),
    st.dates(min_value=date(1900, 1, 1), max_value=date(2020, 12, 31)),
    st.text(alphabet="0123456789", min_size=3, max_size=3),
)
def test_generated_id_numbers_validate_and_a_wrong_check_fails(
    region: str, born: date, order: str
) -> None:
    first17 = f"{region}{born:%Y%m%d}{order}"
    good = first17 + id_check_char(first17)
    assert clean_id_number(good) == good
    wrong = next(c for c in "0123456789X" if c != good[-1])
    with pytest.raises(ValidationError, match="校验位"):
        clean_id_number(first17 + wrong)


@given(st.text(alphabet=USCC_ALPHABET, min_size=17, max_size=17))
def test_generated_credit_codes_validate_and_a_wrong_check_fails(first17: str) -> None:
    good = first17 + uscc_check_char(first17)
    assert clean_uscc(good) == good
    wrong = next(c for c in USCC_ALPHABET if c != good[-1])
    with pytest.raises(ValidationError, match="校验位"):
        clean_uscc(first17 + wrong)


@pytest.mark.parametrize("bad", ["", "123", "1234567890123456789", "11010519491231002Z"])
def test_malformed_id_numbers_get_a_chinese_message(bad: str) -> None:
    with pytest.raises(ValidationError, match="身份证号"):
        clean_id_number(bad)


def test_masking() -> None:
    assert masking.mask_phone("13812345678") == "138****5678"
    assert masking.mask_id_number("11010519491231002X") == "110105********002X"
    assert masking.mask_name("欧阳娜娜") == "欧***"


@given(st.text(alphabet="0123456789", min_size=17, max_size=17))
def test_every_single_change_and_adjacent_swap_of_an_id_number_is_rejected(first17: str) -> None:
    good = first17 + id_check_char(first17)
    for i, original in enumerate(good):
        for other in "0123456789X":
            if other != original:
                with pytest.raises(ValidationError):
                    clean_id_number(good[:i] + other + good[i + 1 :])
    for i in range(17):
        if good[i] != good[i + 1]:
            swapped = good[:i] + good[i + 1] + good[i] + good[i + 2 :]
            with pytest.raises(ValidationError):
                clean_id_number(swapped)


@given(st.text(alphabet=USCC_ALPHABET, min_size=17, max_size=17))
def test_every_single_change_of_a_credit_code_is_rejected(first17: str) -> None:
    good = first17 + uscc_check_char(first17)
    for i, original in enumerate(good):
        other = USCC_ALPHABET[(USCC_ALPHABET.index(original) + 7) % 31]
        with pytest.raises(ValidationError):
            clean_uscc(good[:i] + other + good[i + 1 :])


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("(0574)86881234", "0574-86881234"),
        ("0574 8688 1234", "0574-86881234"),
        ("057486881234", "0574-86881234"),
        ("０５７４－８６８８１２３４", "0574-86881234"),
        ("0574-86881234转123", "0574-86881234-123"),
        ("021-62345678", "021-62345678"),
        ("86881234", "86881234"),
        ("13812345678", "13812345678"),
        ("12345", "12345"),
        ("400 123 4567", "400-123-4567"),
    ],
)
def test_office_phones_are_stored_in_one_form(typed: str, stored: str) -> None:
    assert clean_office_phone(typed) == stored


@pytest.mark.parametrize("bad", ["0574-8688", "电话", "0574-868812345678", "1234"])
def test_bad_office_phones_get_a_chinese_message(bad: str) -> None:
    with pytest.raises(ValidationError, match="电话"):
        clean_office_phone(bad)


@pytest.mark.parametrize(
    ("name", "typed"), [("张伟", "zw"), ("曾伟", "zw"), ("曾伟", "cw"), ("欧阳娜娜", "oynn")]
)
def test_pinyin_initials_find_people(name: str, typed: str) -> None:
    assert typed in name_initials(name).split()


@pytest.mark.parametrize(
    "birth", ["19990229", "19851301", "19850132", "18991231", "20991231", "00000000"]
)
def test_an_id_number_s_birth_date_must_be_a_real_day_gone_by(birth: str) -> None:
    first17 = f"330206{birth}123"
    with pytest.raises(ValidationError, match="出生日期"):
        clean_id_number(first17 + id_check_char(first17))


def test_a_leap_day_birth_is_a_real_day() -> None:
    first17 = "33020620000229123"
    assert clean_id_number(first17 + id_check_char(first17)).startswith("330206")
