"""`commandcenter check`: is the database sound, and do its records make sense?

Checks report: SQLite's own checks (pages, indexes, foreign keys), the audit chain, the check
characters of ID numbers and credit codes, and states no workflow can produce. Each finding names
the table, the row and the reason, so an admin can look before anyone changes anything.

A few findings have a safe repair: one that restores a value from the record's own history (an
incident closed without its closing time gets the time of its 办结 step). Repairs run only when
asked, after a backup, in one audited transaction. A break in the audit chain is evidence and is
only ever reported; so is anything a person has to decide (a wrong check character, a missing
lead unit).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import and_, func, or_, select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from commandcenter import timeutil
from commandcenter.db import backup_folder, open_check
from commandcenter.db.engine import Database
from commandcenter.db.models import (
    AgreedItem,
    AgreedItemStatus,
    Certificate,
    Entity,
    Incident,
    IncidentEvent,
    IncidentStatus,
    Person,
)
from commandcenter.errors import DatabaseCorrupt
from commandcenter.services import audit, audit_evidence, user_people, validators
from commandcenter.services.actor import Actor
from commandcenter.services.permissions import Action, require

TABLE_LABELS = {
    "database": "数据库文件",
    "audit_log": "审计记录",
    "people": "人员",
    "entities": "检查对象",
    "incidents": "事件",
    "certificates": "执法证",
    "agreed_items": "议定事项",
    "users": "用户",
}


# A safe repair of one row: applies it and says what it did, or None when it cannot be done.
Fix = Callable[[Session, int], str | None]


@dataclass(frozen=True)
class Finding:
    table: str
    row: int | None
    reason: str
    fix: Fix | None = field(default=None, compare=False, repr=False)

    @property
    def table_label(self) -> str:
        return TABLE_LABELS.get(self.table, self.table)


def _sqlite(session: Session) -> Iterator[Finding]:
    for (result,) in session.execute(text("PRAGMA quick_check")).all():
        if result != "ok":
            yield Finding("database", None, f"文件结构检查：{result}")
    for table, rowid, parent, _fk in session.execute(text("PRAGMA foreign_key_check")):
        yield Finding(table, rowid, f"引用的 {parent} 记录不存在")


def _audit(session: Session) -> Iterator[Finding]:
    chain = audit.verify_chain(session)
    if not chain.intact:
        yield Finding(
            "audit_log",
            chain.broken_at,
            "审计链在此处断开：该记录或其前一条与保存的哈希不符，可能被改动或删除。"
            "请保留数据库和备份，报告主管；切勿自行修改。",
        )


def _bad_check_char(code: str, check: Callable[[str], str]) -> bool:
    return len(code) != 18 or check(code[:17]) != code[17].upper()


def _check_characters(session: Session) -> Iterator[Finding]:
    people = select(Person.id, Person.id_number).where(Person.id_number.is_not(None))
    for pid, number in session.execute(people).all():
        if _bad_check_char(str(number), validators.id_check_char):
            yield Finding("people", pid, f"身份证号 {str(number)[:6]}…… 校验位不符")
    entities = select(Entity.id, Entity.uscc).where(Entity.uscc.is_not(None))
    for eid, code in session.execute(entities).all():
        if _bad_check_char(str(code), validators.uscc_check_char):
            yield Finding("entities", eid, f"统一社会信用代码 {code} 校验位不符")


def _closing_time_from_history(session: Session, incident_id: int) -> str | None:
    """The time of the incident's last 办结 step, written by the same close that failed to
    set closed_at."""
    at = session.scalar(
        select(func.max(IncidentEvent.at)).where(
            IncidentEvent.incident_id == incident_id,
            IncidentEvent.to_status == IncidentStatus.CLOSED,
        )
    )
    incident = session.get(Incident, incident_id)
    if at is None or incident is None or incident.closed_at is not None:
        return None  # no history to go by, or someone has set it since the check
    incident.closed_at = at
    return f"办结时间按办结记录补为 {timeutil.to_local(at):%Y-%m-%d %H:%M}"


def _impossible_states(session: Session) -> Iterator[Finding]:
    rules: list[tuple[str, object, str, Fix | None]] = [
        (
            "incidents",
            and_(Incident.status == IncidentStatus.CLOSED, Incident.closed_at.is_(None)),
            "状态为已办结，却没有办结时间",
            _closing_time_from_history,
        ),
        ("incidents", Incident.closed_at < Incident.received_at, "办结时间早于受理时间", None),
        ("incidents", Incident.dispatched_at < Incident.received_at, "派单时间早于受理时间", None),
        (
            "incidents",
            and_(
                Incident.status.in_(
                    (IncidentStatus.DISPATCHED, IncidentStatus.ACCEPTED, IncidentStatus.IN_PROGRESS)
                ),
                or_(Incident.dispatched_at.is_(None), Incident.lead_unit_id.is_(None)),
            ),
            "状态为已派单或之后，却没有派单时间或主办单位",
            None,
        ),
        (
            "certificates",
            Certificate.expires_on < Certificate.issued_on,
            "有效期止早于发证日期",
            None,
        ),
        (
            "agreed_items",
            and_(AgreedItem.status == AgreedItemStatus.DONE, AgreedItem.done_on.is_(None)),
            "状态为已完成，却没有完成日期",
            None,
        ),
    ]
    ids = {
        "incidents": Incident.id,
        "certificates": Certificate.id,
        "agreed_items": AgreedItem.id,
    }
    for table, condition, reason, fix in rules:
        for (row,) in session.execute(select(ids[table]).where(condition)):  # type: ignore[arg-type]
            yield Finding(table, row, reason, fix)


DAMAGED_ADVICE = (
    "请先复制保存现有数据库文件，再从最近的备份恢复（工具 → 从备份恢复，或 commandcenter restore），"
    "或请管理员处理。"
)


def _guarded(
    what: str, check: Callable[[Session], Iterator[Finding]], session: Session
) -> list[Finding]:
    """*check*'s findings; a database too damaged to read for it is itself the finding, in
    words with the advice, never a traceback that ends the check."""
    try:
        return list(check(session))
    except DBAPIError as exc:
        session.rollback()  # the failed statement's transaction, so the next check can read
        code = getattr(exc.orig, "sqlite_errorname", None) or type(exc.orig).__name__
        return [
            Finding(
                "database", None, f"{what}无法完成，数据库文件已损坏（{code}）。{DAMAGED_ADVICE}"
            )
        ]


def run_checks(session: Session, actor: Actor, checkpoints: Path | None = None) -> list[Finding]:
    """Every check, in the order a reader wants them: the file, the evidence, then the rows.
    *checkpoints* is the folder whose audit checkpoints the log is held against."""
    require(actor, Action.BACKUP_RESTORE)
    findings: list[Finding] = []
    if session.get_bind().dialect.name == "sqlite":
        structure = _guarded("文件结构检查", _sqlite, session)
        damage = [f.reason for f in structure if f.table == "database"]
        path = session.get_bind().engine.url.database
        if damage and path:  # from now on the file opens read-only, until a backup is put back
            open_check.mark_damaged(Path(path), damage[0][: open_check.SHOWN_DETAIL])
        findings += structure
    findings += _guarded("审计链核对", _audit, session)
    findings += _guarded(
        "审计记录外部核对",
        lambda s: (
            Finding("audit_log", row, reason)
            for row, reason in audit_evidence.problems(s, checkpoints)
        ),
        session,
    )
    findings += _guarded("校验位核对", _check_characters, session)
    findings += _guarded("业务状态核对", _impossible_states, session)
    findings += _guarded("账号关联核对", _leaders_without_person, session)
    return findings


def _leaders_without_person(session: Session) -> Iterator[Finding]:
    """Leader accounts made before the rule that a leader names its person: the separation
    rule cannot see what they did on site. Only the admin can say who they are."""
    for uid, username, name in user_people.leaders_without_person(session):
        yield Finding(
            "users",
            uid,
            f"领导账号 {name}（{username}）未关联人员名册中的本人，“办、审、定三分离”无法核对；"
            "请在“系统设置 → 用户 → 关联人员”中关联",
        )


def repair(session: Session, actor: Actor, findings: list[Finding]) -> list[str]:
    """Apply the safe repairs of *findings*, each audited; what was done, row by row. The caller
    runs this in one transaction, after a backup (see :func:`repair_database`)."""
    require(actor, Action.BACKUP_RESTORE)
    done = []
    for finding in findings:
        if finding.fix is None or finding.row is None:
            continue
        what = finding.fix(session, finding.row)
        if what is None:
            continue
        line = f"【{finding.table_label}】第 {finding.row} 条：{what}"
        audit.record(
            session,
            actor,
            "check.repair",
            f"数据检查修复：{line}",
            entity_type=finding.table,
            entity_id=finding.row,
            changes={"finding": finding.reason},
        )
        done.append(line)
    return done


def repair_database(db: Database, actor: Actor, backup_dir: Path) -> tuple[Path | None, list[str]]:
    """Back a SQLite database up (``before-repair``), then make every safe repair in one
    transaction. Returns the backup (None on a server, whose admin keeps pg_dump backups) and
    what was repaired."""
    require(actor, Action.BACKUP_RESTORE)
    with db.read() as session:
        findings = run_checks(session, actor)
    if any(f.table == "database" for f in findings):
        raise DatabaseCorrupt(
            "数据库文件检查未通过，不能在损坏的文件中修复任何内容。" + DAMAGED_ADVICE
        )
    fixable = [f for f in findings if f.fix is not None]
    if not fixable:
        return None, []
    made = None
    if db.sqlite_path is not None:
        made = backup_folder.make_backup(db.sqlite_path, backup_dir, "before-repair")
    with db.write() as session:  # each fix reads its row again and leaves a changed one alone
        return made, repair(session, actor, fixable)


def report_lines(findings: list[Finding]) -> list[str]:
    """The findings grouped by table, for the terminal and the dialog."""
    if not findings:
        return ["检查完毕，未发现问题。"]
    lines = [f"发现 {len(findings)} 个问题："]
    for table in dict.fromkeys(f.table for f in findings):
        group = [f for f in findings if f.table == table]
        lines.append(f"【{group[0].table_label}】{len(group)} 个")
        for f in group:
            where = f"第 {f.row} 条" if f.row is not None else "整体"
            lines.append(f"  {where}：{f.reason}" + ("（可安全修复）" if f.fix else ""))
    return lines
