"""From an open database to a signed-in main window, for real and demo databases alike.

`ui/start.py` shows the sign-in form first and imports this module behind it; what cannot wait
(a missing database's choices, a failed open's restore, the first-run setup) comes here."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QProgressDialog

from commandcenter.db import backup_folder
from commandcenter.db.changes import Area, Changes
from commandcenter.db.engine import Database
from commandcenter.db.migrate import known_revisions, open_database
from commandcenter.demo import DEMO_LEADER
from commandcenter.errors import DatabaseError, UserError
from commandcenter.paths import AppPaths, sqlite_file, sqlite_url
from commandcenter.services import settings as centre_settings
from commandcenter.services.actor import Actor
from commandcenter.services.auth import actor_for
from commandcenter.services.permissions import Action, require
from commandcenter.ui.app import settle_heap
from commandcenter.ui.backup_schedule import BackupSchedule
from commandcenter.ui.dialogs.first_run import FirstRunDialog
from commandcenter.ui.dialogs.sign_in import SignInDialog
from commandcenter.ui.idle_lock import IdleLock
from commandcenter.ui.main_window import MainWindow
from commandcenter.ui.recovery import CREATE, can_offer, offer_restore, resolve_missing
from commandcenter.ui.runner import Runner
from commandcenter.ui.single_instance import SingleInstance

log = logging.getLogger(__name__)

DEMO_INCIDENTS = 1500


@dataclass
class AppSession:
    app: QApplication
    db: Database
    runner: Runner
    window: MainWindow


def ui_settings(paths: AppPaths) -> QSettings:
    """Window geometry and column widths, kept in the data folder so --home isolates them."""
    paths.home.mkdir(parents=True, exist_ok=True)
    return QSettings(str(paths.ui_settings), QSettings.Format.IniFormat)


def open_demo_database(paths: AppPaths) -> Database:
    """The demo database, made on first use; real data is never touched."""
    path = paths.demo_database
    url = sqlite_url(path)
    if path.exists():
        db = open_database(url, backup_dir=paths.backups)
        if centre_settings.before_sign_in(db).is_demo:
            return db
        db.dispose()
        raise UserError(f"{path} 不是演示数据库，未作改动。")
    db = open_database(url, create=True, backup_dir=paths.backups)
    # Made once, before any window exists: say so instead of a silent wait.
    dialog = QProgressDialog("正在生成演示数据，首次使用需要几秒钟…", "", 0, 0)
    dialog.setWindowTitle("演示数据库")
    dialog.setCancelButton(None)
    dialog.setMinimumDuration(0)
    dialog.show()
    # The generator runs on this thread before any event loop: without these the dialog stays
    # blank (or never appears) until it is done.
    QApplication.processEvents()

    def progress(stage: str, done: int, total: int) -> None:
        dialog.setLabelText(f"正在生成演示数据：{stage}…")
        QApplication.processEvents()

    try:
        from commandcenter.demo import generator  # only when the demo is first made

        generator.generate(db, incidents=DEMO_INCIDENTS, progress=progress)
    finally:
        dialog.close()
    return db


def build_main_window(
    app: QApplication,
    db: Database,
    actor: Actor,
    paths: AppPaths,
    *,
    scheduled_backups: bool = True,
) -> AppSession:
    runner = Runner(
        db, actor, paths.documents, attachments_dir=paths.attachments, backups_dir=paths.backups
    )
    window = MainWindow(runner, ui_settings(paths))
    database = db.sqlite_path
    if (
        scheduled_backups
        and database is not None
        and database != paths.demo_database
        and not db.read_only
    ):
        window.backups = BackupSchedule(runner, database, paths.backups, window)
    minutes = runner.read_now(
        lambda session, actor: centre_settings.centre(session, actor).idle_lock_minutes
    )
    lock = IdleLock(window, db, actor, minutes)
    lock.switch_requested.connect(window.switch_user_requested)
    runner.changed.connect(lambda areas: _reload_idle_minutes(runner, lock, areas))
    window.idle_lock = lock
    settle_heap()
    # Fonts, pinyin dictionaries and the other pages' modules load beside the operator's first
    # minute, not in the first paper's, the first name's or a page's first visit's wait.
    threading.Thread(target=_warm_up, name="warm-up", daemon=True).start()
    return AppSession(app, db, runner, window)


def _warm_up() -> None:
    from commandcenter.documents import warmup  # imported here: reportlab is not a start-up cost

    warmup.warm_up()
    from commandcenter.ui.pages import preload_pages

    preload_pages()
    settle_heap()  # what these modules made (fonts' tables, dictionaries) stays for the session


def _reload_idle_minutes(runner: Runner, lock: IdleLock, areas: Changes) -> None:
    if Area.SETTINGS in areas:
        lock.minutes = runner.read_now(
            lambda session, actor: centre_settings.centre(session, actor).idle_lock_minutes
        )


def _end_session(app_session: AppSession) -> None:
    """Nothing of the session stays on screen: its dialogs are ended (their loops too) and its
    window is hidden, to be closed once the next one exists."""
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, QDialog) and widget.isVisible():
            widget.done(QDialog.DialogCode.Rejected)
    app_session.window.hide()


def _sign_in_anew(app: QApplication, db: Database, paths: AppPaths) -> AppSession | None:
    sign_in = SignInDialog(db)
    if sign_in.exec() != QDialog.DialogCode.Accepted or sign_in.actor is None:
        return None
    return build_main_window(app, db, sign_in.actor, paths)


def switch_user(app_session: AppSession, paths: AppPaths) -> AppSession | None:
    """Close everything of the current user's session, then let another sign in. Returns the
    new session, or None when nobody signs in (the application then ends)."""
    _end_session(app_session)
    following = _sign_in_anew(app_session.app, app_session.db, paths)
    app_session.window.close()
    app_session.window.deleteLater()
    return following


def restore_from_backup(
    app_session: AppSession, paths: AppPaths, source: Path
) -> AppSession | None:
    """Put the backup *source* in place of the open SQLite database: the session is closed and
    the database released first, the database as it was is kept (before-restore), and the
    restored one is signed in to anew. A backup that is refused leaves everything as it was and
    the same user carries on."""
    require(app_session.runner.actor, Action.BACKUP_RESTORE)
    path = app_session.db.sqlite_path
    assert path is not None
    _end_session(app_session)
    app_session.window.close()  # saves the layout, stops its timers, lets its workers finish
    app_session.window.deleteLater()
    Runner.finish_all()
    app_session.db.dispose()
    try:
        kept = backup_folder.restore(path, source, paths.backups, known_revisions())
    except DatabaseError as exc:
        QMessageBox.critical(None, "从备份恢复", exc.message)
        same = open_database(sqlite_url(path), backup_dir=paths.backups)
        return build_main_window(app_session.app, same, app_session.runner.actor, paths)
    where = f"\n恢复前的数据库保存在：{kept}" if kept else ""
    QMessageBox.information(
        None,
        "从备份恢复",
        f"已从备份恢复：{source.name}{where}\n\n请用恢复后的数据库中的账号登录。",
    )
    restored = open_database(sqlite_url(path), backup_dir=paths.backups)  # upgrades an older one
    following = _sign_in_anew(app_session.app, restored, paths)
    if following is None:
        restored.dispose()
    return following


def run_demo(app: QApplication, instance: SingleInstance, paths: AppPaths) -> int:
    """The demo: no sign-in, its leader's window."""
    try:
        db = open_demo_database(paths)
    except UserError as exc:
        QMessageBox.critical(None, "无法打开数据库", exc.message)
        return 2
    with db.read() as session:
        actor = actor_for(session, DEMO_LEADER)
    return run_session(app, instance, paths, db, actor)


