"""The audit record (R11), written in the same transaction as the change it describes.

Records are hash-chained: each hash covers the record's content and the previous record's hash.
On SQLite the write scope holds the write lock from BEGIN, so reading the chain's head and
appending to it cannot interleave with another writer.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from commandcenter import timeutil
from commandcenter.db import bulk
from commandcenter.db.engine import REFUSAL_HOOKS, Database
from commandcenter.db.models import AuditRecord
from commandcenter.errors import PermissionDenied
from commandcenter.services.actor import Actor

GENESIS = "0" * 64


def _canonical(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _canonical(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [_canonical(v) for v in value]
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return str(value)


_HASHED = ("user_id", "username", "action", "entity_type", "entity_id", "summary", "changes")


def record_hash(prev_hash: str, record: AuditRecord) -> str:
    return _hash(prev_hash, {key: getattr(record, key) for key in ("at", *_HASHED)})


def _hash(prev_hash: str, fields: dict[str, Any]) -> str:
    payload = {key: fields[key] for key in _HASHED}
    payload["prev"] = prev_hash
    payload["at"] = timeutil.to_local(fields["at"]).isoformat()
    text = json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Entry:
    """One record to append, for :func:`record_many`."""

    action: str
    summary: str
    entity_type: str | None = None
    entity_id: int | None = None
    changes: dict[str, Any] | None = None


def record(
    session: Session,
    actor: Actor,
    action: str,
    summary: str,
    *,
    entity_type: str | None = None,
    entity_id: int | None = None,
    changes: dict[str, Any] | None = None,
    at: datetime | None = None,
) -> AuditRecord:
    """Append one audit record to the chain inside the caller's transaction."""
    entry = Entry(action, summary, entity_type, entity_id, changes)
    row = AuditRecord(**_chained(session, actor, [entry], at)[0])
    session.add(row)
    session.flush()
    return row


def record_many(
    session: Session, actor: Actor, entries: list[Entry], *, at: datetime | None = None
) -> None:
    """Append *entries* to the chain in order, in one multi-row insert (an import's thousands)."""
    rows = _chained(session, actor, entries, at)
    if rows:
        # Inserted in order, so ids rise along the chain as verify_chain reads it.
        bulk.insert_rows(session, AuditRecord, rows)


def _chained(
    session: Session, actor: Actor, entries: list[Entry], at: datetime | None
) -> list[dict[str, Any]]:
    """*entries* as the columns of records, each hashed over the one before, from the head."""
    session.flush()  # so entity ids exist and changes are final before they are hashed
    head = session.scalar(select(AuditRecord.hash).order_by(AuditRecord.id.desc()).limit(1))
    moment = at or timeutil.now()
    prev = head or GENESIS
    rows = []
    for entry in entries:
        row: dict[str, Any] = {
            "at": moment,
            "user_id": actor.user_id,
            "username": actor.username,
            "action": entry.action,
            "entity_type": entry.entity_type,
            "entity_id": entry.entity_id,
            "summary": entry.summary,
            "changes": _canonical(entry.changes) if entry.changes else None,
            "prev_hash": prev,
        }
        prev = row["hash"] = _hash(prev, row)
        rows.append(row)
    return rows


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    """The fields that changed, as {field: [old, new]}."""
    return {
        key: [before.get(key), after.get(key)]
        for key in sorted(set(before) | set(after))
        if before.get(key) != after.get(key)
    }


@dataclass(frozen=True)
class ChainReport:
    count: int
    head_hash: str
    broken_at: int | None  # id of the first record whose hash does not match

    @property
    def intact(self) -> bool:
        return self.broken_at is None


def verify_chain(session: Session) -> ChainReport:
    prev = GENESIS
    count = 0
    for entry in session.scalars(select(AuditRecord).order_by(AuditRecord.id)).yield_per(2000):
        count += 1
        if entry.prev_hash != prev or record_hash(prev, entry) != entry.hash:
            return ChainReport(count, prev, entry.id)
        prev = entry.hash
    return ChainReport(count, prev, None)


@dataclass(frozen=True)
class PeriodSeal:
    """The records written in a period: their count, and the last one's id and hash."""

    count: int
    head_id: int | None
    head_hash: str
    chain_intact: bool


def seal(session: Session, start: datetime, end: datetime, *, through: bool = False) -> PeriodSeal:
    """Count and head of the records from *start* (inclusive) to *end* (exclusive, or
    inclusive *through* it)."""
    in_period = (
        AuditRecord.at >= start,
        AuditRecord.at <= end if through else AuditRecord.at < end,
    )
    count = int(session.scalar(select(func.count(AuditRecord.id)).where(*in_period)) or 0)
    head = session.execute(
        select(AuditRecord.id, AuditRecord.hash)
        .where(*in_period)
        .order_by(AuditRecord.id.desc())
        .limit(1)
    ).first()
    return PeriodSeal(
        count,
        head[0] if head else None,
        head[1] if head else GENESIS,
        verify_chain(session).intact,
    )


def _record_refusal(db: Database, refusal: PermissionDenied) -> None:
    actor = refusal.actor if isinstance(refusal.actor, Actor) else None
    if actor is None:
        return
    with db.write() as session:
        record(
            session,
            actor,
            "permission.denied",
            f"操作被拒绝：{refusal.message}",
            changes={"action": refusal.action},
        )


REFUSAL_HOOKS.append(_record_refusal)
