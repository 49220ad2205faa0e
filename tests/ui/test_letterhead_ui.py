"""公文版头 in 系统设置: an admin chooses the authority and the papers; others only see them."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from commandcenter.db.engine import Database
from commandcenter.services import settings
from commandcenter.services.auth import actor_for
from commandcenter.ui.pages.settings_page import SettingsPage
from commandcenter.ui.runner import Runner


def test_an_admin_chooses_the_letterhead_and_its_papers(
    qtbot: QtBot, demo_db: Database, tmp_path: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QMessageBox

    told: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda _p, _t, text: told.append(text))
    ini = QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat)
    with demo_db.read() as session:
        admin, operator = actor_for(session, "admin"), actor_for(session, "operator")
    page = SettingsPage(Runner(demo_db, admin, tmp_path / "documents"), ini)
    qtbot.addWidget(page)
    page.refresh()
    tab = page.letterhead
    assert tab.name.text() == "" and not any(b.isChecked() for b in tab.papers.values())
    tab.name.setText("梅山街道办事处")
    tab.papers["transfer-letter"].setChecked(True)
    tab.papers["plan"].setChecked(True)
    tab.save.click()

    def saved() -> bool:  # read in the test's own unit of work
        with demo_db.read() as s:
            return settings.letterhead(s).papers == {"transfer-letter", "plan"}

    qtbot.waitUntil(lambda: told == ["版头设置已保存。"])
    assert saved()
    with demo_db.read() as s:
        chosen = settings.letterhead(s)
    assert chosen.for_paper("transfer-letter") == "梅山街道办事处"
    assert chosen.for_paper("supervision") is None

    shown = SettingsPage(Runner(demo_db, operator, tmp_path / "documents"), ini)
    qtbot.addWidget(shown)
    shown.refresh()
    assert shown.letterhead.name.text() == "梅山街道办事处"
    assert not shown.letterhead.save.isEnabled() and not shown.letterhead.name.isEnabled()
