"""The detail pane's reading of an incident: its team, units, return, files, calls and merge."""

from __future__ import annotations

from pathlib import Path

from commandcenter import timeutil
from commandcenter.db.models import Incident, ReturnReason, Unit
from commandcenter.services.incidents import (
    detail,
    dispatch,
    duplicates,
    followup,
    intake,
    progress,
)
from commandcenter.services.incidents.workflow import Step
from tests.core.incident_world import World
from tests.core.test_incidents import register, team, triaged


def test_a_returned_incident_shows_its_team_files_and_the_return_awaiting_a_ruling(
    world: World, tmp_path: Path
) -> None:
    incident_id = triaged(world)
    photo = tmp_path / "现场.jpg"
    photo.write_bytes(b"\xff\xd8" + b"0" * 2046)
    with world.db.write() as s:
        dispatch.dispatch(
            s, world.operator, incident_id, team(world, auxiliary_ids=[world.auxiliary])
        )
        intake.add_attachment(s, world.operator, incident_id, photo, tmp_path / "store")
        progress.return_dispatch(
            s, world.operator, incident_id, reason=ReturnReason.WRONG_AREA, note="属邻街道"
        )
    with world.db.read() as s:
        shown = detail.load(s, world.operator, incident_id)
        squad = s.get_one(Unit, world.squad).name
    assert shown.pending_return == f"{ReturnReason.WRONG_AREA.label}：属邻街道"
    assert shown.lead_unit == squad and shown.co_units == []
    # Officers first, by name; the auxiliary last and marked as not counting.
    assert [(p.name, p.auxiliary) for p in shown.team] == [
        ("李明", False),
        ("王强", False),
        ("孙协", True),
    ]
    assert "不计入执法人员" in shown.team[-1].text
    assert [(name, size) for _id, name, size in shown.attachments] == [("现场.jpg", 2048)]
    assert [e.kind for e in shown.timeline][-2:] == ["附件", "退回"]
    assert shown.legal_reviewed == "" and shown.merged_into == ""
    assert Step.RULE in shown.steps


def test_a_whistle_call_names_its_liaison(world: World) -> None:
    incident_id = triaged(world, "linked")
    form = followup.WhistleForm(
        department_id=world.agency, liaison_id=world.liaison, approved_by_id=world.leader.user_id
    )
    with world.db.write() as s:
        followup.call_whistle(s, world.operator, incident_id, form)
    with world.db.read() as s:
        (call,) = detail.load(s, world.operator, incident_id).whistles
    assert call.liaison == "林联 13800000001" and call.arrived_at is None


def test_a_merged_incident_names_the_one_it_joined(world: World) -> None:
    first = register(world)
    duplicate = register(world, "梅山大道1号占道经营")
    with world.db.write() as s:
        duplicates.merge(s, world.operator, duplicate, first, "同一摊点")
    with world.db.read() as s:
        primary = detail.load(s, world.operator, first)
        shown = detail.load(s, world.operator, duplicate)
    assert shown.merged_into == primary.number
    assert shown.status == "已并单" and shown.steps == [Step.NOTE]
    assert primary.merged_into == ""


def test_an_incident_is_found_by_its_number_as_typed(world: World) -> None:
    incident_id = register(world)
    with world.db.read() as s:
        number = s.get_one(Incident, incident_id).number
        year, sequence = number.split("-")
        wide = number.translate(str.maketrans("0123456789-", "０１２３４５６７８９－"))
        found = {
            typed: detail.find_typed_number(s, world.operator, typed)
            for typed in (number, f" {number} ", wide, str(int(sequence)), sequence, "999999")
        }
    assert year == str(timeutil.today().year)  # registered now: this year's sequence
    assert found == {
        number: incident_id,
        f" {number} ": incident_id,
        wide: incident_id,
        str(int(sequence)): incident_id,
        sequence: incident_id,
        "999999": None,
    }
