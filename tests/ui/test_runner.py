"""The runner tells the views what a write changed, as the database layer reports it."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from commandcenter.db.changes import Area
from commandcenter.db.engine import Database
from commandcenter.db.models import Role, UnitKind
from commandcenter.services import auth, organisation
from commandcenter.services.actor import Actor
from commandcenter.ui.pages import PAGES
from commandcenter.ui.runner import Runner
from tests.conftest import PASSWORD

SQUAD = organisation.UnitForm(
    name="梅山街道综合行政执法中队", short_name="执法中队", kind=UnitKind.SQUAD
)


def test_a_write_tells_the_views_what_it_changed(
    qtbot: QtBot, db: Database, admin: Actor, tmp_path: Path
) -> None:
    runner = Runner(db, admin, tmp_path / "documents")
    results: list[int] = []
    with qtbot.waitSignal(runner.changed, timeout=10_000) as changed:
        runner.run(
            lambda session, actor: organisation.create_unit(session, actor, SQUAD).id,
            results.append,
            write=True,
        )
    assert changed.args == [frozenset({Area.ORGANISATION})]
    qtbot.waitUntil(lambda: len(results) == 1)

    with qtbot.assertNotEmitted(runner.changed, wait=100):
        runner.run(
            lambda session, actor: len(organisation.unit_tree(session, actor)), results.append
        )
        qtbot.waitUntil(lambda: len(results) == 2)
    assert results[1] == 1


def test_work_with_transactions_of_its_own_reports_all_of_them(
    qtbot: QtBot, db: Database, admin: Actor, tmp_path: Path
) -> None:
    runner = Runner(db, admin, tmp_path / "documents")

    def work(database: Database, actor: Actor) -> None:
        with database.write() as session:
            organisation.create_unit(session, actor, SQUAD)
        with database.write() as session:
            auth.create_user(
                session,
                actor,
                username="op",
                display_name="值班员",
                role=Role.OPERATOR,
                password=PASSWORD,
            )

    with qtbot.waitSignal(runner.changed, timeout=10_000) as changed:
        runner.run_transactions(work)
    assert changed.args == [frozenset({Area.ORGANISATION, Area.USERS})]


def test_every_area_is_shown_by_some_page() -> None:
    # Otherwise a write to it would refresh nothing the operator can see.
    assert set().union(*(spec.areas for spec in PAGES)) == set(Area)
