"""Figure 5: resident memory with the full database open and the incident queue on screen, in a
process of its own; a bare QMainWindow's for comparison. The target is absolute: 300 MB."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from benchmarks.common import Figure

OURS = """
import sys
from pathlib import Path
from PySide6.QtWidgets import QApplication
from commandcenter.db.migrate import open_database
from commandcenter.paths import AppPaths
from commandcenter.services.auth import actor_for
from commandcenter.ui.app import create_application
from commandcenter.ui.launch import build_main_window
from commandcenter.ui.runner import Runner

app = create_application()
db = open_database(f"sqlite:///{sys.argv[1]}")
with db.read() as s:
    leader = actor_for(s, "leader")
ui = build_main_window(app, db, leader, AppPaths(Path(sys.argv[2])))
ui.window.show()
ui.window.show_page("incidents")
for _ in range(5):  # the pages load their rows in workers: let them finish and be shown
    Runner.finish_all()
    app.processEvents()
print(next(l for l in open("/proc/self/status") if l.startswith("VmRSS")).split()[1])
"""

BARE = """
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication([])
w = QMainWindow(); w.show(); app.processEvents()
print(next(l for l in open("/proc/self/status") if l.startswith("VmRSS")).split()[1])
"""


def _rss_mb(code: str, *args: str) -> float:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    done = subprocess.run(
        [sys.executable, "-c", code, *args], env=env, check=True, capture_output=True, text=True
    )
    return int(done.stdout.strip().splitlines()[-1]) / 1024


def measure(path: Path, home: Path) -> Figure:
    ours = _rss_mb(OURS, str(path), str(home))
    bare = _rss_mb(BARE)
    # The ratio is shown for context; the target is the absolute ceiling.
    return Figure("5", "memory: full database, queue shown", ours, bare, float("inf"), 300, "MB")
