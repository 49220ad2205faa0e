"""Where the application keeps its files.

The data folder is the per-user folder from platformdirs (``%LOCALAPPDATA%\\commandcenter`` on
Windows) unless ``--home`` or ``COMMANDCENTER_HOME`` moves it, so tests and scripts never touch a
user's real data. Logs go to platformdirs' log folder (``%LOCALAPPDATA%\\commandcenter\\Logs``),
or to ``logs`` inside a data folder that was moved.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs

HOME_ENV = "COMMANDCENTER_HOME"
DB_ENV = "COMMANDCENTER_DB"


@dataclass(frozen=True)
class AppPaths:
    home: Path
    log_dir: Path | None = None  # platformdirs' log folder; None: logs/ in the data folder

    @property
    def database(self) -> Path:
        """commandcenter.db in the data folder, unless the data folder has been pointed at a
        database elsewhere (a file found with 查找数据库文件 after a move)."""
        try:
            elsewhere = self.database_pointer.read_text(encoding="utf-8").strip()
        except OSError:
            elsewhere = ""
        return Path(elsewhere) if elsewhere else self.home / "commandcenter.db"

    @property
    def database_pointer(self) -> Path:
        return self.home / "database-location.txt"

    def point_database_at(self, path: Path) -> None:
        """From now on, the database is *path* (written whole, or not at all)."""
        self.home.mkdir(parents=True, exist_ok=True)
        temp = self.database_pointer.with_suffix(".part")
        temp.write_text(str(path.resolve()), encoding="utf-8")
        os.replace(temp, self.database_pointer)

    @property
    def demo_database(self) -> Path:
        return self.home / "demo" / "commandcenter-demo.db"

    @property
    def backups(self) -> Path:
        return self.home / "backups"

    @property
    def attachments(self) -> Path:
        return self.home / "attachments"

    @property
    def documents(self) -> Path:
        return self.home / "documents"

    @property
    def logs(self) -> Path:
        return self.log_dir or self.home / "logs"

    @property
    def ui_settings(self) -> Path:
        return self.home / "ui-settings.ini"


def resolve_home(explicit: str | os.PathLike[str] | None = None) -> AppPaths:
    """The data folder: *explicit*, then ``COMMANDCENTER_HOME``, then the per-user folder."""
    chosen = explicit or os.environ.get(HOME_ENV)
    if chosen:
        return AppPaths(Path(chosen).expanduser().resolve())
    return AppPaths(
        Path(platformdirs.user_data_dir("commandcenter", appauthor=False, roaming=False)),
        Path(platformdirs.user_log_dir("commandcenter", appauthor=False)),
    )


_SQLITE_FILE = "sqlite:///"


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path.as_posix()}"


def shown_url(url: str) -> str:
    """A database URL as it may be shown, logged or compared: without its password."""
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


def sqlite_file(paths: AppPaths, url: str | None, demo: bool = False) -> Path | None:
    """The SQLite file a start-up or command is for: the data folder's database (or the demo's)
    when no URL is given, the URL's file, or None for a server."""
    if url is None:
        return paths.demo_database if demo else paths.database
    plain = url.removeprefix(_SQLITE_FILE)
    if plain != url and plain and not any(c in plain for c in "?%#"):
        # The common case read without SQLAlchemy, which the window's start leaves for later.
        return Path(plain)
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database:
        return Path(parsed.database)
    return None