def run_opened(
    app: QApplication,
    instance: SingleInstance,
    paths: AppPaths,
    db_url: str | None,
    read_only: bool,
    *,
    db: Database | None = None,
    failure: UserError | None = None,
) -> int:
    """The start on this thread, from the open: a missing database's choices, a failed open's
    restore (*failure*: the open behind the sign-in form failed so), then the first-run setup
    or the sign-in. *db*: already open, not yet set up."""
    if db is None:
        try:
            if failure is not None:
                raise failure
            opened = _open_or_first_run(paths, db_url, read_only)
        except UserError as exc:
            target = sqlite_file(paths, db_url)
            if (
                target is None
                or not can_offer(exc)
                or not offer_restore(paths, target, exc.message)
            ):
                QMessageBox.critical(None, "无法打开数据库", exc.message)
                return 2
            try:
                opened = _open_or_first_run(paths, db_url, read_only)
            except UserError as again:
                QMessageBox.critical(None, "无法打开数据库", again.message)
                return 2
        if opened is None:
            return 1  # nothing chosen for a missing database: nothing was created either
        db = opened

    with db.read() as session:
        initialised = centre_settings.is_initialised(session)
    actor: Actor | None
    if not initialised:
        first = FirstRunDialog(db)
        if first.exec() != QDialog.DialogCode.Accepted:
            return 1
        actor = first.actor
    else:
        sign_in = SignInDialog(db)
        if sign_in.exec() != QDialog.DialogCode.Accepted:
            return 1
        actor = sign_in.actor
    assert actor is not None
    return run_session(app, instance, paths, db, actor)


