"""Sign-in. The dialog stays open on a wrong password; it never says which part was wrong."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QWidget

from commandcenter.db.engine import Database
from commandcenter.errors import UserError
from commandcenter.services import auth, settings
from commandcenter.services.actor import Actor
from commandcenter.ui.forms.ui_sign_in import Ui_SignInDialog


class SignInDialog(QDialog):
    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.actor: Actor | None = None
        self.ui = Ui_SignInDialog()
        self.ui.setupUi(self)
        centre = settings.before_sign_in(db)
        self.ui.centreLabel.setText(centre.centre_name)
        self.ui.databaseLabel.setText(f"数据库：{db.describe()}")
        ok = self.ui.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText("登录")
        self.ui.buttons.accepted.connect(self.try_sign_in)
        self.ui.buttons.rejected.connect(self.reject)
        self.ui.usernameEdit.setFocus()

    def try_sign_in(self) -> None:
        username = self.ui.usernameEdit.text()
        password = self.ui.passwordEdit.text()
        if not username.strip() or not password:
            self.ui.errorLabel.setText("请输入用户名和密码。")
            return
        try:
            self.actor = auth.sign_in(self.db, username, password)
        except UserError as exc:
            self.ui.errorLabel.setText(exc.message)
            self.ui.passwordEdit.clear()
            self.ui.passwordEdit.setFocus()
            return
        self.accept()
