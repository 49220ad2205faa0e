"""Shared fixtures: a fresh database per test, never the user's real data folder."""

from __future__ import annotations

import os
import shutil
import sys
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

# Qt must run offscreen, and before it is imported anywhere.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest
from argon2 import PasswordHasher
from sqlalchemy import Connection, create_engine
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


# argon2id at the library's recommended cost takes a tenth of a second by design; the suite
# hashes thousands of passwords, so it uses the cheapest parameters argon2 allows. Hashes carry
# their parameters, so they verify either way. Tests of hashing itself ask for the real ones.
REAL_HASHER = auth._hasher
CHEAP_HASHER = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)


@pytest.fixture(scope="session", autouse=True)
def _cheap_password_hashes() -> Iterator[None]:
    auth._hasher = CHEAP_HASHER
    yield
    auth._hasher = REAL_HASHER


@pytest.fixture
def real_password_hashes(monkeypatch: pytest.MonkeyPatch) -> None:
    """The application's own hashing parameters, for the tests of hashing."""
    monkeypatch.setattr(auth, "_hasher", REAL_HASHER)


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test may read or write the per-user data folder or the user's database."""
    monkeypatch.setenv("COMMANDCENTER_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("COMMANDCENTER_DB", raising=False)


@pytest.fixture
def paths(tmp_path: Path) -> AppPaths:
    return AppPaths(tmp_path / "home")


PG_URL_ENV = "COMMANDCENTER_TEST_PG_URL"  # a server where the tests may create databases
NO_SERVER = f"no PostgreSQL server: set {PG_URL_ENV} (scripts/test.sh starts one)"


def _pg(statement: str) -> None:
    admin = create_engine(os.environ[PG_URL_ENV], isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(statement)
    admin.dispose()


def _pg_url(name: str) -> str:
    return make_url(os.environ[PG_URL_ENV]).set(database=name).render_as_string(hide_password=False)


def _first_run(database: Database) -> None:
    with database.write() as session:
        settings.first_run(
            session,
            street_name="梅山街道",
            doc_prefix="梅执",
            admin_username="admin",
            admin_display_name="管理员",
            admin_password=PASSWORD,
        )


class PgTemplates:
    """Databases made once per run on the server; each test gets a copy (CREATE ... TEMPLATE),
    which is far quicker than migrating and filling a new one."""

    def __init__(self) -> None:
        self.run = uuid.uuid4().hex[:8]
        self.made: list[str] = []

    def clone(self, kind: str, build: Callable[[Database], None]) -> str:
        template = f"cc_tpl_{kind}_{self.run}"
        if template not in self.made:
            _pg(f'CREATE DATABASE "{template}"')
            self.made.append(template)
            database = open_database(_pg_url(template), create=True)
            build(database)
            database.dispose()
        name = f"cc_test_{uuid.uuid4().hex[:12]}"
        _pg(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
        return name

    def drop_all(self) -> None:
        for template in self.made:
            _pg(f'DROP DATABASE IF EXISTS "{template}" WITH (FORCE)')


@pytest.fixture(scope="session")
def pg_templates() -> Iterator[PgTemplates]:
    templates = PgTemplates()
    yield templates
    templates.drop_all()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgresql)])
def backend(request: pytest.FixtureRequest) -> str:
    """Every test that takes a database runs on both engines; PostgreSQL needs a server."""
    return str(request.param)


