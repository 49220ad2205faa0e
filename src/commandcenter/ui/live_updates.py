"""Views that follow other workstations: every few seconds the window asks what was written
since it last looked (services.others_changes) and refreshes what shows it, as after its own
writes; a call registered at another desk, an order sent back or a department called in is
also said in the status bar, with a sound where the operator wants one."""

from __future__ import annotations

from PySide6.QtCore import QObject, QSettings, QTimer, Signal
from PySide6.QtWidgets import QApplication

from commandcenter.services import others_changes
from commandcenter.ui.runner import Runner

# Often enough that a colleague's call shows before anyone asks about it; one indexed read.
POLL_MS = 3_000
SOUND_KEY = "notices/sound"


class LiveUpdates(QObject):
    noticed = Signal(str)  # a notice in words, for the status bar

    def __init__(self, runner: Runner, settings: QSettings, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.settings = settings
        self._last_id: int | None = None
        self._asking = False
        self.timer = QTimer(self, interval=POLL_MS)
        self.timer.timeout.connect(self.look)

    def start(self) -> None:
        self._last_id = self.runner.read_now(others_changes.latest_id)
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()

    def look(self) -> None:
        """Ask once; a look still under way (a slow server) is not asked again meanwhile."""
        if self._asking or self._last_id is None:
            return
        self._asking = True
        last = self._last_id
        self.runner.run(
            lambda session, actor: others_changes.since(session, actor, last),
            self._seen,
            on_error=self._failed,
            quiet=True,
        )

    def _failed(self, exc: BaseException) -> None:
        self._asking = False  # a database out of reach: the status bar says so; ask again later

    def _seen(self, found: others_changes.OthersChanges) -> None:
        self._asking = False
        self._last_id = found.last_id
        if found.areas:
            self.runner.changed.emit(found.areas)
        for notice in found.notices:
            self.noticed.emit(f"{notice.who}：{notice.what}　{notice.summary}")
        if found.notices and self.settings.value(SOUND_KEY, False, type=bool):
            QApplication.beep()
