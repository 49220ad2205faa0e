"""Validators for identifiers with check characters, and phone numbers.

Full-width input (as Chinese input methods produce it) is normalised before checking.
"""

from __future__ import annotations

import operator
import re
import unicodedata
from datetime import date

from commandcenter import timeutil
from commandcenter.errors import ValidationError

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


def normalise(text: str) -> str:
    """Full-width letters and digits to half-width, upper case, no spaces."""
    return unicodedata.normalize("NFKC", text).strip().replace(" ", "").upper()


def id_check_char(first17: str) -> str:
    """GB 11643-1999 check character of a citizen ID number."""
    if len(first17) != len(_ID_WEIGHTS):
        raise ValueError(f"{first17!r} is not 17 characters")
    total = sum(map(operator.mul, map(int, first17), _ID_WEIGHTS))  # an import checks thousands
    return _ID_CHECK[total % 11]


def clean_id_number(text: str) -> str:
    number = normalise(text)
    if not re.fullmatch(r"\d{17}[\dX]", number):
        raise ValidationError("身份证号应为 18 位，前 17 位为数字，最后一位为数字或 X。")
    if id_check_char(number[:17]) != number[17]:
        raise ValidationError("身份证号校验位不正确，请核对后重新输入。")
    try:  # the 7th to 14th digits are the birth date: a real day, not one to come
        born = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        born = None
    if born is None or born.year < 1900 or born > timeutil.today():
        raise ValidationError(
            f"身份证号中的出生日期（第 7–14 位：{number[6:14]}）不是有效日期，请核对后重新输入。"
        )
    return number


def org_code_check_char(first8: str) -> str:
    """GB 11714-1997 check character of the organisation code inside a credit code."""
    total = sum(USCC_ALPHABET.index(c) * w for c, w in zip(first8, _ORG_WEIGHTS, strict=True))
    value = 11 - total % 11
    return {10: "X", 11: "0"}.get(value, str(value))


def uscc_check_char(first17: str) -> str:
    """GB 32100-2015 check character of a unified social credit code."""
    total = sum(USCC_ALPHABET.index(c) * w for c, w in zip(first17, _USCC_WEIGHTS, strict=True))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def clean_uscc(text: str) -> str:
    code = normalise(text)
    if len(code) != 18 or any(c not in USCC_ALPHABET for c in code):
        raise ValidationError(
            "统一社会信用代码应为 18 位，由数字和大写字母组成（不含 I、O、Z、S、V）。"
        )
    if uscc_check_char(code[:17]) != code[17]:
        raise ValidationError("统一社会信用代码校验位不正确，请核对后重新输入。")
    return code


def clean_mobile(text: str) -> str:
    number = re.sub(r"[-\s]", "", normalise(text))
    number = number.removeprefix("+86").removeprefix("0086")
    if not re.fullmatch(r"1[3-9]\d{9}", number):
        raise ValidationError("手机号码应为 11 位数字，以 1 开头。")
    return number


def clean_office_phone(text: str) -> str:
    """A fixed-line number in one form: ``0574-86881234``, with ``-123`` for an extension.

    Accepts ``(0574)86881234``, ``0574 8688 1234``, ``057486881234``, ``0574-86881234转123``,
    an 8- or 7-digit local number, a mobile number, and service numbers such as ``12345`` or
    ``400-123-4567``.
    """
    raw = normalise(text)
    raw = re.sub(r"(转|分机|EXT\.?|X)", "#", raw)
    main, _, extension = raw.partition("#")
    digits = re.sub(r"[()（）\-—－.]", "", main).removeprefix("+86").removeprefix("0086")
    extension = re.sub(r"\D", "", extension)
    if not digits.isdigit():
        raise ValidationError("电话号码只能包含数字、括号、短横线和“转”分机号。")
    if re.fullmatch(r"1[3-9]\d{9}", digits) and not extension:
        return digits
    if re.fullmatch(r"(400|800)\d{7}", digits):
        return f"{digits[:3]}-{digits[3:6]}-{digits[6:]}"
    if re.fullmatch(r"1\d{4,5}", digits) and not extension:  # 12345, 110, 96110 ...
        return digits
    area = re.match(r"0(10|2\d|[3-9]\d{2})", digits)
    if area:
        local = digits[area.end() :]
        if not re.fullmatch(r"[2-9]\d{6,7}", local):
            raise ValidationError("固定电话号码位数不对：区号后应为 7 或 8 位号码。")
        number = f"{area.group(0)}-{local}"
    elif re.fullmatch(r"[2-9]\d{6,7}", digits):
        number = digits
    else:
        raise ValidationError(
            "电话号码格式不正确，请按“区号-号码”填写，例如 0574-86881234，分机写作“转123”。"
        )
    return f"{number}-{extension}" if extension else number
