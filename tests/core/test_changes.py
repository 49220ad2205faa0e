"""A committed write reports the areas it changed, worked out from the tables it wrote."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import update

from commandcenter.db import bulk, changes
from commandcenter.db.changes import Area
from commandcenter.db.engine import Database
from commandcenter.db.models import Base, Role, Setting, UnitKind, User
from commandcenter.errors import PermissionDenied, ValidationError
from commandcenter.services import auth, organisation
from commandcenter.services.actor import Actor
from tests.conftest import PASSWORD


def test_every_table_feeds_known_areas() -> None:
    assert set(changes.TABLE_AREAS) - {"alembic_version"} == set(Base.metadata.tables)


def test_a_write_reports_the_areas_of_the_tables_it_wrote(db: Database, admin: Actor) -> None:
    with changes.collecting() as changed, db.write() as session:
        organisation.create_unit(
            session,
            admin,
            organisation.UnitForm(
                name="梅山街道综合行政执法中队", short_name="执法中队", kind=UnitKind.SQUAD
            ),
        )
    assert changed == {Area.ORGANISATION}  # and the audit record, which no view shows

    with changes.collecting() as changed:
        with db.write() as session:
            auth.create_user(
                session,
                admin,
                username="op",
                display_name="值班员",
                role=Role.OPERATOR,
                password=PASSWORD,
            )
        with db.write() as session:  # Core statements count as well as the ORM's flushes
            session.execute(update(User).where(User.username == "op").values(display_name="甲"))
            bulk.insert_rows(session, Setting, [{"key": "测试", "value": "1"}])
    assert changed == {Area.USERS, Area.SETTINGS, Area.INCIDENTS}


def test_reads_refusals_and_rollbacks_change_nothing(db: Database, admin: Actor) -> None:
    operator = Actor(user_id=None, username="op", display_name="值班员", role=Role.OPERATOR)
    with changes.collecting() as changed:
        with db.read() as session:
            organisation.unit_tree(session, admin)
        with pytest.raises(PermissionDenied), db.write() as session:
            organisation.create_unit(
                session, operator, organisation.UnitForm(name="某单位", kind=UnitKind.SQUAD)
            )
        with pytest.raises(ValidationError), db.write() as session:
            organisation.create_unit(session, admin, organisation.UnitForm(name="某单位"))
    assert changed == set()


def test_changes_are_gathered_per_thread(db: Database, admin: Actor) -> None:
    elsewhere: set[Area] = set()

    def other_thread() -> None:
        with changes.collecting() as changed, db.write() as session:
            auth.create_user(
                session,
                admin,
                username="op2",
                display_name="值班员",
                role=Role.OPERATOR,
                password=PASSWORD,
            )
        elsewhere.update(changed)

    with changes.collecting() as here:
        thread = threading.Thread(target=other_thread)
        thread.start()
        thread.join()
    assert elsewhere == {Area.USERS} and here == set()
