"""工具 → 从备份恢复: choose a backup (from the data folder's list, or a file elsewhere, such as
on a USB stick) for the launcher to put in place of the open database."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from commandcenter.db import backup_folder
from commandcenter.ui import file_dialogs
from commandcenter.ui.tables import fill, read_only_table


class RestoreDialog(QDialog):
    """The backups, newest first; 恢复 accepts with :attr:`chosen` set."""

    def __init__(self, folder: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("restoreDialog")
        self.setWindowTitle("从备份恢复")
        self.setMinimumSize(560, 360)
        self.chosen: Path | None = None
        self.found = [b for b in backup_folder.list_backups(folder) if b.reason != "damaged"]
        note = QLabel(
            "选择一份备份放回原处。恢复前，当前数据库会先另存为“恢复前备份”，可随时再恢复回来。"
            "恢复时所有窗口都会关闭，恢复后需用恢复后的数据库中的账号重新登录。"
        )
        note.setWordWrap(True)
        self.table = read_only_table(["备份时间", "类别", "大小"])
        self.table.setObjectName("backupTable")
        fill(
            self.table,
            [
                [
                    f"{backup.made_at:%Y-%m-%d %H:%M:%S}",
                    backup.reason_label,
                    f"{backup.size / 1_048_576:.1f} MB",
                ]
                for backup in self.found
            ],
        )
        if self.found:
            self.table.selectRow(0)
        other = QPushButton("其他位置的备份文件…")
        other.clicked.connect(self._pick_file)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("恢复")
        buttons.accepted.connect(self._take_selected)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addWidget(self.table, 1)
        layout.addWidget(other)
        layout.addWidget(buttons)

    def _take_selected(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return
        self.chosen = self.found[rows[0].row()].path
        self.accept()

    def _pick_file(self) -> None:
        name = file_dialogs.open_file_name(
            self, "选择备份文件", "", "指挥中心数据库 (*.db);;所有文件 (*)"
        )
        if name:
            self.chosen = Path(name)
            self.accept()
