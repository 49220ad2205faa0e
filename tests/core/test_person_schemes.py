"""Person schemes by role group: who belongs where, moves during the year, each group's
figures, and several schemes in one year."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from sqlalchemy import select

from commandcenter.db.engine import Database
from commandcenter.db.models import (
    AssessmentSheet,
    AssessmentSubject,
    AuditRecord,
    Grade,
    IndicatorSource,
    PersonGroup,
    PersonPosting,
    ReturnReason,
    ReturnRuling,
    Staffing,
    Stationing,
    Unit,
    UnitKind,
    User,
)
from commandcenter.errors import PermissionDenied, ValidationError
from commandcenter.services import auth, user_people
from commandcenter.services.actor import Actor
from commandcenter.services.assessment import person_groups, schemes, sheets
from commandcenter.services.assessment.person_groups import Span, decide, group_of
from commandcenter.services.incidents import dispatch, progress, triage
from commandcenter.services.roster import people
from commandcenter.services.statistics import Period, year_period
from tests.conftest import AS_OF
from tests.core.incident_world import World, local
from tests.core.test_incidents import dispatched, register, team, triaged

_P = AssessmentSubject.PERSON

# --- the group of a posting ---------------------------------------------------------------------


def test_a_postings_group_follows_unit_staffing_and_position() -> None:
    squad, agency, centre = UnitKind.SQUAD, UnitKind.AGENCY, UnitKind.COMMAND_CENTRE
    adm, aux = Staffing.ADMINISTRATIVE, Staffing.AUXILIARY
    assert group_of(squad, adm, "执法队员") is PersonGroup.OFFICER
    assert group_of(agency, Staffing.DISPATCHED, "所长") is PersonGroup.OFFICER
    for leader in ("中队长", "副中队长", "队长"):
        assert group_of(squad, adm, leader) is PersonGroup.SQUAD_LEADER
    assert group_of(centre, Staffing.INSTITUTION, "值班员") is PersonGroup.COMMAND
    # An auxiliary is an auxiliary wherever he works, whatever his post is called.
    for kind in (squad, agency, centre):
        assert group_of(kind, aux, "协勤队长") is PersonGroup.AUXILIARY
    assert group_of(UnitKind.COMMUNITY, aux, "专职网格员") is None  # not assessed by the centre


def test_the_group_of_most_days_wins_and_a_tie_goes_to_the_later() -> None:
    first_half = Span(date(2026, 1, 1), date(2026, 6, 30), PersonGroup.AUXILIARY)  # 181 days
    second_half = Span(date(2026, 7, 1), date(2026, 12, 31), PersonGroup.OFFICER)  # 184 days
    assert decide([first_half, second_half]) is PersonGroup.OFFICER
    longer = Span(date(2026, 1, 1), date(2026, 7, 31), PersonGroup.AUXILIARY)  # 212 days
    assert decide([longer, Span(date(2026, 8, 1), date(2026, 12, 31), PersonGroup.OFFICER)]) is (
        PersonGroup.AUXILIARY
    )
    # 2024 is a leap year: 1 Jan - 1 Jul and 2 Jul - 31 Dec are 183 days each.
    tied = [
        Span(date(2024, 1, 1), date(2024, 7, 1), PersonGroup.COMMAND),
        Span(date(2024, 7, 2), date(2024, 12, 31), PersonGroup.OFFICER),
    ]
    assert tied[0].days == tied[1].days == 183
    assert decide(tied) is PersonGroup.OFFICER
    assert decide([Span(date(2026, 1, 1), date(2026, 12, 31), None)]) is None


# --- a move during the year ---------------------------------------------------------------------


def _create(
    world: World, name: str, staffing: Staffing, position: str, unit: int = 0, **extra: object
) -> int:
    with world.db.write() as s:
        form = people.PersonForm(
            name=name, unit_id=unit or world.squad, staffing=staffing, position=position
        )
        return people.create_person(s, world.leader2, replace(form, **extra)).id


def _move(world: World, person_id: int, **changes: object) -> None:
    with world.db.write() as s:
        form, version = people.person_form(s, world.leader2, person_id)
        people.update_person(s, world.leader2, person_id, replace(form, **changes), version)


def test_the_roster_keeps_postings_and_a_mid_year_move_is_shown(world: World) -> None:
    world.clock.set(local(date(2026, 1, 1), 9))
    person_id = _create(world, "林新", Staffing.AUXILIARY, "协勤队员")
    world.clock.set(local(date(2026, 7, 1), 9))
    _move(world, person_id, staffing=Staffing.INSTITUTION, position="执法队员")
    _move(world, person_id, mobile="13900000000")  # not a posting change: no new posting
    with world.db.read() as s:
        postings = s.scalars(
            select(PersonPosting)
            .where(PersonPosting.person_id == person_id)
            .order_by(PersonPosting.from_date)
        ).all()
        assert [(p.from_date, p.staffing, p.position) for p in postings] == [
            (date(2026, 1, 1), Staffing.AUXILIARY, "协勤队员"),
            (date(2026, 7, 1), Staffing.INSTITUTION, "执法队员"),
        ]
        year = person_groups.year_groups(s, year_period(2026), [person_id])[person_id]
        assert year.group is PersonGroup.OFFICER  # 184 days against 181
    assert person_groups.moves_text(year) == (
        "年内岗位变动：1—6月 协勤人员，7—12月 执法人员（按在岗时间最长的执法人员考核）"
    )
    world.clock.set(local(date(2026, 12, 31), 16))
    with world.db.write() as s:
        officer = schemes.ensure(s, world.leader, 2026, AssessmentSubject.PERSON)
        sheets.compute(s, world.leader, officer.id)
        auxiliary = schemes.find(s, 2026, AssessmentSubject.PERSON, PersonGroup.AUXILIARY)
        assert auxiliary is not None
        sheets.compute(s, world.leader, auxiliary.id)
    with world.db.read() as s:
        assert person_id in {x.person_id for x in sheets.scheme_sheets(s, officer.id)}
        assert person_id not in {x.person_id for x in sheets.scheme_sheets(s, auxiliary.id)}
        sheet = next(x for x in sheets.scheme_sheets(s, officer.id) if x.person_id == person_id)
        shown = sheets.detail(s, world.leader, sheet.id).subject_detail
    assert "年内岗位变动：1—6月 协勤人员，7—12月 执法人员" in shown


# --- several schemes a year ---------------------------------------------------------------------


def test_a_person_year_has_four_schemes_each_with_its_own_people(world: World) -> None:
    world.clock.set(local(date(2026, 12, 31), 16))
    with world.db.write() as s:
        made = schemes.ensure_all(s, world.leader, 2026, AssessmentSubject.PERSON)
        assert [(m.group, m.name) for m in made] == [
            (PersonGroup.OFFICER, "2026年度执法人员考核方案"),
            (PersonGroup.COMMAND, "2026年度指挥室人员考核方案"),
            (PersonGroup.SQUAD_LEADER, "2026年度中队负责人考核方案"),
            (PersonGroup.AUXILIARY, "2026年度协勤人员考核方案"),
        ]
        # ensure() for one group finds them all made, and makes no more.
        assert schemes.ensure(s, world.leader, 2026, AssessmentSubject.PERSON).id == made[0].id
        agency = schemes.ensure(s, world.leader, 2026, AssessmentSubject.AGENCY)
        assert agency.group is None
        for scheme in made:
            sheets.compute(s, world.leader, scheme.id)
    with world.db.read() as s:
        assessed = {m.group: {x.person_id for x in sheets.scheme_sheets(s, m.id)} for m in made}
        codes = {m.group: {i.code for i in m.indicators} for m in made}
    # The squad's on-duty people: six with certificates (one expired, one suspended), the
    # auxiliary; 钱假 is on leave.
    assert assessed[PersonGroup.AUXILIARY] == {world.auxiliary}
    assert world.auxiliary not in assessed[PersonGroup.OFFICER]
    assert set(world.officers) <= assessed[PersonGroup.OFFICER]
    assert assessed[PersonGroup.COMMAND] == assessed[PersonGroup.SQUAD_LEADER] == set()
    # No auxiliary is scored on a certificate, nor a command-room person on cases.
    assert "certificate" not in codes[PersonGroup.AUXILIARY]
    assert not {"cases", "certificate"} & codes[PersonGroup.COMMAND]


def test_a_move_to_another_group_takes_draft_sheets_along_but_keeps_scored_ones(
    world: World,
) -> None:
    world.clock.set(local(date(2026, 12, 30), 16))
    with world.db.write() as s:
        made = {m.group: m.id for m in schemes.ensure_all(s, world.leader, 2026, _P)}
        for scheme_id in made.values():
            sheets.compute(s, world.leader, scheme_id)
        scored = next(
            x
            for x in sheets.scheme_sheets(s, made[PersonGroup.OFFICER])
            if x.person_id == world.officers[0]
        )
        unit = next(
            i
            for i in scored.scheme.indicators
            if i.source is IndicatorSource.MANUAL and i.code == "unit"
        )
        sheets.enter_score(s, world.leader, scored.id, unit.id, 88)
    # 王强 is made 中队长 and 孙协 an officer, both from the start of the year.
    _move(world, world.officers[0], position="中队长", posted_on=date(2026, 1, 1))
    _move(world, world.auxiliary, staffing=Staffing.INSTITUTION, posted_on=date(2026, 1, 1))
    with world.db.write() as s:
        moved_out = sheets.compute(s, world.leader, made[PersonGroup.AUXILIARY])
        officers = sheets.compute(s, world.leader, made[PersonGroup.OFFICER])
        leaders = sheets.compute(s, world.leader, made[PersonGroup.SQUAD_LEADER])
        summary = s.scalars(
            select(AuditRecord.summary).where(AuditRecord.action == "assessment.compute")
        ).all()
    assert moved_out.removed == 1 and moved_out.not_belonging == ()
    assert officers.removed == 0 and officers.not_belonging == ("王强",)
    assert leaders.sheets == 1
    assert any("不属于本方案但保留：王强" in line for line in summary)
    with world.db.read() as s:
        by_scheme = {
            group: {x.person_id for x in sheets.scheme_sheets(s, scheme_id)}
            for group, scheme_id in made.items()
        }
    assert by_scheme[PersonGroup.AUXILIARY] == set()
    assert world.auxiliary in by_scheme[PersonGroup.OFFICER]
    assert world.officers[0] in by_scheme[PersonGroup.OFFICER]  # hand-scored: kept
    assert by_scheme[PersonGroup.SQUAD_LEADER] == {world.officers[0]}


# --- each group's figures -----------------------------------------------------------------------


def _centre(world: World, *names: str) -> list[int]:
    """A command centre with a 值班员 of each name."""
    with world.db.write() as s:
        centre = Unit(name="梅山街道指挥中心", short_name="指挥中心", kind=UnitKind.COMMAND_CENTRE)
        s.add(centre)
        s.flush()
        return [
            people.create_person(
                s,
                world.leader2,
                people.PersonForm(
                    name=name, unit_id=centre.id, staffing=Staffing.INSTITUTION, position="值班员"
                ),
            ).id
            for name in names
        ]


def _figures(world: World, group: PersonGroup) -> dict[int, dict[str, tuple[str, str]]]:
    """Each assessed person's (value, note) by indicator code, after a computation."""
    with world.db.write() as s:
        scheme = schemes.ensure(s, world.leader, 2026, _P, group)
        sheets.compute(s, world.leader, scheme.id)
    with world.db.read() as s:
        found = {}
        for sheet in sheets.scheme_sheets(s, scheme.id):
            d = sheets.detail(s, world.leader, sheet.id)
            codes = {i.id: i.code for i in scheme.indicators}
            found[sheet.person_id or 0] = {
                codes[line.indicator_id]: (line.value_text, line.note) for line in d.lines
            }
        return found


