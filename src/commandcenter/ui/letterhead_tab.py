"""公文版头 in 系统设置: under which authority's name the centre's 公文 are headed, and which.

A 公文 chosen here carries a 版头: the authority's name in red, the 发文字号 under it and a red
line, and is signed in that name; the others are headed and signed with the centre's name.
Empty name: the centre's own.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from commandcenter.services import settings as centre_settings
from commandcenter.services.permissions import Action, allowed
from commandcenter.ui.runner import Runner


class LetterheadTab(QWidget):
    def __init__(self, runner: Runner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        may_edit = allowed(runner.actor, Action.EDIT_SETTINGS)
        self.name = QLineEdit()
        self.name.setObjectName("letterheadName")
        self.name.setMaxLength(centre_settings.LETTERHEAD_NAME_LIMIT)
        self.name.setPlaceholderText("留空则用中心名称，例如“梅山街道办事处”")
        self.name.setEnabled(may_edit)
        self.papers: dict[str, QCheckBox] = {}
        boxes = QVBoxLayout()
        for key, label in centre_settings.LETTERHEAD_KINDS.items():
            box = QCheckBox(label)
            box.setObjectName(f"letterhead-{key}")
            box.setEnabled(may_edit)
            self.papers[key] = box
            boxes.addWidget(box)
        note = QLabel(
            "勾选的公文按 GB/T 9704 排红色版头：发文机关标志、居中的发文字号和红色分隔线，"
            "落款署名也用该机关名称；未勾选的以中心名称（黑色）起首并署中心名称。"
            "版记的印发机关始终为中心。"
        )
        note.setWordWrap(True)
        self.save = QPushButton("保存版头设置")
        self.save.setObjectName("saveLetterhead")
        self.save.setEnabled(may_edit)
        self.save.clicked.connect(self.save_letterhead)
        form = QFormLayout()
        form.addRow("发文机关标志", self.name)
        form.addRow("使用版头的公文", boxes)
        form.addRow("", note)
        form.addRow("", self.save)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addStretch(1)

    def refresh(self) -> None:
        current = self.runner.read_now(centre_settings.letterhead_form)
        self.name.setText(current.name)
        for key, box in self.papers.items():
            box.setChecked(key in current.papers)

    def save_letterhead(self) -> None:
        name = self.name.text()
        chosen = {key for key, box in self.papers.items() if box.isChecked()}

        def done(_result: object) -> None:
            QMessageBox.information(self, "系统设置", "版头设置已保存。")
            self.refresh()

        self.runner.run(
            lambda session, actor: centre_settings.set_letterhead(session, actor, name, chosen),
            done,
            write=True,
            parent=self,
        )
