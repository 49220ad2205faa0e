"""Agency indicators count what the agency controls: its own clock from the dispatch to its
report-back, the returns the centre upheld, the results it led, the calls that concern it.

Worlds are built by hand in November 2026 (no holidays): Monday 2 November is day one, and a
5-working-day allowance from a Monday ends at 17:30 on the next Monday.
"""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import select

from commandcenter.db.models import (
    CalendarDayKind,
    Incident,
    IncidentEvent,
    Priority,
    ReturnReason,
    ReturnRuling,
    Unit,
    UnitKind,
    WhistleReason,
)
from commandcenter.errors import ValidationError
from commandcenter.services import calendar_changes, statistics
from commandcenter.services.actor import Actor
from commandcenter.services.assessment import centre_time
from commandcenter.services.assessment.metrics import METRICS
from commandcenter.services.incidents import dispatch, followup, parts, progress, triage
from tests.core.incident_world import World, local
from tests.core.test_incidents import register, triaged

YEAR = statistics.year_period(2026)
YEAR_END = local(date(2026, 12, 30), 16)


def _received(world: World, day: date, hour: int = 10) -> int:
    world.clock.set(local(day, hour))
    return triaged(world)  # the 占道经营 item: 5 working days


def _dispatch(world: World, incident_id: int, at: datetime, lead: int, **kw: object) -> None:
    world.clock.set(at)
    with world.db.write() as s:
        form = dispatch.DispatchForm(lead_unit_id=lead, officer_ids=world.officers[:2], **kw)  # type: ignore[arg-type]
        dispatch.dispatch(s, world.operator, incident_id, form)


def _report(world: World, incident_id: int, at: datetime) -> None:
    world.clock.set(at)
    with world.db.write() as s:
        progress.accept(s, world.operator, incident_id, signed_by="王强")
        progress.report_back(s, world.operator, incident_id, result="已处置")


def _report_part(world: World, incident_id: int, unit_id: int, at: datetime) -> None:
    world.clock.set(at)
    with world.db.write() as s:
        parts.accept_part(s, world.operator, incident_id, unit_id=unit_id, signed_by="李协")
        parts.report_part(s, world.operator, incident_id, unit_id=unit_id, result="已配合")


def _close(world: World, incident_id: int, at: datetime, satisfaction: int | None = None) -> None:
    world.clock.set(at)
    with world.db.write() as s:
        progress.close(s, world.operator2, incident_id, satisfaction=satisfaction)


def _figure(world: World, code: str, unit_id: int) -> str:
    metric = METRICS[code]
    with world.db.read() as s:
        return metric.format(metric.compute(s, YEAR, YEAR_END, [unit_id])[unit_id])


def _sources(world: World, code: str, unit_id: int) -> list[tuple[str, ...]]:
    with world.db.read() as s:
        return list(METRICS[code].sources(s, YEAR, YEAR_END, unit_id).rows)


def _number(world: World, incident_id: int) -> str:
    with world.db.read() as s:
        return s.get_one(Incident, incident_id).number


def _agency_figures(world: World) -> statistics.UnitFigures:
    with world.db.read() as s:
        figures = statistics.unit_figures(s, YEAR, YEAR_END)
    return next(f for f in figures if f.unit_id == world.agency)


# --- the unit's clock -------------------------------------------------------------------------


def test_the_unit_deadline_counts_the_allowance_from_the_dispatch(world: World) -> None:
    incident_id = _received(world, date(2026, 11, 2))
    with world.db.read() as s:
        assert s.get_one(Incident, incident_id).unit_deadline_at is None  # not dispatched yet
    _dispatch(world, incident_id, local(date(2026, 11, 4)), world.agency)
    with world.db.read() as s:
        incident = s.get_one(Incident, incident_id)
        assert incident.deadline_at == local(date(2026, 11, 9), 17, 30)  # Mon + 5
        assert incident.unit_deadline_at == local(date(2026, 11, 11), 17, 30)  # Wed + 5