def test_command_room_figures_come_from_the_persons_account(world: World, admin: Actor) -> None:
    linked, unlinked = _centre(world, "值班员甲", "万强")
    with world.db.write() as s:
        assert world.operator.user_id is not None
        user_people.link_person(s, admin, world.operator.user_id, linked)
    # world.operator registers and dispatches all three; the first at once, the others 2 and
    # 4 hours later. The second comes back (属地不符) and is ruled misrouted, the third kept.
    ids = []
    for hours in (0, 2, 4):
        incident_id = register(world)
        world.clock.advance(hours=hours)
        ids.append(dispatched_for(world, incident_id))
    register(world)  # registered, not yet dispatched
    for incident_id, ruling in ((ids[1], ReturnRuling.REASSIGN), (ids[2], ReturnRuling.UPHELD)):
        with world.db.write() as s:
            progress.return_dispatch(
                s, world.operator, incident_id, reason=ReturnReason.WRONG_AREA, note=""
            )
            progress.rule_on_return(s, world.operator2, incident_id, ruling=ruling, note="核实")
    world.clock.set(local(date(2026, 12, 31), 16))
    figures = _figures(world, PersonGroup.COMMAND)
    assert set(figures) == {linked, unlinked}
    mine = figures[linked]
    assert mine["registered"][0] == "4件"
    assert mine["dispatch"][0] == "2小时"  # (0 + 2 + 4) / 3
    assert mine["misrouted"][0] == "1件"
    for code in ("registered", "dispatch", "misrouted"):
        value, note = figures[unlinked][code]
        assert value == "不适用" and note == "不适用：本人未关联系统账号，无从统计"


