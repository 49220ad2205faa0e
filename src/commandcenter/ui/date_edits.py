"""Date and time boxes that Tab leaves in one press.

Qt's date-time edit spends Tab on its own sections: five presses to cross 受理时间
(year, month, day, hour, minute). Here Tab goes to the next field like every other box;
the sections stay reachable with the arrow keys and are filled by typing the digits.
"""

from __future__ import annotations

from PySide6.QtWidgets import QAbstractSpinBox, QDateEdit, QDateTimeEdit, QTimeEdit


class DateTimeEdit(QDateTimeEdit):
    def focusNextPrevChild(self, forward: bool) -> bool:
        return QAbstractSpinBox.focusNextPrevChild(self, forward)


class DateEdit(QDateEdit):
    def focusNextPrevChild(self, forward: bool) -> bool:
        return QAbstractSpinBox.focusNextPrevChild(self, forward)


class TimeEdit(QTimeEdit):
    def focusNextPrevChild(self, forward: bool) -> bool:
        return QAbstractSpinBox.focusNextPrevChild(self, forward)