def test_the_unit_deadline_follows_an_extension_and_a_calendar_change(
    world: World, admin: Actor
) -> None:
    incident_id = _received(world, date(2026, 11, 2))
    _dispatch(world, incident_id, local(date(2026, 11, 4)), world.agency)
    world.clock.set(local(date(2026, 11, 5)))
    with world.db.write() as s:
        followup.request_extension(s, world.operator, incident_id, working_days=3, reason="核实")
    with world.db.write() as s:
        followup.decide_extension(s, world.leader, incident_id, approved=True)
    with world.db.read() as s:
        incident = s.get_one(Incident, incident_id)
        assert incident.deadline_at == local(date(2026, 11, 12), 17, 30)  # 9 Nov + 3
        assert incident.unit_deadline_at == local(date(2026, 11, 16), 17, 30)  # 11 Nov + 3
    # Friday 13 November becomes a day off: both deadlines counted through it move a day.
    with world.db.write() as s:
        _, moved = calendar_changes.set_day(
            s, admin, date(2026, 11, 13), CalendarDayKind.HOLIDAY, "调休"
        )
    assert moved == 1
    with world.db.read() as s:
        incident = s.get_one(Incident, incident_id)
        assert incident.deadline_at == local(date(2026, 11, 12), 17, 30)  # before the 13th
        assert incident.unit_deadline_at == local(date(2026, 11, 17), 17, 30)
        note = s.scalars(
            select(IncidentEvent.note)
            .where(IncidentEvent.incident_id == incident_id)
            .order_by(IncidentEvent.id.desc())
        ).first()
    assert note is not None and "单位期限：2026-11-16 17:30 → 2026-11-17 17:30" in note


def test_a_years_counts_are_the_sums_of_its_months(world: World) -> None:
    """反馈, 按期反馈 and 超期 add up month by month to the year, and the year's rate is the
    agency sheet's. Only 件数 does not: a case overdue at November's end with no report weighs
    on November's rate, and again on December's when the late report comes; the year counts it
    once. By hand: on time (3 Nov) and late (due 9 Nov, reported 2 Dec).

        November: 反馈 1, 按期 1, 超期 1, 件数 2 (50.0%);  December: 反馈 1, 按期 0, 超期 0, 件数 1
        year:     反馈 2, 按期 1, 超期 1, 件数 2 (50.0%)
    """
    on_time, late = _received(world, date(2026, 11, 2), 9), _received(world, date(2026, 11, 2))
    for incident_id in (on_time, late):
        _dispatch(world, incident_id, local(date(2026, 11, 2), 14), world.agency)
    _report(world, on_time, local(date(2026, 11, 3)))
    _report(world, late, local(date(2026, 12, 2)))

    def figures(period: statistics.Period) -> tuple[int, int, int, int]:
        with world.db.read() as s:
            f = next(
                f for f in statistics.unit_figures(s, period, YEAR_END) if f.unit_id == world.agency
            )
        return f.reported, f.reported_on_time, f.overdue, statistics.ranking_volume(f)

    november = figures(statistics.month_period(2026, 11))
    december = figures(statistics.month_period(2026, 12))
    year = figures(YEAR)
    assert (november, december, year) == ((1, 1, 1, 2), (1, 0, 0, 1), (2, 1, 1, 2))
    assert [a + b for a, b in zip(november[:3], december[:3], strict=True)] == list(year[:3])
    assert _figure(world, "on_time_rate", world.agency) == "50.0%"
    assert _figure(world, "overdue_count", world.agency) == "1件"


