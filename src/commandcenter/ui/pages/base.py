"""What the main window asks of a page, with defaults so a page implements only what it has."""

from __future__ import annotations

from typing import Protocol

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget


class Refreshable(Protocol):
    """A tab of a page: it reads what it shows again when asked (only the visible one is)."""

    def refresh(self) -> None: ...


class Page(QWidget):
    """One of the main window's places (`PageSpec`).

    The window builds a page when it is first shown, calls :meth:`refresh` when it is shown
    after a write to its areas (and on F5), :meth:`focus_search` on Ctrl+F, and asks every
    built page about :meth:`running_work` before it closes.
    """

    # A list on this page asks for an incident to be shown in the queue's detail pane (the
    # 工作台's lists, 考核评价's figures, the briefings); the main window does it.
    open_incident = Signal(int)
    # A figure or link on this page asks for another place (a PageSpec key) to be shown.
    show_place = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.key = ""  # set by place(), from the page's PageSpec
        self.title = ""

    def place(self, key: str, title: str) -> None:
        """Name the page after its place in the sidebar (`PageSpec.build` does this)."""
        self.key, self.title = key, title
        self.setObjectName(f"page_{key}")

    def refresh(self) -> None:
        """Read what the page shows again."""
        raise NotImplementedError(f"{type(self).__name__} does not refresh")

    def focus_search(self) -> None:
        """Ctrl+F: put the cursor in the page's search box. A page without one ignores it."""

    def open_record(self, record_id: int) -> None:
        """Show one of the records this page is about (the queue: an incident)."""
        raise NotImplementedError(f"{type(self).__name__} opens no records")

    def running_work(self) -> str | None:
        """Work under way that closing the window would cut short, in words, or None."""
        return None

    def cancel_running(self) -> None:
        """Stop the work :meth:`running_work` named (the window is closing)."""