def dispatched_for(world: World, incident_id: int) -> int:
    with world.db.write() as s:
        triage.triage(
            s, world.operator, incident_id, triage.TriageForm(item_id=world.items["empowered"])
        )
        dispatch.dispatch(s, world.operator, incident_id, team(world))
    return incident_id


def test_a_squad_leader_is_scored_on_his_squads_figures(world: World) -> None:
    leader = _create(world, "队长甲", Staffing.ADMINISTRATIVE, "中队长")
    for _ in range(2):
        dispatched(world)
    world.clock.set(local(date(2026, 12, 31), 16))
    figures = _figures(world, PersonGroup.SQUAD_LEADER)
    assert set(figures) == {leader}
    mine = figures[leader]
    # Two incidents led by the squad, neither reported, both past the squad's deadline by year
    # end: 0 on time of 0 reported + 2 overdue.
    assert mine["squad_on_time"][0] == "0.0%"
    assert mine["squad_overdue"][0] == "2件"
    assert mine["squad_joint_ops"][0] == "0次"
    assert mine["certificate"][0] == "无"  # his own: he holds none


def test_an_auxiliary_is_scored_on_the_cases_he_went_out_on(world: World) -> None:
    incident_id = triaged(world)
    with world.db.write() as s:
        dispatch.dispatch(
            s, world.operator, incident_id, team(world, auxiliary_ids=[world.auxiliary])
        )
        progress.accept(s, world.operator, incident_id, signed_by="王强")
        progress.report_back(s, world.operator, incident_id, result="已处置")
        progress.close(s, world.operator2, incident_id, satisfaction=5)
    world.clock.set(local(date(2026, 12, 31), 16))
    figures = _figures(world, PersonGroup.AUXILIARY)
    assert set(figures) == {world.auxiliary}
    assert figures[world.auxiliary]["cases_assisted"][0] == "1件"
    assert "certificate" not in figures[world.auxiliary]


