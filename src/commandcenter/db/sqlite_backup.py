"""Backups with SQLite's online backup API, verified after writing.

A live WAL database must never be copied file by file: the backup API gives a consistent
snapshot even while another connection writes.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from commandcenter import timeutil
from commandcenter.db import audit_checkpoints
from commandcenter.db.location import read_only_uri
from commandcenter.errors import DatabaseError
from commandcenter.faults import crash_point


def backup_file_name(reason: str) -> str:
    stamp = timeutil.to_local(timeutil.now()).strftime("%Y%m%d-%H%M%S-%f")
    return f"commandcenter-{stamp}-{reason}.db"


def read_only_pragma(path: Path, pragma: str) -> object:
    """The first value of ``PRAGMA <pragma>`` on *path*, opened read-only (nothing is written)."""
    conn = sqlite3.connect(read_only_uri(path), uri=True)
    try:
        return conn.execute(f"PRAGMA {pragma}").fetchone()[0]
    finally:
        conn.close()


def verify_sqlite(path: Path) -> None:
    """Raise if *path* is not a sound SQLite database."""
    try:
        result = read_only_pragma(path, "integrity_check")
    except sqlite3.DatabaseError as exc:
        raise DatabaseError(f"备份文件无法读取：{path}（{exc}）") from exc
    if result != "ok":
        raise DatabaseError(f"备份文件校验未通过：{path}（{result}）")


def backup_sqlite(source: Path, destination: Path) -> Path:
    """Copy *source* to *destination* through the backup API, verify it, then move it in place.

    The copy is written beside the destination under a temporary name and renamed only once
    verified, so a failed backup never leaves a half-written file that looks like a good one.
    Where the copy's audit log stands is written beside it (``<name>.checkpoint.json``): the
    evidence every backup carries against a log later cut or rewritten.
    """
    destination.parent.mkdir(parents=True, exist_ok=True)
    partial = destination.with_name(destination.name + ".partial")
    try:
        src = sqlite3.connect(read_only_uri(source), uri=True)
        try:
            dst = sqlite3.connect(partial)
            try:
                src.backup(dst)
                crash_point("backup.copy")
                # A backup is one self-contained file: no -wal or -shm beside it.
                dst.execute("PRAGMA journal_mode = DELETE")
            finally:
                dst.close()
        finally:
            src.close()
        verify_sqlite(partial)
        point = _checkpoint_of(partial, source)
        os.replace(partial, destination)
        if point is not None:
            audit_checkpoints.write_beside(destination, point)
    except (sqlite3.Error, OSError) as exc:
        partial.unlink(missing_ok=True)
        raise DatabaseError(f"备份失败：{exc}。原数据库未受影响。") from exc
    except DatabaseError:
        partial.unlink(missing_ok=True)
        raise
    return destination


def _checkpoint_of(copy: Path, source: Path) -> audit_checkpoints.Checkpoint | None:
    conn = sqlite3.connect(read_only_uri(copy), uri=True)
    try:
        key = audit_checkpoints.sqlite_key(source)
        return audit_checkpoints.of_sqlite_copy(conn, key, timeutil.now().isoformat())
    finally:
        conn.close()
