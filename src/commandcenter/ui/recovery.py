"""At start-up, a database that does not open is offered the newest backup in its place, and
a missing one can also be looked for (a moved file, a new PC).

The damaged or foreign file is never overwritten: the restore keeps it in the backup folder
first. A database written by a newer version is not offered a restore: it is sound, the program
is old.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QAbstractButton, QMessageBox

from commandcenter.db import backup_folder
from commandcenter.db.migrate import known_revisions
from commandcenter.errors import DatabaseError, NewerDatabase
from commandcenter.paths import AppPaths
from commandcenter.ui import file_dialogs

Ask = Callable[..., Any]


def offer_restore(
    paths: AppPaths, target: Path, problem: str, ask: Ask = QMessageBox.question
) -> bool:
    """Ask whether to put the newest backup in place of *target*; True once restored."""
    candidates = [b for b in backup_folder.list_backups(paths.backups) if b.reason != "damaged"]
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
        kept = backup_folder.restore(target, newest.path, paths.backups, known_revisions())
    except DatabaseError as exc:
        QMessageBox.critical(None, "恢复数据库", exc.message)
        return False
    where = f"\n原数据库文件保存在：{kept}" if kept else ""
    QMessageBox.information(None, "恢复数据库", f"已从备份恢复：{newest.path.name}{where}")
    return True


def can_offer(exc: Exception) -> bool:
    return isinstance(exc, DatabaseError) and not isinstance(exc, NewerDatabase)


# What to do about a missing database: one of these, or None to stop.
LOCATE, RESTORE, CREATE = "locate", "restore", "create"
Choose = Callable[[str, list[tuple[str, str]]], str | None]


def choose_with_buttons(text: str, options: list[tuple[str, str]]) -> str | None:
    box = QMessageBox(QMessageBox.Icon.Question, "数据库", text)
    buttons: dict[QAbstractButton, str] = {
        box.addButton(label, QMessageBox.ButtonRole.AcceptRole): key for key, label in options
    }
    box.addButton("退出", QMessageBox.ButtonRole.RejectRole)
    box.exec()
    return buttons.get(box.clickedButton())


def pick_file(home: Path) -> Path | None:
    name = file_dialogs.open_file_name(
        None, "查找数据库文件", str(home), "指挥中心数据库 (*.db);;所有文件 (*)"
    )
    return Path(name) if name else None


def resolve_missing(
    paths: AppPaths,
    problem: str,
    *,
    first_start: bool,
    choose: Choose = choose_with_buttons,
    pick: Callable[[Path], Path | None] = pick_file,
) -> str | None:
    """Ask what to do about a database that is not where it should be. Returns CREATE (only on a
    first start), RESTORE once the newest backup is in place, LOCATE once the data folder points
    at a file the user found, or None."""
    options = [(LOCATE, "查找数据库文件…")]
    if any(b.reason != "damaged" for b in backup_folder.list_backups(paths.backups)):
        options.append((RESTORE, "从备份恢复…"))
    if first_start:
        options.insert(0, (CREATE, "新建数据库"))
    while True:
        choice = choose(problem, options)
        if choice == LOCATE:
            found = pick(paths.home)
            if found is None:
                continue
            paths.point_database_at(found)
            return LOCATE
        if choice == RESTORE:
            if offer_restore(paths, paths.database, problem):
                return RESTORE
            continue
        return choice
