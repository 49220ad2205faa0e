"""A leader's account names its roster person: refused without one, listed where it has none."""

from __future__ import annotations

import pytest

from commandcenter.db.models import Role, User
from commandcenter.errors import ValidationError
from commandcenter.services import auth, checks, user_people
from tests.core.incident_world import World


def test_a_leader_account_needs_its_person_and_keeps_it(world: World) -> None:
    with world.db.read() as s:
        admin = auth.actor_for(s, "admin")
    new = {"username": "wangjg", "display_name": "王建国", "password": "12345678"}
    needs = pytest.raises(ValidationError, match="领导账号须关联人员名册中的本人")
    with needs as refused, world.db.write() as s:
        auth.create_user(s, admin, role=Role.LEADER, **new)
    assert refused.value.field == "person_id"
    person = world.officers[1]
    with world.db.write() as s:
        user_id = auth.create_user(s, admin, role=Role.LEADER, person_id=person, **new).id
    with world.db.read() as s:
        assert s.get_one(User, user_id).person_id == person
    with pytest.raises(ValidationError, match="领导账号须关联"), world.db.write() as s:
        user_people.link_person(s, admin, user_id, None)
    # An operator's account may still be made without a person.
    with world.db.write() as s:
        auth.create_user(
            s, admin, username="zhou", display_name="周", role=Role.OPERATOR, password="12345678"
        )


def test_leader_accounts_without_a_person_are_listed_not_refused(world: World) -> None:
    """Accounts made before the rule (the world's first two leaders) keep working; check and
    the users page name them."""
    with world.db.read() as s:
        admin = auth.actor_for(s, "admin")
        assert user_people.unlinked_leaders(s, admin) == ["张主任（ld1）", "刘副主任（ld2）"]
        found = [f for f in checks.run_checks(s, admin) if f.table == "users"]
    assert [(f.row, f.table_label) for f in found] == [
        (world.leader.user_id, "用户"),
        (world.leader2.user_id, "用户"),
    ]
    assert found[0].reason.startswith("领导账号 张主任（ld1）未关联人员名册中的本人")
    with world.db.write() as s:
        user_people.link_person(s, admin, world.leader.user_id, world.officers[0])
    with world.db.read() as s:
        assert user_people.unlinked_leaders(s, admin) == ["刘副主任（ld2）"]
