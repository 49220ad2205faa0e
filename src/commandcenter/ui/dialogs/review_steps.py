"""The forms of the steps beside the lead unit's: a co-operating unit's 签收 and 反馈 of its
part, the centre's 免除 of a part, and a leader's 重大执法决定 mark. The rules are the parts
and legal_review services'."""

from __future__ import annotations

from typing import Any

from commandcenter.enums import LegalReviewOutcome, PartState
from commandcenter.services.actor import Actor
from commandcenter.services.incidents import legal_review, parts, progress
from commandcenter.services.incidents.detail import IncidentDetail
from commandcenter.ui.dialogs import form_dialog
from commandcenter.ui.runner import Runner, UnitOfWork

Values = dict[str, Any]


def _units(detail: IncidentDetail, *states: PartState) -> list[tuple[str, int]]:
    labels = {s.label for s in states}
    return [(p.unit, p.unit_id) for p in detail.parts if p.state in labels]


def part_accept_fields(runner: Runner, detail: IncidentDetail) -> list[form_dialog.Field]:
    return [
        form_dialog.choice("unit_id", "协办单位", _units(detail, PartState.DISPATCHED)),
        form_dialog.text("signed_by", "签收人"),
        form_dialog.moment("at", "签收时间"),
    ]


def part_accept(detail: IncidentDetail, values: Values, session: UnitOfWork, actor: Actor) -> None:
    parts.accept_part(
        session,
        actor,
        detail.id,
        unit_id=values["unit_id"],
        signed_by=values["signed_by"],
        at=values["at"],
        expected_version=detail.version,
    )


def part_report_fields(runner: Runner, detail: IncidentDetail) -> list[form_dialog.Field]:
    return [
        form_dialog.choice("unit_id", "协办单位", _units(detail, PartState.ACCEPTED)),
        form_dialog.text("result", "处置结果", multiline=True),
        form_dialog.moment("at", "反馈时间"),
    ]


def part_report(detail: IncidentDetail, values: Values, session: UnitOfWork, actor: Actor) -> None:
    parts.report_part(
        session,
        actor,
        detail.id,
        unit_id=values["unit_id"],
        result=values["result"],
        at=values["at"],
        expected_version=detail.version,
    )


def part_waive_fields(runner: Runner, detail: IncidentDetail) -> list[form_dialog.Field]:
    return [
        form_dialog.choice(
            "unit_id", "协办单位", _units(detail, PartState.DISPATCHED, PartState.ACCEPTED)
        ),
        form_dialog.text("reason", "免除理由", "如：经现场核查无需该单位参与", multiline=True),
    ]


def part_waive(detail: IncidentDetail, values: Values, session: UnitOfWork, actor: Actor) -> None:
    parts.waive_part(
        session,
        actor,
        detail.id,
        unit_id=values["unit_id"],
        reason=values["reason"],
        expected_version=detail.version,
    )


def mark_major_fields(runner: Runner, detail: IncidentDetail) -> list[form_dialog.Field]:
    return [form_dialog.text("reason", "标记理由", "如：拟作出较大数额罚款", multiline=True)]


def mark_major(detail: IncidentDetail, values: Values, session: UnitOfWork, actor: Actor) -> None:
    legal_review.mark_major(
        session, actor, detail.id, reason=values["reason"], expected_version=detail.version
    )


def legal_review_fields(runner: Runner, detail: IncidentDetail) -> list[form_dialog.Field]:
    return [
        form_dialog.choice("outcome", "审核结论", [(o.label, o) for o in LegalReviewOutcome]),
        form_dialog.text("opinion", "审核意见", multiline=True),
        form_dialog.text(
            "corrections",
            "需补正的事项",
            "审核不通过时必填：写明须补正的证据、程序等",
            multiline=True,
        ),
    ]


def legal_review_step(
    detail: IncidentDetail, values: Values, session: UnitOfWork, actor: Actor
) -> None:
    progress.legal_review(
        session,
        actor,
        detail.id,
        outcome=values["outcome"],
        opinion=values["opinion"],
        corrections=values["corrections"],
        expected_version=detail.version,
    )
