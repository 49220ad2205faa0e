"""Figure 7: what the operator waits for, through the real event loop (`gui_driver.py`).

Each run starts the app's own process on a copy of the database, signs in as the leader and
walks the pages, the queue, the previews, 计算考核数据 and (optionally) the year-end export.
Limits measured in the same run: a bare PySide6 process painting a dialog (start-up); the raw
SQL of the queue's SELECTs, compiled for the engine, on a bare `sqlite3` or psycopg connection
(queue actions); bare reportlab files with the
same pages' text in the same font (previews, year-end). Figures are medians over the runs.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks import queue, year_end
from benchmarks.common import Figure, median_ms
from benchmarks.pg_copy import clone_database, drop_database

BARE = (
    "import json, sys, time\n"
    "from PySide6.QtCore import QTimer\n"
    "from PySide6.QtWidgets import QApplication, QDialog, QLineEdit, QVBoxLayout\n"
    "app = QApplication([])\n"
    "dialog = QDialog()\n"
    "box = QVBoxLayout(dialog)\n"
    "box.addWidget(QLineEdit()); box.addWidget(QLineEdit())\n"
    "dialog.show()\n"
    "def painted():\n"
    "    print(time.perf_counter()); app.quit()\n"
    "QTimer.singleShot(0, painted)\n"
    "app.exec()\n"
)


def _bare_start(runs: int) -> float:
    """A bare PySide6 process to its dialog painted, from the parent's stamp before it starts."""
    times = []
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    for _ in range(runs):
        start = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-c", BARE], env=env, check=True, capture_output=True, text=True
        )
        times.append((float(done.stdout.split()[-1]) - start) * 1000)
    return statistics.median(times)


def _drive(url: str, work: Path, year_end_run: bool) -> tuple[dict[str, object], Path]:
    home = work / "home"
    shutil.rmtree(home, ignore_errors=True)
    out = work / "driver.json"
    out.unlink(missing_ok=True)
    exported = work / "year-end"
    args = [str(out), "--db", url, "--home", str(home)]
    if year_end_run:  # the papers stay for the bare limit, made after the last run
        shutil.rmtree(exported, ignore_errors=True)
        args += ["--year-end", str(exported)]
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.gui_driver", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=3600,
    )
    if done.returncode != 0 or not out.exists():
        raise SystemExit(f"GUI run failed (code {done.returncode}):\n{done.stderr[-3000:]}")
    result: dict[str, object] = json.loads(out.read_text(encoding="utf-8"))
    if result["failure"]:
        raise SystemExit(f"GUI run failed: {result['failure']}")
    stamps = result["stamps"]
    assert isinstance(stamps, dict)
    result["start_ms"] = (stamps["sign_in_painted"] - start) * 1000
    result["sign_in_ms"] = (stamps["main_ready"] - stamps["sign_in_clicked"]) * 1000
    return result, home


def _bare_pdf(pdf: Path, work: Path) -> float:
    pages = year_end._pages(pdf)
    target = work / "bare-pdf"
    target.mkdir(exist_ok=True)
    return median_ms(lambda: year_end._bare([pages], target), runs=5)


