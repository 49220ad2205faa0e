"""The admin's commands: backup, restore and check.

Backups and restores are of the SQLite database (PostgreSQL has pg_dump and its own tools).
A restore works even when the current database no longer opens: whoever can reach the data
folder may put a backup back, and the damaged file is kept beside the backups, never overwritten.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from commandcenter.cli import _db_url, _open_existing, _say, _sign_in
from commandcenter.errors import DatabaseError, UserError
from commandcenter.paths import AppPaths, sqlite_file

USER_HELP = "以该用户身份执行（需管理员）"


def add_parsers(sub: Any) -> None:
    backup = sub.add_parser("backup", help="备份数据库（用 SQLite 备份接口，写后校验）")
    backup.add_argument(
        "target",
        nargs="?",
        type=Path,
        help="备份到该文件夹（如 U 盘上的文件夹）或 .db 文件；默认为数据文件夹下的 backups",
    )
    backup.add_argument("--list", action="store_true", help="列出已有备份")
    backup.add_argument("--user", help=USER_HELP)
    restore = sub.add_parser("restore", help="从备份恢复数据库（当前数据库先另存为备份）")
    restore.add_argument("file", nargs="?", type=Path, help="备份文件")
    restore.add_argument("--latest", action="store_true", help="使用最新的一份备份")
    restore.add_argument("--user", help=USER_HELP + "；当前数据库无法打开时可省略")
    check = sub.add_parser("check", help="检查数据库：文件结构、外键、审计链、校验位和异常状态")
    check.add_argument("--user", required=True, help=USER_HELP)
    check.add_argument(
        "--repair",
        action="store_true",
        help="先备份，再在一个事务中做可安全修复的项目（审计链断裂等只报告，不修复）",
    )


def _sqlite_path(args: argparse.Namespace, paths: AppPaths) -> Path:
    path = sqlite_file(paths, _db_url(args), args.demo)
    if path is None:
        raise UserError(
            "这里的备份和恢复针对单机 SQLite 数据库；PostgreSQL 请由数据库管理员用 pg_dump / "
            "pg_restore 备份和恢复（见 docs/administration.md）。"
        )
    return path


def _admin(args: argparse.Namespace, paths: AppPaths) -> None:
    """Open the database and sign the named admin in; the database is closed again."""
    from commandcenter.services.permissions import Action, require

    db = _open_existing(args, paths)
    try:
        if not args.user:
            raise UserError("请用 --user 给出管理员用户名。")
        require(_sign_in(db, args.user), Action.BACKUP_RESTORE)
    finally:
        db.dispose()


def cmd_backup(args: argparse.Namespace, paths: AppPaths) -> int:
    from commandcenter.db import backup_folder

    source = _sqlite_path(args, paths)
    if args.list:
        listed = backup_folder.list_backups(paths.backups)
        for b in listed:
            _say(
                f"{b.made_at:%Y-%m-%d %H:%M:%S}  {b.reason_label:<6}  {b.size // 1024:>8} KB  {b.path}"
            )
        _say(f"共 {len(listed)} 份备份，位于 {paths.backups}")
        return 0
    _admin(args, paths)
    target = args.target or paths.backups
    made = backup_folder.make_backup(source, target, "manual")
    if made.parent == paths.backups:
        for gone in backup_folder.thin(paths.backups):
            _say(f"按保留规则删除旧备份：{gone.name}")
    _say(f"已备份并校验：{made}（{made.stat().st_size // 1024} KB）")
    return 0


def cmd_restore(args: argparse.Namespace, paths: AppPaths) -> int:
    from commandcenter.db import backup_folder
    from commandcenter.db.migrate import known_revisions

    target = _sqlite_path(args, paths)
    if args.latest:
        listed = [b for b in backup_folder.list_backups(paths.backups) if b.reason != "damaged"]
        if not listed:
            raise UserError(f"{paths.backups} 中没有备份。")
        source = listed[0].path
    elif args.file:
        source = args.file
    else:
        raise UserError("请给出备份文件，或用 --latest 选择最新的备份。")
    try:
        _admin(args, paths)
    except DatabaseError as exc:
        # The database does not open (missing, damaged, foreign): nobody can sign in to it,
        # and putting a backup back is exactly what is needed. The file is kept, not lost.
        _say(f"当前数据库无法打开（{exc.message}），不经登录直接恢复。")
    kept = backup_folder.restore(target, source, paths.backups, known_revisions())
    if kept is not None:
        _say(f"恢复前的数据库已另存为：{kept}")
    _say(f"已从 {source} 恢复并校验：{target}")
    return 0


def cmd_check(args: argparse.Namespace, paths: AppPaths) -> int:
    from commandcenter.services import audit_evidence, checks

    db = _open_existing(args, paths)
    try:
        actor = _sign_in(db, args.user)
        if args.repair:
            made, repaired = checks.repair_database(db, actor, paths.backups)
            if made is not None:
                _say(f"修复前已备份：{made}")
            for line in repaired or ["没有可安全修复的项目。"]:
                _say(f"已修复 {line}" if repaired else line)
        with db.read() as session:
            findings = checks.run_checks(session, actor, paths.backups)
            if not findings:  # a clean log is the next checkpoint to hold it against
                audit_evidence.record_checkpoint(session, actor, paths.backups)
    finally:
        db.dispose()
    for line in checks.report_lines(findings):
        _say(line)
    return 1 if findings else 0


COMMANDS = {"backup": cmd_backup, "restore": cmd_restore, "check": cmd_check}
