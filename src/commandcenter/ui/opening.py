"""The database opened, and the main window's modules imported, behind the sign-in form.

The form is shown straight after PySide6; SQLAlchemy, the models, the services and the window's
pages (about a second of imports) and the open itself (a check of a file left unclosed, an
upgrade after its backup) happen on threads while the operator types. Two stages, each a
signal on the GUI thread: `opened` (the database can check a password, or the open failed:
`error`) and `loaded` (the window can be built without importing anything more).

The imports run on their own thread only while the GUI thread imports nothing of the kind: the
sign-in waits for `loaded` before the window is built, so no module is ever imported by two
threads at once.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QEventLoop, QObject, Signal

from commandcenter.ui.off_thread import OffThread, Outcome, call_off_thread

if TYPE_CHECKING:
    from commandcenter.db.engine import Database


@dataclass(frozen=True)
class Opened:
    db: Database
    initialised: bool  # False: the first-run setup comes instead of the sign-in
    centre_name: str
    description: str  # what the status bar calls the database


def open_and_read(open_db: Callable[[], Database]) -> Opened:
    """Open the database and read what the sign-in form shows (in the opening thread)."""
    db = open_db()
    try:
        from commandcenter.services import (
            auth,  # noqa: F401 - the password check's module, loaded here rather than on the click
            settings,
        )

        with db.read() as session:
            initialised = settings.is_initialised(session)
        name = settings.before_sign_in(db).centre_name if initialised else ""
        return Opened(db, initialised, name, db.describe())
    except BaseException:
        db.dispose()
        raise


def load_window_modules(page_key: str | None) -> None:
    """Import what building the main window needs: the launcher, the window and the page it
    opens on (imports only: no Qt object is made off the GUI thread)."""
    importlib.import_module("commandcenter.ui.launch")
    from commandcenter.ui.pages import PAGES

    spec = next((spec for spec in PAGES if spec.key == page_key), PAGES[0])
    spec.page_class()


class DatabaseOpening(QObject):
    opened = Signal()
    loaded = Signal()

    def __init__(self, open_db: Callable[[], Database], page_key: str | None = None) -> None:
        super().__init__()
        self._open_db = open_db
        self._page_key = page_key
        self.result: Opened | None = None
        self.error: Exception | None = None
        self.is_opened = False
        self.is_loaded = False
        self._opening: OffThread[Opened] | None = None

    def start(self) -> None:
        if self._opening is None:
            self._opening = call_off_thread(
                lambda: open_and_read(self._open_db), self._on_opened, "open-database"
            )

    def _on_opened(self, outcome: Outcome[Opened]) -> None:
        self.result, self.error = outcome.value, outcome.error
        self.is_opened = True
        self.opened.emit()
        if outcome.error is None:
            call_off_thread(
                lambda: load_window_modules(self._page_key), self._on_loaded, "load-window"
            )

    def _on_loaded(self, outcome: Outcome[None]) -> None:
        # A module that fails to import fails again, with its traceback, when the GUI thread
        # imports it to build the window: the crash report is written there.
        if outcome.error is None:
            warm_sidebar()
        self.is_loaded = True
        self.loaded.emit()

    def wait_loaded(self) -> None:
        """Until the window's modules are imported, serving the event loop meanwhile."""
        if self.is_loaded or not self.is_opened or self.error is not None:
            return
        loop = QEventLoop()
        self.loaded.connect(loop.quit)
        if not self.is_loaded:
            loop.exec()

    def abandon(self) -> None:
        """Nobody signs in: let an open under way finish (never cut off mid-upgrade), then
        close what it opened."""
        if self._opening is None:
            return
        outcome = self._opening.join()
        if outcome.value is not None:
            outcome.value.db.dispose()


def warm_sidebar() -> None:
    """The sidebar's icons, made on the GUI thread while the operator types: the first loads
    qtawesome's font (tens of milliseconds), which the sign-in click then does not wait for."""
    from commandcenter.ui.icons import nav_icon
    from commandcenter.ui.pages import PAGES

    for spec in PAGES:
        nav_icon(spec.icon)
