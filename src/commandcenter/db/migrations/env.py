"""Alembic environment. Migrations run from the application (see ``db/migrate.py``), which hands
over an open connection; there is no alembic.ini."""

from __future__ import annotations

from alembic import context

from commandcenter.db.models import Base

config = context.config
connection = config.attributes.get("connection")
if connection is None:  # pragma: no cover - only reachable by running alembic by hand
    raise RuntimeError("run migrations through commandcenter.db.migrate")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
