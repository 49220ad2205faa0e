"""Who the 月通报 and 季汇总 go to: the 报送 and 抄送 lines at their foot, set in 系统设置.

Each is a list of recipients as written on the paper (separated by 、 or ，); a blank one is
left off the paper.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy.orm import Session

from commandcenter.errors import ValidationError
from commandcenter.services import settings
from commandcenter.services.actor import Actor
from commandcenter.services.permissions import Action, require

SUBMIT_TO = "bulletin_submit_to"  # 报送: up, to the street's leadership
COPY_TO = "bulletin_copy_to"  # 抄送: across, to the units the figures are about
DEFAULT_SUBMIT_TO = "街道党工委、办事处领导班子成员"
DEFAULT_COPY_TO = "区综合行政执法局，街道各派驻机构、执法中队，各村（社区）"
LIMIT = 200


@dataclass(frozen=True)
class Recipients:
    submit_to: str
    copy_to: str


def load(session: Session) -> Recipients:
    """As the paper prints them (papers read this after their own permission check)."""
    submit = settings.get(session, SUBMIT_TO)
    copy = settings.get(session, COPY_TO)
    return Recipients(
        DEFAULT_SUBMIT_TO if submit is None else submit, DEFAULT_COPY_TO if copy is None else copy
    )


def recipients(session: Session, actor: Actor) -> Recipients:
    require(actor, Action.VIEW)
    return load(session)


def _clean(text: str, field: str, label: str) -> str:
    """One line: breaks and runs of spaces become single separators, no trailing stop."""
    cleaned = re.sub(r"\s*[\r\n]+\s*", "、", text.strip())
    cleaned = re.sub(r"[ \t\u3000]+", " ", cleaned).strip("、，,。;； ")
    if len(cleaned) > LIMIT:
        raise ValidationError(f"{label}不能超过 {LIMIT} 个字。", field)
    return cleaned


def save(session: Session, actor: Actor, form: Recipients) -> Recipients:
    require(actor, Action.EDIT_SETTINGS)
    cleaned = Recipients(
        _clean(form.submit_to, "submit_to", "报送单位"),
        _clean(form.copy_to, "copy_to", "抄送单位"),
    )
    current = load(session)
    if cleaned.submit_to != current.submit_to:
        settings.set_value(session, actor, SUBMIT_TO, cleaned.submit_to)
    if cleaned.copy_to != current.copy_to:
        settings.set_value(session, actor, COPY_TO, cleaned.copy_to)
    return cleaned
