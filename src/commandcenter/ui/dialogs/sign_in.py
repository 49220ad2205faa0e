"""Sign-in. The dialog stays open on a wrong password; it never says which part was wrong.

At start-up the form is shown before the database is open (`DatabaseOpening`): 登录 pressed
before the open ends waits for it, saying so, and signs in as soon as it can. The password is
checked on a thread (argon2id takes a good part of a second on a slow PC), the form staying
painted meanwhile. The dialog gives way, with a result of its own, when the open fails
(`OPEN_FAILED`) or finds a database not yet set up (`NOT_SET_UP`).

Nothing here imports SQLAlchemy or the services at module level: the form is up before them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QWidget

from commandcenter.errors import UserError
from commandcenter.ui.forms.ui_sign_in import Ui_SignInDialog
from commandcenter.ui.off_thread import Outcome, call_off_thread

if TYPE_CHECKING:
    from commandcenter.db.engine import Database
    from commandcenter.services.actor import Actor
    from commandcenter.ui.opening import DatabaseOpening

OPENING = "正在打开数据库…"
WAITING = "正在打开数据库…打开后即登录。"


class SignInDialog(QDialog):
    OPEN_FAILED = 2
    NOT_SET_UP = 3

    # The form can sign in at once: the database is open and the window's modules loaded.
    ready = Signal()

    def __init__(
        self,
        db: Database | None = None,
        parent: QWidget | None = None,
        *,
        opening: DatabaseOpening | None = None,
    ) -> None:
        super().__init__(parent)
        if (db is None) == (opening is None):
            raise ValueError("a database, or its opening")
        self.db = db
        self.opening = opening
        self.actor: Actor | None = None
        self._pressed = False  # 登录 pressed while the database was still opening
        self._checking = False
        self.ui = Ui_SignInDialog()
        self.ui.setupUi(self)
        ok = self.ui.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText("登录")
        self.ui.buttons.accepted.connect(self.try_sign_in)
        self.ui.buttons.rejected.connect(self.reject)
        self.ui.usernameEdit.setFocus()
        if db is not None:
            from commandcenter.services import settings

            self._show_database(settings.before_sign_in(db).centre_name, db.describe())
        else:
            assert opening is not None
            self.ui.databaseLabel.setText(OPENING)
            opening.opened.connect(self._opened)
            opening.loaded.connect(self._loaded)

    def is_ready(self) -> bool:
        return self.db is not None and (self.opening is None or self.opening.is_loaded)

    def _show_database(self, centre_name: str, description: str) -> None:
        self.ui.centreLabel.setText(centre_name)
        self.ui.databaseLabel.setText(f"数据库：{description}")

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self.opening is not None:
            # After the first paint: the open's imports then never hold up the form's drawing.
            QTimer.singleShot(0, self.opening.start)

    def _opened(self) -> None:
        opening = self.opening
        assert opening is not None
        if opening.error is not None:
            self.done(self.OPEN_FAILED)  # the launcher tells the operator, as before
            return
        assert opening.result is not None
        if not opening.result.initialised:
            self.done(self.NOT_SET_UP)  # the first-run setup takes the form's place
            return
        self.db = opening.result.db
        self._show_database(opening.result.centre_name, opening.result.description)
        if self._pressed:
            self._pressed = False
            self.try_sign_in()

    def _loaded(self) -> None:
        if self.actor is not None:
            self.accept()
        elif self.is_ready():
            self.ready.emit()

    def try_sign_in(self) -> None:
        if self._checking:
            return
        username = self.ui.usernameEdit.text()
        password = self.ui.passwordEdit.text()
        if not username.strip() or not password:
            self.ui.errorLabel.setText("请输入用户名和密码。")
            return
        self.ui.errorLabel.clear()
        if self.db is None:
            self._pressed = True
            self.ui.databaseLabel.setText(WAITING)
            return
        db = self.db
        self._busy(True)
        from commandcenter.services import auth

        call_off_thread(lambda: auth.sign_in(db, username, password), self._checked, "sign-in")

    def _checked(self, outcome: Outcome[Actor]) -> None:
        self._busy(False)
        if isinstance(outcome.error, UserError):
            self.ui.errorLabel.setText(outcome.error.message)
            self.ui.passwordEdit.clear()
            self.ui.passwordEdit.setFocus()
            return
        if outcome.error is not None:
            raise outcome.error  # a bug: the crash hooks report it, as on the GUI thread
        self.actor = outcome.value
        if self.opening is not None and not self.opening.is_loaded:
            self.ui.databaseLabel.setText(OPENING)  # accepted once the window can be built
            self._busy(True)
            return
        self.accept()

    def _busy(self, busy: bool) -> None:
        self._checking = busy
        self.ui.buttons.setEnabled(not busy)
        self.ui.usernameEdit.setReadOnly(busy)
        self.ui.passwordEdit.setReadOnly(busy)
        if busy:
            self.setCursor(Qt.CursorShape.BusyCursor)
        else:
            self.unsetCursor()

    def reject(self) -> None:
        if self._checking:
            return  # the check under way ends first; its outcome decides
        super().reject()
