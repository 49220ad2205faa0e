"""Several workstations on one database: two processes, two real connections, the same records.

Each test starts worker processes that write at the same moment (a barrier releases them
together) and then checks what a centre relies on: numbers without clashes or gaps, one audit
chain, and stale saves answered as conflicts.
"""

from __future__ import annotations

import dataclasses
import multiprocessing
from collections import Counter
from typing import Any

import pytest
from sqlalchemy import select

from commandcenter.db.engine import Database, make_engine
from commandcenter.db.models import AuditRecord, DocType, DocumentNumber
from commandcenter.errors import ConflictError
from commandcenter.services import audit, auth, docnumbers
from commandcenter.services.incidents import intake
from commandcenter.services.roster import people
from tests.core.incident_world import World

pytestmark = pytest.mark.slow  # processes of their own: seconds each

PROCESSES = 2
ROUNDS = 15


def _url(database: Database) -> str:
    return database.engine.url.render_as_string(hide_password=False)


def _open(url: str) -> Database:
    return Database(make_engine(url))


def _register_and_note(url: str, username: str, start: Any, results: Any) -> None:
    """One workstation: register incidents and write notes, each in its own unit of work."""
    database = _open(url)
    outcome: dict[str, Any] = {"numbers": [], "errors": []}
    try:
        with database.read() as session:
            actor = auth.actor_for(session, username)
        start.wait()
        for n in range(ROUNDS):
            try:
                with database.write() as session:
                    incident = intake.register(
                        session,
                        actor,
                        intake.IncidentForm(
                            channel=intake.Channel.HOTLINE_12345,
                            title=f"{username} 第{n}件",
                            address="梅山大道1号",
                        ),
                    )
                    outcome["numbers"].append(incident.number)
                    incident_id = incident.id
                with database.write() as session:
                    intake.add_note(session, actor, incident_id, f"{username} 备注 {n}")
                with database.write() as session:
                    docnumbers.issue(session, actor, DocType.DISPATCH, title=f"{username} {n}")
            except Exception as exc:
                outcome["errors"].append(f"{type(exc).__name__}: {exc}")
    finally:
        database.dispose()
        results.put(outcome)


def _run(target: Any, url: str, usernames: list[str], *extra: Any) -> list[dict[str, Any]]:
    context = multiprocessing.get_context("spawn")
    start = context.Barrier(len(usernames))
    results = context.Queue()
    workers = [
        context.Process(target=target, args=(url, name, start, results, *extra))
        for name in usernames
    ]
    for worker in workers:
        worker.start()
    found = [results.get(timeout=120) for _ in workers]
    for worker in workers:
        worker.join(timeout=30)
    return found


def test_two_workstations_get_every_number_once_and_one_audit_chain(world: World) -> None:
    outcomes = _run(
        _register_and_note, _url(world.db), [world.operator.username, world.operator2.username]
    )
    assert [o["errors"] for o in outcomes] == [[], []]
    numbers = sorted(n for o in outcomes for n in o["numbers"])
    assert len(numbers) == PROCESSES * ROUNDS
    sequence = [int(n.split("-")[1]) for n in numbers]
    assert sequence == list(range(sequence[0], sequence[0] + len(sequence)))  # no gap, no clash
    with world.db.read() as session:
        issued = Counter(session.scalars(select(DocumentNumber.seq)).all())
        report = audit.verify_chain(session)
    assert sorted(issued) == list(range(1, PROCESSES * ROUNDS + 1))
    assert set(issued.values()) == {1}
    assert report.broken_at is None


def _save_person(url: str, username: str, start: Any, results: Any, person_id: int) -> None:
    """One workstation saving the same person over and over with the version it last read."""
    database = _open(url)
    outcome: dict[str, Any] = {"saved": 0, "conflicts": 0, "errors": []}
    try:
        with database.read() as session:
            actor = auth.actor_for(session, username)
        start.wait()
        for n in range(ROUNDS * 2):
            try:
                with database.read() as session:
                    form, version = people.person_form(session, actor, person_id)
                with database.write() as session:
                    changed = dataclasses.replace(form, notes=f"{username} {n}")
                    people.update_person(session, actor, person_id, changed, version)
                outcome["saved"] += 1
            except ConflictError:
                outcome["conflicts"] += 1
            except Exception as exc:
                outcome["errors"].append(f"{type(exc).__name__}: {exc}")
    finally:
        database.dispose()
        results.put(outcome)


def test_two_workstations_saving_one_person_meet_conflicts_never_faults(world: World) -> None:
    outcomes = _run(
        _save_person,
        _url(world.db),
        [world.leader.username, world.leader2.username],
        world.officers[0],
    )
    assert [o["errors"] for o in outcomes] == [[], []]
    saved = sum(o["saved"] for o in outcomes)
    assert saved + sum(o["conflicts"] for o in outcomes) == PROCESSES * ROUNDS * 2
    with world.db.read() as session:
        notes = session.scalars(
            select(AuditRecord.id).where(
                AuditRecord.entity_type == "person", AuditRecord.entity_id == world.officers[0]
            )
        ).all()
        report = audit.verify_chain(session)
    # Every save that was reported as saved is one version and one audit record: none was lost.
    assert len(notes) == saved
    assert report.broken_at is None
