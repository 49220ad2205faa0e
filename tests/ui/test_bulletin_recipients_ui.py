"""系统设置's 通报报送 tab: an administrator edits who the bulletins go to; others only see it."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from commandcenter.db.engine import Database
from commandcenter.services import bulletin_settings
from commandcenter.services.auth import actor_for
from commandcenter.ui.pages.settings_page import SettingsPage
from commandcenter.ui.runner import Runner


def test_the_administrator_sets_the_bulletins_recipients(
    qtbot: QtBot, demo_db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    told: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda _p, _t, text: told.append(text))
    ini = QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat)
    with demo_db.read() as s:
        admin, operator = actor_for(s, "admin"), actor_for(s, "operator")
    page = SettingsPage(Runner(demo_db, admin, tmp_path / "documents"), ini)
    shown = SettingsPage(Runner(demo_db, operator, tmp_path / "documents"), ini)
    for each in (page, shown):
        qtbot.addWidget(each)
        each.refresh()
    tab = page.recipients
    assert tab.submit_to.text() == bulletin_settings.DEFAULT_SUBMIT_TO
    assert not shown.recipients.copy_to.isEnabled() and tab.copy_to.isEnabled()
    tab.submit_to.setText("区综合行政执法局、街道办事处")
    tab.copy_to.setText("")
    tab.save.click()
    qtbot.waitUntil(lambda: told == ["已保存。"])
    with demo_db.read() as s:
        assert bulletin_settings.load(s) == bulletin_settings.Recipients(
            "区综合行政执法局、街道办事处", ""
        )