def test_a_unit_whose_only_late_case_was_late_at_the_centre_is_on_time(world: World) -> None:
    incident_id = _received(world, date(2026, 11, 2))  # due Mon 9 Nov
    _dispatch(world, incident_id, local(date(2026, 11, 6)), world.agency)  # the unit's: Fri 13
    _report(world, incident_id, local(date(2026, 11, 12)))  # late for the incident only
    _close(world, incident_id, local(date(2026, 11, 12), 11))
    assert _figure(world, "on_time_rate", world.agency) == "100.0%"
    assert _figure(world, "overdue_count", world.agency) == "0件"
    assert _sources(world, "on_time_rate", world.agency) == [
        (
            _number(world, incident_id),
            "梅山大道占道经营",
            "2026-11-06 10:00",
            "2026-11-13 17:30",
            "2026-11-12 10:00",
            "按期",
        )
    ]
    figures = _agency_figures(world)
    assert (figures.reported, figures.reported_on_time, figures.overdue) == (1, 1, 0)
    assert figures.on_time_rate == 1.0
    # The four days were the centre's: 96 hours, past its one working day (Tue 3 Nov 17:30).
    with world.db.read() as s:
        centre = statistics.centre_figures(s, YEAR, YEAR_END)
    assert centre == statistics.CentreFigures(
        dispatched=1, mean_dispatch_hours=96.0, dispatched_on_time=0, on_time_rate=0.0
    )


def test_a_unit_with_an_overdue_unreported_case_is_not_at_100(world: World) -> None:
    on_time, late, silent = (_received(world, date(2026, 11, 2), h) for h in (9, 10, 11))
    for incident_id in (on_time, late, silent):  # each unit deadline: Mon 9 Nov 17:30
        _dispatch(world, incident_id, local(date(2026, 11, 2), 15), world.agency)
    _report(world, on_time, local(date(2026, 11, 9), 17))
    _report(world, late, local(date(2026, 11, 10), 9))
    assert _figure(world, "on_time_rate", world.agency) == "33.3%"  # 1 of 2 reports + 1 silent
    assert _figure(world, "overdue_count", world.agency) == "2件"
    verdicts = {row[0]: row[-1] for row in _sources(world, "on_time_rate", world.agency)}
    assert verdicts == {
        _number(world, on_time): "按期",
        _number(world, late): "超期反馈",
        _number(world, silent): "超期未反馈",
    }
    overdue = [row[0] for row in _sources(world, "overdue_count", world.agency)]
    assert overdue == [_number(world, late), _number(world, silent)]
    figures = _agency_figures(world)
    assert (figures.reported, figures.reported_on_time) == (2, 1)
    assert (figures.overdue, figures.overdue_open) == (2, 1)
    assert figures.on_time_rate == 1 / 3
    # Only reports at all: the same unit at 1 of 1 would have shown 100 %.
    _report(world, silent, local(date(2026, 11, 11), 9))
    assert _figure(world, "on_time_rate", world.agency) == "33.3%"  # now 1 of 3 reports


# --- returns ----------------------------------------------------------------------------------


def test_only_returns_the_centre_upheld_count_against_the_unit(world: World) -> None:
    upheld, reassigned, pending = (_received(world, date(2026, 11, 2), h) for h in (9, 10, 11))
    for incident_id in (upheld, reassigned, pending):
        _dispatch(world, incident_id, local(date(2026, 11, 2), 14), world.agency)
        with world.db.write() as s:
            progress.return_dispatch(
                s, world.operator, incident_id, reason=ReturnReason.WRONG_AREA, note="不属本所"
            )
    world.clock.set(local(date(2026, 11, 3), 9))
    with world.db.write() as s:
        progress.rule_on_return(
            s, world.operator, upheld, ruling=ReturnRuling.UPHELD, note="属市场监管职责"
        )
        progress.rule_on_return(
            s, world.operator, reassigned, ruling=ReturnRuling.REASSIGN, note="应由中队办理"
        )
    assert _figure(world, "returned_orders", world.agency) == "1件"
    rows = _sources(world, "returned_orders", world.agency)
    assert [(r[0], r[-1]) for r in rows] == [(_number(world, upheld), "维持原派单")]
    # The bulletin's and the weekly meeting's 退回 column is the same figure, for the year and
    # for the month it fell in; the misrouted and the unruled return are not the unit's.
    assert _agency_figures(world).returns == 1
    with world.db.read() as s:
        november = statistics.unit_figures(s, statistics.month_period(2026, 11), YEAR_END)
    assert next(f for f in november if f.unit_id == world.agency).returns == 1
    # The misrouted one starts a new clock at its new dispatch, for the new unit.
    with world.db.read() as s:
        assert s.get_one(Incident, reassigned).unit_deadline_at is None
    _dispatch(world, reassigned, local(date(2026, 11, 4)), world.squad)
    with world.db.read() as s:
        again = s.get_one(Incident, reassigned)
        assert again.unit_deadline_at == local(date(2026, 11, 11), 17, 30)
        assert again.deadline_at == local(date(2026, 11, 9), 17, 30)