def pytest_report_header() -> str:
    server = os.environ.get(PG_URL_ENV)
    if server:
        return f"PostgreSQL runs on: {make_url(server).render_as_string(hide_password=True)}"
    return f"PostgreSQL runs left out: {NO_SERVER}"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Without a server the PostgreSQL runs are left out, as the header says, rather than
    listed one by one as skipped."""
    if os.environ.get(PG_URL_ENV):
        return
    kept = [item for item in items if item.get_closest_marker("postgresql") is None]
    if len(kept) < len(items):
        config.hook.pytest_deselected(items=[i for i in items if i not in kept])
        items[:] = kept


def _close(database: Database) -> None:
    """Close a test's database once the windows' workers are done with it; a connection still
    checked out would otherwise outlive its engine."""
    runner = sys.modules.get("commandcenter.ui.runner")  # only where the windows were loaded
    if runner is not None:
        runner.Runner.finish_all()
    database.dispose()


@contextmanager
def _on_server(
    request: pytest.FixtureRequest, kind: str, build: Callable[[Database], None]
) -> Iterator[Database]:
    name = request.getfixturevalue("pg_templates").clone(kind, build)
    database = open_database(_pg_url(name))
    try:
        yield database
    finally:
        _close(database)
        _pg(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def old_database(path: Path, revision: str = "0002") -> Path:
    """A SQLite database of ours left at an older schema *revision*, as an earlier version
    would have left it."""
    from alembic import command

    from commandcenter.db.engine import APPLICATION_ID, make_engine
    from commandcenter.db.migrate import alembic_config

    engine = make_engine(sqlite_url(path))
    with engine.begin() as conn:
        conn.exec_driver_sql(f"PRAGMA application_id = {APPLICATION_ID}")
        command.upgrade(alembic_config(conn), revision)
    engine.dispose()
    return path


def disable_audit_guard(conn: Connection) -> None:
    """What someone with the file or an owner's login could do, to show the chain still tells."""
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql("ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_change")
    else:
        conn.exec_driver_sql("DROP TRIGGER audit_log_no_update")


# For tests of what only a database file has (backups, damaged files, locks).
sqlite_only = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
# For what only a server has (roles and privileges).
postgresql_only = pytest.mark.parametrize(
    "backend", [pytest.param("postgresql", marks=pytest.mark.postgresql)], indirect=True
)


def _sqlite_template(
    tmp_path_factory: pytest.TempPathFactory, build: Callable[[Database], None]
) -> Path:
    """A SQLite file made once per run by *build*, for tests to copy (a copy takes milliseconds,
    migrating and filling a new file most of a second)."""
    path = tmp_path_factory.mktemp("template") / "template.db"
    database = open_database(sqlite_url(path), create=True)
    build(database)
    database.dispose()
    return path


def _sqlite_copy(template: Path, tmp_path: Path, name: str) -> Iterator[Database]:
    copy = tmp_path / name
    shutil.copyfile(template, copy)
    database = open_database(sqlite_url(copy))
    yield database
    _close(database)


@pytest.fixture(scope="session")
def fresh_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One new, set-up SQLite database per run; each test gets its own copy."""
    return _sqlite_template(tmp_path_factory, _first_run)


@pytest.fixture
def db(backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """A new, set-up database with one admin, on each backend in turn."""
    if backend == "postgresql":
        with _on_server(request, "fresh", _first_run) as database:
            yield database
        return
    yield from _sqlite_copy(request.getfixturevalue("fresh_template"), tmp_path, "cc.db")


@pytest.fixture
def admin(db: Database) -> Actor:
    with db.read() as session:
        return auth.actor_for(session, "admin")


def _generate_demo(database: Database) -> None:
    generator.generate(database, seed=11, incidents=600, as_of=AS_OF)


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One generated demo database per run; tests get their own copy."""
    return _sqlite_template(tmp_path_factory, _generate_demo)


@pytest.fixture
def demo_db(backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """The generated demo street (seed 11, 600 incidents, as of AS_OF) on each backend."""
    if backend == "postgresql":
        with _on_server(request, "demo", _generate_demo) as database:
            yield database
        return
    yield from _sqlite_copy(request.getfixturevalue("demo_template"), tmp_path, "demo.db")


@pytest.fixture
def leader(demo_db: Database) -> Actor:
    with demo_db.read() as session:
        return auth.actor_for(session, generator.DEMO_LEADER)


@pytest.fixture
def operator(demo_db: Database) -> Actor:
    with demo_db.read() as session:
        return auth.actor_for(session, "operator")
