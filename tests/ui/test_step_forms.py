"""The step tables behind the incident's and the plan's buttons: one entry for every step the
rules offer, forms whose fields give their calls every value they read, and a loud failure for
a step without an entry."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QDialog, QLabel, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from commandcenter.db.models import IncidentEvent, IncidentEventKind
from commandcenter.errors import UserError
from commandcenter.services import plans
from commandcenter.services.incidents import detail, workflow
from commandcenter.services.incidents.detail import IncidentDetail
from commandcenter.services.incidents.workflow import Step
from commandcenter.ui.app import configure
from commandcenter.ui.dialogs import incident_steps, plan_steps
from commandcenter.ui.dialogs.plan_steps import Chosen
from commandcenter.ui.dialogs.step_forms import NoStepEntry, StepEntry, StepForm
from commandcenter.ui.runner import Runner
from tests.core.incident_world import World
from tests.core.test_incidents import register
from tests.core.test_plans import drafted
from tests.ui.test_incidents_ui import in_modal, save_and_wait, type_into


@pytest.fixture(autouse=True)
def _app(qapp) -> None:  # type: ignore[no-untyped-def]
    configure(qapp)


def test_every_incident_step_the_rules_offer_has_an_entry() -> None:
    assert set(incident_steps.INCIDENT_STEPS) == set(workflow.RULES)


def test_every_plan_step_has_an_entry() -> None:
    assert set(plan_steps.PLAN_STEPS) == set(plans.PLAN_RULES)


def incident(world: World) -> IncidentDetail:
    incident_id = register(world)
    with world.db.read() as s:
        return detail.load(s, world.operator, incident_id)


def plan(world: World) -> plans.PlanDetail:
    plan_id = drafted(world)
    with world.db.read() as s:
        return plans.detail(s, world.operator, plan_id)


def test_a_step_without_an_entry_fails_loudly(
    world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    runner = Runner(world.db, world.operator, tmp_path / "documents")
    monkeypatch.delitem(incident_steps.INCIDENT_STEPS, Step.NOTE)
    with pytest.raises(NoStepEntry, match="note"):
        incident_steps.run_step(QWidget(), runner, Step.NOTE, incident(world))
    monkeypatch.delitem(plan_steps.PLAN_STEPS, plans.PlanStep.CANCEL)
    with pytest.raises(NoStepEntry, match="cancel"):
        plan_steps.run_plan_step(QWidget(), runner, plans.PlanStep.CANCEL, plan(world), None)


class _Undo(Exception):
    """Rolls a call's write back, so each form's call meets the same records."""


def _calls_read_only_their_fields[T](
    world: World, tmp_path: Path, table: Mapping[Any, StepEntry[T]], subject: T
) -> list[str]:
    """Run each form's call on the values its own fields give, as 保存 would. The service may
    refuse (wrong status, a value missing): that is its business. A key the fields lack, or an
    argument the service does not take, fails before the service runs, and is returned."""
    runner = Runner(world.db, world.leader, tmp_path / "documents")
    faults = []
    for step, entry in table.items():
        if not isinstance(entry, StepForm):
            continue
        fields = entry.fields(runner, subject)
        keys = [f.key for f in fields]
        assert len(keys) == len(set(keys)), step
        values = {f.key: f.get() for f in fields}
        try:
            with world.db.write() as s:
                entry.call(subject, values, s, world.leader)
                raise _Undo
        except (_Undo, UserError):
            pass
        except (KeyError, TypeError) as exc:
            faults.append(f"{step}: {exc!r}")
    return faults


def test_each_incident_form_gives_its_call_what_it_reads(world: World, tmp_path: Path) -> None:
    assert (
        _calls_read_only_their_fields(
            world, tmp_path, incident_steps.INCIDENT_STEPS, incident(world)
        )
        == []
    )


def test_each_plan_form_gives_its_call_what_it_reads(world: World, tmp_path: Path) -> None:
    chosen = plan(world)
    subject = Chosen(chosen, chosen.targets[0].id)
    assert _calls_read_only_their_fields(world, tmp_path, plan_steps.PLAN_STEPS, subject) == []


def test_a_step_form_opens_under_its_title_and_makes_its_call(
    qtbot: QtBot, world: World, tmp_path: Path
) -> None:
    d = incident(world)
    runner = Runner(world.db, world.operator, tmp_path / "documents")
    titles = []

    def note(dialog: QDialog) -> None:
        titles.append(dialog.windowTitle())
        type_into(dialog, "note", "反映人来电催办")
        save_and_wait(qtbot, dialog)

    failures = in_modal(note)
    incident_steps.run_step(QWidget(), runner, Step.NOTE, d)
    runner.wait()
    assert not failures, failures
    assert titles == [f"备注：{d.number}"]
    with world.db.read() as s:
        notes = s.scalars(
            select(IncidentEvent.note).where(
                IncidentEvent.incident_id == d.id, IncidentEvent.kind == IncidentEventKind.NOTE
            )
        ).all()
    assert notes == ["反映人来电催办"]


@pytest.mark.parametrize(
    ("step", "intro"),
    [
        (Step.MERGE, "本事件将标记为“已并单”"),  # written in the table
        (Step.DECIDE_EXTENSION, "该事件没有待审批的延期申请。"),  # worked out from the incident
    ],
)
def test_a_step_form_shows_its_intro(
    qtbot: QtBot, world: World, tmp_path: Path, step: Step, intro: str
) -> None:
    d = incident(world)
    runner = Runner(world.db, world.leader, tmp_path / "documents")
    shown = []

    def read(dialog: QDialog) -> None:
        shown.append(" ".join(label.text() for label in dialog.findChildren(QLabel)))
        dialog.reject()

    failures = in_modal(read)
    incident_steps.run_step(QWidget(), runner, step, d)
    assert not failures, failures
    assert len(shown) == 1 and intro in shown[0]
