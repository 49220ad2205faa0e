"""The document-number register: one sequence per document type and year (Beijing time).

Numbers read like ``梅执指派〔2026〕15号``. Taking a number happens inside a write scope, which
holds the write lock from BEGIN, so two workstations never draw the same number; the unique
constraint on (type, year, seq) is the last guard.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from commandcenter import timeutil
from commandcenter.db.models import DocType, DocumentNumber
from commandcenter.errors import ValidationError
from commandcenter.services import audit, settings
from commandcenter.services.actor import Actor
from commandcenter.services.permissions import Action, require


def format_number(prefix: str, doc_type: DocType, year: int, seq: int) -> str:
    return f"{prefix}{doc_type.value}〔{year}〕{seq}号"


def issue(
    session: Session,
    actor: Actor,
    doc_type: DocType,
    *,
    entity_type: str | None = None,
    entity_id: int | None = None,
    title: str | None = None,
    at: datetime | None = None,
) -> DocumentNumber:
    require(actor, Action.PRINT_DOCUMENT)
    if actor.user_id is None:
        raise ValidationError("文书编号必须由登录用户领取。")
    prefix = settings.get(session, settings.DOC_PREFIX)
    if not prefix:
        raise ValidationError("尚未设置发文字号前缀，请在“系统设置”中填写。")
    moment = at or timeutil.now()
    year = timeutil.local_date(moment).year
    last = session.scalar(
        select(func.max(DocumentNumber.seq)).where(
            DocumentNumber.doc_type == doc_type.value, DocumentNumber.year == year
        )
    )
    seq = (last or 0) + 1
    entry = DocumentNumber(
        doc_type=doc_type.value,
        year=year,
        seq=seq,
        number=format_number(prefix, doc_type, year, seq),
        issued_at=moment,
        issued_by_id=actor.user_id,
        entity_type=entity_type,
        entity_id=entity_id,
        title=title,
    )
    session.add(entry)
    session.flush()
    audit.record(
        session,
        actor,
        "docnumber.issue",
        f"领取{doc_type.label}编号 {entry.number}",
        entity_type=entity_type,
        entity_id=entity_id,
        at=moment,
    )
    return entry


def latest(session: Session, doc_type: DocType, entity_type: str, entity_id: int) -> str | None:
    """The number last issued for a record (a reprint uses it, never a new one)."""
    return session.scalar(
        select(DocumentNumber.number)
        .where(
            DocumentNumber.doc_type == doc_type.value,
            DocumentNumber.entity_type == entity_type,
            DocumentNumber.entity_id == entity_id,
        )
        .order_by(DocumentNumber.id.desc())
        .limit(1)
    )
