"""The calendar tab tells the operator how many open deadlines a change moved."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from PySide6.QtWidgets import QInputDialog, QMessageBox
from pytestqt.qtbot import QtBot

from commandcenter.db.models import CalendarDayKind, Incident
from commandcenter.services import calendar_changes
from commandcenter.services.actor import Actor
from commandcenter.services.incidents import intake, triage
from commandcenter.ui.calendar_admin import CalendarTab
from commandcenter.ui.runner import Runner
from tests.core.incident_world import World, local


def test_confirming_a_year_reports_the_deadlines_it_moved(
    world: World, admin: Actor, tmp_path: Path, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    world.clock.set(local(date(2026, 12, 28), 9))
    form = intake.IncidentForm(
        channel=intake.Channel.HOTLINE_12345,
        title="梅山大道占道经营",
        address="梅山大道1号",
        grid_id=world.grid,
        reporter_name="张三",
        reporter_phone="13912345678",
    )
    with world.db.write() as s:
        incident_id = intake.register(s, world.operator, form).id
        triage.triage(
            s, world.operator, incident_id, triage.TriageForm(item_id=world.items["empowered"])
        )
        calendar_changes.set_day(s, admin, date(2027, 1, 1), CalendarDayKind.HOLIDAY, "元旦")
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda _p, _t, text: shown.append(text))
    monkeypatch.setattr(QInputDialog, "getText", lambda *_a, **_k: ("国办发明电", True))

    tab = CalendarTab(Runner(world.db, admin, tmp_path / "documents"))
    qtbot.addWidget(tab)
    tab.refresh()
    assert tab.chosen_year() == 2027
    tab.confirm_year()
    qtbot.waitUntil(lambda: bool(shown), timeout=10_000)
    assert shown == ["已按新日历重算 1 件未办结事件的办理时限。"]
    with world.db.read() as s:
        assert not s.get_one(Incident, incident_id).deadline_uncertain
