"""Small helpers every editing service uses: fetch, version check, apply and describe changes."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from commandcenter.db.models import Labelled
from commandcenter.errors import ConflictError, NotFound, ValidationError


class Checks:
    """Clean a form field by field, keeping every problem (for forms and import reports)."""

    def __init__(self) -> None:
        self.values: dict[str, Any] = {}
        self.problems: list[ValidationError] = []

    def step(self, field: str, clean: Callable[[], Any]) -> None:
        """Store ``clean()`` under *field*, or note its ValidationError against *field*."""
        try:
            self.values[field] = clean()
        except ValidationError as exc:
            exc.field = exc.field or field
            self.problems.append(exc)

    def fail(self, message: str, field: str) -> None:
        self.problems.append(ValidationError(message, field))


def raise_first(problems: list[ValidationError]) -> None:
    if problems:
        raise problems[0]


def raise_all(problems: list[ValidationError], refused: str) -> None:
    """Refuse with every problem at once, so a second try does not meet the next one: a single
    problem is raised as it is; several as one error whose message is *refused* (what was not
    done), then one numbered line per problem. Its field is the first problem's, for the form's
    cursor."""
    if len(problems) == 1:
        raise problems[0]
    if problems:
        lines = [f"{n}. {p.message}" for n, p in enumerate(problems, start=1)]
        raise ValidationError(
            "\n".join([f"{refused}，有 {len(problems)} 个问题：", *lines]), problems[0].field
        )


def get[T](session: Session, model: type[T], record_id: int, what: str) -> T:
    obj = session.get(model, record_id)
    if obj is None:
        raise NotFound(f"{what}不存在或已被删除，请刷新后重试。")
    return obj


def check_version(obj: Any, expected: int | None, what: str) -> None:
    """Refuse to overwrite a record someone else saved after it was opened."""
    if expected is not None and obj.version != expected:
        raise ConflictError(
            f"{what}已被其他人修改。为免覆盖对方的修改，本次未保存；请关闭后重新打开再修改。"
        )


def apply(obj: Any, values: dict[str, Any]) -> dict[str, list[Any]]:
    """Set *values* on *obj*; return the changes as {field: [old, new]} for the audit record."""
    changes: dict[str, list[Any]] = {}
    for key, new in values.items():
        old = getattr(obj, key)
        if old != new:
            changes[key] = [_plain(old), _plain(new)]
            setattr(obj, key, new)
    return changes


def snapshot(values: dict[str, Any]) -> dict[str, Any]:
    return {key: _plain(value) for key, value in values.items() if value not in (None, "")}


def _plain(value: Any) -> Any:
    if isinstance(value, Labelled):
        return value.label
    if isinstance(value, date):
        return value.isoformat()
    return value


# --- text inputs ----------------------------------------------------------------------------


# Full-width letters, digits and the ideographic space fold to ASCII; Chinese punctuation
# (，（）：) stays as typed, as official documents use it.
_FOLD = {0x3000: " "} | {c: c - 0xFEE0 for c in range(0xFF10, 0xFF5B) if chr(c).isalnum()}


def text(value: str | None, field: str, label: str, *, required: bool = False, limit: int) -> str:
    """Trimmed single-line text, full-width letters and digits folded; '' when empty."""
    cleaned = (value or "").translate(_FOLD).strip()
    cleaned = re.sub(r"\s+", " ", cleaned)
    if required and not cleaned:
        raise ValidationError(f"请填写{label}。", field)
    if len(cleaned) > limit:
        raise ValidationError(f"{label}不能超过 {limit} 个字。", field)
    return cleaned


def field_codes(value: str | None) -> str:
    """Enforcement fields as one canonical list: '市场监管, 自然资源；市场监管' -> '市场监管,自然资源'."""
    parts = re.split(r"[,，、;；/\s]+", unicodedata.normalize("NFKC", value or ""))
    return ",".join(dict.fromkeys(p for p in (s.strip() for s in parts) if p))