def measure(
    path: Path | None,
    url: str,
    engine: str,
    runs: int,
    with_year_end: bool,
    *,
    clone: bool = False,
) -> list[Figure]:
    """Figure 7 on *url*. 计算考核数据 writes, so each run works on a copy: of the SQLite file at
    *path*, or with *clone* of the PostgreSQL database *url* (`CREATE DATABASE … TEMPLATE`,
    dropped after the run); otherwise on *url* itself (a database made for this benchmark)."""
    work = Path(tempfile.mkdtemp(prefix="cc-bench-gui-"))
    results = []
    home = work
    for n in range(runs):
        run_url = url
        if path is not None:
            copy = work / "run.db"
            shutil.copyfile(path, copy)
            run_url = f"sqlite:///{copy}"
        elif clone:
            run_url = clone_database(url, f"cc_bench_run_{os.getpid()}_{n}")
        try:
            result, home = _drive(run_url, work, with_year_end and n == 0)
        finally:
            if clone and n < runs - 1:
                drop_database(run_url)
        results.append(result)
        print(f"  {engine}: run {n + 1}/{runs} done", flush=True)

    def med(key: str) -> float:
        return statistics.median(statistics.median(r["figures"][key]) for r in results)  # type: ignore[index]

    def worst_stall(key: str) -> float:
        return max(r["stalls"].get(key, 0.0) for r in results)  # type: ignore[union-attr]

    bare_start = _bare_start(max(runs, 3))
    figures = [
        Figure(
            "7",
            f"{engine}: start to sign-in painted",
            statistics.median(r["start_ms"] for r in results),  # type: ignore[misc]
            bare_start,
            1.5,
        ),
        Figure(
            "7",
            f"{engine}: sign-in to 工作台 ready",
            statistics.median(r["sign_in_ms"] for r in results),  # type: ignore[misc]
            None,
            float("inf"),
            300,
        ),
        Figure(
            "7", f"{engine}: page switch, first time", med("page first"), None, float("inf"), 100
        ),
        Figure("7", f"{engine}: page switch, again", med("page again"), None, float("inf"), 100),
    ]
    # The raw SQL on the last run's copy: the app brought it to the current schema (the source
    # may be older, and is opened read only).
    try:
        raw = queue.raw_limits(run_url)
    finally:
        if clone:
            drop_database(run_url)
    for key, view in (
        ("queue: filter 处置中", "filter"),
        ("queue: search 占道", "search"),
        ("queue: sort by deadline", "sort"),
    ):
        figures.append(Figure("7", f"{engine}: {key}", med(key), raw.get(view), 2.0))
    figures.append(
        Figure(
            "7",
            f"{engine}: queue: list and pane followed",
            med("queue: list and detail pane followed"),
            None,
            float("inf"),
            None,
        )
    )
    figures.append(
        Figure(
            "7",
            f"{engine}: queue: open an incident",
            med("queue: open an incident"),
            None,
            float("inf"),
            100,
        )
    )
    papers = {
        "dispatch order: first preview": ("dispatch-order", float("inf"), 300.0),
        "dispatch order: later preview": ("dispatch-order", 1.5, 100.0),
        "月通报 preview": ("月通报", float("inf"), None),
        "季汇总 preview": ("季汇总", float("inf"), None),
    }
    for key, (kind, target, ceiling) in papers.items():
        made = sorted((home / "documents").glob(f"*{kind}*.pdf"))
        limit = _bare_pdf(made[-1], work) if made else None
        figures.append(Figure("7", f"{engine}: {key}", med(key), limit, target, ceiling))
    figures.append(
        Figure(
            "7",
            f"{engine}: 计算考核数据 (agencies)",
            med("计算考核数据 (agencies)"),
            None,
            float("inf"),
            3000,
        )
    )
    stall = max(worst_stall(k) for k in results[0]["stalls"] if k != "year-end export")  # type: ignore[union-attr]
    figures.append(
        Figure("7", f"{engine}: longest GUI stall, all but export", stall, 10, float("inf"), 50)
    )
    if with_year_end:
        first = results[0]
        pdfs = sorted((work / "year-end").rglob("*.pdf"))
        bare = (
            year_end._bare([year_end._pages(p) for p in pdfs], work / "bare-pdf") if pdfs else None
        )
        figures.append(
            Figure(
                "7", f"{engine}: year-end export", first["figures"]["year-end export"][0], bare, 1.5
            )
        )  # type: ignore[index]
        figures.append(
            Figure(
                "7",
                f"{engine}: year-end export: longest GUI stall",
                first["stalls"]["year-end export"],
                10,
                float("inf"),
                50,
            )
        )  # type: ignore[index]
    shutil.rmtree(work, ignore_errors=True)  # a copy of the full street is 1.9 GB
    return figures


def postgres_demo(server: str, incidents: int) -> str:
    """A demo street of *incidents* incidents in a new database on *server*; its URL. Figure 7
    writes to it (计算考核数据), so every benchmark run makes its own."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = f"cc_bench_{os.getpid()}_{int(time.time())}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    url = make_url(server).set(database=name).render_as_string(hide_password=False)
    print(f"生成 PostgreSQL 基准数据库 {name}（事件 {incidents}）…", flush=True)
    subprocess.run(
        [
            sys.executable,
            "-m",
            "commandcenter",
            "--home",
            tempfile.mkdtemp(prefix="cc-bench-pg-"),
            "--db",
            url,
            "demo",
            "--incidents",
            str(incidents),
            "--seed",
            "2026",
            "--as-of",
            "2026-11-20",
        ],
        check=True,
        capture_output=True,
    )
    return url