def test_agency_officers_without_cases_of_their_own_are_not_scored_on_cases(
    world: World,
) -> None:
    officer = _create(
        world,
        "所员甲",
        Staffing.DISPATCHED,
        "执法人员",
        unit=world.agency,
        stationing=Stationing.RESIDENT,
    )
    world.clock.set(local(date(2026, 12, 31), 16))
    figures = _figures(world, PersonGroup.OFFICER)
    value, note = figures[officer]["cases"]
    assert value == "不适用" and note.startswith("不适用：派驻机构的案件由机构自行分派")
    assert figures[world.officers[2]]["cases"][0] == "0件"  # a squad officer: it applies


# --- accounts and people ------------------------------------------------------------------------


def test_an_account_is_tied_to_one_person_with_an_audit_record(world: World, admin: Actor) -> None:
    (person,) = _centre(world, "值班员甲")
    assert world.operator.user_id is not None and world.operator2.user_id is not None
    with world.db.write() as s:
        choices = dict((v, c) for c, v in user_people.person_choices(s, admin))
        assert choices[person] == "值班员甲（指挥中心·值班员）"
        user_people.link_person(s, admin, world.operator.user_id, person)
    with world.db.read() as s:
        assert s.get_one(User, world.operator.user_id).person_id == person
        record = s.scalars(select(AuditRecord).where(AuditRecord.action == "user.person")).one()
        assert record.summary == "用户 op1（值班员甲）关联人员 值班员甲"
    with world.db.write() as s, pytest.raises(ValidationError, match="已关联账号 op1"):
        user_people.link_person(s, admin, world.operator2.user_id, person)
    with world.db.write() as s, pytest.raises(PermissionDenied):
        user_people.link_person(s, world.operator, world.operator.user_id, None)
    with world.db.write() as s:
        user_people.link_person(s, admin, world.operator.user_id, None)
    with world.db.read() as s:
        assert s.get_one(User, world.operator.user_id).person_id is None


