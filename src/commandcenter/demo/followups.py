"""The demo street's follow-ups: supervision papers answered or waiting, 约谈 at each stage,
transfer results and a late receipt, incidents referred upward with and without a decision, a
returned dispatch, and a major case whose legal review failed.

Written as rows with their moments, like the rest of the history, so they read the same
whatever day the demo is made; the few steps whose services take a moment go through them.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from commandcenter import timeutil
from commandcenter.db.models import (
    DocType,
    EscalationDecision,
    Incident,
    IncidentEvent,
    IncidentEventKind,
    IncidentReturn,
    IncidentStatus,
    Interview,
    LegalReview,
    LegalReviewOutcome,
    ReturnReason,
    Route,
    Supervision,
    SupervisionKind,
    Transfer,
    TransferResult,
    Unit,
)
from commandcenter.services import docnumbers
from commandcenter.services.actor import Actor
from commandcenter.services.incidents import deadlines, triage
from commandcenter.services.settings import DEFAULTS, TRANSFER_RECEIPT_DAYS
from commandcenter.services.work_calendar import WorkCalendar

REPLIES = (
    "已组织专人核查，当日完成整改，并建立每日巡查台账。",
    "已约谈当事人，责令限期整改，整改情况附后。",
    "已调整执法力量，增加夜间巡查频次，问题已消除。",
)


@dataclass
class DemoUnits:
    squads: list[Unit]
    agencies: list[Unit]
    departments: list[Unit]


def follow_ups(
    s: Session,
    rng: random.Random,
    anchor: datetime,
    leader: Actor,
    operator: Actor,
    units: DemoUnits,
) -> None:
    cal = WorkCalendar.load(s)
    _answers(s, rng, cal, anchor)
    _unit_papers(s, cal, anchor, leader, units)
    _interviews(s, anchor, operator, units)
    _transfers(s, rng, cal, anchor)
    _referrals(s, cal, anchor, operator, units)
    _returned(s, anchor, operator)
    _review_sent_back(s, anchor, leader)


def _answers(s: Session, rng: random.Random, cal: WorkCalendar, anchor: datetime) -> None:
    """The incident papers fall due three working days after issue; most due are answered,
    a few late, and the centre closes most answers."""
    for n, paper in enumerate(s.scalars(select(Supervision).order_by(Supervision.issued_at))):
        paper.reply_due_on = cal.add_working_days(paper.issued_at, 3).at
        if paper.reply_due_on >= anchor or n % 3 == 2:
            continue  # not due yet, or never answered: 督办待回复
        replied = paper.reply_due_on + timedelta(days=rng.choice((-2, -1, 0, 0, 1)))
        day = timeutil.local_date(max(replied, paper.issued_at))
        paper.replied_at = timeutil.start_of_local_day(day)
        paper.reply_summary = rng.choice(REPLIES)
        paper.reply_attachment_name = f"{paper.unit.short_name}关于{paper.doc_number}的回复"
        paper.reply_recorded_by_id = paper.issued_by_id
        if rng.random() < 0.7:
            paper.closed_at = paper.replied_at + timedelta(days=1, hours=10)
            paper.closed_by_id = paper.issued_by_id
            paper.close_note = "回复已核实，予以办结"


def _unit_papers(
    s: Session, cal: WorkCalendar, anchor: datetime, leader: Actor, units: DemoUnits
) -> None:
    """Papers about an agency's general conduct: one answered, one waiting, one long overdue."""
    texts = (
        (30, SupervisionKind.LETTER, "你所对街道交办的夜市整治事项长期未反馈，现予督办。"),
        (
            12,
            SupervisionKind.NOTICE,
            "近一个月你所承办事件签收不及时，请加强值守并书面说明改进措施。",
        ),
        (3, SupervisionKind.SUGGESTION, "辖区夜市占道问题反复，建议你所会同执法中队开展专项整治。"),
    )
    kinds = {
        SupervisionKind.LETTER: DocType.SUPERVISION,
        SupervisionKind.NOTICE: DocType.NOTICE,
        SupervisionKind.SUGGESTION: DocType.SUGGESTION,
    }
    for n, (days_ago, kind, content) in enumerate(texts):
        agency = units.agencies[(n + 1) % len(units.agencies)]
        issued = anchor - timedelta(days=days_ago, hours=-2)  # 10:00
        number = docnumbers.issue(
            s,
            leader,
            kinds[kind],
            entity_type="unit",
            entity_id=agency.id,
            title=f"{kind.label}（{agency.short_name}）",
            at=issued,
        )
        paper = Supervision(
            unit_id=agency.id,
            kind=kind,
            doc_number=number.number,
            issued_at=issued,
            issued_by_id=leader.user_id,
            content=content,
            reply_due_on=cal.add_working_days(issued, 5).at,
        )
        if n == 1:
            paper.replied_at = timeutil.start_of_local_day(
                timeutil.local_date(issued + timedelta(days=4))
            )
            paper.reply_summary = REPLIES[2]
            paper.reply_attachment_name = f"{agency.short_name}整改情况报告"
            paper.reply_recorded_by_id = leader.user_id
        s.add(paper)


