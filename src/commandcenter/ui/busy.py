"""Showing that work is under way: a busy cursor and a status-bar word once work has run for
a moment, so a quick refresh does not flicker but a long computation is never silent."""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtGui import QCursor
from PySide6.QtWidgets import QApplication, QLabel

# Work shorter than this shows nothing: most reads finish well inside it.
SHOW_AFTER_MS = 300


class BusyIndicator(QObject):
    """Follows a Runner's ``busy_changed``; *label* (in the status bar) says 正在处理…"""

    def __init__(self, label: QLabel, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.label = label
        self.label.setObjectName("statusBusy")
        self._busy = False
        self._shown = False
        self._timer = QTimer(self, singleShot=True, interval=SHOW_AFTER_MS)
        self._timer.timeout.connect(self._show)

    def set_busy(self, busy: bool) -> None:
        self._busy = busy
        if busy and not self._shown and not self._timer.isActive():
            self._timer.start()
        elif not busy:
            self._timer.stop()
            self._hide()

    @property
    def shown(self) -> bool:
        return self._shown

    def _show(self) -> None:
        if not self._busy or self._shown:
            return
        self._shown = True
        # The busy cursor (arrow with hourglass): the window stays usable while work runs.
        QApplication.setOverrideCursor(QCursor(Qt.CursorShape.BusyCursor))
        self.label.setText("正在处理…")

    def _hide(self) -> None:
        if self._shown:
            QApplication.restoreOverrideCursor()
            self._shown = False
        self.label.clear()
