"""The operator, played by timers: run the real app (`commandcenter --db … --home …`) in this
process and drive it from inside `app.exec()`, noting `time.perf_counter()` at each moment.

Started by figure 7 (`benchmarks/gui_latency.py`) as `python -m benchmarks.gui_driver OUT.json
--db URL --home DIR [--year-end DIR]`. Nothing of commandcenter is imported before the app's own
`cli.main` runs, so the start-up is the app's; the driver only wraps `QDialog.exec` to notice the
sign-in window (and waits for its `ready` signal: the database opened behind it). Every wait is
a signal or a timer inside the event loop, never a polling loop that sleeps the GUI thread (that
starves the workers and measures the wait instead):

- work: the runner's jobs are counted; an action is done when none is left running;
- a list: its model's `modelReset` (the counts beside the filters come later, in the worker);
- paint: a zero timer posted once the work is done runs after the paint events already queued.

perf_counter is CLOCK_MONOTONIC on Linux, so the parent's start stamp and ours compare.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QDialogButtonBox, QMessageBox

PASSWORD = "demo-1234"  # demo.DEMO_PASSWORD; not imported, to leave the start-up untouched
USER = "leader"
YEAR = 2026
PREVIEW_REPEATS = 3
# A queue action's list comes first; the detail pane follows it, read in a worker.
FOLLOWED = "queue: list and detail pane followed"
STEP_LIMIT_MS = int(os.environ.get("COMMANDCENTER_BENCH_STEP_LIMIT_MS", 600_000))

Step = Callable[[Callable[[], None]], None]  # starts an action; calls its argument when done


class Driver(QObject):
    def __init__(self, out: Path, year_end: Path | None) -> None:
        super().__init__()
        self.out = out
        self.year_end = year_end
        self.stamps: dict[str, Any] = {"process": time.perf_counter()}
        self.figures: dict[str, list[float]] = {}
        self.stalls: dict[str, float] = {}
        self.window: Any = None
        self.steps: list[tuple[str, Step]] = []
        self.heartbeat = QTimer(self)
        self.heartbeat.setInterval(10)
        self.heartbeat.timeout.connect(self._beat)
        self.last_beat = 0.0
        self.longest_gap = 0.0
        self.failure: str | None = None
        self.current = ""
        # A step that never ends (a signal that did not come) fails the run instead of hanging.
        self.watchdog = QTimer(self, singleShot=True, interval=STEP_LIMIT_MS)
        self.watchdog.timeout.connect(self._stuck)

    # --- the heartbeat: the longest the event loop went unserved during each step -------------

    def _beat(self) -> None:
        now = time.perf_counter()
        if self.last_beat:
            self.longest_gap = max(self.longest_gap, now - self.last_beat)
        self.last_beat = now

    # --- sign-in ---------------------------------------------------------------------------------

    def sign_in_shown(self, dialog: QDialog) -> None:
        """Called from the wrapped exec once the sign-in dialog's loop runs: a zero timer
        posted now fires after its first paint.

        The form comes up before the database is open; the operator's typing is the time the
        open and the window's imports take behind it. The driver types at once and presses
        登录 when the form says it is ready (`ready`), so the sign-in figure is the click to
        the window, and `sign_in_ready` notes how long typing had to take to hide the rest."""

        def painted() -> None:
            self.stamps["sign_in_painted"] = time.perf_counter()
            dialog.ui.usernameEdit.setText(USER)  # type: ignore[attr-defined]
            dialog.ui.passwordEdit.setText(PASSWORD)  # type: ignore[attr-defined]
            if dialog.is_ready():  # type: ignore[attr-defined]
                click()
            else:
                dialog.ready.connect(click)  # type: ignore[attr-defined]

        def click() -> None:
            self.stamps["sign_in_ready"] = time.perf_counter()
            self.stamps["sign_in_clicked"] = time.perf_counter()
            QTimer.singleShot(1, self._look_for_window)
            dialog.ui.buttons.button(QDialogButtonBox.StandardButton.Ok).click()  # type: ignore[attr-defined]

        QTimer.singleShot(0, painted)

    def _look_for_window(self) -> None:
        from commandcenter.ui.main_window import MainWindow  # loaded by now

        window = next(
            (w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow)), None
        )
        if window is None or not window.isVisible():
            QTimer.singleShot(1, self._look_for_window)  # the window is being built
            return
        self.window = window
        window.resize(1366, 768)
        window.activateWindow()  # shortcuts go to the active window

        def ready() -> None:
            self.stamps["main_ready"] = time.perf_counter()
            self._plan()
            self.heartbeat.start()
            QTimer.singleShot(0, self._next)

        self.when_idle(ready)

    # --- waiting ---------------------------------------------------------------------------------

    def when_idle(self, then: Callable[[], None]) -> None:
        """*then* once the runner has no work left (checked after the events queued now), and
        the paint that work asked for has run."""
        runner = self.window.runner

        def check() -> None:
            if runner._jobs:
                runner.busy_changed.connect(waiting)
                return
            QTimer.singleShot(0, then)

        def waiting(busy: bool) -> None:
            if not busy:
                runner.busy_changed.disconnect(waiting)
                QTimer.singleShot(0, check)

        QTimer.singleShot(0, check)

    def when_listed(self, view: Any, then: Callable[[], None]) -> None:
        """*then* once the list's model has its new rows, and they are painted."""

        def reset() -> None:
            view.model.modelReset.disconnect(reset)
            QTimer.singleShot(0, then)

        view.model.modelReset.connect(reset)

    def when_dialog(self, kind: str, then: Callable[[Any], None]) -> None:
        """*then* with the dialog of class *kind* once it is up and painted (shown by a worker's
        on_done, so the work is over by then). Named, not imported: its module is the first
        preview's to load."""

        def look() -> None:
            found = [w for w in QApplication.topLevelWidgets() if type(w).__name__ == kind]
            shown = [w for w in found if w.isVisible()]
            if not shown:  # not asked yet, or shown a moment after the work (a queued signal)
                QTimer.singleShot(5, lambda: self.when_idle(look))
                return
            QTimer.singleShot(0, lambda: then(shown[0]))

        self.when_idle(look)

    # --- the scenario ------------------------------------------------------------------------------

    def timed(
        self, name: str, start: Callable[[Callable[[], None]], None], followed: str | None = None
    ) -> Step:
        """A step timed from its start to *start*'s call of done; with *followed*, also timed
        on to the runner's idle under that name (the queue's pane, read after the list)."""

        def step(done: Callable[[], None]) -> None:
            self.longest_gap, self.last_beat = 0.0, time.perf_counter()
            began = time.perf_counter()

            def record(key: str) -> None:
                self._beat()  # the gap up to the end counts too
                self.figures.setdefault(key, []).append((time.perf_counter() - began) * 1000)
                self.stalls[key] = max(self.stalls.get(key, 0.0), self.longest_gap * 1000)

            def finished() -> None:
                record(name)
                if followed is None:
                    done()
                    return

                def idle() -> None:
                    record(followed)
                    done()

                self.when_idle(idle)

            start(finished)

        return step

    def _plan(self) -> None:
        from PySide6.QtTest import QTest

        from commandcenter.ui.pages import PAGES  # loaded with the main window

        window = self.window
        # A notice or warning would wait for a click: the run stops with what it said.
        QMessageBox.information = self._unexpected  # type: ignore[method-assign]
        QMessageBox.warning = self._unexpected  # type: ignore[method-assign]
        first = window.current_key()
        keys = [spec.key for spec in PAGES if spec.key != first]
        add = self.steps.append

        def switch(key: str) -> Step:
            return lambda done: (window.show_page(key), self.when_idle(done))

        for key in keys:  # first visits, then again, then back where it started
            add((f"page first:{key}", self.timed("page first", switch(key))))
        for key in [*keys, first]:
            add((f"page again:{key}", self.timed("page again", switch(key))))

        def to_queue(done: Callable[[], None]) -> None:
            window.show_page("incidents")
            window.activateWindow()  # the sign-in dialog had it; shortcuts go to the active one
            window.page("incidents").view.table.setFocus()
            self.when_idle(done)

        add(("queue", to_queue))
        queue = lambda: window.page("incidents")  # noqa: E731

        def choose(label: str) -> Step:
            def start(done: Callable[[], None]) -> None:
                self.when_listed(queue().view, done)
                queue().view.choose_filter("status", label)

            return start

        def search(text: str) -> Step:
            def start(done: Callable[[], None]) -> None:
                view = queue().view
                self.when_listed(view, done)
                view.search.setText(text)
                view._apply_search()  # what the debounce calls 250 ms after the last key

            return start

        def sort(column: int, order: Qt.SortOrder) -> Step:
            def start(done: Callable[[], None]) -> None:
                view = queue().view
                self.when_listed(view, done)
                view.table.sortByColumn(column, order)

            return start

        for _ in range(3):
            add(("filter", self.timed("queue: filter 处置中", choose("处置中"), FOLLOWED)))
            add(("clear", choose("")))
        for _ in range(3):
            add(("search", self.timed("queue: search 占道", search("占道"), FOLLOWED)))
            add(("clear", search("")))
        for _ in range(3):
            add(
                (
                    "sort",
                    self.timed(
                        "queue: sort by deadline", sort(7, Qt.SortOrder.AscendingOrder), FOLLOWED
                    ),
                )
            )
            add(("unsort", sort(0, Qt.SortOrder.DescendingOrder)))

        def open_row(row: int) -> Step:
            def start(done: Callable[[], None]) -> None:
                page = queue()
                page.show_incident(page.view.model.row_id(row))
                self.when_idle(done)

            return start

        add(("in progress", lambda done: choose("处置中")(lambda: self.when_idle(done))))
        for row in (3, 2, 1):
            add(("open", self.timed("queue: open an incident", open_row(row))))

        def preview(trigger: Callable[[], None]) -> Step:
            def start(done: Callable[[], None]) -> None:
                def shown(dialog: Any) -> None:
                    dialog.close()
                    dialog.deleteLater()
                    # A desktop's window manager hands the focus back; offscreen has none.
                    window.activateWindow()
                    if window.current_key() == "incidents":
                        window.page("incidents").view.table.setFocus()
                    done()

                self.when_dialog("PdfPreviewDialog", shown)
                trigger()

            return start

        def ctrl_p() -> None:
            QTest.keyClick(window, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)

        add(("ctrl+p", self.timed("dispatch order: first preview", preview(ctrl_p))))
        for _ in range(PREVIEW_REPEATS):
            add(("ctrl+p", self.timed("dispatch order: later preview", preview(ctrl_p))))

        add(("reports", lambda done: (window.show_page("reports"), self.when_idle(done))))
        reports = lambda: window.page("reports")  # noqa: E731
        for _ in range(PREVIEW_REPEATS):
            add(
                (
                    "bulletin",
                    self.timed("月通报 preview", preview(lambda: reports().print_bulletin())),
                )
            )
            add(
                (
                    "quarter",
                    self.timed("季汇总 preview", preview(lambda: reports().print_quarterly())),
                )
            )

        add(("assessment", lambda done: (window.show_page("assessment"), self.when_idle(done))))

        def compute(done: Callable[[], None]) -> None:
            page = window.page("assessment")
            # Its closing notice waits for a click; here the work's end is the measure.
            QMessageBox.information = lambda *a, **k: QMessageBox.StandardButton.Ok  # type: ignore[method-assign]
            page.compute_button.click()

            def finished() -> None:
                QMessageBox.information = self._unexpected  # type: ignore[method-assign]
                done()

            self.when_idle(finished)

        add(("compute", self.timed("计算考核数据 (agencies)", compute)))
        if self.year_end is not None:
            add(("year-end", self.timed("year-end export", self._export)))

    def _export(self, done: Callable[[], None]) -> None:
        page = self.window.page("assessment")

        def notice(*args: Any, **kwargs: Any) -> QMessageBox.StandardButton:
            QTimer.singleShot(0, done)
            return QMessageBox.StandardButton.Ok

        def failed(*args: Any, **kwargs: Any) -> QMessageBox.StandardButton:
            self.failure = f"year-end export failed: {args[-1]}"
            QTimer.singleShot(0, done)
            return QMessageBox.StandardButton.Ok

        QMessageBox.information = notice  # type: ignore[method-assign]
        QMessageBox.warning = failed  # type: ignore[method-assign]
        page.export_to(YEAR, self.year_end)

    def _next(self) -> None:
        if self.failure is not None or not self.steps:
            self._finish()
            return
        name, step = self.steps.pop(0)
        print(f"{time.perf_counter():.3f} {name}", file=sys.stderr, flush=True)
        self.watchdog.start()
        self.current = name
        step(lambda: (self.watchdog.stop(), QTimer.singleShot(0, self._next)))

    def _unexpected(self, *args: Any, **kwargs: Any) -> QMessageBox.StandardButton:
        self.failure = f"step {self.current!r}: a message came up: {args[-1]}"
        QTimer.singleShot(0, self._finish)
        return QMessageBox.StandardButton.Ok

    def _stuck(self) -> None:
        # Which work never ended, by name: what to look at.
        running = (
            sorted(
                getattr(job.call, "__qualname__", "?")
                for job in getattr(self.window.runner, "_jobs", ())
            )
            if self.window is not None
            else []
        )
        self.failure = (
            f"step {self.current!r} did not finish within {STEP_LIMIT_MS // 1000} s"
            f"; work still counted as running: {running}"
        )
        self._finish()

    def _finish(self) -> None:
        if self.out.exists():
            return  # a failure already ended the run
        self.heartbeat.stop()
        self.watchdog.stop()
        self.out.write_text(
            json.dumps(
                {
                    "stamps": self.stamps,
                    "figures": self.figures,
                    "stalls": self.stalls,
                    "failure": self.failure,
                },
                ensure_ascii=False,
            ),
            encoding="utf-8",
        )
        shot = os.environ.get("COMMANDCENTER_BENCH_SHOT")
        if shot:  # the window as the scenario left it, to look at
            self.window.grab().save(shot)
        self.window.close()
        QApplication.quit()


def _wrap_exec(driver: Driver) -> None:
    original = QDialog.exec

    def exec_(dialog: QDialog) -> int:
        if type(dialog).__name__ == "SignInDialog" and "sign_in_painted" not in driver.stamps:
            driver.sign_in_shown(dialog)
        return int(original(dialog))

    QDialog.exec = exec_  # type: ignore[method-assign]


def main(argv: list[str]) -> int:
    out = Path(argv[0])
    rest = argv[1:]
    year_end: Path | None = None
    if "--year-end" in rest:
        at = rest.index("--year-end")
        year_end = Path(rest[at + 1])
        del rest[at : at + 2]
    driver = Driver(out, year_end)
    _wrap_exec(driver)
    from commandcenter.cli import main as app_main  # the app's own start, timed from here on

    code = app_main(rest)
    if not out.exists():
        raise SystemExit(f"the app ended (code {code}) before the scenario finished")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