def _interviews(s: Session, anchor: datetime, operator: Actor, units: DemoUnits) -> None:
    """One 约谈 closed, one past its check day, one to come."""
    plans = (
        (40, True, "多次督办逾期未回复", True),
        (15, True, "夜市占道经营问题反复出现，群众投诉集中", False),
        (-2, False, "承办事件签收超时较多", False),
    )
    for n, (days_ago, held, reason, closed) in enumerate(plans):
        unit = units.agencies[(n + 1) % len(units.agencies)]
        issued = anchor - timedelta(days=max(days_ago, 0) + 3, hours=2)
        scheduled = anchor - timedelta(days=days_ago, hours=-7)
        number = docnumbers.issue(
            s,
            operator,
            DocType.INTERVIEW,
            entity_type="unit",
            entity_id=unit.id,
            title=f"约谈提醒书（{unit.short_name}）",
            at=issued,
        )
        entry = Interview(
            unit_id=unit.id,
            person_name=("林", "周", "吴")[n] + "所长",
            person_title="所长",
            conducted_by="街道党工委副书记、指挥中心常务副主任",
            reason=reason,
            scheduled_at=scheduled,
            place="街道三楼会议室",
            doc_number=number.number,
            issued_at=issued,
            issued_by_id=operator.user_id,
        )
        if held:  # checked a week after
            entry.held_at = timeutil.start_of_local_day(timeutil.local_date(scheduled))
            entry.commitments = "一周内完成整改，建立问题台账并每周报送进展。"
            entry.follow_up_on = timeutil.local_date(scheduled) + timedelta(days=7)
        if closed:
            entry.closed_at = scheduled + timedelta(days=8)
            entry.closed_by_id = operator.user_id
            entry.close_note = "复查整改到位"
        s.add(entry)


def _transfers(s: Session, rng: random.Random, cal: WorkCalendar, anchor: datetime) -> None:
    """Receipts fall due after the default working days; half the received letters have the
    department's result; the oldest letter still waits for its receipt, past its day."""
    days = int(DEFAULTS[TRANSFER_RECEIPT_DAYS])
    letters = list(s.scalars(select(Transfer).order_by(Transfer.sent_at)))
    for n, letter in enumerate(letters):
        letter.receipt_due_at = cal.add_working_days(letter.sent_at, days).at
        if n == 0 and letter.receipt_due_at < anchor:
            letter.receipt_at = letter.receipt_by = None
        elif letter.receipt_at is not None and n % 2:
            letter.result = rng.choice([TransferResult.FILED, TransferResult.HANDLED])
            letter.result_on = timeutil.local_date(letter.receipt_at + timedelta(days=3))
            if timeutil.start_of_local_day(letter.result_on) > anchor:
                letter.result = letter.result_on = None
                continue
            letter.decision = (
                "已立案调查，依法作出责令改正决定。"
                if letter.result is TransferResult.FILED
                else "已现场核查处理完毕。"
            )


