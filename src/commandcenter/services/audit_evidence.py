"""Evidence about the audit log kept outside it, so that what a file-level attacker can do
inside the database — cut the log's tail, delete it all, or rewrite records and recompute every
hash — still shows.

A checkpoint (records so far, the last id and its hash, when) is appended to a file in the
backups folder (db.audit_checkpoints) whenever a window closes or a clean check runs, and every
backup carries one beside it (``<backup>.checkpoint.json``); a restore from a backup marks the
file, since the log then rightly goes back. `check` compares the log with every checkpoint of
this database it finds, and also finds ids that do not run from 1 without a gap and append-only
triggers that were dropped.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from commandcenter import timeutil
from commandcenter.db import audit_checkpoints, backup_folder
from commandcenter.db.audit_checkpoints import Checkpoint
from commandcenter.db.models import AuditRecord, Incident, User
from commandcenter.services.actor import Actor
from commandcenter.services.permissions import Action, require

TRIGGERS = {
    "sqlite": ("audit_log_no_update", "audit_log_no_delete"),
    "postgresql": ("audit_log_no_change", "audit_log_no_truncate"),
}


def database_key(session: Session) -> str:
    """Which database a checkpoint is about: the SQLite file, or the server and database."""
    url = session.get_bind().engine.url
    if url.get_backend_name() == "sqlite":
        return audit_checkpoints.sqlite_key(Path(url.database or ""))
    return f"{url.host or 'localhost'}:{url.port or 5432}/{url.database}"


SHORT_HASH = 8  # hex digits: enough to tell two heads apart by eye, short enough for a footer


def chain_position(session: Session) -> tuple[int, str]:
    """How many audit records there are and the first digits of the newest one's hash: where the
    chain stood when a paper was printed. A numbered paper prints it in its footer
    (审计 12345·3fa9c2e1), to be held later against the log and `check`'s findings."""
    count, last_id = session.execute(select(func.count(), func.max(AuditRecord.id))).one()
    head = session.scalar(select(AuditRecord.hash).where(AuditRecord.id == last_id)) or ""
    return int(count), head[:SHORT_HASH]


def record_checkpoint(session: Session, actor: Actor, folder: Path) -> Checkpoint:
    """Append where the log stands now to the checkpoint file in *folder*."""
    require(actor, Action.VIEW)
    count, last_id = session.execute(select(func.count(), func.max(AuditRecord.id))).one()
    head = session.scalar(select(AuditRecord.hash).where(AuditRecord.id == last_id)) or ""
    point = Checkpoint(
        database_key(session), int(count), int(last_id or 0), head, timeutil.now().isoformat()
    )
    audit_checkpoints.append(folder, point)
    return point


def problems(session: Session, folder: Path | None) -> Iterator[tuple[int | None, str]]:
    """(record id or None, what is wrong) for everything the outside evidence contradicts."""
    count, first, last = session.execute(
        select(func.count(), func.min(AuditRecord.id), func.max(AuditRecord.id))
    ).one()
    if count and (first != 1 or last != count):
        yield (
            None,
            (
                f"审计记录编号不连续：应为 1 至 {count} 号，实为 {first} 至 {last} 号，"
                "有记录被删除。请保留数据库和备份，报告主管。"
            ),
        )
    if not count and _business_rows(session):
        yield None, "审计记录为空，但数据库中已有用户或事件：审计记录可能被整体删除。"
    dialect = session.get_bind().dialect.name
    missing = [name for name in TRIGGERS.get(dialect, ()) if not _has_trigger(session, name)]
    if missing:
        yield (
            None,
            (
                f"审计记录的防篡改触发器缺失（{'、'.join(missing)}）：审计记录可被改动或删除。"
                "请立即报告管理员。"
            ),
        )
    if folder is None:
        return
    for where, point in _checkpoints(folder, database_key(session)):
        if not point.last_id:
            continue
        stored = session.scalar(select(AuditRecord.hash).where(AuditRecord.id == point.last_id))
        if stored == point.head_hash:
            continue
        what = "已不存在" if stored is None else "的哈希已改变"
        cut = f"（现有 {count} 条，当时已有 {point.count} 条）" if count < point.count else ""
        yield (
            point.last_id,
            (
                f"与 {_local(point.at)} {where}记下的校验点不符：第 {point.last_id} 号"
                f"审计记录{what}{cut}，审计记录可能被截断或重算。请保留数据库和备份，报告主管。"
            ),
        )


def _checkpoints(folder: Path, database: str) -> list[tuple[str, Checkpoint]]:
    """Every checkpoint of *database* still standing: the file's since the last restore, and
    those of the backups made since then (older ones hold a log a restore rightly replaced)."""
    found = [("校验点文件中", p) for p in audit_checkpoints.standing(folder, database)]
    restored = audit_checkpoints.last_restored(folder, database)
    for backup in backup_folder.list_backups(folder):
        point = audit_checkpoints.read_beside(backup.path)
        if point is not None and point.database == database and point.at > restored:
            found.append((f"备份 {backup.path.name} ", point))
    return found


def _local(at: str) -> str:
    try:
        return f"{timeutil.to_local(datetime.fromisoformat(at)):%Y-%m-%d %H:%M}"
    except ValueError:
        return at[:16].replace("T", " ")


def _business_rows(session: Session) -> bool:
    return bool(session.scalar(select(func.count(User.id)))) or bool(
        session.scalar(select(func.count(Incident.id)))
    )


def _has_trigger(session: Session, name: str) -> bool:
    if session.get_bind().dialect.name == "sqlite":
        sql = "SELECT 1 FROM sqlite_master WHERE type = 'trigger' AND name = :name"
    else:
        sql = "SELECT 1 FROM pg_trigger WHERE tgname = :name AND tgenabled <> 'D'"  # not disabled
    return session.execute(text(sql), {"name": name}).first() is not None
