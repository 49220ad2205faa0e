"""The one way widgets reach the services.

A widget never holds a session. It hands :class:`Runner` a function of a session and the
acting user that calls the services; the function runs in its own unit of work (in a worker
thread when it may be slow), and the result or a Chinese error message comes back on the GUI
thread. After a write, views that show what it changed, as the database layer reports it
(:mod:`commandcenter.db.changes`), are told to refresh.
"""

from __future__ import annotations

import logging
import time
import traceback
import weakref
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import ClassVar

import shiboken6
from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot
from PySide6.QtWidgets import QMessageBox, QWidget
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from commandcenter.db import changes
from commandcenter.db.changes import Changes
from commandcenter.db.engine import Database
from commandcenter.errors import AccountWithdrawn, DatabaseFailure, UserError
from commandcenter.services import auth
from commandcenter.services.actor import Actor

log = logging.getLogger(__name__)

# The unit of work a piece of work runs in, for it to hand to the services. The windows name it
# from here: only the runner touches SQLAlchemy.
UnitOfWork = Session
# What the windows hand the runner: a function of a unit of work and the acting user, which
# calls the services and returns what the view needs.
type Work[T] = Callable[[UnitOfWork, Actor], T]


# A read on the GUI thread longer than this is logged by name (never its data): the window did
# not answer meanwhile, and the log says which view to move to a worker.
SLOW_READ_S = 0.05


def _work_name(work: object) -> str:
    if isinstance(work, partial):
        work = work.func
    return str(getattr(work, "__qualname__", type(work).__name__))


def user_message(exc: BaseException) -> str:
    """What an operator is told about *exc*: our own message (a locked, full or failing database
    is one, classified where it happened), or, for a bug, what to tell the administrator."""
    if isinstance(exc, DatabaseFailure):  # a failed save leaves its dialog open, filled in
        return f"{exc.message}刚才填写的内容仍保留在窗口中。"
    if isinstance(exc, UserError):
        return exc.message
    if isinstance(exc, SQLAlchemyError):  # its text quotes the statement and its parameters
        return f"程序内部错误：{type(exc).__name__}。请将此信息告知系统管理员。"
    return f"程序内部错误：{type(exc).__name__}: {exc}。请将此信息告知系统管理员。"


class _Signals(QObject):
    done = Signal(object, object)  # the result, and the areas the work changed
    failed = Signal(object)


class _Job(QRunnable):
    def __init__(self, call: Callable[[], object]) -> None:
        super().__init__()
        self.call = call
        self.signals = _Signals()

    @Slot()
    def run(self) -> None:
        try:
            with changes.collecting() as changed:
                result = self.call()
        except BaseException as exc:  # reported on the GUI thread
            if not isinstance(exc, UserError):
                log.error("operation failed\n%s", traceback.format_exc())
            self.signals.failed.emit(exc)
        else:
            self.signals.done.emit(result, frozenset(changed))