def _referrals(
    s: Session, cal: WorkCalendar, anchor: datetime, operator: Actor, units: DemoUnits
) -> None:
    """This morning's last two calls have no single item: referred upward, waiting. An older
    one was decided by the district government and handed to an agency."""
    waiting = s.scalars(
        select(Incident)
        .where(Incident.status == IncidentStatus.REGISTERED)
        .order_by(Incident.received_at.desc())
        .limit(2)
    ).all()
    for incident in waiting:
        triage.triage(
            s,
            operator,
            incident.id,
            triage.TriageForm(),
            now=incident.received_at + timedelta(minutes=12),
        )
    decided = s.scalar(
        select(Incident)
        .where(Incident.status == IncidentStatus.TRIAGED, Incident.received_at < anchor)
        .order_by(Incident.received_at)
        .limit(1)
    )
    if decided is None:
        return
    referred = decided.received_at + timedelta(hours=1)
    decided_at = min(anchor - timedelta(hours=1), referred + timedelta(days=2))
    agency = units.agencies[0]
    s.add(
        IncidentEvent(
            incident_id=decided.id,
            at=referred,
            user_id=operator.user_id,
            kind=IncidentEventKind.REFERRED,
            from_status=IncidentStatus.REGISTERED,
            to_status=IncidentStatus.REFERRED,
            note="涉及多个部门职责，提请联合执法决定",
        )
    )
    s.add(
        EscalationDecision(
            incident_id=decided.id,
            referred_at=referred,
            authority="区人民政府",
            decided_on=timeutil.local_date(decided_at),
            decision=f"由{agency.short_name}牵头办理，执法中队配合",
            responsible_unit_id=agency.id,
            recorded_at=decided_at,
            recorded_by_id=operator.user_id,
        )
    )
    s.add(
        IncidentEvent(
            incident_id=decided.id,
            at=decided_at,
            user_id=operator.user_id,
            kind=IncidentEventKind.TRIAGED,
            from_status=IncidentStatus.REFERRED,
            to_status=IncidentStatus.TRIAGED,
            note=f"区人民政府决定：由{agency.short_name}牵头办理；责任单位 {agency.short_name}",
        )
    )
    decided.route, decided.lead_unit_id = Route.SQUAD, agency.id
    deadlines.set_deadline(s, decided, cal)


def _returned(s: Session, anchor: datetime, operator: Actor) -> None:
    """This morning's ordinary dispatch came back: not the squad's area. Written as rows: the
    demo's moment may be ahead of the machine's clock, which the service would refuse."""
    dispatched = s.scalar(
        select(Incident)
        .where(Incident.status == IncidentStatus.DISPATCHED, Incident.dispatched_at < anchor)
        .order_by(Incident.dispatched_at.desc())
        .limit(1)
    )
    if dispatched is None or dispatched.dispatched_at is None or operator.user_id is None:
        return
    at = min(anchor, dispatched.dispatched_at + timedelta(minutes=30))
    unit = dispatched.lead_unit
    s.add(
        IncidentReturn(
            incident_id=dispatched.id,
            unit_id=dispatched.lead_unit_id,
            reason=ReturnReason.WRONG_AREA,
            note="现场核实位于相邻街道辖区",
            returned_at=at,
            recorded_by_id=operator.user_id,
        )
    )
    s.add(
        IncidentEvent(
            incident_id=dispatched.id,
            at=at,
            user_id=operator.user_id,
            kind=IncidentEventKind.RETURNED,
            from_status=IncidentStatus.DISPATCHED,
            to_status=IncidentStatus.RETURNED,
            note=f"{unit.short_name if unit else ''}退回：{ReturnReason.WRONG_AREA.label}，"
            "现场核实位于相邻街道辖区",
        )
    )
    dispatched.status = IncidentStatus.RETURNED


def _review_sent_back(s: Session, anchor: datetime, leader: Actor) -> None:
    """A major case whose legal review failed: back with its unit for 补正 (法制审核待补正)."""
    case = s.scalar(
        select(Incident)
        .where(Incident.status == IncidentStatus.IN_PROGRESS, Incident.reported_at.is_(None))
        .order_by(Incident.received_at.desc())
        .limit(1)
    )
    if case is None:
        return
    case.is_major = True
    base = max(e.at for e in case.events) if case.events else case.received_at
    opinion, corrections = "证据不足，缺少现场检查笔录", "补充现场检查笔录和当事人询问笔录"
    steps = (
        (IncidentEventKind.REPORTED, IncidentStatus.REPORTED, "已现场处置，拟作出罚款决定"),
        (
            IncidentEventKind.LEGAL_REVIEW,
            IncidentStatus.IN_PROGRESS,
            f"不通过：{opinion}；需补正：{corrections}。退回承办单位补正后重新审核",
        ),
    )
    status = case.status
    at = base
    for n, (kind, to_status, note) in enumerate(steps):
        at = min(anchor - timedelta(minutes=30 - n), base + timedelta(hours=2 + n))
        s.add(
            IncidentEvent(
                incident_id=case.id,
                at=at,
                user_id=leader.user_id,
                kind=kind,
                from_status=status,
                to_status=to_status,
                note=note,
            )
        )
        status = to_status
    s.add(
        LegalReview(
            incident_id=case.id,
            reviewed_at=at,
            reviewed_by_id=leader.user_id,
            outcome=LegalReviewOutcome.FAILED,
            opinion=opinion,
            corrections=corrections,
        )
    )
    case.correction_requested_at = at
