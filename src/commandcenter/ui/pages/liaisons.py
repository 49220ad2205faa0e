"""联络名录: the main and backup liaison of every district department; kept by operators."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QAction, QGuiApplication
from PySide6.QtWidgets import QMainWindow, QMenu, QMessageBox, QWidget

from commandcenter.documents import liaison_directory
from commandcenter.enums import LiaisonRole
from commandcenter.services import liaisons
from commandcenter.services.liaison_listings import LIAISONS
from commandcenter.services.permissions import Action, allowed
from commandcenter.ui.dialogs import form_dialog
from commandcenter.ui.exchange_actions import ExchangeActions
from commandcenter.ui.icons import icon
from commandcenter.ui.pages.list_page import ListPage
from commandcenter.ui.printing import generate_and_preview
from commandcenter.ui.runner import Runner


class LiaisonsPage(ListPage):
    def __init__(self, runner: Runner, settings: QSettings, parent: QWidget | None = None) -> None:
        super().__init__(
            runner, settings, LIAISONS, "联络名录", parent, hint="双击编辑；右键复制号码"
        )
        can_edit = allowed(runner.actor, Action.EDIT_DIRECTORY)
        for text, name, slot, visible, shortcut in (
            ("新增", "add", self.add, can_edit, "Ctrl+N"),
            ("编辑", "edit", self.edit, can_edit, ""),
            ("删除", "delete", self.delete, can_edit, ""),
            ("复制手机号", "copy", lambda: self.copy_number("mobile"), True, "Ctrl+Shift+C"),
            ("打印通讯名录", "print", self.print_directory, True, "Ctrl+P"),
        ):
            action = QAction(icon(name), text, self)
            if shortcut:
                action.setShortcut(shortcut)
            action.triggered.connect(slot)
            self.add_action(action).setVisible(visible)
        ExchangeActions(runner, "liaisons", self).install(self)
        if can_edit:
            self.view.activated.connect(lambda _id: self.edit())
        table = self.view.table
        table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        table.customContextMenuRequested.connect(self._menu)

    def _menu(self, position: Any) -> None:
        menu = QMenu(self)
        menu.addAction(icon("copy"), "复制手机号", lambda: self.copy_number("mobile"))
        menu.addAction(icon("copy"), "复制办公电话", lambda: self.copy_number("office_phone"))
        menu.exec(self.view.table.viewport().mapToGlobal(position))

    def copy_number(self, which: str) -> None:
        """Copy the full number (the list shows it whole: liaisons are official contacts)."""
        liaison_id = self.view.selected_id()
        if liaison_id is None:
            return

        _who, mobile, office_phone = self.runner.read_now(
            lambda session, actor: liaisons.contact(session, actor, liaison_id)
        )
        value = mobile if which == "mobile" else office_phone
        if value:
            QGuiApplication.clipboard().setText(value)
            window = self.window()
            if isinstance(window, QMainWindow):
                window.statusBar().showMessage(f"已复制：{value}", 4000)

    def _fields(self) -> list[form_dialog.Field]:
        departments = self.runner.read_now(liaisons.departments)
        return [
            form_dialog.choice("department_id", "区级部门", departments, blank="请选择"),
            form_dialog.choice("role", "类别", form_dialog.labelled(LiaisonRole)),
            form_dialog.text("office", "联络科室"),
            form_dialog.text("name", "姓名"),
            form_dialog.text("position", "职务"),
            form_dialog.text("mobile", "手机"),
            form_dialog.text("office_phone", "办公电话", "例如 0574-86881234"),
            form_dialog.text("duty_hours", "值班时间", "例如 工作日 8:30-17:30"),
            form_dialog.text("notes", "备注"),
        ]

    def add(self) -> None:
        form_dialog.FormDialog(
            self.runner,
            "新增联络人",
            self._fields(),
            lambda values: (
                lambda session, actor: (
                    liaisons.save_liaison(session, actor, liaisons.LiaisonForm(**values)).id
                )
            ),
            parent=self,
        ).exec()

    def edit(self) -> None:
        liaison_id = self.view.selected_id()
        if liaison_id is None:
            QMessageBox.information(self, "编辑联络人", "请先在列表中选中一行。")
            return
        who, _mobile, _office_phone = self.runner.read_now(
            lambda session, actor: liaisons.contact(session, actor, liaison_id)
        )
        form_dialog.edit_record(
            self.runner,
            f"编辑联络人：{who.split(' ', 1)[-1]}",
            self._fields(),
            lambda session, actor: form_dialog.stored(
                liaisons.liaison_form(session, actor, liaison_id)
            ),
            lambda values, version: (
                lambda session, actor: (
                    liaisons.save_liaison(
                        session, actor, liaisons.LiaisonForm(**values), liaison_id, version
                    ).id
                )
            ),
            parent=self,
        ).exec()

    def delete(self) -> None:
        liaison_id = self.view.selected_id()
        if liaison_id is None:
            return
        who, _mobile, _office_phone = self.runner.read_now(
            lambda session, actor: liaisons.contact(session, actor, liaison_id)
        )
        answer = QMessageBox.question(self, "删除联络人", f"确定删除联络人“{who}”吗？")
        if answer == QMessageBox.StandardButton.Yes:
            self.runner.run(
                lambda session, actor: liaisons.delete_liaison(session, actor, liaison_id),
                write=True,
                parent=self,
            )

    def print_directory(self) -> None:
        generate_and_preview(
            self,
            self.runner,
            "liaison-directory",
            "通讯名录",
            lambda session, actor, path: liaison_directory.render(
                liaison_directory.load(session, actor), path
            ),
        )
