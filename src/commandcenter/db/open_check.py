"""A SQLite file that did not close cleanly is checked before anything is written to it.

A write-ahead log left beside the file (``-wal``) means the last program to use it did not
close it: it was killed, the power went, or it is still open elsewhere. Such a file is given
``PRAGMA quick_check`` (pages, cells, index order; not the slower comparison of every index
with its table) through a read-only connection, which reads the log but never folds it into the
file. When the check fails, the file is marked (``<file>.damaged``) and opened read-only until a
backup is put back; the mark makes every later open check again, even with the log gone, so no
command writes into a file that failed its check. `check` marks a file the same way.
"""

from __future__ import annotations

import json
import logging
import os
import sqlite3
import time
from pathlib import Path

from commandcenter import timeutil
from commandcenter.db.location import read_only_uri

log = logging.getLogger(__name__)

MARK_SUFFIX = ".damaged"
SHOWN_DETAIL = 120  # characters of SQLite's first complaint, for the banner and the log


def mark_of(path: Path) -> Path:
    return path.with_name(path.name + MARK_SUFFIX)


def closed_uncleanly(path: Path) -> bool:
    """Whether *path* may not have been closed cleanly, or failed a check before."""
    return path.with_name(path.name + "-wal").exists() or mark_of(path).exists()


def quick_check(path: Path) -> str | None:
    """What ``PRAGMA quick_check`` finds wrong with *path* (its first complaint), or None when
    the file is sound. Read-only: nothing is written into the file."""
    started = time.perf_counter()
    conn = sqlite3.connect(read_only_uri(path), uri=True)
    try:
        rows = [str(row[0]) for row in conn.execute("PRAGMA quick_check").fetchall()]
    except sqlite3.DatabaseError as exc:  # too damaged for the check to finish
        rows = [str(exc)]
    finally:
        conn.close()
    log.info("quick_check of %s took %.2f s", path, time.perf_counter() - started)
    problems = [row for row in rows if row != "ok"]
    if not problems:
        return None
    return " ".join(problems[0].split())[:SHOWN_DETAIL]


def damaged_reason(detail: str) -> str:
    """The read-only reason the window's banner and every refused change show."""
    return (
        f"数据库文件检查未通过，文件已损坏（{detail}）。为免损坏扩大，本次以只读方式打开，"
        "任何修改都不会写入。请恢复备份（工具 → 从备份恢复，或 commandcenter restore）；"
        "现有文件会先另存，不会丢失。"
    )


def mark_damaged(path: Path, detail: str) -> None:
    """Remember that *path* failed its check, so that it opens read-only until restored."""
    entry = {"at": timeutil.now().isoformat(), "detail": detail}
    target = mark_of(path)
    temporary = target.with_name(target.name + ".tmp")
    try:
        temporary.write_text(json.dumps(entry, ensure_ascii=False) + "\n", encoding="utf-8")
        os.replace(temporary, target)
    except OSError as exc:  # a read-only folder: the check at each open still catches it
        log.warning("could not mark %s as damaged: %s", path, exc)


def clear_mark(path: Path) -> None:
    mark_of(path).unlink(missing_ok=True)


def check_on_open(path: Path) -> str | None:
    """At an open for writing: the read-only reason when *path* closed uncleanly and fails its
    quick check (it is then marked), or None when it may be written."""
    if not closed_uncleanly(path):
        return None
    detail = quick_check(path)
    if detail is None:
        clear_mark(path)  # put right since (a restore by hand): it may be written again
        return None
    log.warning("%s failed its quick check at open: %s", path, detail)
    mark_damaged(path, detail)
    return damaged_reason(detail)
