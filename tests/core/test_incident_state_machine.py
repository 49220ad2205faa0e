"""A stateful property test: any sequence of steps by any user keeps the incident consistent.

Each step is tried by a random user. A step that succeeds must have been offered for the status
it started from (the buttons and the services agree); a step not offered must be refused; and
whatever happens, the rules hold: nothing past dispatch without two certified officers (R1), no
major decision closed without a passed legal review (R5), no incident closed while a co-operating
unit's part is open, and every change in the hash-chained record.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test
from sqlalchemy import select
from sqlalchemy.orm import Session

from commandcenter import timeutil
from commandcenter.db.models import (
    AssignmentRole,
    Incident,
    IncidentAssignment,
    IncidentStatus,
    LegalReviewOutcome,
    ReturnReason,
    ReturnRuling,
    SupervisionKind,
    TransferResult,
)
from commandcenter.errors import PermissionDenied, UserError
from commandcenter.services import audit
from commandcenter.services.actor import Actor
from commandcenter.services.followups import escalations, transfer_results
from commandcenter.services.incidents import (
    dispatch,
    followup,
    intake,
    legal_review,
    parts,
    progress,
    triage,
    workflow,
)
from commandcenter.services.incidents.workflow import Step
from commandcenter.services.permissions import Action, allowed
from tests.core.incident_world import World
from tests.core.test_incidents import register, team

S = IncidentStatus
PAST_DISPATCH = {S.DISPATCHED, S.ACCEPTED, S.IN_PROGRESS, S.REPORTED, S.CLOSED}
CLOSE_MAJOR = Action.CLOSE_MAJOR_DECISION


def _today() -> date:
    return timeutil.local_date(timeutil.now())


STEPS = [s for s in Step if s not in (Step.MERGE, Step.ATTACH)]  # need a second record / a file


def _call(
    world: World, step: Step, incident_id: int, choice: int
) -> Callable[[Session, Actor], Any]:
    items = [world.items["empowered"], world.items["linked"]] * 2 + [
        world.items["department"],
        None,
    ]
    calls: dict[Step, Callable[[Session, Actor], Any]] = {
        Step.EDIT: lambda s, a: intake.update_registration(
            s, a, incident_id, intake.registration_form(s, a, incident_id)[0], None
        ),
        Step.TRIAGE: lambda s, a: triage.triage(
            s,
            a,
            incident_id,
            triage.TriageForm(item_id=items[choice % 6], is_major=choice % 3 == 0),
        ),
        Step.DISPATCH: lambda s, a: dispatch.dispatch(
            s,
            a,
            incident_id,
            team(
                world,
                officers=world.officers[choice % 2 :][:2],
                co_unit_ids=[world.agency] if choice % 2 else [],
            ),
        ),
        Step.APPROVE: lambda s, a: dispatch.approve(
            s, a, incident_id, approved=choice % 4 != 0, note="意见"
        ),
        Step.ACCEPT: lambda s, a: progress.accept(s, a, incident_id, signed_by="王强"),
        Step.RETURN: lambda s, a: progress.return_dispatch(
            s, a, incident_id, reason=ReturnReason.WRONG_AREA, note=""
        ),
        Step.RULE: lambda s, a: progress.rule_on_return(
            s, a, incident_id, ruling=list(ReturnRuling)[choice % 2], note="裁定"
        ),
        Step.START: lambda s, a: progress.start(s, a, incident_id),
        Step.REPORT: lambda s, a: progress.report_back(s, a, incident_id, result="已处置"),
        Step.LEGAL_REVIEW: lambda s, a: progress.legal_review(
            s,
            a,
            incident_id,
            opinion="审核意见",
            outcome=LegalReviewOutcome.FAILED if choice % 3 == 0 else LegalReviewOutcome.PASSED,
            corrections="补充现场笔录",
        ),
        Step.PART_ACCEPT: lambda s, a: parts.accept_part(
            s, a, incident_id, unit_id=world.agency, signed_by="李协"
        ),
        Step.PART_REPORT: lambda s, a: parts.report_part(
            s, a, incident_id, unit_id=world.agency, result="已配合检测"
        ),
        Step.PART_WAIVE: lambda s, a: parts.waive_part(
            s, a, incident_id, unit_id=world.agency, reason="无需参与"
        ),
        Step.MARK_MAJOR: lambda s, a: legal_review.mark_major(
            s, a, incident_id, reason="拟作出较大数额罚款"
        ),
        Step.CLOSE: lambda s, a: progress.close(s, a, incident_id, satisfaction=5),
        Step.REOPEN: lambda s, a: progress.reopen(s, a, incident_id, reason="回访不满意"),
        Step.EXTEND: lambda s, a: followup.request_extension(
            s, a, incident_id, working_days=2, reason="协调"
        ),
        Step.DECIDE_EXTENSION: lambda s, a: followup.decide_extension(
            s, a, incident_id, approved=True
        ),
        Step.WHISTLE: lambda s, a: followup.call_whistle(
            s,
            a,
            incident_id,
            followup.WhistleForm(department_id=world.agency, approved_by_id=world.leader.user_id),
        ),
        Step.SUPERVISE: lambda s, a: followup.supervise(
            s, a, incident_id, unit_id=world.squad, kind=SupervisionKind.NOTICE, content="提示"
        ),
        Step.TRANSFER: lambda s, a: followup.transfer(
            s, a, incident_id, department_id=world.department, facts="移送"
        ),
        Step.TRANSFER_RECEIPT: lambda s, a: followup.record_transfer_receipt(
            s, a, incident_id, received_by="林联"
        ),
        Step.TRANSFER_RESULT: lambda s, a: transfer_results.record_result(
            s,
            a,
            incident_id,
            transfer_results.TransferResultForm(
                result=TransferResult.FILED, result_on=_today(), decision="立案查处"
            ),
        ),
        Step.ESCALATION_DECISION: lambda s, a: escalations.record_decision(
            s,
            a,
            incident_id,
            escalations.EscalationForm(
                decided_on=_today(),
                decision="确定责任主体",
                responsible_unit_id=world.department if choice % 2 else world.squad,
            ),
        ),
        Step.NOTE: lambda s, a: intake.add_note(s, a, incident_id, "备注"),
    }
    return calls[step]


@pytest.mark.slow
def test_any_sequence_of_steps_keeps_the_rules(world: World) -> None:
    users = [world.operator, world.operator2, world.leader, world.leader2, world.field_leader]

    class Incidents(RuleBasedStateMachine):
        def __init__(self) -> None:
            super().__init__()
            self.incident_id = register(world)
            self.refused_permission = 0

        def major(self) -> bool:
            with world.db.read() as s:
                return s.get_one(Incident, self.incident_id).is_major

        def status(self) -> IncidentStatus:
            with world.db.read() as s:
                return s.get_one(Incident, self.incident_id).status

        @rule(user=st.sampled_from(range(len(users))), choice=st.integers(0, 11), data=st.data())
        def take(self, user: int, choice: int, data: st.DataObject) -> None:
            actor = users[user]
            before = self.status()
            # Mostly a step the status offers, so runs get far; sometimes any step at all.
            usable = [s for s in workflow.available_steps(actor, before) if s in STEPS]
            pick = st.sampled_from(STEPS)
            if usable:
                pick = st.one_of(st.sampled_from(usable), st.sampled_from(usable), pick)
            step = data.draw(pick, label="step")
            offered = step in workflow.available_steps(actor, before)
            if step is Step.CLOSE and self.major() and not allowed(actor, CLOSE_MAJOR):
                offered = False  # the pane offers a major decision's closing to leaders only
            try:
                with world.db.write() as s:
                    _call(world, step, self.incident_id, choice)(s, actor)
            except PermissionDenied:
                assert not offered, f"{step} offered to {actor.username} but refused"
                return
            except UserError:
                return  # a business rule said no (R1, R5, R6, ...): allowed either way
            assert offered, f"{step.label} succeeded from {before.label} for {actor.username}"

        @invariant()
        def rules_hold(self) -> None:
            with world.db.read() as s:
                incident = s.get_one(Incident, self.incident_id)
                officers = s.scalars(
                    select(IncidentAssignment).where(
                        IncidentAssignment.incident_id == incident.id,
                        IncidentAssignment.role == AssignmentRole.OFFICER,
                    )
                ).all()
                if incident.status in PAST_DISPATCH:
                    assert len(officers) >= 2 and all(o.certificate_number for o in officers)
                if incident.status is S.CLOSED and incident.is_major:
                    assert incident.legal_reviewed_at is not None
                    last = legal_review.latest(s, incident.id)
                    assert last is not None and last.outcome is LegalReviewOutcome.PASSED
                if incident.status is S.CLOSED:
                    assert not parts.open_parts(s, incident.id)
                if incident.status is S.DISPATCHED:
                    assert incident.dispatched_at is not None

    run_state_machine_as_test(
        Incidents, settings=settings(max_examples=60, stateful_step_count=40, deadline=None)
    )
    with world.db.read() as s:
        assert audit.verify_chain(s).intact
