"""Figure 1: start-up to a ready main window, a whole process each time, against a bare PySide6
QApplication showing an empty QMainWindow."""

from __future__ import annotations

import compileall
import statistics
from pathlib import Path

from benchmarks.common import ROOT, Figure, run_python

BARE = (
    "from PySide6.QtWidgets import QApplication, QMainWindow\n"
    "app = QApplication([])\n"
    "window = QMainWindow()\n"
    "window.show()\n"
    "app.processEvents()\n"
)
RUNS = 5


def compile_sources() -> None:
    """An installed or frozen app starts from bytecode; a checkout with PYTHONDONTWRITEBYTECODE
    set would compile every module on every start and measure the compiler instead."""
    compileall.compile_dir(ROOT / "src", quiet=1)


def measure(path: Path, label: str, target: float) -> Figure:
    compile_sources()
    bare = statistics.median(run_python(["-c", BARE]) for _ in range(RUNS))
    ours = statistics.median(
        run_python(
            ["-m", "commandcenter", "--db", f"sqlite:///{path}", "selftest", "--startup-only"]
        )
        for _ in range(RUNS)
    )
    return Figure("1", f"start-up, {label}", ours, bare, target)
