"""One piece of work on a plain thread, its outcome delivered on the GUI thread.

For the start-up's database open and the sign-in's password check, which run before any
`Runner` (and its database) exists. The outcome carries an error rather than raising it in the
thread, so nothing is lost there: the GUI thread decides what the operator is told.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QObject, Signal, Slot


@dataclass
class Outcome[T]:
    value: T | None = None
    error: Exception | None = None


class OffThread[T](QObject):
    """A started piece of work. `outcome` is set in the thread before `done` is queued."""

    _finished = Signal(object)

    def __init__(
        self, work: Callable[[], T], on_done: Callable[[Outcome[T]], None], name: str
    ) -> None:
        super().__init__()  # made on the GUI thread: the signal is delivered there
        self.outcome: Outcome[T] | None = None
        self._work = work
        self._on_done = on_done
        self._finished.connect(self._deliver)
        _running.add(self)  # kept alive until delivered
        # Not a daemon: an open that upgrades or checks the file is never cut off by the
        # process ending under it.
        self._thread = threading.Thread(target=self._run, name=name)
        self._thread.start()

    def _run(self) -> None:
        try:
            outcome: Outcome[T] = Outcome(value=self._work())
        except Exception as exc:  # handed to the GUI thread, which reports it
            outcome = Outcome(error=exc)
        self.outcome = outcome
        self._finished.emit(outcome)

    @Slot(object)
    def _deliver(self, outcome: Outcome[T]) -> None:
        _running.discard(self)
        self._on_done(outcome)

    def join(self) -> Outcome[T]:
        """Wait for the work (blocking): for the moment the application ends."""
        self._thread.join()
        assert self.outcome is not None
        return self.outcome


_running: set[OffThread[object]] = set()


def call_off_thread[T](
    work: Callable[[], T], on_done: Callable[[Outcome[T]], None], name: str
) -> OffThread[T]:
    return OffThread(work, on_done, name)
