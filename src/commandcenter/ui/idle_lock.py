"""The screen locks itself when nobody has touched the keyboard or mouse for a while.

Locked, every window of the session is covered, so no personal data shows on a shared PC, and
an application-modal prompt asks the same user's password. Nothing underneath is closed: a form
half filled in is there, as it was, after unlocking. Another user can take over from the prompt
instead; the launcher then closes the whole session before they sign in.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from commandcenter.db.engine import Database
from commandcenter.errors import UserError
from commandcenter.services import auth
from commandcenter.services.actor import Actor
from commandcenter.ui import palette
from commandcenter.ui.icons import icon

CHECK_MS = 10_000
# What counts as someone at the PC: a timer or a worker's result does not.
INPUT_EVENTS = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseMove,
        QEvent.Type.Wheel,
        QEvent.Type.TouchBegin,
    }
)


def confirm_switch_user(parent: QWidget, actor: Actor) -> bool:
    answer = QMessageBox.question(
        parent,
        "切换用户",
        f"切换用户会关闭 {actor.display_name} 打开的所有窗口，未保存的内容将不再保留。\n\n继续吗？",
    )
    return answer == QMessageBox.StandardButton.Yes


class UnlockDialog(QDialog):
    """Asks the locked session's user for their password; cannot be closed any other way."""

    unlocked = Signal()
    switch_requested = Signal()

    def __init__(self, db: Database, actor: Actor, minutes: int | None, parent: QWidget) -> None:
        super().__init__(parent)
        self.db, self.actor = db, actor
        self.setObjectName("unlockDialog")
        self.setWindowTitle("屏幕已锁定")
        self.setWindowModality(Qt.WindowModality.ApplicationModal)
        self.setWindowFlags(
            Qt.WindowType.Dialog
            | Qt.WindowType.CustomizeWindowHint
            | Qt.WindowType.WindowTitleHint  # no close button
        )
        badge = QLabel()
        badge.setPixmap(icon("lock").pixmap(48, 48))
        title = QLabel(f"{actor.label} 的屏幕已锁定")
        title.setStyleSheet("font-size: 14pt; font-weight: bold;")
        why = f"超过 {minutes} 分钟无人操作，屏幕已自动锁定，" if minutes else "屏幕已锁定，"
        note = QLabel(f"{why}以免他人看到个人信息。输入密码即可继续，未保存的内容都还在。")
        note.setWordWrap(True)
        self.password = QLineEdit()
        self.password.setObjectName("unlockPassword")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText("密码")
        self.password.returnPressed.connect(self.try_unlock)
        self.error = QLabel()
        self.error.setObjectName("unlockError")
        self.error.setStyleSheet(f"color: {palette.ERROR_TEXT};")
        self.error.setWordWrap(True)
        unlock = QPushButton(icon("unlock"), "解锁")
        unlock.setObjectName("unlockButton")
        unlock.setDefault(True)
        unlock.clicked.connect(self.try_unlock)
        switch = QPushButton(icon("switch-user"), "切换用户…")
        switch.setObjectName("switchUserButton")
        switch.clicked.connect(self._switch)
        head = QHBoxLayout()
        head.addWidget(badge)
        head.addWidget(title, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(switch)
        buttons.addStretch(1)
        buttons.addWidget(unlock)
        layout = QVBoxLayout(self)
        layout.addLayout(head)
        layout.addWidget(note)
        layout.addWidget(self.password)
        layout.addWidget(self.error)
        layout.addLayout(buttons)
        self.setMinimumWidth(420)

    def try_unlock(self) -> None:
        password = self.password.text()
        self.password.clear()
        if not password:
            self.error.setText("请输入密码。")
            return
        try:
            # The same check as signing in: failures count towards the lock and are audited.
            actor = auth.sign_in(self.db, self.actor.username, password)
        except UserError as exc:
            self.error.setText(exc.message)
            self.password.setFocus()
            return
        if actor.user_id != self.actor.user_id:  # pragma: no cover - same name, same account
            self.error.setText(auth.SIGN_IN_FAILED)
            return
        self.unlocked.emit()

    def _switch(self) -> None:
        if confirm_switch_user(self, self.actor):
            self.switch_requested.emit()

    def reject(self) -> None:
        """Esc does not unlock."""


class IdleLock(QObject):
    """Watches the application's input and locks the session after *minutes* without any."""

    switch_requested = Signal()

    def __init__(
        self,
        window: QWidget,
        db: Database,
        actor: Actor,
        minutes: int,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__(window)
        self.window, self.db, self.actor = window, db, actor
        self.minutes = minutes
        self.clock = clock
        self.last_input = clock()
        self.dialog: UnlockDialog | None = None
        self._covers: dict[QWidget, QLabel] = {}
        app = QApplication.instance()
        assert app is not None
        app.installEventFilter(self)
        self._timer = QTimer(self, interval=CHECK_MS)
        self._timer.timeout.connect(self.check)
        self._timer.start()
        window.destroyed.connect(lambda: app.removeEventFilter(self))

    @property
    def locked(self) -> bool:
        return self.dialog is not None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in INPUT_EVENTS:
            if not self.locked:
                self.last_input = self.clock()
        elif self.locked and isinstance(watched, QWidget) and watched.isWindow():
            if kind == QEvent.Type.Show and self._needs_cover(watched):
                self._cover(watched)
            elif kind == QEvent.Type.Resize and watched in self._covers:
                self._covers[watched].setGeometry(watched.rect())
        return False

    def check(self) -> None:
        if not self.locked and self.clock() - self.last_input >= self.minutes * 60:
            self.lock(idle=True)

    def lock(self, idle: bool = False) -> None:
        """Cover every window and ask for the password; *idle* when the timer, not the user,
        locked the screen."""
        if self.locked:
            return
        while (popup := QApplication.activePopupWidget()) is not None:
            popup.close()  # an open menu or list would show above the covers
        self.dialog = UnlockDialog(self.db, self.actor, self.minutes if idle else None, self.window)
        for widget in QApplication.topLevelWidgets():
            if widget.isVisible() and self._needs_cover(widget):
                self._cover(widget)
        self.dialog.unlocked.connect(self.unlock)
        self.dialog.switch_requested.connect(self.switch_requested)
        self.dialog.show()
        self.dialog.password.setFocus()

    def unlock(self) -> None:
        for cover in self._covers.values():
            cover.deleteLater()
        self._covers.clear()
        if self.dialog is not None:
            self.dialog.hide()
            self.dialog.deleteLater()
            self.dialog = None
        self.last_input = self.clock()

    def _needs_cover(self, widget: QWidget) -> bool:
        if widget in self._covers or widget.windowType() not in (
            Qt.WindowType.Window,
            Qt.WindowType.Dialog,
        ):
            return False
        # The prompt and the questions it asks stay readable.
        node: QObject | None = widget
        while node is not None:
            if node is self.dialog:
                return False
            node = node.parent()
        return True

    def _cover(self, widget: QWidget) -> None:
        cover = QLabel("已锁定\n请在“屏幕已锁定”窗口中输入密码继续", widget)
        cover.setObjectName("lockCover")
        cover.setAlignment(Qt.AlignmentFlag.AlignCenter)
        cover.setAutoFillBackground(True)
        cover.setStyleSheet(
            f"background: {palette.LOCK_BACKGROUND}; color: {palette.LOCK_TEXT}; font-size: 13pt;"
        )
        cover.setGeometry(widget.rect())
        cover.show()
        cover.raise_()
        self._covers[widget] = cover