# --- results and calls ------------------------------------------------------------------------


def test_a_co_handled_incidents_satisfaction_is_not_charged_to_the_co_unit(world: World) -> None:
    led = _received(world, date(2026, 11, 2), 9)
    helped = _received(world, date(2026, 11, 2), 10)
    _dispatch(world, led, local(date(2026, 11, 2), 14), world.agency)
    _dispatch(world, helped, local(date(2026, 11, 2), 14), world.squad, co_unit_ids=[world.agency])
    for incident_id, mark in ((led, 5), (helped, 1)):
        _report(world, incident_id, local(date(2026, 11, 3)))
        if incident_id == helped:  # the co-operating agency's own part, before the closing
            _report_part(world, helped, world.agency, local(date(2026, 11, 3)))
        _close(world, incident_id, local(date(2026, 11, 3), 11), satisfaction=mark)
    assert _figure(world, "satisfaction", world.agency) == "5分"
    assert _figure(world, "satisfaction", world.squad) == "1分"
    assert [r[0] for r in _sources(world, "satisfaction", world.agency)] == [_number(world, led)]
    # Both count on the co-unit's clock, though: it shares the lead's dispatch and report.
    assert _agency_figures(world).reported == 2


def test_a_call_to_a_department_with_two_agencies_charges_the_one_handling_it(
    world: World,
) -> None:
    with world.db.write() as s:
        other = Unit(
            name="区市场监管局梅西所",
            short_name="梅西市场所",
            kind=UnitKind.AGENCY,
            parent_id=world.department,
        )
        s.add(other)
        s.flush()
        other_id = other.id
    handled = _received(world, date(2026, 11, 2), 9)
    _dispatch(world, handled, local(date(2026, 11, 2), 14), world.agency)
    nobodys = _received(world, date(2026, 11, 2), 10)  # triaged, not dispatched
    with world.db.read() as s:
        leader_id = world.leader.user_id
    for incident_id, minutes in ((handled, 30), (nobodys, 50)):
        called = local(date(2026, 11, 3), 9)
        world.clock.set(called)
        with world.db.write() as s:
            call = followup.call_whistle(
                s,
                world.operator,
                incident_id,
                followup.WhistleForm(
                    department_id=world.department,
                    reason=WhistleReason.PROFESSIONAL,
                    approved_by_id=leader_id,
                ),
            )
            s.flush()
            call_id = call.id
        world.clock.set(local(date(2026, 11, 3), 9, minutes))
        with world.db.write() as s:
            followup.record_report_in(
                s, world.operator, call_id, arrived_at=local(date(2026, 11, 3), 9, minutes)
            )
    assert _figure(world, "whistle_response", world.agency) == "30分钟"
    assert _figure(world, "whistle_response", other_id) == "不适用"
    assert [r[0] for r in _sources(world, "whistle_response", world.agency)] == [
        _number(world, handled)
    ]
    assert _sources(world, "whistle_response", other_id) == []


# --- the centre's part ------------------------------------------------------------------------


