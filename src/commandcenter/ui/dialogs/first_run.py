"""First-run setup of a new database: the street, its document prefix and the first admin."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QWidget

from commandcenter.errors import UserError
from commandcenter.ui.forms.ui_first_run import Ui_FirstRunDialog

if TYPE_CHECKING:
    from commandcenter.db.engine import Database
    from commandcenter.services.actor import Actor


class FirstRunDialog(QDialog):
    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.actor: Actor | None = None
        self.ui = Ui_FirstRunDialog()
        self.ui.setupUi(self)
        self.ui.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("完成设置")
        self.ui.buttons.accepted.connect(self.submit)
        self.ui.buttons.rejected.connect(self.reject)

    def submit(self) -> None:
        if self.ui.passwordEdit.text() != self.ui.confirmEdit.text():
            self.ui.errorLabel.setText("两次输入的密码不一致。")
            self.ui.confirmEdit.setFocus()
            return
        from commandcenter.services import settings  # loaded with the database by now

        try:
            self.actor = settings.set_up_centre(
                self.db,
                street_name=self.ui.streetEdit.text(),
                doc_prefix=self.ui.prefixEdit.text(),
                admin_username=self.ui.usernameEdit.text(),
                admin_display_name=self.ui.displayNameEdit.text(),
                admin_password=self.ui.passwordEdit.text(),
            )
        except UserError as exc:
            self.ui.errorLabel.setText(exc.message)  # nothing typed is cleared
            return
        self.accept()
