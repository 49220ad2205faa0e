"""Where a SQLite file lies decides whether it may be written.

SQLite's locking depends on the file system; on network shares (SMB, NFS) locks are unreliable and
two PCs writing one file can corrupt it, as SQLite's own documentation warns. Such a file, and a
file on a read-only medium or without write permission, is opened read-only with the reason shown;
shared use goes through PostgreSQL.
"""

from __future__ import annotations

import ctypes
import os
import sys
from pathlib import Path, PureWindowsPath
from urllib.parse import quote

# File system types of network shares as /proc/mounts names them.
NETWORK_FILE_SYSTEMS = frozenset(
    {
        "nfs",
        "nfs4",
        "cifs",
        "smb3",
        "smbfs",
        "afs",
        "ncpfs",
        "fuse.sshfs",
        "9p",
        "davfs",
        "fuse.davfs",
    }
)
DRIVE_REMOTE = 4  # GetDriveTypeW


def sqlite_uri(path: Path, **params: str) -> str:
    """A SQLite ``file:`` URI for *path*, quoted so names with ? # % or spaces keep their meaning."""
    posix = path.resolve().as_posix()
    if not posix.startswith("/"):  # C:/... on Windows: SQLite drops the slash before a drive
        posix = "/" + posix
    query = "&".join(f"{key}={value}" for key, value in params.items())
    return f"file:{quote(posix, safe='/:')}" + (f"?{query}" if query else "")


def read_only_uri(path: Path) -> str:
    """A URI that opens *path* so that SQLite itself refuses every write (``mode=ro``). A WAL
    database in a folder where its shared-memory file cannot be made is opened ``immutable``:
    nothing can be changing it there."""
    shm = path.with_name(path.name + "-shm")
    if not os.access(path.parent, os.W_OK) and not shm.exists():
        return sqlite_uri(path, mode="ro", immutable="1")
    return sqlite_uri(path, mode="ro")


def is_network_path(path: Path, mounts: str | None = None) -> bool:
    """Whether *path* lies on a network share: a UNC path or network drive on Windows, a
    network file system mount elsewhere (read from *mounts*, /proc/mounts by default)."""
    if sys.platform == "win32" or isinstance(path, PureWindowsPath):
        return _windows_network(PureWindowsPath(path))
    return _mount_type(Path(os.path.abspath(path)), mounts) in NETWORK_FILE_SYSTEMS


def _windows_network(path: PureWindowsPath) -> bool:
    drive = path.drive
    if drive.startswith(("\\\\?\\", "\\\\.\\")):  # the long-path forms \\?\C: and \\?\UNC\...
        drive = drive[4:]
        if drive.upper().startswith("UNC"):
            return True
    elif drive.startswith("\\\\"):  # \\server\share
        return True
    if sys.platform != "win32" or not drive:
        return False
    return bool(ctypes.windll.kernel32.GetDriveTypeW(drive + "\\") == DRIVE_REMOTE)


def _mount_type(path: Path, mounts: str | None) -> str | None:
    if mounts is None:
        try:
            mounts = Path("/proc/mounts").read_text(encoding="utf-8", errors="replace")
        except OSError:
            return None
    best: tuple[int, str] | None = None
    for line in mounts.splitlines():
        fields = line.split()
        if len(fields) < 3:
            continue
        # /proc/mounts writes spaces in mount points as \040.
        point = Path(fields[1].replace("\\040", " "))
        if (path == point or point in path.parents) and (
            best is None or len(point.parts) > best[0]
        ):
            best = (len(point.parts), fields[2])
    return best[1] if best else None


def read_only_reason(path: Path, mounts: str | None = None) -> str | None:
    """Why the SQLite file at *path* must be opened read-only, in words for the user, or None."""
    if is_network_path(path, mounts):
        return (
            "数据库文件位于网络共享上。多台电脑经网络共享同时写入同一个 SQLite 文件会损坏数据，"
            "因此只能查看。多台电脑共用请改用 PostgreSQL 服务器（见《运行维护手册》），"
            "或把文件复制到本机后再打开。"
        )
    # WAL mode writes beside the file, so the folder must be writable as well as the file.
    if not os.access(path, os.W_OK) or not os.access(path.parent, os.W_OK):
        return "数据库文件或其所在文件夹不可写（只读文件、只读介质或没有写权限）。"
    return None