def test_the_year_export_ranks_each_group_apart(world: World) -> None:
    world.clock.set(local(date(2026, 12, 31), 16))
    with world.db.write() as s:
        for scheme in schemes.ensure_all(s, world.leader, 2026, _P):
            sheets.compute(s, world.leader, scheme.id)
        found = schemes.for_year_export(s, world.leader, 2026)
        assert [schemes.who(scheme) for _, scheme in found] == [
            "执法人员", "指挥室人员", "中队负责人", "协勤人员"
        ]  # fmt: skip
        for _, scheme in found:
            ranked = sheets.summary(s, world.leader, scheme.id)
            assert {r.sheet_id for r in ranked} == {
                x.id for x in s.scalars(
                    select(AssessmentSheet).where(AssessmentSheet.scheme_id == scheme.id)
                )
            }  # fmt: skip


def test_year_groups_without_postings_use_the_current_posting(world: World) -> None:
    with world.db.read() as s:
        period = Period(date(2026, 1, 1), date(2026, 12, 31), "")
        found = person_groups.year_groups(s, period, [world.auxiliary, world.officers[0]])
    assert found[world.auxiliary].group is PersonGroup.AUXILIARY
    assert found[world.officers[0]].group is PersonGroup.OFFICER
    assert not found[world.officers[0]].moved


def test_people_added_in_a_batch_get_their_first_posting(world: World) -> None:
    world.clock.set(local(date(2026, 3, 2), 9))
    forms = [
        people.PersonForm(name=name, unit_id=world.squad, staffing=staffing, position=position)
        for name, staffing, position in (
            ("甲新", Staffing.INSTITUTION, "执法队员"),
            ("乙新", Staffing.AUXILIARY, "协勤队员"),
        )
    ]
    with world.db.write() as s:
        ids = people.create_people(s, world.leader2, forms, people.RosterLookup.preload(s, []))
    with world.db.read() as s:
        postings = {
            p.person_id: (p.staffing, p.position, p.from_date)
            for p in s.scalars(select(PersonPosting).where(PersonPosting.person_id.in_(ids)))
        }
    assert postings == {
        ids[0]: (Staffing.INSTITUTION, "执法队员", date(2026, 3, 2)),
        ids[1]: (Staffing.AUXILIARY, "协勤队员", date(2026, 3, 2)),
    }


def test_a_move_cannot_date_from_before_the_last_one(world: World) -> None:
    world.clock.set(local(date(2026, 5, 1), 9))
    person_id = _create(world, "林新", Staffing.INSTITUTION, "执法队员")
    with pytest.raises(ValidationError, match="不能早于上一次变动（2026-05-01）"):
        _move(world, person_id, position="副中队长", posted_on=date(2026, 4, 1))
    _move(world, person_id, position="副中队长", posted_on=date(2026, 5, 1))  # the same day: fixed
    with world.db.read() as s:
        postings = s.scalars(select(PersonPosting).where(PersonPosting.person_id == person_id))
        assert [(p.from_date, p.position) for p in postings] == [(date(2026, 5, 1), "副中队长")]


# --- the demo street ----------------------------------------------------------------------------


@pytest.mark.slow
def test_on_the_demo_most_people_pass_and_a_fail_has_a_cause(demo_db: Database) -> None:
    """Most people 合格 or better; a 不合格 sheet always has a figure that scored nothing (an
    expired certificate, no training, no cases ...), never weights that do not fit the group."""
    with demo_db.read() as s:
        leader = auth.actor_for(s, "leader")
        graded, failed = 0, []
        for scheme in schemes.ensure_all(s, leader, AS_OF.year, _P):
            for row in sheets.summary(s, leader, scheme.id):
                if row.grade is None:
                    continue
                graded += 1
                if row.grade is Grade.FAIL:
                    failed.append(sheets.detail(s, leader, row.sheet_id))
    assert graded >= 60 and len(failed) <= graded * 0.15
    for sheet in failed:
        assert any(
            line.score == 0 for line in sheet.lines if line.source is IndicatorSource.COMPUTED
        ), sheet.subject_name
