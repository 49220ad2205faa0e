"""Shared fixtures: a fresh database per test, never the user's real data folder."""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from datetime import date
from pathlib import Path

# Qt must run offscreen, and before it is imported anywhere.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest
from sqlalchemy import create_engine
from sqlalchemy.engine import make_url

from commandcenter.db.engine import Database
from commandcenter.db.migrate import open_database
from commandcenter.demo import generator
from commandcenter.paths import AppPaths, sqlite_url
from commandcenter.services import auth, settings
from commandcenter.services.actor import Actor
from tests.core.incident_world import world  # noqa: F401 - the small street for incident tests

AS_OF = date(2026, 11, 20)
PASSWORD = "正确的密码-123"


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test may read or write the per-user data folder or the user's database."""
    monkeypatch.setenv("COMMANDCENTER_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("COMMANDCENTER_DB", raising=False)


@pytest.fixture
def paths(tmp_path: Path) -> AppPaths:
    return AppPaths(tmp_path / "home")


PG_URL_ENV = "COMMANDCENTER_TEST_PG_URL"  # a server where the tests may create databases


def _pg(statement: str) -> None:
    admin = create_engine(os.environ[PG_URL_ENV], isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(statement)
    admin.dispose()


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    """A new, set-up database with one admin: SQLite, or a fresh database on the PostgreSQL
    server named by COMMANDCENTER_TEST_PG_URL (dropped afterwards)."""
    server = os.environ.get(PG_URL_ENV)
    name = f"cc_test_{uuid.uuid4().hex[:12]}"
    if server:
        _pg(f'CREATE DATABASE "{name}"')
        url = make_url(server).set(database=name).render_as_string(hide_password=False)
    else:
        url = sqlite_url(tmp_path / "cc.db")
    database = open_database(url, create=True)
    with database.write() as session:
        settings.first_run(
            session,
            street_name="梅山街道",
            doc_prefix="梅执",
            admin_username="admin",
            admin_display_name="管理员",
            admin_password=PASSWORD,
        )
    yield database
    database.dispose()
    if server:
        _pg(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def admin(db: Database) -> Actor:
    with db.read() as session:
        return auth.actor_for(session, "admin")


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One generated demo database per run; tests get their own copy."""
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    database = open_database(sqlite_url(path), create=True)
    generator.generate(database, seed=11, incidents=600, as_of=AS_OF)
    database.dispose()
    return path


@pytest.fixture
def demo_db(demo_template: Path, tmp_path: Path) -> Iterator[Database]:
    copy = tmp_path / "demo.db"
    shutil.copyfile(demo_template, copy)
    database = open_database(sqlite_url(copy))
    yield database
    database.dispose()


@pytest.fixture
def leader(demo_db: Database) -> Actor:
    with demo_db.read() as session:
        return auth.actor_for(session, generator.DEMO_LEADER)


@pytest.fixture
def operator(demo_db: Database) -> Actor:
    with demo_db.read() as session:
        return auth.actor_for(session, "operator")
