"""系统设置's 通报报送 tab: who the 月通报 and 季汇总 are 报送 and 抄送 to."""

from __future__ import annotations

from PySide6.QtWidgets import QFormLayout, QLabel, QLineEdit, QMessageBox, QPushButton, QWidget

from commandcenter.services import bulletin_settings
from commandcenter.services.bulletin_settings import Recipients
from commandcenter.services.permissions import Action, allowed
from commandcenter.ui import palette
from commandcenter.ui.runner import Runner


class BulletinRecipientsTab(QWidget):
    def __init__(self, runner: Runner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        may_edit = allowed(runner.actor, Action.EDIT_SETTINGS)
        self.submit_to = QLineEdit()
        self.submit_to.setObjectName("bulletinSubmitTo")
        self.copy_to = QLineEdit()
        self.copy_to.setObjectName("bulletinCopyTo")
        for box in (self.submit_to, self.copy_to):
            box.setEnabled(may_edit)
            box.setMaxLength(bulletin_settings.LIMIT)
            box.setPlaceholderText("多个单位用顿号或逗号分隔；留空则通报上不印该行")
        form = QFormLayout(self)
        note = QLabel("印在月通报、季汇总末页的报送、抄送栏；期号按年编排，第N期即第N月（季度）。")
        note.setWordWrap(True)
        note.setStyleSheet(f"color: {palette.NOTE_TEXT};")
        form.addRow(note)
        form.addRow("报送", self.submit_to)
        form.addRow("抄送", self.copy_to)
        self.save = QPushButton("保存")
        self.save.setEnabled(may_edit)
        self.save.clicked.connect(self.save_recipients)
        if may_edit:
            form.addRow("", self.save)

    def refresh(self) -> None:
        current = self.runner.read_now(bulletin_settings.recipients)
        self.submit_to.setText(current.submit_to)
        self.copy_to.setText(current.copy_to)

    def save_recipients(self) -> None:
        form = Recipients(self.submit_to.text(), self.copy_to.text())

        def done(_saved: Recipients) -> None:
            QMessageBox.information(self, "系统设置", "已保存。")
            self.refresh()

        self.runner.run(
            lambda session, actor: bulletin_settings.save(session, actor, form),
            done,
            write=True,
            parent=self,
            busy=self.save,
        )