def test_the_centre_is_on_time_within_a_working_day_or_two_working_hours(world: World) -> None:
    normal = _received(world, date(2026, 11, 2), 10)  # the limit: Tue 3 Nov 17:30
    _dispatch(world, normal, local(date(2026, 11, 3), 17), world.agency)
    slow = _received(world, date(2026, 11, 2), 11)
    _dispatch(world, slow, local(date(2026, 11, 4), 9), world.agency)
    with world.db.read() as s:
        figures = statistics.centre_figures(s, YEAR, YEAR_END)
        line = centre_time.line(2026, centre_time.for_year(s, world.leader, 2026))
    # 31 hours and 46 hours: 38.5 on average, one of two in time.
    assert figures == statistics.CentreFigures(2, 38.5, 1, 0.5)
    assert "派单 2 件" in line and "平均用时 38.5 小时" in line and "50.0%" in line


def test_an_urgent_dispatch_has_two_working_hours(world: World) -> None:
    with world.db.write() as s:
        cal = statistics.WorkCalendar.load(s)
    received = local(date(2026, 11, 2), 11)  # 1 h before noon, 1 h after 13:30
    limit = statistics.centre_dispatch_limit(cal, received, statistics.Priority.URGENT)
    assert limit == local(date(2026, 11, 2), 14, 30)
    normal = statistics.centre_dispatch_limit(cal, received, statistics.Priority.NORMAL)
    assert normal == local(date(2026, 11, 3), 17, 30)


# --- the migration ----------------------------------------------------------------------------


def test_the_migration_fills_the_unit_deadline_as_the_services_count_it(world: World) -> None:
    from alembic import command

    from commandcenter.db.migrate import alembic_config

    extended = _received(world, date(2026, 11, 2))
    _dispatch(world, extended, local(date(2026, 11, 4)), world.agency)
    world.clock.set(local(date(2026, 11, 5)))
    with world.db.write() as s:
        followup.request_extension(s, world.operator, extended, working_days=3, reason="核实")
    with world.db.write() as s:
        followup.decide_extension(s, world.leader, extended, approved=True)
    urgent = register(world)
    with world.db.write() as s:
        form = triage.TriageForm(item_id=world.items["empowered"], priority=Priority.URGENT)
        triage.triage(s, world.operator, urgent, form)
    _dispatch(world, urgent, local(date(2026, 11, 5), 16), world.agency)  # 4 working hours
    waiting = _received(world, date(2026, 11, 6))
    query = select(Incident.id, Incident.unit_deadline_at).order_by(Incident.id)
    with world.db.read() as s:
        before = s.execute(query).all()
    assert before == [
        (extended, local(date(2026, 11, 16), 17, 30)),
        (urgent, local(date(2026, 11, 6), 11, 0)),  # 1.5 h on Thursday, 2.5 h on Friday
        (waiting, None),
    ]
    with world.db.engine.begin() as conn:
        command.downgrade(alembic_config(conn), "0006")
        command.upgrade(alembic_config(conn), "head")
    with world.db.read() as s:
        assert s.execute(query).all() == before


# --- acceptance -------------------------------------------------------------------------------