def run_session(
    app: QApplication, instance: SingleInstance, paths: AppPaths, db: Database, actor: Actor
) -> int:
    """The signed-in window until the application ends, through switches of user and
    restores."""
    current = build_main_window(app, db, actor, paths)

    def start(app_session: AppSession) -> None:
        nonlocal current
        current = app_session
        app_session.window.switch_user_requested.connect(
            lambda: QTimer.singleShot(0, lambda: replace(switch_user))
        )
        app_session.window.restore_requested.connect(
            lambda source: QTimer.singleShot(
                0,
                lambda: replace(
                    lambda app_session, paths: restore_from_backup(app_session, paths, source)
                ),
            )
        )
        app_session.window.show()

    def replace(step: Callable[[AppSession, AppPaths], AppSession | None]) -> None:
        # Deferred: the request comes from inside the session's own dialogs, which close first.
        app.setQuitOnLastWindowClosed(False)
        following = step(current, paths)
        app.setQuitOnLastWindowClosed(True)
        if following is None:
            app.quit()
        else:
            start(following)

    start(current)
    instance.activated.connect(lambda: _bring_forward(current.window))
    code = app.exec()
    Runner.finish_all()
    current.db.dispose()
    return code


def _bring_forward(window: MainWindow) -> None:
    if window.isMinimized():
        window.showNormal()
    window.show()
    window.raise_()
    window.activateWindow()


def _open_or_first_run(paths: AppPaths, db_url: str | None, read_only: bool) -> Database | None:
    """Open the configured database. Only the default per-user database is created here, and
    only after the user agrees; a configured path that is missing is reported, never created.
    None when the user chose none of the ways out for a missing database."""
    if db_url is not None:
        return open_database(db_url, backup_dir=paths.backups, read_only=read_only)
    path: Path = paths.database
    if path.exists() or read_only:
        return open_database(sqlite_url(path), backup_dir=paths.backups, read_only=read_only)
    # A database that was found elsewhere once and is gone again is never replaced by a new one.
    first_start = not paths.database_pointer.exists()
    problem = (
        f"尚未找到本机的数据库。可以在以下位置新建数据库并进行首次设置：\n{path}\n\n"
        "如果数据库在别处（例如从旧电脑拷来），请选择“查找数据库文件”。"
        if first_start
        else f"数据库未找到：{path}\n请检查 U 盘或网络盘是否已连接，或查找、恢复数据库。"
    )
    choice = resolve_missing(paths, problem, first_start=first_start)
    if choice is None:
        return None
    if choice == CREATE:
        return open_database(sqlite_url(path), create=True, backup_dir=paths.backups)
    return open_database(sqlite_url(paths.database), backup_dir=paths.backups)
