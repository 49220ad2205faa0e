"""系统设置 › 办结回复模板: the texts a closing's reply starts from, with their placeholders."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from commandcenter.services.incidents import replies
from commandcenter.services.permissions import Action, allowed
from commandcenter.ui import palette
from commandcenter.ui.dialogs import form_dialog
from commandcenter.ui.runner import Runner, Work


def _fields() -> list[form_dialog.Field]:
    text = form_dialog.text("text", "模板内容", "可用占位符见下方说明", multiline=True)
    assert isinstance(text.widget, QPlainTextEdit)
    text.widget.setFixedHeight(140)
    return [
        form_dialog.text("name", "模板名称", "如：已解决、解释说明"),
        text,
        form_dialog.integer("sort_order", "排列顺序", maximum=999),
        form_dialog.flag("active", "状态", "启用（办结时可选）"),
    ]


PLACEHOLDER_NOTE = "可用占位符：" + "；".join(
    "{" + name + "} " + meaning for name, meaning in replies.PLACEHOLDERS.items()
)


class ReplyTemplatesTab(QWidget):
    def __init__(self, runner: Runner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.list = QTreeWidget()
        self.list.setObjectName("replyTemplates")
        self.list.setHeaderLabels(["名称", "状态", "内容"])
        self.list.setRootIsDecorated(False)
        self.list.setColumnWidth(0, 120)
        self.list.setColumnWidth(1, 60)
        self.list.itemActivated.connect(lambda _item, _col: self.edit())
        may_edit = allowed(runner.actor, Action.EDIT_SETTINGS)
        add = QPushButton("新增模板")
        add.clicked.connect(self.add)
        change = QPushButton("修改")
        change.clicked.connect(self.edit)
        for button in (add, change):
            button.setEnabled(may_edit)
        note = QLabel(
            PLACEHOLDER_NOTE
            + "。办结时按所选模板填入该事件的内容，值班员可再修改；修改模板不影响已记录的回复。"
        )
        note.setWordWrap(True)
        note.setStyleSheet(f"color: {palette.NOTE_TEXT};")
        buttons = QHBoxLayout()
        buttons.addWidget(add)
        buttons.addWidget(change)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(self.list, 1)
        layout.addWidget(note)

    def refresh(self) -> None:
        rows = self.runner.read_now(lambda session, actor: replies.templates(session, actor))
        self.list.clear()
        for row in rows:
            item = QTreeWidgetItem([row.name, "启用" if row.active else "停用", row.text])
            item.setData(0, Qt.ItemDataRole.UserRole, row.id)
            item.setToolTip(2, row.text)
            self.list.addTopLevelItem(item)

    def add(self) -> None:
        def submit(values: dict[str, Any]) -> Work:
            return lambda session, actor: replies.save_template(
                session, actor, replies.TemplateForm(**values)
            )

        dialog = form_dialog.FormDialog(
            self.runner, "新增办结回复模板", _fields(), submit, parent=self, intro=PLACEHOLDER_NOTE
        )
        dialog.load({"active": True})
        if dialog.exec():
            self.refresh()

    def edit(self) -> None:
        item = self.list.currentItem()
        if item is None or not allowed(self.runner.actor, Action.EDIT_SETTINGS):
            return
        template_id = int(item.data(0, Qt.ItemDataRole.UserRole))

        def save(values: dict[str, Any], version: int) -> Work:
            return lambda session, actor: replies.save_template(
                session, actor, replies.TemplateForm(**values), template_id, version
            )

        dialog = form_dialog.edit_record(
            self.runner,
            "修改办结回复模板",
            _fields(),
            lambda session, actor: form_dialog.stored(
                replies.template_form(session, actor, template_id)
            ),
            save,
            parent=self,
            intro=PLACEHOLDER_NOTE,
        )
        if dialog.exec():
            self.refresh()
