"""Telling the operator that something went wrong, and where the report is, from any thread."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtWidgets import QApplication, QMessageBox


class CrashNotifier(QObject):
    """Lives on the GUI thread; :meth:`notice` may be called from any thread (the signal is
    queued across threads). One box at a time: errors that follow the first are only logged."""

    reported = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.showing = False
        self.reported.connect(self._show)

    def notice(self, report: Path) -> None:
        self.reported.emit(str(report))

    @Slot(str)
    def _show(self, report: str) -> None:
        if self.showing:
            return
        self.showing = True
        try:
            QMessageBox.critical(
                QApplication.activeWindow(),
                "程序出错",
                "程序遇到了一个未处理的错误，刚才的操作可能没有完成。\n"
                "已保存的数据不受影响；请检查刚才的操作是否已保存。\n\n"
                f"错误报告已写入：\n{report}\n\n请将此文件发给系统管理员。",
            )
        finally:
            self.showing = False
