"""Opening every dialog a user can reach, and measuring each against the smallest screen.

A watcher looks at the screen every few milliseconds: a dialog that has come up (modal or not) is
measured, then dismissed with 取消 (reject), so a confirmation answers no and a form saves
nothing. The driver presses every button a page shows, on every tab, with a row chosen in each
list, so a dialog added to a page is measured without being named here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from PySide6.QtCore import QEvent, QSize, QTimer
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractScrollArea,
    QApplication,
    QDialog,
    QFileDialog,
    QInputDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QTabWidget,
    QToolButton,
    QWidget,
)

# 1280×720 logical, less a 40-pixel taskbar, a window frame and a title bar.
SMALLEST = QSize(1280 - 16, 720 - 40 - 48)

# Qt's own dialogs size themselves; they are counted but not held to the app's measure.
QT_OWN = (QMessageBox, QFileDialog, QInputDialog)


@dataclass
class Measure:
    kind: str
    title: str
    minimum: QSize
    opened: QSize
    outside: list[str]

    @property
    def problem(self) -> str:
        too_big = (
            self.minimum.width() > SMALLEST.width() or self.minimum.height() > SMALLEST.height()
        )
        parts = [f"最小 {self.minimum.width()}×{self.minimum.height()}"] if too_big else []
        if self.outside:
            parts.append("按钮在窗口外：" + "、".join(self.outside))
        return f"{self.kind}「{self.title}」" + "；".join(parts) if parts else ""


def _in_scrolled_content(widget: QWidget, top: QWidget) -> bool:
    parent = widget.parentWidget()
    while parent is not None and parent is not top:
        if isinstance(parent, QAbstractScrollArea):
            return True
        parent = parent.parentWidget()
    return False


# A refusal as long as the services give: it shows at the foot of a form, above its buttons.
REFUSAL = (
    "张三的执法证已于 2026-10-31 过期，不能作为执法人员派出。"
    "请改选其他持有效执法证的人员，或先在“人员名册 → 执法证”中登记换发的新证。"
)


def measure(dialog: QDialog) -> Measure:
    """The dialog's smallest size, and which of its buttons fall outside it once it is made to
    fit the smallest screen, with a refusal showing where the form has a place for one."""
    error = dialog.findChild(QLabel, "formError")
    if error is not None and not error.isVisibleTo(dialog):
        error.setText(REFUSAL)
        error.show()
    layout = dialog.layout()
    if layout is not None:
        layout.activate()
    hint = dialog.minimumSizeHint()
    minimum = QSize(
        max(dialog.minimumWidth(), hint.width()), max(dialog.minimumHeight(), hint.height())
    )
    opened = dialog.size()
    dialog.resize(dialog.size().boundedTo(SMALLEST).expandedTo(minimum))
    if layout is not None:
        layout.activate()
    outside = []
    room = dialog.rect()
    for button in dialog.findChildren(QAbstractButton):
        if not isinstance(button, (QPushButton, QToolButton)) or not button.isVisibleTo(dialog):
            continue
        if _in_scrolled_content(button, dialog):
            continue
        corner = button.mapTo(dialog, button.rect().bottomRight())
        if not room.contains(corner):
            outside.append(button.text().replace("&", "") or button.objectName() or "？")
    return Measure(type(dialog).__name__, dialog.windowTitle(), minimum, opened, outside)


@dataclass
class Census:
    """Measures every dialog that comes up while it watches."""

    seen: list[Measure] = field(default_factory=list)
    shots: str | None = None  # a folder for screenshots of the app's dialogs, when looking
    _timer: QTimer | None = None

    def start(self) -> None:
        self._timer = QTimer(interval=15)
        self._timer.timeout.connect(self._look)
        self._timer.start()

    def stop(self) -> None:
        if self._timer is not None:
            self._timer.stop()

    def _look(self) -> None:
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, QDialog) and widget.isVisible():
                found = measure(widget)
                self.seen.append(found)
                if self.shots and not isinstance(widget, QT_OWN):
                    name = f"{len(self.seen):03d}-{found.kind}.png"
                    widget.grab().save(f"{self.shots}/{name}")
                widget.reject()
                if widget.isVisible():  # the lock refuses 取消: close it as unlocking would
                    QDialog.done(widget, QDialog.DialogCode.Rejected)
                if not widget.isModal():  # a preview: nobody waits on it, let it go now
                    widget.deleteLater()

    def own(self) -> list[Measure]:
        return [m for m in self.seen if m.kind not in {k.__name__ for k in QT_OWN}]


def choose_first_rows(root: QWidget) -> None:
    for table in root.findChildren(QTableView):
        model = table.model()
        if table.isVisible() and model is not None and model.rowCount() > 0:
            table.selectRow(0)


def buttons_of(root: QWidget) -> Iterable[QAbstractButton]:
    """The push and tool buttons *root* shows now, in the window *root* is in."""
    for button in root.findChildren(QAbstractButton):
        if not isinstance(button, (QPushButton, QToolButton)):
            continue
        if button.window() is root.window() and button.isVisible() and button.isEnabled():
            yield button


def tab_states(root: QWidget) -> Iterable[None]:
    """Each tab of each tab widget in *root*, one after another (the outer ones first)."""
    yield None
    for tabs in root.findChildren(QTabWidget):
        for index in range(tabs.count()):
            if tabs.isTabEnabled(index):
                tabs.setCurrentIndex(index)
                yield None


def let_go(window: QWidget) -> None:
    """Delete *window* and its dialogs now rather than at the end of the process: windows with
    many dialogs and previews left to the interpreter's exit brought it down there."""
    for dialog in window.findChildren(QDialog):
        dialog.deleteLater()
    window.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
