"""The scheduled backup while the app is open: at start and every hour, a backup is made when
the last scheduled one is a day old (SQLite only; a server's backups are its admin's)."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QMessageBox, QWidget

from commandcenter.db import backup_folder
from commandcenter.ui.runner import Runner

log = logging.getLogger(__name__)

CHECK_MS = 60 * 60 * 1000


class BackupSchedule(QObject):
    def __init__(self, runner: Runner, database: Path, folder: Path, parent: QObject) -> None:
        super().__init__(parent)
        self.runner, self.database, self.folder = runner, database, folder
        self.last: Path | None = None
        self._timer = QTimer(self, interval=CHECK_MS)
        self._timer.timeout.connect(self.check)
        self._timer.start()
        # Check once the event loop runs, not an hour from now: a backup that fell due while the
        # program was closed is made at start-up, after the window has shown.
        QTimer.singleShot(0, self.check)

    def check(self) -> None:
        database, folder = self.database, self.folder

        def made(path: Path | None) -> None:
            if path is not None:
                self.last = path
                log.info("scheduled backup written: %s", path)

        def failed(exc: BaseException) -> None:
            # Never an interruption for the operator; the admin reads the log and `backup --list`.
            log.warning("scheduled backup failed: %s", exc)

        def work(_session: Any, _actor: Any) -> Path | None:
            return backup_folder.scheduled(database, folder)

        self.runner.run(work, made, on_error=failed, background=True)

    def backup_now(self, parent: QWidget) -> None:
        """工具 → 立即备份 (admins): a manual backup into the backup folder, then thinning."""
        database, folder = self.database, self.folder

        def work(_session: Any, _actor: Any) -> Path:
            made = backup_folder.make_backup(database, folder, "manual")
            backup_folder.thin(folder)
            return made

        self.runner.run(
            work,
            lambda path: QMessageBox.information(parent, "立即备份", f"已备份并校验：\n{path}"),
            parent=parent,
        )