def test_the_wait_for_acceptance_counts_office_hours_only(world: World) -> None:
    """Dispatched Friday 6 November at 17:00, signed for Monday 9 November at 9:30: 64.5 clock
    hours, but half an hour of Friday's office time (to 17:30) and one of Monday's (from 8:30):
    1.5 working hours. Another dispatched Monday 9:00 and signed for at 10:00 the same day: 1.
    Mean (1.5 + 1) / 2 = 1.25; full marks up to 4 working hours."""
    friday, monday = _received(world, date(2026, 11, 6), 9), _received(world, date(2026, 11, 9), 8)
    _dispatch(world, friday, local(date(2026, 11, 6), 17), world.agency)
    _dispatch(world, monday, local(date(2026, 11, 9), 9), world.agency)
    for incident_id, at in (
        (friday, local(date(2026, 11, 9), 9, 30)),
        (monday, local(date(2026, 11, 9), 10)),
    ):
        world.clock.set(at)
        with world.db.write() as s:
            progress.accept(s, world.operator, incident_id, signed_by="王强")
    with world.db.read() as s:
        waits = METRICS["accept_hours"].compute(s, YEAR, YEAR_END, [world.agency])
    assert waits[world.agency] == pytest.approx(1.25)
    rows = _sources(world, "accept_hours", world.agency)
    assert [(r[0], r[-1]) for r in rows] == [
        (_number(world, friday), "1.5"),
        (_number(world, monday), "1.0"),
    ]
    assert METRICS["accept_hours"].format(1.25) == "1.2工作小时"


# --- co-operating units' own parts ------------------------------------------------------------


def test_a_co_operating_unit_runs_on_its_own_part(world: World) -> None:
    """Dispatched Monday 2 November 14:00, 5 working days: the unit deadline is Monday 9
    November 17:30 for lead and co-operating units alike.

    X: the squad leads and reports on Tuesday 10:00; the agency signs for its part Thursday 9:00
       (3.5 + 7.5 + 7.5 + 0.5 = 19 office hours) and reports Tuesday 10 November: late.
    Y: the squad leads and reports on Tuesday; the centre waives the agency's part: not counted.
    Z: the agency leads alone, signed and reported Tuesday 10:00 (3.5 + 1.5 = 5 office hours).

    The agency: 1 of 2 on time (50.0%), 1 overdue, (19 + 5) / 2 = 12 hours to sign. The squad:
    2 of 2 on time. Before the parts, X counted on the squad's report and the agency was at 100%.
    """
    monday = date(2026, 11, 2)
    x = _received(world, monday, 9)
    y = _received(world, monday, 10)
    z = _received(world, monday, 11)
    for incident_id in (x, y):
        _dispatch(world, incident_id, local(monday, 14), world.squad, co_unit_ids=[world.agency])
    _dispatch(world, z, local(monday, 14), world.agency)
    with world.db.read() as s:
        deadline = s.get_one(Incident, x).unit_deadline_at
    assert deadline == local(date(2026, 11, 9), 17, 30)
    for incident_id in (x, y, z):
        _report(world, incident_id, local(date(2026, 11, 3)))
    world.clock.set(local(date(2026, 11, 3), 11))
    with world.db.write() as s:
        parts.waive_part(s, world.operator, y, unit_id=world.agency, reason="现场核实无需该所参与")
    world.clock.set(local(date(2026, 11, 5), 9))
    with world.db.write() as s:
        parts.accept_part(s, world.operator, x, unit_id=world.agency, signed_by="李协")
    world.clock.set(local(date(2026, 11, 10)))
    with world.db.write() as s:
        parts.report_part(s, world.operator, x, unit_id=world.agency, result="已完成检测")

    assert _figure(world, "on_time_rate", world.agency) == "50.0%"
    assert _figure(world, "overdue_count", world.agency) == "1件"
    assert _figure(world, "accept_hours", world.agency) == "12工作小时"
    assert _figure(world, "on_time_rate", world.squad) == "100.0%"
    assert _figure(world, "overdue_count", world.squad) == "0件"
    rows = _sources(world, "on_time_rate", world.agency)
    assert [(r[0], r[1].endswith("（协办部分）"), r[-1]) for r in rows] == [
        (_number(world, x), True, "超期反馈"),
        (_number(world, z), False, "按期"),
    ]
    # The waived part asks nothing more; the incident may close once its lead has reported.
    with pytest.raises(ValidationError, match="已免除，无需免除"), world.db.write() as s:
        parts.waive_part(s, world.operator, y, unit_id=world.agency, reason="再次")
    _close(world, y, local(date(2026, 11, 10), 11))
