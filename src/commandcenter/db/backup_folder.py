"""The backup folder: scheduled and manual backups, thinning by age, and restoring one.

Every copy goes through :func:`backup.backup_sqlite` (the online backup API, verified, renamed
into place only when sound). Thinning keeps every backup of the last week, one a day for a
month and one a month for a year, and never the newest nor a damaged file kept at a restore. Restoring first keeps the current
database as a backup (a file copy when it is too damaged for the backup API), so a restore can
always be undone.
"""

from __future__ import annotations

import re
import shutil
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from commandcenter import timeutil
from commandcenter.db import audit_checkpoints, open_check
from commandcenter.db.engine import APPLICATION_ID
from commandcenter.db.sqlite_backup import backup_file_name, backup_sqlite, verify_sqlite
from commandcenter.errors import DatabaseError

_NAME = re.compile(r"^commandcenter-(\d{8}-\d{6})-\d{6}-([a-z-]+)\.db$")
SCHEDULED = "scheduled"
EVERY = timedelta(hours=24)
KEEP_ALL = timedelta(days=7)
KEEP_DAILY = timedelta(days=31)
KEEP_MONTHLY = timedelta(days=366)

REASONS = {
    SCHEDULED: "定时备份",
    "manual": "手动备份",
    "before-migration": "升级前备份",
    "before-restore": "恢复前备份",
    "before-import": "导入前备份",
    "before-repair": "修复前备份",
    "damaged": "损坏文件留存",
}


@dataclass(frozen=True)
class BackupFile:
    path: Path
    made_at: datetime  # Beijing time, naive, from the name
    reason: str
    size: int

    @property
    def reason_label(self) -> str:
        return REASONS.get(self.reason, self.reason)


def list_backups(folder: Path) -> list[BackupFile]:
    """Our backups in *folder*, newest first; other files are not ours and are left alone."""
    if not folder.is_dir():
        return []
    found = []
    for path in folder.iterdir():
        match = _NAME.match(path.name)
        if match and path.is_file():
            made = datetime.strptime(match.group(1), "%Y%m%d-%H%M%S")
            found.append(BackupFile(path, made, match.group(2), path.stat().st_size))
    return sorted(found, key=lambda b: (b.made_at, b.path.name), reverse=True)


def make_backup(source: Path, target: Path, reason: str = "manual") -> Path:
    """Back *source* up into the folder *target* (a USB stick's folder works), or to the file
    *target* when it ends in .db."""
    if not source.exists():
        raise DatabaseError(f"数据库未找到：{source}，无法备份。")
    destination = target if target.suffix == ".db" else target / backup_file_name(reason)
    return backup_sqlite(source, destination)


def thin(folder: Path, now: datetime | None = None) -> list[Path]:
    """Remove the backups the retention policy no longer needs; returns what was removed."""
    moment = timeutil.to_local(now or timeutil.now()).replace(tzinfo=None)
    # A damaged database kept at a restore is evidence of what happened: never thinned.
    backups = [b for b in list_backups(folder) if b.reason != "damaged"]
    keep: set[Path] = {backups[0].path} if backups else set()
    days: set[object] = set()
    months: set[object] = set()
    for b in backups:  # newest first: the first of a day or month is the one kept
        age, day, month = moment - b.made_at, b.made_at.date(), (b.made_at.year, b.made_at.month)
        if (
            age <= KEEP_ALL
            or (age <= KEEP_DAILY and day not in days)
            or (age <= KEEP_MONTHLY and month not in months)
        ):
            keep.add(b.path)
        days.add(day)
        months.add(month)
    removed = []
    for b in backups:
        if b.path not in keep:
            b.path.unlink(missing_ok=True)
            audit_checkpoints.beside(b.path).unlink(missing_ok=True)
            removed.append(b.path)
    return removed


def scheduled(source: Path, folder: Path, now: datetime | None = None) -> Path | None:
    """The day's backup when the last scheduled one is older than a day; then thin the folder."""
    moment = timeutil.to_local(now or timeutil.now()).replace(tzinfo=None)
    last = next((b for b in list_backups(folder) if b.reason == SCHEDULED), None)
    if last is not None and moment - last.made_at < EVERY:
        return None
    made = make_backup(source, folder, SCHEDULED)
    thin(folder, now)
    return made


def _schema_of(path: Path) -> str | None:
    conn = sqlite3.connect(f"file:{path.as_posix()}?mode=ro", uri=True)
    try:
        if conn.execute("PRAGMA application_id").fetchone()[0] != APPLICATION_ID:
            raise DatabaseError(f"该文件不是指挥中心工作台的数据库或备份：{path}。")
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        return str(row[0]) if row else None
    except sqlite3.DatabaseError as exc:
        raise DatabaseError(f"备份文件无法读取：{path}（{exc}）。") from exc
    finally:
        conn.close()


def check_backup(path: Path, known_revisions: set[str]) -> None:
    """Refuse a file that is not a sound backup of ours, or one a newer version wrote."""
    if not path.is_file():
        raise DatabaseError(f"备份文件未找到：{path}。")
    verify_sqlite(path)
    revision = _schema_of(path)
    if revision is None:
        raise DatabaseError(f"该备份没有数据表结构版本，不能用于恢复：{path}。")
    if revision not in known_revisions:
        raise DatabaseError(
            f"该备份由更新版本的指挥中心工作台写入（结构版本 {revision}），请先升级本程序。"
        )


def restore(target: Path, source: Path, folder: Path, known_revisions: set[str]) -> Path | None:
    """Replace the database *target* with the backup *source*; returns where the database as it
    was is kept (None when there was none). An older backup is migrated when next opened."""
    check_backup(source, known_revisions)
    kept: Path | None = None
    if target.exists():
        try:
            kept = make_backup(target, folder, "before-restore")
        except DatabaseError:
            # Too damaged for the backup API: keep its bytes as they are, never overwrite them.
            kept = folder / backup_file_name("damaged")
            folder.mkdir(parents=True, exist_ok=True)
            shutil.copy2(target, kept)
            for suffix in ("-wal", "-shm"):
                target.with_name(target.name + suffix).unlink(missing_ok=True)
            target.unlink()
    try:
        src = sqlite3.connect(f"file:{source.as_posix()}?mode=ro", uri=True)
        try:
            dst = sqlite3.connect(target)
            try:
                src.backup(dst)  # page by page, under the destination's write lock
            finally:
                dst.close()
        finally:
            src.close()
        verify_sqlite(target)
    except (sqlite3.Error, OSError) as exc:
        where = f"恢复前的数据库保存在：{kept}" if kept else "原先没有数据库"
        raise DatabaseError(f"恢复失败：{exc}。{where}。") from exc
    open_check.clear_mark(target)  # a sound file again, which may be written
    # The audit log went back with the rest: earlier checkpoints no longer hold it.
    stamp = timeutil.now().isoformat()
    audit_checkpoints.mark_restored(folder, audit_checkpoints.sqlite_key(target), stamp)
    return kept
