"""Masking of personal data on screen lists and paper unless the paper needs it."""

from __future__ import annotations


def mask_phone(phone: str | None) -> str:
    if not phone:
        return ""
    digits = phone.strip()
    if len(digits) == 11 and digits.isdigit():
        return f"{digits[:3]}****{digits[-4:]}"
    if len(digits) > 4:
        return "*" * (len(digits) - 4) + digits[-4:]
    return "****"


def mask_id_number(number: str | None) -> str:
    if not number:
        return ""
    if len(number) == 18:
        return f"{number[:6]}********{number[-4:]}"
    return "*" * max(0, len(number) - 4) + number[-4:]


def mask_name(name: str | None) -> str:
    """张伟 -> 张*, 欧阳娜娜 -> 欧***: for reporters of complaints."""
    if not name:
        return ""
    return name[0] + "*" * (len(name) - 1)
