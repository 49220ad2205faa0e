"""The window's start: the sign-in form straight after PySide6, everything else behind it.

Only Qt, the application's look and the sign-in form are imported before the form is painted.
The database is opened, and the main window's modules imported, on threads while the operator
types (`ui/opening.py`); what needs the operator before any form (a missing database, the demo)
and what follows a failed open go through `ui/launch.py` on this thread, as they always did.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QDialog

from commandcenter.diagnostics import install_crash_hooks
from commandcenter.errors import UserError
from commandcenter.paths import AppPaths, sqlite_file, sqlite_url
from commandcenter.ui.app import create_application
from commandcenter.ui.crash_notice import CrashNotifier
from commandcenter.ui.dialogs.sign_in import SignInDialog
from commandcenter.ui.opening import DatabaseOpening
from commandcenter.ui.single_instance import SingleInstance

if TYPE_CHECKING:
    from commandcenter.db.engine import Database


def run_gui(paths: AppPaths, db_url: str | None, demo: bool, *, read_only: bool = False) -> int:
    app = create_application()
    install_crash_hooks(paths.logs, CrashNotifier(app).notice)
    instance = SingleInstance(_identity(paths, db_url, demo))
    if instance.hand_over():
        return 0  # the window already open on this database comes forward instead
    instance.listen()
    if demo:
        from commandcenter.ui import launch

        return launch.run_demo(app, instance, paths)
    failure: UserError | None = None
    db: Database | None = None
    if opens_without_asking(paths, db_url, read_only):
        opening = DatabaseOpening(
            lambda: open_configured(paths, db_url, read_only), opening_page(paths)
        )
        dialog = SignInDialog(opening=opening)
        result = dialog.exec()
        if result == QDialog.DialogCode.Accepted:
            assert opening.result is not None and dialog.actor is not None
            from commandcenter.ui import launch  # imported behind the form by now

            return launch.run_session(app, instance, paths, opening.result.db, dialog.actor)
        if result == SignInDialog.OPEN_FAILED:
            error = opening.error
            assert error is not None
            if not isinstance(error, UserError):
                raise error  # a bug: reported by the crash hooks, as it was on this thread
            failure = error  # told, and a restore offered, below
        elif result == SignInDialog.NOT_SET_UP:
            assert opening.result is not None
            db = opening.result.db
            opening.wait_loaded()
        else:
            opening.abandon()
            return 1
    from commandcenter.ui import launch

    return launch.run_opened(app, instance, paths, db_url, read_only, db=db, failure=failure)


def opens_without_asking(paths: AppPaths, db_url: str | None, read_only: bool) -> bool:
    """Whether the database is opened as it is configured, with no question first: only the
    data folder's own database, missing, is asked about (create, look for, restore)."""
    return db_url is not None or read_only or paths.database.exists()


def open_configured(paths: AppPaths, db_url: str | None, read_only: bool) -> Database:
    """The configured database opened (on the opening thread)."""
    from commandcenter.db.migrate import open_database

    url = db_url if db_url is not None else sqlite_url(paths.database)
    return open_database(url, backup_dir=paths.backups, read_only=read_only)


def opening_page(paths: AppPaths) -> str | None:
    """The page the window opens on (where it was left), whose module loads behind the form."""
    page = QSettings(str(paths.ui_settings), QSettings.Format.IniFormat).value("window/page")
    return page if isinstance(page, str) else None


def _identity(paths: AppPaths, db_url: str | None, demo: bool) -> str:
    """Which database this start is for: its file, or its server without the password."""
    if demo:
        return str(paths.demo_database.resolve())
    local = sqlite_file(paths, db_url)
    if local is not None:
        return str(local.resolve())
    assert db_url is not None
    return _without_password(db_url)


def _without_password(url: str) -> str:
    """postgresql://user:secret@host/db as postgresql://user:***@host/db (as SQLAlchemy shows
    it), without importing SQLAlchemy before the form."""
    return re.sub(r"^([\w+]+://[^:@/]*):[^@/]*@", r"\1:***@", url, count=1)
