"""The incident workflow, called as services: routing, R1, R5, R6, deadlines, papers' numbers."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from commandcenter.db.models import (
    DocumentNumber,
    ExtensionState,
    Incident,
    IncidentEvent,
    IncidentReturn,
    IncidentStatus,
    Priority,
    ReturnReason,
    ReturnRuling,
    Route,
    SupervisionKind,
)
from commandcenter.errors import ConflictError, PermissionDenied, ValidationError
from commandcenter.services import audit
from commandcenter.services.incidents import (
    deadlines,
    detail,
    dispatch,
    duplicates,
    followup,
    intake,
    paper_records,
    progress,
    triage,
    workflow,
)
from commandcenter.services.incidents.workflow import Step
from tests.core.incident_world import World, local


def register(w: World, title: str = "梅山大道占道经营", **kw: object) -> int:
    form = intake.IncidentForm(
        channel=kw.pop("channel", None) or intake.Channel.HOTLINE_12345,  # type: ignore[arg-type]
        title=title,
        address=str(kw.pop("address", "梅山大道1号")),
        grid_id=w.grid,
        reporter_name="张三",
        reporter_phone="13912345678",
        **kw,  # type: ignore[arg-type]
    )
    with w.db.write() as s:
        return intake.register(s, w.operator, form).id


def triaged(w: World, list_type: str = "empowered", **kw: object) -> int:
    incident_id = register(w, **kw)  # type: ignore[arg-type]
    with w.db.write() as s:
        triage.triage(s, w.operator, incident_id, triage.TriageForm(item_id=w.items[list_type]))
    return incident_id


def team(w: World, officers: list[int] | None = None, **kw: object) -> dispatch.DispatchForm:
    return dispatch.DispatchForm(
        lead_unit_id=w.squad,
        officer_ids=officers if officers is not None else w.officers[:2],
        **kw,  # type: ignore[arg-type]
    )


def dispatched(w: World, **kw: object) -> int:
    incident_id = triaged(w, **kw)
    with w.db.write() as s:
        dispatch.dispatch(s, w.operator, incident_id, team(w))
    return incident_id


def status(w: World, incident_id: int) -> IncidentStatus:
    with w.db.read() as s:
        return s.get_one(Incident, incident_id).status


# --- intake -----------------------------------------------------------------------------------


def test_registration_names_the_operator_and_numbers_per_year(world: World) -> None:
    first = register(world)
    second = register(world, "梅东路噪音扰民")
    with world.db.read() as s:
        a, b = s.get_one(Incident, first), s.get_one(Incident, second)
        assert (a.number, b.number) == ("2026-000001", "2026-000002")
        assert a.registered_by_id == world.operator.user_id  # R4
        assert a.reporter_phone == "13912345678"
        events = s.scalars(select(IncidentEvent).where(IncidentEvent.incident_id == first)).all()
        assert "首问负责人 值班员甲" in (events[0].note or "")


def test_registration_reports_every_problem_and_saves_nothing(world: World) -> None:
    form = intake.IncidentForm(
        title="", reporter_phone="12", received_at=world.clock.advance(days=1)
    )
    world.clock.advance(days=-1)
    with world.db.read() as s:
        _values, problems = intake.incident_values(s, form, world.clock())
    fields = {p.field for p in problems}
    assert {"channel", "title", "reporter_phone", "received_at"} <= fields
    with pytest.raises(ValidationError), world.db.write() as s:
        intake.register(s, world.operator, form)
    with world.db.read() as s:
        assert s.scalar(select(func.count()).select_from(Incident)) == 0


def test_attachments_are_copied_with_their_checksum(world: World, tmp_path) -> None:  # type: ignore[no-untyped-def]
    source = tmp_path / "现场照片.jpg"
    source.write_bytes(b"\xff\xd8photo" * 100)
    store = tmp_path / "store"
    form = intake.IncidentForm(
        channel=intake.Channel.GRID_PATROL, title="占道", address="梅山大道2号", grid_id=world.grid
    )
    with world.db.write() as s:
        incident = intake.register(s, world.operator, form, attachments=[source], store=store)
        att = s.scalars(select(intake.Attachment)).one()
        assert att.filename == "现场照片.jpg" and att.size == source.stat().st_size
        assert intake.verify_attachment(store, att)
        assert incident.id == att.incident_id
    (store / att.stored_path).write_bytes(b"changed")
    assert not intake.verify_attachment(store, att)


# --- duplicates and merging -------------------------------------------------------------------


def test_likely_duplicates_need_the_same_place_and_similar_words(world: World) -> None:
    first = register(world, "梅山大道1号门口占道经营")
    world.clock.advance(hours=3)
    with world.db.read() as s:
        found = duplicates.likely_duplicates(
            s,
            world.operator,
            title="梅山大道1号门口有人占道经营",
            address="梅山大道1号",
            grid_id=world.grid,
            received_at=world.clock(),
        )
        unrelated = duplicates.likely_duplicates(
            s,
            world.operator,
            title="夜间施工噪音扰民严重",
            address="梅山大道9号",
            grid_id=None,
            received_at=world.clock(),
        )
    assert [c.id for c in found] == [first]
    assert "同一地址" in found[0].why
    assert unrelated == []


def test_a_place_typed_shorter_or_longer_is_the_same_place(world: World) -> None:
    first = register(world, "峙南路19号门口占道经营", address="梅山街道峙南路19号")
    world.clock.advance(hours=1)

    def found(address: str) -> list[duplicates.Candidate]:
        with world.db.read() as s:
            return duplicates.likely_duplicates(
                s,
                world.operator,
                title="峙南路19号门口有人占道经营",
                address=address,
                grid_id=None,  # the place alone must find it
                received_at=world.clock(),
            )

    for typed in ("峙南路19号", "宁波市北仑区梅山街道峙南路１９号", "峙南路 19号"):
        candidates = found(typed)
        assert [c.id for c in candidates] == [first], typed
        assert "同一地址" in candidates[0].why
    assert found("峙南路21号") == []
    assert found("19号") == []  # too short to name one door


def test_merge_links_both_and_counts_once(world: World) -> None:
    first = register(world, "梅山大道1号门口占道经营")
    second = register(world, "梅山大道1号门口占道经营（重复来电）")
    with world.db.write() as s:
        duplicates.merge(s, world.operator, second, first, "同一摊点")
    with world.db.read() as s:
        dup = s.get_one(Incident, second)
        assert dup.status is IncidentStatus.MERGED and dup.merged_into_id == first
        notes = [e.note for e in s.get_one(Incident, first).events]
        assert any(second_number in (n or "") for n in notes for second_number in [dup.number])
    with pytest.raises(ValidationError, match="已并单"), world.db.write() as s:
        duplicates.merge(s, world.operator, first, second)


# --- triage and routing (R3) ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("list_type", "route", "to"),
    [
        ("empowered", Route.SQUAD, IncidentStatus.TRIAGED),
        ("linked", Route.WHISTLE, IncidentStatus.TRIAGED),
        ("department", Route.TRANSFER, IncidentStatus.TRIAGED),
    ],
)
def test_the_route_follows_the_list_type(
    world: World, list_type: str, route: Route, to: IncidentStatus
) -> None:
    incident_id = register(world)
    with world.db.write() as s:
        chosen = triage.triage(
            s, world.operator, incident_id, triage.TriageForm(item_id=world.items[list_type])
        )
    assert chosen is route
    with world.db.read() as s:
        incident = s.get_one(Incident, incident_id)
        assert incident.status is to and incident.route is route
        assert incident.item_id == world.items[list_type]  # the version triaged with (R3)


def test_no_single_item_is_referred_upward(world: World) -> None:
    incident_id = register(world)
    with world.db.write() as s:
        assert triage.triage(s, world.operator, incident_id, triage.TriageForm()) is Route.UPWARD
    assert status(world, incident_id) is IncidentStatus.REFERRED
    with pytest.raises(ValidationError, match="只能提请联合执法决定"), world.db.write() as s:
        triage.triage(
            s,
            world.operator,
            incident_id,
            triage.TriageForm(route=Route.SQUAD, override_reason="急"),
        )


def test_overriding_the_route_needs_a_reason_which_is_recorded(world: World) -> None:
    incident_id = register(world)
    form = triage.TriageForm(item_id=world.items["department"], route=Route.SQUAD)
    with pytest.raises(ValidationError, match="请填写调整理由") as caught, world.db.write() as s:
        triage.triage(s, world.operator, incident_id, form)
    assert caught.value.field == "override_reason"
    form.override_reason = "部门暂无人员，街道先行制止"
    with world.db.write() as s:
        triage.triage(s, world.operator, incident_id, form)
    with world.db.read() as s:
        incident = s.get_one(Incident, incident_id)
        assert incident.route is Route.SQUAD
        assert incident.route_override_reason == "部门暂无人员，街道先行制止"
        assert "调整理由" in (incident.events[-1].note or "")


def test_items_of_a_superseded_version_are_refused(world: World) -> None:
    incident_id = register(world)
    with pytest.raises(ValidationError, match="不属于当前生效"), world.db.write() as s:
        triage.triage(s, world.operator, incident_id, triage.TriageForm(item_id=world.old_item))


# --- deadlines (R7) ---------------------------------------------------------------------------


def test_deadline_counts_working_days_across_national_day(world: World) -> None:
    # Received Wed 30 Sep; 1-7 Oct are holidays, Sat 10 Oct is a make-up working day:
    # 8, 9, 10, 12, 13 Oct are the five working days.
    incident_id = triaged(world)
    with world.db.read() as s:
        incident = s.get_one(Incident, incident_id)
        assert incident.deadline_at == local(date(2026, 10, 13), 17, 30)
        assert not incident.deadline_uncertain
        assert incident.warning_at is not None
        assert incident.received_at < incident.warning_at < incident.deadline_at


def test_deadline_counts_working_days_across_spring_festival(world: World) -> None:
    # Received Fri 13 Feb 2026. Sat 14 Feb is a make-up working day; 15-23 Feb are the
    # holidays; so 14, 24, 25, 26, 27 Feb are the five working days (Sat 28 Feb works too).
    world.clock.set(local(date(2026, 2, 13), 10))
    incident_id = triaged(world)
    with world.db.read() as s:
        incident = s.get_one(Incident, incident_id)
        assert incident.deadline_at == local(date(2026, 2, 27), 17, 30)
        assert not incident.deadline_uncertain
    with world.db.read() as s:
        shown = detail.load(s, world.operator, incident_id, now=local(date(2026, 2, 16), 9))
    # Mid-holiday, the time left is what the working days hold: 24-27 Feb in full.
    assert shown.time_left == "剩 4 个工作日"


def test_urgent_items_count_working_hours(world: World) -> None:
    # 4 working hours from 16:00 on 30 Sep: 1.5 h that day, 2.5 h on 8 Oct from 08:30.
    world.clock.set(local(date(2026, 9, 30), 16))
    incident_id = register(world)
    with world.db.write() as s:
        triage.triage(
            s,
            world.operator,
            incident_id,
            triage.TriageForm(item_id=world.items["empowered"], priority=Priority.URGENT),
        )
    with world.db.read() as s:
        assert s.get_one(Incident, incident_id).deadline_at == local(date(2026, 10, 8), 11)


def test_deadline_into_a_year_without_calendar_is_uncertain(world: World) -> None:
    world.clock.set(local(date(2026, 12, 28), 9))
    incident_id = triaged(world)
    with world.db.read() as s:
        incident = s.get_one(Incident, incident_id)
        assert incident.deadline_uncertain
        assert "待核" in (incident.events[-1].note or "")


def test_deadline_state_and_time_left(world: World) -> None:
    incident_id = triaged(world)
    with world.db.read() as s:
        incident = s.get_one(Incident, incident_id)
        deadline, warning = incident.deadline_at, incident.warning_at
    assert deadline is not None and warning is not None
    state = deadlines.state_of
    assert (
        state(IncidentStatus.TRIAGED, deadline, warning, world.clock())
        is deadlines.DeadlineState.ON_TIME
    )
    assert (
        state(IncidentStatus.TRIAGED, deadline, warning, warning) is deadlines.DeadlineState.WARNING
    )
    late = deadline + timedelta(days=1)
    assert state(IncidentStatus.TRIAGED, deadline, warning, late) is deadlines.DeadlineState.OVERDUE
    assert state(IncidentStatus.CLOSED, deadline, warning, late) is deadlines.DeadlineState.DONE
    with world.db.read() as s:
        shown = detail.load(s, world.operator, incident_id, now=local(date(2026, 10, 13), 13, 30))
    assert shown.time_left == "剩 4 工作小时"


# --- dispatch and R1 / R10 --------------------------------------------------------------------


def test_dispatch_with_two_valid_officers_issues_a_numbered_order(world: World) -> None:
    incident_id = triaged(world)
    with world.db.write() as s:
        dispatch.dispatch(
            s, world.operator, incident_id, team(world, auxiliary_ids=[world.auxiliary])
        )
    with world.db.read() as s:
        incident = s.get_one(Incident, incident_id)
        assert incident.status is IncidentStatus.DISPATCHED
        assert incident.dispatched_by_id == world.operator.user_id
        numbers = s.scalars(select(DocumentNumber.number)).all()
        assert numbers == ["梅执指派〔2026〕1号"]
        certificates = sorted(a.certificate_number or "" for a in incident.assignments)
        assert certificates == ["", "330201000", "330201001"]  # the auxiliary carries none


@pytest.mark.parametrize(
    ("who", "message"),
    [
        ("one", "至少派出 2 名"),
        ("expired", "已于 2026-06-30 过期"),
        ("suspended", "已暂扣"),
        ("recused", "须回避：近亲属经营"),
        ("auxiliary", "编外协勤人员"),
    ],
)
def test_r1_refuses_a_team_without_two_valid_officers(world: World, who: str, message: str) -> None:
    incident_id = triaged(world, entity_id=world.entity)
    second = {
        "one": [],
        "expired": [world.expired_officer],
        "suspended": [world.suspended_officer],
        "recused": [world.recused_officer],
        "auxiliary": [world.auxiliary],
    }[who]
    form = team(world, officers=[world.officers[0], *second])
    with pytest.raises(ValidationError, match=message), world.db.write() as s:
        dispatch.dispatch(s, world.operator, incident_id, form)
    assert status(world, incident_id) is IncidentStatus.TRIAGED


def test_a_dispatch_refusal_lists_every_problem_of_the_team(world: World) -> None:
    incident_id = triaged(world, entity_id=world.entity)
    form = team(
        world,
        officers=[world.expired_officer, world.recused_officer],
        auxiliary_ids=[world.officers[0]],
    )
    with pytest.raises(ValidationError) as refused, world.db.write() as s:
        dispatch.dispatch(s, world.operator, incident_id, form)
    assert refused.value.message == (
        "未能派单，有 4 个问题：\n"
        "1. 周过的执法证已于 2026-06-30 过期，不能作为执法人员派出。\n"
        "2. 郑避须回避：近亲属经营。\n"
        "3. 王强不是编外协勤人员，请作为执法人员选择。\n"
        "4. 符合条件的执法人员只有 0 名，至少需要 2 名。"
    )
    assert refused.value.field == "officer_ids"  # the form's cursor goes to the officers
    assert status(world, incident_id) is IncidentStatus.TRIAGED


def test_auxiliaries_never_count_toward_two(world: World) -> None:
    incident_id = triaged(world)
    form = team(world, officers=[world.officers[0]], auxiliary_ids=[world.auxiliary])
    with pytest.raises(ValidationError, match="当前 1 名"), world.db.write() as s:
        dispatch.dispatch(s, world.operator, incident_id, form)


def test_candidates_list_the_eligible_first_and_say_why_not(world: World) -> None:
    incident_id = triaged(world, entity_id=world.entity)
    with world.db.read() as s:
        rows = dispatch.candidates(s, world.operator, incident_id, on=date(2026, 9, 30))
    eligible = [r.name for r in rows if r.eligible]
    assert eligible[:4] == sorted(eligible[:4], key=lambda n: n) or len(eligible) == 4
    assert set(eligible) == {"王强", "李明", "赵刚", "陈立"}
    first_ineligible = next(n for n, r in enumerate(rows) if not r.eligible)
    assert all(not r.eligible for r in rows[first_ineligible:])
    reasons = {r.name: r.reason for r in rows}
    assert "过期" in (reasons["周过"] or "")
    assert "回避" in (reasons["郑避"] or "")
    assert "请假" in (reasons["钱假"] or "")
    assert rows[-1].auxiliary and rows[-1].name == "孙协"


def test_transfer_route_is_not_dispatched(world: World) -> None:
    incident_id = triaged(world, "department")
    with pytest.raises(ValidationError, match="不派单"), world.db.write() as s:
        dispatch.dispatch(s, world.operator, incident_id, team(world))


def test_major_dispatch_waits_for_another_leader(world: World) -> None:
    incident_id = register(world)
    with world.db.write() as s:
        triage.triage(
            s,
            world.leader,
            incident_id,
            triage.TriageForm(item_id=world.items["empowered"], is_major=True),
        )
        dispatch.dispatch(
            s,
            world.leader,
            incident_id,
            team(world, officers=[world.officers[0], world.field_officer]),
        )
    assert status(world, incident_id) is IncidentStatus.AWAITING_APPROVAL
    with world.db.read() as s:
        assert s.scalar(select(func.count()).select_from(DocumentNumber)) == 0
    with pytest.raises(PermissionDenied), world.db.write() as s:
        dispatch.approve(s, world.operator, incident_id, approved=True)
    with pytest.raises(ValidationError, match="派单人不能审批"), world.db.write() as s:
        dispatch.approve(s, world.leader, incident_id, approved=True)
    with pytest.raises(ValidationError, match="三分离"), world.db.write() as s:
        dispatch.approve(s, world.field_leader, incident_id, approved=True)  # sent on site
    with world.db.write() as s:
        dispatch.approve(s, world.leader2, incident_id, approved=True, note="同意")
    with world.db.read() as s:
        incident = s.get_one(Incident, incident_id)
        assert incident.status is IncidentStatus.DISPATCHED
        assert incident.dispatch_approved_by_id == world.leader2.user_id
        assert s.scalar(select(DocumentNumber.number)) == "梅执指派〔2026〕1号"


# --- after dispatch ---------------------------------------------------------------------------


def test_a_whole_life_from_call_to_close(world: World) -> None:
    incident_id = dispatched(world)
    world.clock.advance(hours=1)
    with world.db.write() as s:
        progress.accept(s, world.operator, incident_id, signed_by="王强")
        progress.start(s, world.operator, incident_id)
        progress.report_back(s, world.operator, incident_id, result="已劝离摊贩，现场恢复通行")
        progress.close(
            s, world.operator2, incident_id, satisfaction=5, callback_note="反映人表示满意"
        )
    with world.db.read() as s:
        incident = s.get_one(Incident, incident_id)
        assert incident.status is IncidentStatus.CLOSED and incident.satisfaction == 5
        kinds = [e.kind.label for e in incident.events]
        assert kinds == ["登记", "研判", "派单", "签收", "开始处置", "反馈", "回访", "办结"]
        assert audit.verify_chain(s).intact
        entries = s.scalar(
            select(func.count())
            .select_from(audit.AuditRecord)
            .where(audit.AuditRecord.action.like("incident.%"))
        )
        assert entries == len(kinds)  # R11: every step is in the record


def test_refused_steps_say_why(world: World) -> None:
    incident_id = register(world)
    with pytest.raises(ValidationError, match="当前为“已登记”，不能办结"), world.db.write() as s:
        progress.close(s, world.operator, incident_id, satisfaction=None)
    with pytest.raises(PermissionDenied, match="值班员无权审批延期"), world.db.write() as s:
        followup.decide_extension(s, world.operator, incident_id, approved=True)


def test_stale_version_is_a_conflict(world: World) -> None:
    incident_id = triaged(world)
    with world.db.read() as s:
        seen = s.get_one(Incident, incident_id).version
    with world.db.write() as s:
        dispatch.dispatch(s, world.operator2, incident_id, team(world), expected_version=seen)
    with pytest.raises(ConflictError), world.db.write() as s:
        dispatch.dispatch(s, world.operator, incident_id, team(world), expected_version=seen)


def test_r5_major_decision_needs_legal_review_and_r6_separates_roles(world: World) -> None:
    incident_id = register(world)
    with world.db.write() as s:
        triage.triage(
            s,
            world.operator,
            incident_id,
            triage.TriageForm(item_id=world.items["empowered"], is_major=True),
        )
        dispatch.dispatch(
            s,
            world.operator,
            incident_id,
            team(world, officers=[world.officers[0], world.field_officer]),
        )
        dispatch.approve(s, world.leader, incident_id, approved=True)
        progress.accept(s, world.operator, incident_id, signed_by="王强")
        progress.report_back(s, world.operator, incident_id, result="已立案查处")
    with pytest.raises(ValidationError, match="须先经法制审核通过"), world.db.write() as s:
        progress.close(s, world.leader2, incident_id, satisfaction=None)
    with pytest.raises(ValidationError, match="三分离"), world.db.write() as s:
        progress.legal_review(s, world.field_leader, incident_id, opinion="合法")
    with world.db.write() as s:
        progress.legal_review(s, world.leader, incident_id, opinion="事实清楚，程序合法")
    with pytest.raises(ValidationError, match="法制审核人不能同时决定办结"), world.db.write() as s:
        progress.close(s, world.leader, incident_id, satisfaction=None)
    with world.db.write() as s:
        progress.close(s, world.leader2, incident_id, satisfaction=None)
    assert status(world, incident_id) is IncidentStatus.CLOSED
    with world.db.write() as s:
        progress.reopen(s, world.operator, incident_id, reason="回访不满意")
    with world.db.read() as s:
        incident = s.get_one(Incident, incident_id)
        assert incident.status is IncidentStatus.IN_PROGRESS
        assert incident.legal_reviewed_at is None  # a new result needs a new review


@pytest.mark.parametrize(
    ("ruling", "back_to"),
    [
        (ReturnRuling.UPHELD, IncidentStatus.DISPATCHED),
        (ReturnRuling.REASSIGN, IncidentStatus.TRIAGED),
    ],
)
def test_return_and_ruling(world: World, ruling: ReturnRuling, back_to: IncidentStatus) -> None:
    incident_id = dispatched(world)
    with pytest.raises(ValidationError, match="请填写退回理由说明"), world.db.write() as s:
        progress.return_dispatch(s, world.operator, incident_id, reason=ReturnReason.OTHER, note="")
    with world.db.write() as s:
        progress.return_dispatch(
            s, world.operator, incident_id, reason=ReturnReason.WRONG_AREA, note="属邻街道"
        )
    assert status(world, incident_id) is IncidentStatus.RETURNED
    with world.db.write() as s:
        progress.rule_on_return(s, world.operator2, incident_id, ruling=ruling, note="经核实")
    with world.db.read() as s:
        incident = s.get_one(Incident, incident_id)
        assert incident.status is back_to
        entry = s.scalars(select(IncidentReturn)).one()
        assert entry.unit_id == world.squad and entry.ruling is ruling
        assert bool(incident.assignments) is (ruling is ReturnRuling.UPHELD)


def test_extension_needs_a_leader_and_moves_the_deadline_in_working_days(world: World) -> None:
    incident_id = dispatched(world)
    with world.db.write() as s:
        followup.request_extension(
            s, world.operator, incident_id, working_days=3, reason="需协调产权单位"
        )
    with pytest.raises(ValidationError, match="已有一份待审批"), world.db.write() as s:
        followup.request_extension(s, world.operator, incident_id, working_days=2, reason="再延")
    with world.db.write() as s:
        entry = followup.decide_extension(s, world.leader, incident_id, approved=True)
        assert entry.state is ExtensionState.APPROVED
    with world.db.read() as s:
        # 13 Oct (Tue) + 3 working days = 16 Oct (Fri).
        assert s.get_one(Incident, incident_id).deadline_at == local(date(2026, 10, 16), 17, 30)


def test_whistle_call_records_the_leader_and_response_time(world: World) -> None:
    incident_id = triaged(world, "linked")
    with world.db.read() as s:
        proposed = dispatch.proposal(s, world.operator, incident_id)
    assert proposed.lead_unit_id == world.squad and proposed.co_unit_ids == [world.agency]
    form = followup.WhistleForm(department_id=world.agency, liaison_id=world.liaison)
    with pytest.raises(ValidationError, match="同意吹哨的街道领导"), world.db.write() as s:
        followup.call_whistle(s, world.operator, incident_id, form)
    form.approved_by_id = world.leader.user_id
    with world.db.write() as s:
        call = followup.call_whistle(s, world.operator, incident_id, form)
        call_id = call.id
    with pytest.raises(ValidationError, match="不能早于"), world.db.write() as s:
        followup.record_report_in(
            s, world.operator, call_id, arrived_at=world.clock() - timedelta(hours=1)
        )
    world.clock.advance(minutes=45)
    with world.db.write() as s:
        followup.record_report_in(
            s, world.operator, call_id, arrived_at=world.clock(), arrived_names="林联等2人"
        )
    with world.db.read() as s:
        shown = detail.load(s, world.operator, incident_id)
    assert shown.whistles[0].response_minutes == 45
    assert shown.whistles[0].approved_by == "张主任"


def test_supervision_documents_are_numbered_per_kind(world: World) -> None:
    incident_id = dispatched(world)
    with world.db.write() as s:
        a = followup.supervise(
            s,
            world.leader,
            incident_id,
            unit_id=world.squad,
            kind=SupervisionKind.LETTER,
            content="请于3日内办结",
        )
        b = followup.supervise(
            s,
            world.leader,
            incident_id,
            unit_id=world.squad,
            kind=SupervisionKind.RISK,
            content="注意安全",
        )
        assert (a.doc_number, b.doc_number) == ("梅执督〔2026〕1号", "梅执险〔2026〕1号")
    with pytest.raises(ValidationError, match="主办或协办单位"), world.db.write() as s:
        followup.supervise(
            s,
            world.leader,
            incident_id,
            unit_id=world.department,
            kind=SupervisionKind.NOTICE,
            content="x",
        )


def test_transfer_with_letter_and_receipt(world: World) -> None:
    incident_id = triaged(world, "department")
    with world.db.write() as s:
        entry = followup.transfer(
            s, world.operator, incident_id, department_id=None, facts="经现场核查，涉嫌无照经营"
        )
        assert entry.department_id == world.department  # the item's department by default
        assert entry.doc_number == "梅执移〔2026〕1号"
    assert status(world, incident_id) is IncidentStatus.TRANSFERRED
    with world.db.write() as s:
        followup.record_transfer_receipt(s, world.operator, incident_id, received_by="林联")
    with world.db.read() as s:
        shown = detail.load(s, world.operator, incident_id)
    assert [p.kind for p in shown.papers] == ["transfer-letter"]
    assert "签收移送函" in shown.timeline[-1].note
    # Never dispatched: no dispatch order, not even a 样稿 naming the department as 主办单位.
    with world.db.read() as s, pytest.raises(ValidationError, match=r"没有指挥调度单.*案件移送函"):
        paper_records.incident_for_dispatch_order(s, world.operator, incident_id)


def test_available_steps_follow_the_role(world: World) -> None:
    steps = workflow.available_steps
    assert Step.APPROVE not in steps(world.operator, IncidentStatus.AWAITING_APPROVAL)
    assert Step.APPROVE in steps(world.leader, IncidentStatus.AWAITING_APPROVAL)
    assert steps(world.operator, IncidentStatus.MERGED) == [Step.NOTE]


def test_detail_masks_the_reporter_for_operators(world: World) -> None:
    incident_id = register(world)
    with world.db.read() as s:
        assert detail.load(s, world.operator, incident_id).reporter == "张* 139****5678"
        assert detail.load(s, world.leader, incident_id).reporter == "张三 13912345678"
