"""The demo street's work orders answered: 四平台 incidents carry the platform's event numbers
(12345 ones already carry theirs), and every closed order has the 办结回复 its closing would have
recorded, filled from the centre's first two templates. A random source of its own, so the rest
of the street stays as it was."""

from __future__ import annotations

import random

from sqlalchemy import Table, bindparam, insert, select
from sqlalchemy.orm import Session

from commandcenter import timeutil
from commandcenter.db.models import (
    Channel,
    Incident,
    IncidentEvent,
    IncidentEventKind,
    IncidentReply,
    IncidentStatus,
    ReplyChannel,
    ReplyOutcome,
    ReplyTemplate,
    Unit,
)
from commandcenter.services import settings
from commandcenter.services.incidents import replies

_RESULTS = {
    ReplyOutcome.RESOLVED: (
        "执法队员已到现场核实，责令当事人立即整改，现场已恢复正常",
        "已约谈相关责任人并督促整改到位，经复查问题已解决",
        "已依法立案查处，现场违法行为已停止",
    ),
    ReplyOutcome.PARTLY: ("已督促当事人限期整改，目前已完成主要整改内容，将持续跟踪",),
    ReplyOutcome.EXPLAINED: (
        "经现场核查，该处不属于违法行为，已向来电人解释相关规定",
        "经多次上门未发现所反映的情况，已电话向来电人说明",
    ),
}


def answer_orders(s: Session) -> int:
    """Give 四平台 incidents their numbers and closed orders their replies; how many replies."""
    rng = random.Random("work-order replies")
    platform = s.execute(
        select(Incident.id, Incident.received_at)
        .where(Incident.channel == Channel.PLATFORM, Incident.channel_ref.is_(None))
        .order_by(Incident.id)
    ).all()
    table = Incident.__table__
    assert isinstance(table, Table)
    numbered = [
        {
            "b_id": incident_id,
            "b_ref": f"SPT{timeutil.local_date(at):%Y%m%d}{incident_id % 100000:05d}",
        }
        for incident_id, at in platform
    ]
    if numbered:  # one executemany: a full-scale street has tens of thousands of them
        s.execute(
            table.update()
            .where(table.c.id == bindparam("b_id"))
            .values(channel_ref=bindparam("b_ref")),
            numbered,
        )
    templates = list(s.scalars(select(ReplyTemplate).order_by(ReplyTemplate.sort_order)))
    if len(templates) < 2:
        return 0
    centre = settings.load(s)
    closers = dict(
        s.execute(
            select(IncidentEvent.incident_id, IncidentEvent.user_id).where(
                IncidentEvent.kind == IncidentEventKind.CLOSED
            )
        ).all()
    )
    orders = s.execute(
        select(Incident, Unit.name)
        .outerjoin(Unit, Unit.id == Incident.lead_unit_id)
        .where(
            Incident.channel.in_(replies.WORK_ORDER_CHANNELS),
            Incident.channel_ref.is_not(None),
            Incident.status == IncidentStatus.CLOSED,
        )
        .order_by(Incident.id)
    ).all()
    rows = []
    for incident, unit_name in orders:
        assert incident.closed_at is not None
        dissatisfied = incident.satisfaction is not None and incident.satisfaction <= 2
        outcome = (
            ReplyOutcome.PARTLY
            if dissatisfied
            else rng.choices(
                [ReplyOutcome.RESOLVED, ReplyOutcome.EXPLAINED, ReplyOutcome.PARTLY],
                weights=[80, 15, 5],
            )[0]
        )
        template = templates[1] if outcome is ReplyOutcome.EXPLAINED else templates[0]
        values = {
            "事项": incident.title,
            "工单编号": incident.channel_ref or incident.number,
            "事件编号": incident.number,
            "承办单位": unit_name or centre.street_name,
            "办理结果": rng.choice(_RESULTS[outcome]),
            "办结日期": timeutil.chinese_date(timeutil.local_date(incident.closed_at)),
            "中心名称": centre.centre_name,
        }
        rows.append(
            {
                "incident_id": incident.id,
                "channel": ReplyChannel.PLATFORM if rng.random() < 0.7 else ReplyChannel.PHONE,
                "outcome": outcome,
                "text": replies.fill(template.text, values),
                "replied_at": incident.closed_at,
                "replied_by_id": closers.get(incident.id) or incident.registered_by_id,
                "template_id": template.id,
            }
        )
    for start in range(0, len(rows), 2000):
        s.execute(insert(IncidentReply), rows[start : start + 2000])
    return len(rows)
