"""At start-up, a database that does not open is offered the newest backup in its place.

The damaged or foreign file is never overwritten: the restore keeps it in the backup folder
first. A database written by a newer version is not offered a restore: it is sound, the program
is old.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QMessageBox

from commandcenter.db import backups
from commandcenter.db.migrate import known_revisions
from commandcenter.errors import DatabaseError, NewerDatabase
from commandcenter.paths import AppPaths

Ask = Callable[..., Any]


def offer_restore(
    paths: AppPaths, target: Path, problem: str, ask: Ask = QMessageBox.question
) -> bool:
    """Ask whether to put the newest backup in place of *target*; True once restored."""
    candidates = [b for b in backups.list_backups(paths.backups) if b.reason != "damaged"]
    if not candidates:
        return False
    newest = candidates[0]
    answer = ask(
        None,
        "恢复数据库",
        f"{problem}\n\n数据文件夹中最新的备份是：{newest.made_at:%Y-%m-%d %H:%M}"
        f"（{newest.reason_label}）\n\n是否用它恢复？当前的数据库文件（如有）会先原样保存到"
        "备份文件夹，不会丢失。",
    )
    if answer != QMessageBox.StandardButton.Yes:
        return False
    try:
        kept = backups.restore(target, newest.path, paths.backups, known_revisions())
    except DatabaseError as exc:
        QMessageBox.critical(None, "恢复数据库", exc.message)
        return False
    where = f"\n原数据库文件保存在：{kept}" if kept else ""
    QMessageBox.information(None, "恢复数据库", f"已从备份恢复：{newest.path.name}{where}")
    return True


def can_offer(exc: Exception) -> bool:
    return isinstance(exc, DatabaseError) and not isinstance(exc, NewerDatabase)
