"""Keeping windows on the screen: a scrolling body that asks for its content's size, and the
room a window may take.

A dialog's fields scroll inside it while 保存 and 取消 stay at the bottom, so a long form (a
plan with all its departments, items and grids) fits a 768-pixel laptop screen; on a tall
screen the dialog opens at its content's full height and nothing scrolls.
"""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QFrame, QScrollArea, QWidget

# What a window leaves of the screen's available area for its frame and title bar.
FRAME_ROOM = QSize(16, 48)


def available_area(widget: QWidget | None = None) -> QRect:
    """The available geometry (without the taskbar) of the screen *widget* is on."""
    screen = widget.screen() if widget is not None else None
    screen = screen or QGuiApplication.primaryScreen()
    return screen.availableGeometry()


class FittingScrollArea(QScrollArea):
    """Scrolls *body* vertically; its size hint is the body's, up to what the screen allows."""

    def __init__(self, body: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.body = body
        self.setWidget(body)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        # The area itself is no stop for Tab: a dialog opens with the cursor in its first field
        # (the area still scrolls to whichever field Tab reaches).
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)

    def sizeHint(self) -> QSize:
        body = self.body.sizeHint()
        bar = self.verticalScrollBar().sizeHint().width()
        room = available_area(self).size() - FRAME_ROOM
        # The scroll area's own part of the window: the rest of the dialog needs room too.
        return QSize(body.width() + bar, min(body.height(), int(room.height() * 0.8)))

    def minimumSizeHint(self) -> QSize:
        body = self.body.minimumSizeHint()
        bar = self.verticalScrollBar().sizeHint().width()
        return QSize(body.width() + bar, min(body.height(), 120))


def resize_within_screen(widget: QWidget, width: int, height: int) -> None:
    """Resize *widget* to width×height, or to what its screen's available area allows."""
    room = available_area(widget).size() - FRAME_ROOM
    widget.resize(min(width, room.width()), min(height, room.height()))
