"""Passwords on screen: the 修改密码 dialog, and the rule that a new one is typed twice alike."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QWidget

from commandcenter.errors import ValidationError
from commandcenter.services import auth
from commandcenter.services.actor import Actor
from commandcenter.ui.dialogs.form_dialog import FormDialog, secret
from commandcenter.ui.runner import Runner, UnitOfWork, Work


def same_twice(values: dict[str, Any]) -> str:
    if values["new"] != values["repeat"]:
        raise ValidationError("两次输入的新密码不一致。", "repeat")
    return str(values["new"])


def change_own_password(parent: QWidget, runner: Runner) -> bool:
    """The 修改密码 dialog; True once the new password is saved."""

    def submit(values: dict[str, Any]) -> Work:
        def work(session: UnitOfWork, actor: Actor) -> None:
            auth.change_password(session, actor, values["current"], same_twice(values))

        return work

    dialog = FormDialog(
        runner,
        "修改密码",
        [secret("current", "当前密码"), secret("new", "新密码"), secret("repeat", "再输一遍")],
        submit,
        parent=parent,
        intro=f"新密码至少 {auth.MIN_PASSWORD_LENGTH} 个字符，可以用中文。",
    )
    dialog.setObjectName("changePasswordDialog")
    return dialog.exec() == FormDialog.DialogCode.Accepted
