"""While a call is registered: the caller's and the door's earlier incidents, and the grid the
door was filed under before."""

from __future__ import annotations

from commandcenter.services.incidents import intake, recall
from tests.core.incident_world import World
from tests.core.test_incidents import register


def _by_phone(world: World, phone: str, title: str, address: str) -> int:
    form = intake.IncidentForm(
        channel=intake.Channel.HOTLINE_12345,
        title=title,
        address=address,
        grid_id=None,
        reporter_name="李四",
        reporter_phone=phone,
    )
    with world.db.write() as s:
        return intake.register(s, world.operator, form).id


def test_the_same_caller_and_the_same_door_are_recalled(world: World) -> None:
    at_the_door = register(world, "梅山大道1号占道经营", address="梅山大道1号")
    same_caller = _by_phone(world, "138 0000 1111", "噪声扰民", "七星路88号")
    _by_phone(world, "13900002222", "油烟扰民", "春晓路5号")  # neither
    with world.db.read() as s:
        calls = recall.earlier_calls(
            s, world.operator, phone="13800001111", address="梅山大道1号旁边"
        )
        door = recall.earlier_calls(s, world.operator, address="梅山大道1号")
        typing = recall.earlier_calls(s, world.operator, phone="1380", address="梅山")
    assert [c.id for c in calls] == [same_caller]  # the address typed longer names no door
    assert calls[0].why == "同一号码（138****1111）"
    assert [c.id for c in door] == [at_the_door] and door[0].why == "同一地址"
    assert typing == []  # half a number and two characters recall nothing


def test_the_grid_follows_the_door_s_earlier_incidents(world: World) -> None:
    for _ in range(2):
        register(world, "梅山大道1号占道经营", address="宁波市北仑区梅山大道1号")
    _by_phone(world, "13800001111", "占道", "梅山大道1号")  # no grid: not counted
    with world.db.read() as s:
        found = recall.suggested_grid(s, world.operator, "梅山大道 1号")
        nowhere = recall.suggested_grid(s, world.operator, "春晓路5号")
    assert found is not None and (found.grid_id, found.times) == (world.grid, 2)
    assert found.name == "梅东一网格"
    assert nowhere is None
