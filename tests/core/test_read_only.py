"""A database that may not be written opens read-only: it can be read and signed in to, every
change is refused with a message, and the file is left exactly as it was."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path, PureWindowsPath

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import DBAPIError

from commandcenter.db.engine import Database
from commandcenter.db.location import is_network_path, read_only_reason, sqlite_uri
from commandcenter.db.migrate import open_database
from commandcenter.db.models import Unit, UnitKind
from commandcenter.errors import DatabaseError, ReadOnlyDatabase
from commandcenter.paths import sqlite_url
from commandcenter.services import auth, organisation
from commandcenter.services.actor import Actor
from tests.conftest import PASSWORD, old_database, sqlite_only


def _digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


@contextmanager
def _read_only_folder(folder: Path) -> Iterator[None]:
    """The folder and its files as on a read-only medium. Root ignores permission bits, so
    there the immutable attribute stands in for them."""
    items = [folder, *folder.iterdir()]
    if os.geteuid() != 0:
        for item in items:
            item.chmod(0o555 if item.is_dir() else 0o444)
        undo = [lambda i=item: i.chmod(0o755 if i.is_dir() else 0o644) for item in items]
    else:
        if shutil.which("chattr") is None:
            pytest.skip("chattr is needed to make a read-only folder as root")
        done = subprocess.run(["chattr", "+i", *map(str, items)], capture_output=True)
        if done.returncode != 0:
            pytest.skip(f"this file system has no immutable attribute: {done.stderr!r}")
        undo = [lambda: subprocess.run(["chattr", "-i", *map(str, items)], check=True)]
    try:
        yield
    finally:
        for step in undo:
            step()


def _a_unit(name: str) -> organisation.UnitForm:
    return organisation.UnitForm(name=name, short_name=name, kind=UnitKind.SQUAD)


def _units(db: Database) -> int:
    with db.read() as s:
        return int(s.scalar(select(func.count(Unit.id))) or 0)


@sqlite_only
def test_a_file_on_a_read_only_medium_opens_read_only_and_stays_untouched(
    db: Database, admin: Actor
) -> None:
    with db.write() as s:
        organisation.create_unit(s, admin, _a_unit("执法一中队"))
    path = db.sqlite_path
    assert path is not None
    db.dispose()  # the last connection folds the write-ahead log back into the file
    folder = path.parent
    for other in folder.iterdir():
        if other != path:
            shutil.rmtree(other) if other.is_dir() else other.unlink()
    before = _digest(folder)
    with _read_only_folder(folder):
        ro = open_database(sqlite_url(path))
        try:
            assert ro.read_only is not None and "不可写" in ro.read_only
            assert _units(ro) == 1
            actor = auth.sign_in(ro, "admin", PASSWORD)  # nothing recorded, nothing refused
            with pytest.raises(ReadOnlyDatabase, match="只读方式打开，不能修改"), ro.write() as s:
                organisation.create_unit(s, actor, _a_unit("执法二中队"))
            # Below the app, SQLite itself refuses to write.
            with pytest.raises(DBAPIError), ro.engine.begin() as conn:
                conn.exec_driver_sql("DELETE FROM units")
            assert _units(ro) == 1
        finally:
            ro.dispose()
        assert _digest(folder) == before


def test_read_only_on_request_refuses_every_change(db: Database, admin: Actor) -> None:
    ro = open_database(db.engine.url.render_as_string(hide_password=False), read_only=True)
    try:
        assert ro.read_only is not None and "按要求" in ro.read_only
        with pytest.raises(ReadOnlyDatabase), ro.write() as s:
            organisation.create_unit(s, admin, _a_unit("执法三中队"))
        with pytest.raises(DBAPIError), ro.engine.begin() as conn:  # and so does the engine
            conn.exec_driver_sql("UPDATE users SET display_name = 'x' WHERE username = 'admin'")
        # A wrong password is refused as usual; nothing can be counted towards the lock.
        with pytest.raises(auth.AuthenticationFailed):
            auth.sign_in(ro, "admin", "错误的密码-000")
    finally:
        ro.dispose()
    assert _units(db) == 0


def test_network_shares_are_recognised() -> None:
    mounts = (
        "/dev/vda1 / ext4 rw 0 0\n"
        "//nas/指挥中心 /mnt/share cifs rw 0 0\n"
        "server:/export /mnt/nfs\\040data nfs4 rw 0 0\n"
        "/dev/sdb1 /mnt/share/usb vfat rw 0 0\n"
    )
    assert is_network_path(Path("/mnt/share/cc.db"), mounts)
    assert is_network_path(Path("/mnt/nfs data/cc.db"), mounts)
    assert not is_network_path(Path("/mnt/share/usb/cc.db"), mounts)  # the deeper mount wins
    assert not is_network_path(Path("/home/cc.db"), mounts)
    assert is_network_path(PureWindowsPath(r"\\nas\指挥中心\cc.db"))
    assert is_network_path(PureWindowsPath(r"\\?\UNC\nas\share\cc.db"))
    assert not is_network_path(PureWindowsPath(r"\\?\C:\数据\cc.db"))
    reason = read_only_reason(Path("/mnt/share/cc.db"), mounts)
    assert reason is not None and "网络共享" in reason and "PostgreSQL" in reason


def test_a_uri_keeps_awkward_names() -> None:
    uri = sqlite_uri(Path("/数据/a?b#c 100%.db"), mode="ro")
    assert uri == "file:/%E6%95%B0%E6%8D%AE/a%3Fb%23c%20100%25.db?mode=ro"


def test_an_old_schema_that_cannot_be_upgraded_is_refused_untouched(tmp_path: Path) -> None:
    path = old_database(tmp_path / "old.db")
    before = path.read_bytes()
    with pytest.raises(DatabaseError, match="只读时无法升级"):
        open_database(sqlite_url(path), read_only=True)
    assert path.read_bytes() == before
