"""What the follow-up services share: the day a reply or decision is dated, long text."""

from __future__ import annotations

from datetime import date, datetime

from commandcenter import timeutil
from commandcenter.errors import ValidationError


def day_in_past(day: date | None, label: str, field: str, *, not_before: datetime) -> date:
    """A date the user gave for something that has happened: not empty, not in the future,
    not before *not_before* (the paper it answers)."""
    if day is None:
        raise ValidationError(f"请填写{label}。", field)
    today = timeutil.local_date(timeutil.now())
    if day > today:
        raise ValidationError(f"{label}不能晚于今天。", field)
    earliest = timeutil.local_date(not_before)
    if day < earliest:
        raise ValidationError(f"{label}不能早于 {timeutil.chinese_date(earliest)}。", field)
    return day


def long_text(value: str | None, field: str, label: str, limit: int = 4000) -> str:
    text = (value or "").strip()
    if not text:
        raise ValidationError(f"请填写{label}。", field)
    return text[:limit]