class Runner(QObject):
    """The database and the signed-in user, as the windows see them."""

    changed = Signal(frozenset)  # the Areas a committed write changed
    busy_changed = Signal(bool)
    # The signed-in account was disabled or changed role: the window signs out (with why).
    account_withdrawn = Signal(str)
    _live: ClassVar[weakref.WeakSet[Runner]] = weakref.WeakSet()

    def __init__(
        self,
        db: Database,
        actor: Actor,
        documents_dir: Path,
        parent: QObject | None = None,
        *,
        attachments_dir: Path | None = None,
        backups_dir: Path | None = None,
    ) -> None:
        super().__init__(parent)
        self.db = db
        self.actor = actor
        self.documents_dir = documents_dir  # where generated papers are written
        # Where incident attachments are kept, each under its checksum.
        self.attachments_dir = attachments_dir or documents_dir.parent / "attachments"
        self.backups_dir = backups_dir or documents_dir.parent / "backups"  # before imports
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(2)
        # Work nobody waits for (a scheduled backup, the counts beside a list's filters) runs
        # beside the operator's, never ahead of it: a 12-second backup of a large file in the
        # first pool would leave one thread for everything the operator asks meanwhile.
        self.background = QThreadPool(self)
        self.background.setMaxThreadCount(2)
        self._jobs: set[_Job] = set()
        self._quiet: set[_Job] = set()  # work that does not show as busy, kept alive the same
        Runner._live.add(self)

    @classmethod
    def finish_all(cls, msecs: int = 30_000) -> None:
        """Let every running job end, so a change in flight is committed (or rolled back) and
        its connection returned before the database is closed."""
        for runner in list(cls._live):
            runner.pool.waitForDone(msecs)
            runner.background.waitForDone(msecs)

    # --- synchronous, for short indexed reads that a view needs to paint ---------------------

    def read_now[T](self, work: Work[T]) -> T:
        # Not checked against the account (a short read a view paints from); every unit of work
        # in a worker is, and the window's status bar reads in one each minute.
        start = time.perf_counter()
        with self.db.read() as session:
            result = work(session, self.actor)
        waited = time.perf_counter() - start
        if waited > SLOW_READ_S:  # the window froze that long: a read to move to a worker
            log.info("GUI thread waited %.0f ms for %s", waited * 1000, _work_name(work))
        return result

    # --- asynchronous --------------------------------------------------------------------------

    def run[T](
        self,
        work: Work[T],
        on_done: Callable[[T], object] | None = None,
        *,
        write: bool = False,
        parent: QWidget | None = None,
        on_error: Callable[[BaseException], None] | None = None,
        busy: QWidget | None = None,
        quiet: bool = False,
        background: bool = False,
    ) -> None:
        """Run *work* in one unit of work in a worker; call *on_done* with its result on the
        GUI thread. After a write, views of what it changed are told (:attr:`changed`).
        *busy* (the button that started it) is disabled until the work ends. *quiet* work (a
        look for other desks' changes every few seconds) never shows the busy cursor;
        *background* work is quiet too and runs in threads of its own, so it never delays what
        the operator waits for."""

        def call() -> T:
            scope = self.db.write() if write else self.db.read()
            with scope as session:
                auth.still_entitled(session, self.actor)
                return work(session, self.actor)

        self._start(
            call, on_done, parent, on_error, busy, quiet=quiet or background, background=background
        )

    def run_transactions[T](
        self,
        work: Callable[[Database, Actor], T],
        on_done: Callable[[T], object] | None = None,
        *,
        parent: QWidget | None = None,
        on_error: Callable[[BaseException], None] | None = None,
        busy: QWidget | None = None,
    ) -> None:
        """Like :meth:`run`, for the few flows that open their own units of work (an import
        that rolls back on its own terms, an export in a process of its own)."""

        def call() -> T:
            with self.db.read() as session:
                auth.still_entitled(session, self.actor)
            return work(self.db, self.actor)

        self._start(call, on_done, parent, on_error, busy)

    def _start[T](
        self,
        call: Callable[[], T],
        on_done: Callable[[T], object] | None,
        parent: QWidget | None,
        on_error: Callable[[BaseException], None] | None,
        busy: QWidget | None = None,
        *,
        quiet: bool = False,
        background: bool = False,
    ) -> None:
        job = _Job(call)
        (self._quiet if quiet else self._jobs).add(job)
        if busy is not None:
            busy.setEnabled(False)

        def ended() -> None:
            self._jobs.discard(job)
            self._quiet.discard(job)
            if busy is not None and shiboken6.isValid(busy):
                busy.setEnabled(True)
            if not quiet:
                self.busy_changed.emit(bool(self._jobs))

        def gone() -> bool:
            # The view that asked was closed while the work ran: nobody is left to tell.
            return parent is not None and not shiboken6.isValid(parent)

        def finished(result: T, changed: Changes) -> None:
            ended()
            if changed:
                self.changed.emit(changed)
            if on_done is not None and not gone():
                on_done(result)

        def failed(exc: BaseException) -> None:
            ended()
            if isinstance(exc, AccountWithdrawn):
                self.account_withdrawn.emit(exc.message)  # the window signs out; nothing else
                return
            if gone():
                return
            if on_error is not None:
                on_error(exc)
            else:
                QMessageBox.warning(parent, "操作未完成", user_message(exc))

        job.signals.done.connect(finished)
        job.signals.failed.connect(failed)
        if not quiet:
            self.busy_changed.emit(True)
        (self.background if background else self.pool).start(job)

    def wait(self, msecs: int = 10_000) -> bool:
        return self.pool.waitForDone(msecs) and self.background.waitForDone(msecs)
