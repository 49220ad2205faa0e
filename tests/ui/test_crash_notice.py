"""An error nobody caught, on any thread, ends in one message box on the GUI thread."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QThread
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from commandcenter.ui.crash_notice import CrashNotifier


def test_a_report_from_a_worker_is_shown_on_the_gui_thread(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown: list[tuple[bool, str]] = []

    def critical(parent: object, title: str, text: str) -> None:
        app = QApplication.instance()
        assert app is not None
        shown.append((QThread.currentThread() is app.thread(), text))

    monkeypatch.setattr(QMessageBox, "critical", critical)
    notifier = CrashNotifier()
    report = Path("C:/Users/张三/AppData/Local/commandcenter/logs/crash-1.txt")
    worker = threading.Thread(target=notifier.notice, args=(report,))
    worker.start()
    worker.join()
    qtbot.waitUntil(lambda: bool(shown))
    on_gui_thread, text = shown[0]
    assert on_gui_thread
    assert str(report) in text and "系统管理员" in text
