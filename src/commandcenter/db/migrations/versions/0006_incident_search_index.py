"""incident search: an FTS5 index of character pairs on SQLite, and incidents by catalogue item

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-22 15:00:00

The index's rows are kept by triggers calling cc_search_pairs (commandcenter.db.search_index),
which every connection of the application registers. PostgreSQL keeps searching with ILIKE.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_BODY = (
    "cc_search_pairs({t}.number) || ' ' || cc_search_pairs({t}.title) || ' ' || "
    "cc_search_pairs({t}.address) || ' ' || cc_search_pairs({t}.channel_ref)"
)


def upgrade() -> None:
    op.create_index("ix_incidents_item_id", "incidents", ["item_id"])
    if op.get_bind().dialect.name != "sqlite":
        return
    op.execute("CREATE VIRTUAL TABLE incident_search USING fts5(body)")
    op.execute(
        "INSERT INTO incident_search(rowid, body) "
        f"SELECT id, {_BODY.format(t='incidents')} FROM incidents"
    )
    op.execute(
        "CREATE TRIGGER incident_search_insert AFTER INSERT ON incidents BEGIN "
        "INSERT INTO incident_search(rowid, body) "
        f"VALUES (new.id, {_BODY.format(t='new')}); END"
    )
    op.execute(
        "CREATE TRIGGER incident_search_update "
        "AFTER UPDATE OF number, title, address, channel_ref ON incidents BEGIN "
        f"UPDATE incident_search SET body = {_BODY.format(t='new')} "
        "WHERE rowid = new.id; END"
    )
    op.execute(
        "CREATE TRIGGER incident_search_delete AFTER DELETE ON incidents BEGIN "
        "DELETE FROM incident_search WHERE rowid = old.id; END"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for trigger in ("insert", "update", "delete"):
            op.execute(f"DROP TRIGGER incident_search_{trigger}")
        op.execute("DROP TABLE incident_search")
    op.drop_index("ix_incidents_item_id", table_name="incidents")
