"""What other workstations wrote, as a window learns it: areas to refresh and notices."""

from __future__ import annotations

import pytest

from commandcenter.db.changes import Area
from commandcenter.services import others_changes
from commandcenter.services.incidents import intake
from tests.core.incident_world import World
from tests.core.test_incidents import register


def test_another_desk_s_call_refreshes_the_queue_and_is_told(world: World) -> None:
    with world.db.read() as s:
        start = others_changes.latest_id(s, world.operator)
    incident_id = register(world)  # by operator (op1)
    with world.db.write() as s:
        intake.add_note(s, world.operator2, incident_id, "已电话联系反映人")
    with world.db.read() as s:
        mine = others_changes.since(s, world.operator, start)
        theirs = others_changes.since(s, world.operator2, start)
        nothing = others_changes.since(s, world.operator, mine.last_id)
    # op1 sees op2's note: the queue refreshes, but a note is no news to announce.
    assert mine.areas == {Area.INCIDENTS} and mine.notices == []
    # op2 sees op1's registration, announced with op1's name.
    assert theirs.areas == {Area.INCIDENTS}
    [notice] = theirs.notices
    assert notice.what == "新登记" and notice.who == "值班员甲"
    assert "梅山大道占道经营" in notice.summary
    assert nothing.areas == frozenset() and nothing.last_id == mine.last_id


def test_a_flood_of_changes_refreshes_everything_without_reading_them_all(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(others_changes, "READ_AT_MOST", 2)
    with world.db.read() as s:
        start = others_changes.latest_id(s, world.operator)
    for title in ("梅山大道占道经营", "春晓路噪声扰民", "七星路油烟扰民"):
        register(world, title)
    with world.db.read() as s:
        found = others_changes.since(s, world.operator2, start)
        newest = others_changes.latest_id(s, world.operator2)
    assert found.areas == frozenset(Area) and found.last_id == newest
    assert found.notices == []  # too many to tell one by one: the views show them
