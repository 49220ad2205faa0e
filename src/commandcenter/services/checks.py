"""`commandcenter check`: is the database sound, and do its records make sense?

Reports, never repairs: SQLite's own checks (pages, indexes, foreign keys), the audit chain, the
check characters of ID numbers and credit codes, and states no workflow can produce. Each finding
names the table, the row and the reason, so an admin can look before anyone changes anything. A
break in the audit chain is evidence and is only ever reported.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from sqlalchemy import and_, or_, select, text
from sqlalchemy.orm import Session

from commandcenter.db.models import (
    AgreedItem,
    AgreedItemStatus,
    Certificate,
    Entity,
    Incident,
    IncidentStatus,
    Person,
)
from commandcenter.services import audit, validators
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
}


@dataclass(frozen=True)
class Finding:
    table: str
    row: int | None
    reason: str

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


def _impossible_states(session: Session) -> Iterator[Finding]:
    rules: list[tuple[str, object, str]] = [
        (
            "incidents",
            and_(Incident.status == IncidentStatus.CLOSED, Incident.closed_at.is_(None)),
            "状态为已办结，却没有办结时间",
        ),
        ("incidents", Incident.closed_at < Incident.received_at, "办结时间早于受理时间"),
        ("incidents", Incident.dispatched_at < Incident.received_at, "派单时间早于受理时间"),
        (
            "incidents",
            and_(
                Incident.status.in_(
                    (IncidentStatus.DISPATCHED, IncidentStatus.ACCEPTED, IncidentStatus.IN_PROGRESS)
                ),
                or_(Incident.dispatched_at.is_(None), Incident.lead_unit_id.is_(None)),
            ),
            "状态为已派单或之后，却没有派单时间或主办单位",
        ),
        ("certificates", Certificate.expires_on < Certificate.issued_on, "有效期止早于发证日期"),
        (
            "agreed_items",
            and_(AgreedItem.status == AgreedItemStatus.DONE, AgreedItem.done_on.is_(None)),
            "状态为已完成，却没有完成日期",
        ),
    ]
    ids = {
        "incidents": Incident.id,
        "certificates": Certificate.id,
        "agreed_items": AgreedItem.id,
    }
    for table, condition, reason in rules:
        for (row,) in session.execute(select(ids[table]).where(condition)):  # type: ignore[arg-type]
            yield Finding(table, row, reason)


def run_checks(session: Session, actor: Actor) -> list[Finding]:
    """Every check, in the order a reader wants them: the file, the evidence, then the rows."""
    require(actor, Action.BACKUP_RESTORE)
    findings: list[Finding] = []
    if session.get_bind().dialect.name == "sqlite":
        findings += _sqlite(session)
    findings += _audit(session)
    findings += _check_characters(session)
    findings += _impossible_states(session)
    return findings


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
            lines.append(f"  {where}：{f.reason}")
    return lines
