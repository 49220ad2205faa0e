"""Where the application keeps its files.

The data folder is the per-user folder from platformdirs (``%LOCALAPPDATA%\\commandcenter`` on
Windows) unless ``--home`` or ``COMMANDCENTER_HOME`` moves it, so tests and scripts never touch a
user's real data.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs
from sqlalchemy.engine import make_url

HOME_ENV = "COMMANDCENTER_HOME"
DB_ENV = "COMMANDCENTER_DB"


@dataclass(frozen=True)
class AppPaths:
    home: Path

    @property
    def database(self) -> Path:
        return self.home / "commandcenter.db"

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
        return self.home / "logs"

    @property
    def ui_settings(self) -> Path:
        return self.home / "ui-settings.ini"


def resolve_home(explicit: str | os.PathLike[str] | None = None) -> AppPaths:
    """The data folder: *explicit*, then ``COMMANDCENTER_HOME``, then the per-user folder."""
    chosen = explicit or os.environ.get(HOME_ENV)
    if chosen:
        home = Path(chosen).expanduser().resolve()
    else:
        home = Path(platformdirs.user_data_dir("commandcenter", appauthor=False, roaming=False))
    return AppPaths(home)


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path.as_posix()}"


def sqlite_file(paths: AppPaths, url: str | None, demo: bool = False) -> Path | None:
    """The SQLite file a start-up or command is for: the data folder's database (or the demo's)
    when no URL is given, the URL's file, or None for a server."""
    if url is None:
        return paths.demo_database if demo else paths.database
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database:
        return Path(parsed.database)
    return None
